"""The sealed file a USB stick carries between a shop PC and the hub (see docs/sync-protocol.md,
"By courier"), shared by the client and the hub as the pack format is.

A sealed file is::

    MAGIC (8 bytes) | header length (4 bytes, big-endian) | header (JSON, UTF-8)
    | ciphertext | Ed25519 signature (64 bytes) over everything before it

The header is readable by anyone (a courier must know where a file goes): the kind, the
recipient's X25519 key, the sender's Ed25519 key, the device and profile it belongs to, the
sequence number, the ephemeral X25519 key and the nonce. The body is JSON, compressed, then
encrypted with ChaCha20-Poly1305 under a key derived (HKDF-SHA256) from an X25519 exchange
between a fresh ephemeral key and the recipient's key; the header is the AEAD's associated data,
so a header changed on the way fails the decryption as well as the signature.

Checks run cheapest first: size, header, signature; decryption and decompression only after
the signature holds, and the decompressed size is capped.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from companion.core.errors import CompanionError

MAGIC = b"CCOURI1\n"
KIND_BUNDLE = "bundle"  # shop PC -> hub
KIND_ANSWER = "answer"  # hub -> shop PC
MAX_HEADER_BYTES = 4096
SIGNATURE_BYTES = 64
MAX_PLAIN_BYTES = 64 * 1024 * 1024  # a body may unpack to at most this much
_INFO = b"companion-courier-v1"
_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw


class SealError(CompanionError):
    """A sealed file is refused; ``code`` is stable (for programs), the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: Any, size: int = 32) -> bytes:
    try:
        raw = base64.b64decode(str(text), validate=True)
    except (ValueError, TypeError) as exc:
        raise SealError("damaged", "a key in the file is not valid base64") from exc
    if len(raw) != size:
        raise SealError("damaged", "a key in the file has the wrong length")
    return raw


