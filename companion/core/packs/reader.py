"""Opening a ``.cpack`` safely and checking all of it.

:class:`PackReader` checks the zip structure, every entry name and type, the sizes against the
limits, the manifest and the signature format as soon as it is opened, reading only the zip
directory, the local headers and the two JSON files. The bytes of the files are checked as they
are read: :meth:`PackReader.verify_contents` for ``pack verify``, or the media store while it
copies them on import. Stored (not deflated) entries are read straight from the file with large
buffers; their SHA-256 is the integrity check, so zipfile's CRC pass is skipped for them.
"""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.core.errors import PackFormatError, PackTrustError
from companion.core.media_store import CHUNK_SIZE
from companion.core.packs.format import (
    BOMB_CHECK_MIN_BYTES,
    MANIFEST_NAME,
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_MANIFEST_BYTES,
    MAX_SIGNATURE_BYTES,
    MAX_TOTAL_BYTES,
    SIGNATURE_NAME,
    FileEntry,
    Manifest,
    Signature,
    parse_manifest,
    parse_signature,
    path_problem,
    sha256_hex,
)
from companion.core.packs.keys import PublicKey, format_fingerprint
from companion.core.packs.subtitles import srt_plain_text

_LOCAL_HEADER = struct.Struct("<4s5HL2L2H")
_LOCAL_MAGIC = b"PK\x03\x04"
_ZIP_MAGICS = (_LOCAL_MAGIC, b"PK\x05\x06")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error,
               OverflowError, IndexError, NotImplementedError, OSError, zlib.error)


class UnsignedPackError(PackTrustError):
    """The pack has no signature (importable only when the person allows it)."""


class BadSignatureError(PackTrustError):
    """The signature does not match the manifest: the pack was changed or damaged. Never
    importable."""


class UnknownSignerError(PackTrustError):
    """Signed correctly by a key this PC does not trust yet: the app may ask to trust it."""


@dataclass(frozen=True)
class SignerInfo:
    name: str
    fingerprint: str
    public_key: bytes
    trusted: bool

    @property
    def short_fingerprint(self) -> str:
        return format_fingerprint(self.fingerprint)


@dataclass(frozen=True)
class _Entry:
    info: zipfile.ZipInfo
    data_offset: int


class _StoredReader(io.RawIOBase):
    """The bytes of one stored entry, read from the pack file; never past the entry's end."""

    def __init__(self, raw: Any, offset: int, size: int, name: str, pack: str) -> None:
        super().__init__()
        self._raw, self._pos, self._left = raw, offset, size
        self._name, self._pack = name, pack

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._left)
        if want <= 0:
            return 0
        try:
            self._raw.seek(self._pos)
            got = self._raw.readinto(view[:want])
        except OSError as exc:
            raise PackFormatError(f"cannot read {self._name} ({exc.strerror}); was the disk or "
                                  "USB stick removed?", self._pack) from exc
        if not got:
            raise PackFormatError(f"{self._name} is cut short: the pack file is incomplete",
                                  self._pack)
        self._pos += got
        self._left -= got
        return int(got)


class _MemberReader(io.RawIOBase):
    """A deflated entry through zipfile (which checks its CRC), with errors made readable."""

    def __init__(self, member: Any, name: str, pack: str) -> None:
        super().__init__()
        self._member, self._name, self._pack = member, name, pack

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._member.read(len(view))
        except _ZIP_ERRORS as exc:
            raise PackFormatError(f"{self._name} is damaged ({exc})", self._pack) from exc
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._member.close()
        super().close()


