"""Trainers' signing keys and the PC's list of trusted keys."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from companion.core.errors import KeyFileError, LibraryError
from companion.core.packs.keys import (
    format_fingerprint,
    generate_keypair,
    load_public_key,
    load_signing_key,
)
from companion.services import Services


def test_generate_writes_both_files(tmp_path: Path) -> None:
    """NAME.key is private (0600) PKCS8 with its name; NAME.pub is one line; they match."""
    key_path, pub_path = generate_keypair("anna", tmp_path / "keys")
    assert (key_path.name, pub_path.name) == ("anna.key", "anna.pub")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert "name: anna" in key_path.read_text() and "BEGIN PRIVATE KEY" in key_path.read_text()
    line = pub_path.read_text()
    assert line.startswith("companion-ed25519 ") and line.rstrip().endswith(" anna")
    assert len(line.strip().splitlines()) == 1
    private, public = load_signing_key(key_path), load_public_key(pub_path)
    assert private.name == public.name == "anna"
    assert private.public_key == public
    assert public.verify(private.sign(b"manifest"), b"manifest")
    assert not public.verify(private.sign(b"manifest"), b"changed")


def test_generate_never_overwrites(tmp_path: Path) -> None:
    """An existing key is never overwritten: clear error, files untouched."""
    key_path, pub_path = generate_keypair("anna", tmp_path)
    before = key_path.read_bytes(), pub_path.read_bytes()
    with pytest.raises(KeyFileError, match="already exists; a key is never overwritten"):
        generate_keypair("anna", tmp_path)
    assert (key_path.read_bytes(), pub_path.read_bytes()) == before


def test_generate_refuses_when_only_pub_exists(tmp_path: Path) -> None:
    """A stray NAME.pub also blocks generation, and no NAME.key is left behind."""
    (tmp_path / "bob.pub").write_text("old")
    with pytest.raises(KeyFileError, match=r"bob\.pub: already exists"):
        generate_keypair("bob", tmp_path)
    assert not (tmp_path / "bob.key").exists()


@pytest.mark.parametrize("name", ["", "../evil", "a b", "-dash", "x" * 65])
def test_generate_refuses_bad_names(tmp_path: Path, name: str) -> None:
    """Key names are plain words usable as file names."""
    with pytest.raises(KeyFileError, match="not a usable key name"):
        generate_keypair(name, tmp_path)


def test_fingerprint_short_form(tmp_path: Path) -> None:
    """The short fingerprint is the first 16 hex characters in groups of 4."""
    _, pub = generate_keypair("anna", tmp_path)
    key = load_public_key(pub)
    assert len(key.fingerprint) == 64
    assert key.short_fingerprint == format_fingerprint(key.fingerprint)
    assert [len(g) for g in key.short_fingerprint.split(" ")] == [4, 4, 4, 4]
    assert key.short_fingerprint.replace(" ", "") == key.fingerprint[:16]


def _other_key_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such key file"),
    (b"", "not a companion private key"),
    (b"\xff\xfe garbage", "not text"),
    (b"companion-ed25519 AAAA anna\n", "is a public key"),
    (b"name: anna\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "damaged"),
    (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "no valid 'name:'"),
    (b"name: anna\n" + _other_key_pem(), "not an Ed25519 key"),
    (b"x" * 20000, "too large"),
])
def test_load_signing_key_errors(tmp_path: Path, content: bytes | None, message: str) -> None:
    """Every unusable private key file gives a KeyFileError naming the file."""
    path = tmp_path / "x.key"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(KeyFileError, match=message) as info:
        load_signing_key(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(("content", "message"), [
    (b"ssh-ed25519 AAAA anna\n", "not a companion public key"),
    (b"companion-ed25519 !!!! anna\n", "bad base64"),
    (b"companion-ed25519 AAAA anna\n", "wrong length"),
    (b"companion-ed25519 " + b"A" * 43 + b"=\n", "no valid name"),
    (b"", "not a companion public key"),
    (b"name: anna\n-----BEGIN PRIVATE KEY-----\n", "is a private key"),
])
def test_load_public_key_errors(tmp_path: Path, content: bytes, message: str) -> None:
    """Every unusable public key file gives a KeyFileError naming the file."""
    path = tmp_path / "x.pub"
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match=message) as info:
        load_public_key(path)
    assert str(path) in str(info.value)


def test_trust_store(services: Services, tmp_path: Path) -> None:
    """Trust, list, look up by short fingerprint and untrust; trusting twice keeps one entry."""
    key = load_public_key(generate_keypair("anna", tmp_path)[1])
    trust = services.trust
    assert not trust.is_trusted(key.fingerprint)
    first = trust.trust(key)
    assert trust.trust(key) == first
    assert trust.is_trusted(key.fingerprint)
    assert [k.name for k in trust.list()] == ["anna"]
    assert trust.find(key.short_fingerprint) == first
    assert trust.untrust(key.short_fingerprint).fingerprint == key.fingerprint
    assert trust.list() == []


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "at least 8 hex"), ("zzzzzzzzzz", "at least 8 hex"), ("0000 0000", "no trusted key"),
])
def test_untrust_errors(services: Services, typed: str, message: str) -> None:
    """Untrusting needs a real, unambiguous fingerprint."""
    with pytest.raises(LibraryError, match=message):
        services.trust.untrust(typed)