@dataclass(frozen=True)
class KeyPair:
    """A device's (or the hub's) two keys: Ed25519 to sign, X25519 to receive sealed bodies."""

    sign: Ed25519PrivateKey
    box: X25519PrivateKey

    @classmethod
    def generate(cls) -> KeyPair:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def sign_public(self) -> str:
        return b64(self.sign.public_key().public_bytes(_RAW, _RAW_PUB))

    @property
    def box_public(self) -> str:
        return b64(self.box.public_key().public_bytes(_RAW, _RAW_PUB))

    def to_secret(self) -> str:
        """Both private keys as one text (for a keyring entry or an owner-only file)."""
        none = serialization.NoEncryption()
        return json.dumps({"sign": b64(self.sign.private_bytes(_RAW, _RAW_PRIV, none)),
                           "box": b64(self.box.private_bytes(_RAW, _RAW_PRIV, none))})

    @classmethod
    def from_secret(cls, text: str) -> KeyPair:
        try:
            data = json.loads(text)
            return cls(Ed25519PrivateKey.from_private_bytes(unb64(data["sign"])),
                       X25519PrivateKey.from_private_bytes(unb64(data["box"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise SealError("damaged", "the stored courier keys cannot be read") from exc


@dataclass(frozen=True)
class Sealed:
    """A file whose signature has been checked; the body is still encrypted."""

    header: dict[str, Any]
    header_bytes: bytes
    ciphertext: bytes

    @property
    def seq(self) -> int:
        return int(self.header["seq"])


def _key(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(shared)


def seal(body: dict[str, Any], *, kind: str, signer: Ed25519PrivateKey, recipient_box: str,
         header: dict[str, Any]) -> bytes:
    """Compress, encrypt to ``recipient_box`` (base64 X25519) and sign ``body``."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(_RAW, _RAW_PUB)
    nonce = os.urandom(12)
    signer_pub = b64(signer.public_key().public_bytes(_RAW, _RAW_PUB))
    head = {**header, "v": 1, "kind": kind, "to": recipient_box, "from": signer_pub,
            "epk": b64(eph_pub), "nonce": b64(nonce)}
    head_bytes = json.dumps(head, sort_keys=True, separators=(",", ":")).encode()
    if len(head_bytes) > MAX_HEADER_BYTES:
        raise SealError("too_large", "the courier header is too long")
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(unb64(recipient_box)))
    plain = zlib.compress(json.dumps(body, ensure_ascii=False,
                                     separators=(",", ":")).encode(), 6)
    cipher = ChaCha20Poly1305(_key(shared, eph_pub)).encrypt(nonce, plain, head_bytes)
    out = MAGIC + len(head_bytes).to_bytes(4, "big") + head_bytes + cipher
    return out + signer.sign(out)


def _header(data: bytes) -> tuple[dict[str, Any], bytes, int]:
    """The parsed header, its bytes and where the body starts (``data`` may be a prefix)."""
    if len(data) < len(MAGIC) + 4 or not data.startswith(MAGIC):
        raise SealError("damaged", "not a courier file, or cut short")
    size = int.from_bytes(data[len(MAGIC):len(MAGIC) + 4], "big")
    start = len(MAGIC) + 4
    if size > MAX_HEADER_BYTES or start + size > len(data):
        raise SealError("damaged", "the file is cut short or damaged")
    head_bytes = data[start:start + size]
    try:
        header = json.loads(head_bytes)
    except ValueError as exc:
        raise SealError("damaged", "the file's header is damaged") from exc
    if not isinstance(header, dict) or header.get("v") != 1 \
            or header.get("kind") not in (KIND_BUNDLE, KIND_ANSWER) \
            or isinstance(header.get("seq"), bool) or not isinstance(header.get("seq"), int) \
            or not all(isinstance(header.get(k), str) for k in ("to", "from", "epk", "nonce")):
        raise SealError("damaged", "the file's header is damaged or of an unknown version")
    return header, head_bytes, start + size


def peek_header(prefix: bytes) -> dict[str, Any]:
    """The header of a sealed file from its first bytes (at least ``HEADER_PREFIX_BYTES`` or
    the whole file); nothing is checked beyond its shape."""
    return _header(prefix)[0]


HEADER_PREFIX_BYTES = len(MAGIC) + 4 + MAX_HEADER_BYTES


def read_header(data: bytes) -> Sealed:
    """Split a sealed file and parse its header; checks no signature yet (cheap)."""
    header, head_bytes, body = _header(data)
    if body + 16 + SIGNATURE_BYTES > len(data):
        raise SealError("damaged", "the file is cut short or damaged")
    return Sealed(header, head_bytes, data[body:len(data) - SIGNATURE_BYTES])


def check_signature(data: bytes, sealed: Sealed, signer_public: str) -> None:
    """The file was signed by ``signer_public`` (base64 Ed25519) and not changed since."""
    try:
        Ed25519PublicKey.from_public_bytes(unb64(signer_public)).verify(
            data[-SIGNATURE_BYTES:], data[:-SIGNATURE_BYTES])
    except InvalidSignature as exc:
        raise SealError("bad_signature", "the signature does not match: the file was changed "
                        "or cut short after it was written") from exc
    if sealed.header.get("from") != signer_public:
        raise SealError("bad_signature", "the file names another signer")


def open_body(sealed: Sealed, box: X25519PrivateKey,
              max_plain: int = MAX_PLAIN_BYTES) -> dict[str, Any]:
    """Decrypt and unpack a checked file's body (at most ``max_plain`` bytes unpacked)."""
    eph_pub = unb64(sealed.header["epk"])
    nonce = unb64(sealed.header["nonce"], 12)
    shared = box.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    try:
        packed = ChaCha20Poly1305(_key(shared, eph_pub)).decrypt(
            nonce, sealed.ciphertext, sealed.header_bytes)
    except InvalidTag as exc:
        raise SealError("undecryptable", "the file cannot be opened with this key") from exc
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(packed, max_plain + 1)
    except zlib.error as exc:
        raise SealError("damaged", "the file's body is damaged") from exc
    if len(plain) > max_plain or inflater.unconsumed_tail:
        raise SealError("too_large", f"the file unpacks to more than {max_plain} bytes")
    try:
        body = json.loads(plain)
    except (ValueError, RecursionError) as exc:
        raise SealError("damaged", "the file's body is not JSON") from exc
    if not isinstance(body, dict):
        raise SealError("damaged", "the file's body is not an object")
    return body
