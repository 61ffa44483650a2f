"""A pack whose files are already in the media store: a manifest and signature from the hub.

A download puts the files into the store one by one (each checked against its SHA-256); the pack
is then installed from its manifest and signature bytes through the very same steps as a
``.cpack`` import (:meth:`PackManager._install`). :class:`StoredPack` offers the reading side
that import needs: the parsed manifest, the signature check of :class:`PackReader`, and the
files, read back from the store.
"""

from __future__ import annotations

import io
from pathlib import Path

from companion.core.errors import PackFormatError
from companion.core.media_store import MediaStore
from companion.core.packs.format import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    MAX_SIGNATURE_BYTES,
    SIGNATURE_NAME,
    FileEntry,
    parse_manifest,
    parse_signature,
)
from companion.core.packs.reader import PackReader


class StoredPack(PackReader):
    """The checks of a pack opened from bytes; its files come from the media store.

    Every file the manifest lists must be in the store with its listed size (the store only
    holds files whose SHA-256 was checked when they were written).
    """

    def __init__(self, store: MediaStore, manifest_bytes: bytes, signature_bytes: bytes | None,
                 label: str = "downloaded pack") -> None:
        # PackReader.__init__ opens a zip; here there is none, so set up its fields directly.
        self.label = label
        self.path = Path(label)
        self._raw = None
        self._zip = None
        self._entries = {}
        self._store = store
        if len(manifest_bytes) > MAX_MANIFEST_BYTES:
            raise self._error(f"{MANIFEST_NAME} is {len(manifest_bytes)} bytes; at most"
                              f" {MAX_MANIFEST_BYTES}")
        self.manifest_bytes = bytes(manifest_bytes)
        self.manifest = parse_manifest(self.manifest_bytes, label)
        self.signature_bytes = None
        self.signature = None
        if signature_bytes:
            if len(signature_bytes) > MAX_SIGNATURE_BYTES:
                raise self._error(f"{SIGNATURE_NAME} is {len(signature_bytes)} bytes; at most"
                                  f" {MAX_SIGNATURE_BYTES}")
            self.signature_bytes = bytes(signature_bytes)
            self.signature = parse_signature(self.signature_bytes, label)

    def missing_files(self) -> list[FileEntry]:
        """The listed files the store does not hold (with the listed size), each hash once."""
        seen: set[str] = set()
        missing = []
        for f in self.manifest.files:
            if f.sha256 not in seen:
                seen.add(f.sha256)
                if not self._store.has(f.sha256, f.size):
                    missing.append(f)
        return missing

    def check_complete(self) -> None:
        missing = self.missing_files()
        if missing:
            names = ", ".join(f.path for f in missing[:5])
            raise PackFormatError(f"{len(missing)} file(s) of the pack are not downloaded yet:"
                                  f" {names}", self.label)

    def files_in_pack_order(self) -> list[FileEntry]:
        return list(self.manifest.files)

    def open_file(self, path: str) -> io.RawIOBase:
        f = self.manifest.file(path)
        try:
            return open(self._store.path_for(f.sha256), "rb", buffering=0)
        except OSError as exc:
            raise self._error(f"{path} is not in the library ({exc.strerror})") from exc