class PackReader:
    """An open ``.cpack`` whose structure, manifest and signature format are checked."""

    manifest: Manifest
    manifest_bytes: bytes
    signature: Signature | None
    signature_bytes: bytes | None

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.label = str(path)
        self._raw: Any = None
        self._zip: zipfile.ZipFile | None = None
        self._entries: dict[str, _Entry] = {}
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> PackReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def _error(self, message: str) -> PackFormatError:
        return PackFormatError(message, self.label)

    # -- structure ---------------------------------------------------------------------------
    def _open(self) -> None:
        try:
            st = self.path.stat()
        except FileNotFoundError as exc:
            raise self._error("no such file") from exc
        except OSError as exc:
            raise self._error(f"cannot read ({exc.strerror})") from exc
        if not stat.S_ISREG(st.st_mode):
            raise self._error("is not a file")
        try:
            self._raw = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed in close()
            head = self._raw.read(4)
        except OSError as exc:
            raise self._error(f"cannot read ({exc.strerror})") from exc
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except _ZIP_ERRORS as exc:
            if head in _ZIP_MAGICS:
                raise self._error("the pack is damaged or incomplete (was the copy cut short?)"
                                  ) from exc
            raise self._error("is not a lesson pack (not a zip file)") from exc
        self._check_entries(infos, st.st_size)
        self.manifest_bytes = self._read_member(MANIFEST_NAME, MAX_MANIFEST_BYTES)
        self.manifest = parse_manifest(self.manifest_bytes, self.label)
        self.signature_bytes = None
        self.signature = None
        if SIGNATURE_NAME in self._entries:
            self.signature_bytes = self._read_member(SIGNATURE_NAME, MAX_SIGNATURE_BYTES)
            self.signature = parse_signature(self.signature_bytes, self.label)
        self._check_listing()

    def _check_entries(self, infos: list[zipfile.ZipInfo], file_size: int) -> None:
        if len(infos) > MAX_FILES + 2:
            raise self._error(f"holds {len(infos)} entries; a pack holds at most {MAX_FILES}"
                              " files besides its manifest and signature")
        for name, count in Counter(i.orig_filename for i in infos).items():
            if count > 1:
                raise self._error(f"holds two entries named {name!r}")
        total = 0
        for info in infos:
            self._check_entry(info)
            total += info.file_size
        if total > MAX_TOTAL_BYTES + MAX_MANIFEST_BYTES + MAX_SIGNATURE_BYTES:
            raise self._error(f"unpacks to {total} bytes, more than the {MAX_TOTAL_BYTES} allowed")
        self._check_layout(infos, file_size)

    def _check_entry(self, info: zipfile.ZipInfo) -> None:
        # orig_filename is the name as stored: zipfile rewrites backslashes on Windows and cuts
        # names at a NUL byte, which would hide exactly what these checks look for.
        name = info.orig_filename
        shown = repr(name[:80])
        if name.endswith("/"):
            raise self._error(f"entry {shown} is a folder; a pack holds only files")
        problem = path_problem(name) if name not in (MANIFEST_NAME, SIGNATURE_NAME) else None
        if problem:
            raise self._error(f"entry {shown} is not a safe path: it {problem}")
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise self._error(f"entry {shown} is a symbolic link; a pack holds only files")
        if kind not in (0, stat.S_IFREG):
            raise self._error(f"entry {shown} is not a regular file")
        if info.flag_bits & 0x1:
            raise self._error(f"entry {shown} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self._error(f"entry {shown} uses a compression method this app does not read")
        if info.file_size > MAX_FILE_BYTES and name not in (MANIFEST_NAME, SIGNATURE_NAME):
            raise self._error(f"entry {shown} is {info.file_size} bytes; at most {MAX_FILE_BYTES}")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise self._error(f"entry {shown} is damaged (its sizes disagree)")
        if (info.file_size > BOMB_CHECK_MIN_BYTES
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            raise self._error(
                f"entry {shown} would unpack {info.compress_size} bytes into {info.file_size}:"
                " refused as a compression bomb"
            )

    def _check_layout(self, infos: list[zipfile.ZipInfo], file_size: int) -> None:
        """Read each local header: it must match the directory, and no two entries may share
        bytes (overlapping entries are how small zips unpack to huge sizes)."""
        directory_start = int(getattr(self._zip, "start_dir", file_size))
        spans = []
        for info in sorted(infos, key=lambda i: i.header_offset):
            shown = repr(info.orig_filename[:80])
            try:
                self._raw.seek(info.header_offset)
                header = self._raw.read(_LOCAL_HEADER.size)
                fields = _LOCAL_HEADER.unpack(header) if len(header) == _LOCAL_HEADER.size else None
                raw_name = self._raw.read(fields[9]) if fields else b""
            except OSError as exc:
                raise self._error(f"cannot read ({exc.strerror})") from exc
            if fields is None or fields[0] != _LOCAL_MAGIC:
                raise self._error(f"the pack is damaged: entry {shown} has no local header")
            flags, method = fields[2], fields[3]
            local_name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
            if local_name != info.orig_filename or method != info.compress_type:
                raise self._error(f"the pack is damaged: entry {shown} has two different headers")
            if flags & 0x1:
                raise self._error(f"entry {shown} is encrypted")
            data_offset = info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10]
            data_end = data_offset + info.compress_size
            if data_end > directory_start:
                raise self._error(f"entry {shown} runs past the end of the data: the pack is"
                                  " damaged or incomplete")
            if spans and info.header_offset < spans[-1][1]:
                raise self._error(f"entries {spans[-1][0]!r} and {shown} overlap: refused as a"
                                  " crafted zip")
            spans.append((info.orig_filename[:80], data_end))
            self._entries[info.orig_filename] = _Entry(info, data_offset)

    def _read_member(self, name: str, limit: int) -> bytes:
        entry = self._entries.get(name)
        if entry is None:
            raise self._error(f"has no {name}: it is not a lesson pack, or a damaged one")
        if entry.info.file_size > limit:
            raise self._error(f"{name} is {entry.info.file_size} bytes; at most {limit}")
        assert self._zip is not None
        try:
            with self._zip.open(entry.info) as member:
                data = member.read(limit + 1)
        except _ZIP_ERRORS as exc:
            raise self._error(f"{name} is damaged ({exc})") from exc
        if len(data) != entry.info.file_size:
            raise self._error(f"{name} is damaged (wrong length)")
        return data

    def _check_listing(self) -> None:
        """The zip holds exactly the files the manifest lists, each with its listed size."""
        listed = {f.path: f for f in self.manifest.files}
        for name in self._entries:
            if name not in listed and name not in (MANIFEST_NAME, SIGNATURE_NAME):
                raise self._error(f"{name!r} is in the pack but not listed in {MANIFEST_NAME}")
        for f in self.manifest.files:
            entry = self._entries.get(f.path)
            if entry is None:
                raise self._error(f"{MANIFEST_NAME} lists {f.path!r}, which is not in the pack")
            if entry.info.file_size != f.size:
                raise self._error(f"{f.path!r} is {entry.info.file_size} bytes in the zip but "
                                  f"{f.size} in {MANIFEST_NAME}")

    # -- signature ---------------------------------------------------------------------------
    @property
    def manifest_sha256(self) -> str:
        return sha256_hex(self.manifest_bytes)

    def check_trust(self, is_trusted: Callable[[str], bool],
                    allow_unsigned: bool = False) -> SignerInfo | None:
        """Check the signature; returns the signer (None when unsigned and allowed).

        A signature that does not match is refused even when unsigned packs are allowed: the
        pack was changed after signing, which is never what the trainer meant.
        """
        sig = self.signature
        if sig is None:
            if allow_unsigned:
                return None
            raise UnsignedPackError(
                "the pack is not signed, so where it comes from cannot be checked; import it only"
                " if you trust its source (--allow-unsigned)", self.label,
            )
        key = PublicKey(sig.signer, sig.public_key)
        fpr = key.fingerprint
        if not key.verify(sig.signature, self.manifest_bytes):
            raise BadSignatureError(
                f"the signature of {sig.signer!r} does not match the pack: it was changed after"
                " signing, or is damaged", self.label, sig.signer, fpr,
            )
        trusted = is_trusted(fpr)
        if not trusted and not allow_unsigned:
            raise UnknownSignerError(
                f"signed by {sig.signer!r} (key {format_fingerprint(fpr)}), a trainer this PC does"
                f" not trust yet; trust their key first: companion keys trust {sig.signer}.pub",
                self.label, sig.signer, fpr,
            )
        return SignerInfo(sig.signer, fpr, sig.public_key, trusted)

    # -- contents ----------------------------------------------------------------------------
    def files_in_pack_order(self) -> list[FileEntry]:
        """The manifest's files in the order their bytes lie in the pack (sequential reads)."""
        return sorted(self.manifest.files, key=lambda f: self._entries[f.path].data_offset)

    def open_file(self, path: str) -> io.RawIOBase:
        """A reader of one file's bytes, never reading past the size the manifest gives."""
        entry = self._entries[path]
        if entry.info.compress_type == zipfile.ZIP_STORED:
            return _StoredReader(self._raw, entry.data_offset, entry.info.file_size, path,
                                 self.label)
        assert self._zip is not None
        try:
            member = self._zip.open(entry.info)
        except _ZIP_ERRORS as exc:
            raise self._error(f"{path} is damaged ({exc})") from exc
        return _MemberReader(member, path, self.label)

    def verify_contents(self, progress: Callable[[int], None] | None = None) -> dict[str, bytes]:
        """Hash every file; returns the bytes of the text files (subtitles, notes)."""
        texts = text_paths(self.manifest)
        kept: dict[str, bytes] = {}
        buffer = bytearray(CHUNK_SIZE)
        view = memoryview(buffer)
        for f in self.files_in_pack_order():
            digest = hashlib.sha256()
            size = 0
            parts = []
            with self.open_file(f.path) as src:
                while n := src.readinto(view):
                    digest.update(view[:n])
                    size += n
                    if f.path in texts:
                        parts.append(bytes(view[:n]))
                    if progress is not None:
                        progress(n)
            if size != f.size or digest.hexdigest() != f.sha256:
                raise self._error(f"{f.path}: the bytes do not match {MANIFEST_NAME} (the pack is"
                                  " damaged or was changed)")
            if f.path in texts:
                kept[f.path] = b"".join(parts)
        return kept


def open_pack(path: Path | str) -> PackReader:
    return PackReader(path)


def text_paths(manifest: Manifest) -> set[str]:
    paths = {s.path for lesson in manifest.lessons for s in lesson.subtitles}
    return paths | {lesson.notes for lesson in manifest.lessons if lesson.notes}


def decode_text(data: bytes, path: str, pack_label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackFormatError(f"{path} is not UTF-8 text", pack_label) from exc


@dataclass(frozen=True)
class LessonText:
    subtitle_text: str  # the words of the subtitles in the pack language, for search
    trainer_notes: str


def lesson_texts(manifest: Manifest, read: Callable[[str], bytes],
                 pack_label: str) -> dict[str, LessonText]:
    """Per lesson id, its searchable subtitle text and its notes; ``read`` gives a file's bytes."""
    result = {}
    for lesson in manifest.lessons:
        sub = lesson.subtitle_for(manifest.pack.language)
        subtitle = srt_plain_text(decode_text(read(sub.path), sub.path, pack_label)) if sub else ""
        notes = decode_text(read(lesson.notes), lesson.notes, pack_label) if lesson.notes else ""
        result[lesson.id] = LessonText(subtitle, notes)
    return result

