"""Trainers' Ed25519 signing keys: making them, reading them back, fingerprints.

``NAME.key`` is the private key (PKCS#8 PEM, after a ``name:`` line) and must stay with the
trainer; ``NAME.pub`` is one line, ``companion-ed25519 <base64 of the 32 raw bytes> <name>``, easy
to mail, print or read aloud. A PC trusts a key by its fingerprint, the SHA-256 of the raw public
key; people compare the first 16 hex characters, shown as ``ab12 cd34 ef56 7890``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from companion.core.errors import KeyFileError

PUBLIC_KEY_PREFIX = "companion-ed25519"
KEY_SUFFIX = ".key"
PUB_SUFFIX = ".pub"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_KEY_FILE_BYTES = 16 * 1024
_PEM_RE = re.compile(
    r"-----BEGIN ([A-Z ]+)-----\s+[A-Za-z0-9+/=\s]+?-----END \1-----", re.DOTALL
)


def fingerprint(raw_public_key: bytes) -> str:
    """The full fingerprint: SHA-256 of the raw 32-byte public key, lower-case hex."""
    return hashlib.sha256(raw_public_key).hexdigest()


def format_fingerprint(full: str) -> str:
    """The short form people compare: the first 16 hex characters in groups of 4."""
    head = full.replace(" ", "").lower()[:16]
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def check_key_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise KeyFileError(
            f"{name!r} is not a usable key name: use 1 to 64 letters, digits, '.', '-' or '_',"
            " starting with a letter or digit"
        )
    return name


@dataclass(frozen=True)
class PublicKey:
    name: str
    raw: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    @property
    def short_fingerprint(self) -> str:
        return format_fingerprint(self.fingerprint)

    @property
    def base64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    def to_line(self) -> str:
        return f"{PUBLIC_KEY_PREFIX} {self.base64} {self.name}"

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    name: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> PublicKey:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return PublicKey(self.name, raw)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def _private_key_text(name: str, key: Ed25519PrivateKey) -> str:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return (
        f"# Companion pack signing key of {name}. Keep this file secret: whoever has it\n"
        f"# can sign lesson packs in your name. Share {name}{PUB_SUFFIX} instead.\n"
        f"name: {name}\n{pem}"
    )


def _create_exclusive(path: Path, text: str, mode: int) -> None:
    """Write a new file; O_EXCL makes sure an existing key is never overwritten."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError as exc:
        raise KeyFileError(
            f"{path}: already exists; a key is never overwritten (choose another name or move"
            " the old files away)"
        ) from exc
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot create the key file ({exc.strerror})") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if os.name == "posix":
            os.chmod(path, mode)  # the umask may only remove bits; make the mode exact anyway
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise KeyFileError(f"{path}: cannot write the key file ({exc.strerror})") from exc


def generate_keypair(name: str, out_dir: Path | str) -> tuple[Path, Path]:
    """Make a new key pair: ``NAME.key`` (mode 0600) and ``NAME.pub`` in ``out_dir``."""
    check_key_name(name)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KeyFileError(f"{out}: cannot create the folder ({exc.strerror})") from exc
    key_path, pub_path = out / f"{name}{KEY_SUFFIX}", out / f"{name}{PUB_SUFFIX}"
    for p in (key_path, pub_path):
        if p.exists() or p.is_symlink():
            raise KeyFileError(
                f"{p}: already exists; a key is never overwritten (choose another name or move"
                " the old files away)"
            )
    private = Ed25519PrivateKey.generate()
    _create_exclusive(key_path, _private_key_text(name, private), 0o600)
    try:
        _create_exclusive(pub_path, SigningKey(name, private).public_key.to_line() + "\n", 0o644)
    except KeyFileError:
        key_path.unlink(missing_ok=True)  # half a pair is worse than none
        raise
    return key_path, pub_path


def _read_key_text(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise KeyFileError(f"{path}: no such key file") from exc
    except IsADirectoryError as exc:
        raise KeyFileError(f"{path}: is a folder, not a key file") from exc
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the key file ({exc.strerror})") from exc
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyFileError(f"{path}: too large to be a companion key file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KeyFileError(f"{path}: not a companion key file (not text)") from exc


def load_signing_key(path: Path | str) -> SigningKey:
    """Read a private ``.key`` file made by :func:`generate_keypair`."""
    path = Path(path)
    text = _read_key_text(path)
    if text.lstrip().startswith(PUBLIC_KEY_PREFIX):
        raise KeyFileError(f"{path}: is a public key; signing needs the private .key file")
    match = _PEM_RE.search(text)
    if match is None or match.group(1) != "PRIVATE KEY":
        hint = " (it is password-protected)" if match and "ENCRYPTED" in match.group(1) else ""
        raise KeyFileError(f"{path}: not a companion private key{hint}")
    name = ""
    for line in text[: match.start()].splitlines():
        if line.startswith("name:"):
            name = line[len("name:"):].strip()
    if not NAME_RE.match(name):
        raise KeyFileError(f"{path}: the key has no valid 'name:' line")
    try:
        key = serialization.load_pem_private_key(match.group(0).encode("ascii"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path}: the private key is damaged or password-protected") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key; make one with 'companion keys generate'")
    return SigningKey(name, key)


def parse_public_key_line(line: str, source: str = "public key") -> PublicKey:
    """Read ``companion-ed25519 <base64> <name>``; ``source`` names where it came from."""
    parts = line.strip().split(maxsplit=2)
    if not parts or parts[0] != PUBLIC_KEY_PREFIX:
        raise KeyFileError(
            f"{source}: not a companion public key (it should be one line starting with"
            f" '{PUBLIC_KEY_PREFIX}')"
        )
    if len(parts) < 3 or not NAME_RE.match(parts[2].strip()):
        raise KeyFileError(f"{source}: the public key has no valid name after the key")
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFileError(f"{source}: the public key is damaged (bad base64)") from exc
    if len(raw) != 32:
        raise KeyFileError(f"{source}: the public key is damaged (wrong length)")
    return PublicKey(parts[2].strip(), raw)


def load_public_key(path: Path | str) -> PublicKey:
    """Read a ``.pub`` file made by :func:`generate_keypair`."""
    path = Path(path)
    text = _read_key_text(path)
    if "PRIVATE KEY" in text:
        raise KeyFileError(
            f"{path}: is a private key; pass the .pub file (never share the .key file)"
        )
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) != 1:
        raise KeyFileError(
            f"{path}: not a companion public key (it should be one line starting with"
            f" '{PUBLIC_KEY_PREFIX}')"
        )
    return parse_public_key_line(lines[0], str(path))
