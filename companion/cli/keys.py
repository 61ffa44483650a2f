"""``companion keys ...``: trainers' signing keys, and the keys this PC trusts."""

from __future__ import annotations

import argparse
import sys

from companion.cli.context import CliContext
from companion.cli.output import print_json, print_table
from companion.core.packs.keys import format_fingerprint, generate_keypair, load_public_key


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="make signing keys; choose which trainers this PC trusts")
    ksub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)

    gen = ksub.add_parser("generate", help="make a key pair NAME.key (secret) and NAME.pub")
    gen.add_argument("name", help="the trainer or organisation the key belongs to")
    gen.add_argument("-o", "--out-dir", default=".", metavar="DIR",
                     help="where to write the two files (default: here)")
    gen.set_defaults(handler=run_generate)

    trust = ksub.add_parser("trust", help="trust packs signed with this public key")
    trust.add_argument("public_key_file", metavar="PUBLIC_KEY_FILE")
    trust.set_defaults(handler=run_trust)

    untrust = ksub.add_parser("untrust", help="stop trusting a key (installed packs stay)")
    untrust.add_argument("fingerprint", help="the fingerprint as 'keys list' shows it")
    untrust.set_defaults(handler=run_untrust)

    ls = ksub.add_parser("list", help="list the trusted keys")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=run_list)


def run_generate(ctx: CliContext, args: argparse.Namespace) -> int:
    key_path, pub_path = generate_keypair(args.name, args.out_dir)
    print(key_path)
    print(pub_path)
    fingerprint = load_public_key(pub_path).fingerprint
    print(f"fingerprint {format_fingerprint(fingerprint)}: keep {key_path.name} secret; give"
          f" {pub_path.name} to the PCs that should accept your packs", file=sys.stderr)
    return 0


def run_trust(ctx: CliContext, args: argparse.Namespace) -> int:
    key = load_public_key(args.public_key_file)
    trusted = ctx.services.trust.trust(key)
    print(f"trusted {trusted.name} ({trusted.short_fingerprint})")
    return 0


def run_untrust(ctx: CliContext, args: argparse.Namespace) -> int:
    key = ctx.services.trust.untrust(args.fingerprint)
    print(f"no longer trusted: {key.name} ({key.short_fingerprint})")
    return 0


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    keys = ctx.services.trust.list()
    if args.json:
        print_json([k.to_dict() for k in keys])
        return 0
    print_table(["NAME", "FINGERPRINT", "ADDED"],
                [[k.name, k.short_fingerprint, k.added_at] for k in keys])
    return 0
