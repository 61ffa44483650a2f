"""The trainer CLI for keys and packs: output, exit status and the one-line error contract."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from companion.cli import main
from tests.core.packs.pack_factory import write_source


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture
def trainer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """Anna's key pair and a signed pack built with the CLI."""
    status, out, _ = run(capsys, "keys", "generate", "anna", "-o", str(tmp_path / "keys"))
    assert status == 0
    key, pub = (Path(line) for line in out.splitlines())
    src = write_source(tmp_path / "src")
    status, out, _ = run(capsys, "pack", "build", str(src), "-o", str(tmp_path / "out"),
                         "--key", str(key))
    assert status == 0
    return {"key": key, "pub": pub, "pack": Path(out.strip()), "src": src}


def test_keys_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """keys generate prints both paths; the private key is mode 0600."""
    status, out, err = run(capsys, "keys", "generate", "bob", "-o", str(tmp_path))
    assert status == 0
    assert out.splitlines() == [str(tmp_path / "bob.key"), str(tmp_path / "bob.pub")]
    assert stat.S_IMODE((tmp_path / "bob.key").stat().st_mode) == 0o600
    assert "fingerprint" in err


def test_keys_generate_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Generating over an existing key fails with one error line naming the file."""
    run(capsys, "keys", "generate", "bob", "-o", str(tmp_path))
    status, out, err = run(capsys, "keys", "generate", "bob", "-o", str(tmp_path))
    assert status == 1 and out == ""
    one_error_line(err, str(tmp_path / "bob.key"), "already exists")


def test_keys_trust_and_list(home: Path, trainer: dict[str, Path],
                             capsys: pytest.CaptureFixture[str]) -> None:
    """keys trust adds the key; keys list shows it (also as JSON); untrust removes it."""
    status, out, _ = run(capsys, "--home", str(home), "keys", "trust", str(trainer["pub"]))
    assert status == 0 and out.startswith("trusted anna (")
    status, out, _ = run(capsys, "--home", str(home), "keys", "list")
    assert status == 0 and "anna" in out
    status, out, _ = run(capsys, "--home", str(home), "keys", "list", "--json")
    [entry] = json.loads(out)
    assert entry["name"] == "anna" and len(entry["fingerprint"]) == 64
    status, out, _ = run(capsys, "--home", str(home), "keys", "untrust",
                         entry["short_fingerprint"])
    assert status == 0
    assert json.loads(run(capsys, "--home", str(home), "keys", "list", "--json")[1]) == []


def test_keys_trust_private_key_refused(home: Path, trainer: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Passing the private key to keys trust is refused with advice."""
    status, _, err = run(capsys, "--home", str(home), "keys", "trust", str(trainer["key"]))
    assert status == 1
    one_error_line(err, str(trainer["key"]), "is a private key")


def test_pack_build(tmp_path: Path, trainer: dict[str, Path],
                    capsys: pytest.CaptureFixture[str]) -> None:
    """build prints only the .cpack path on stdout; warnings go to stderr as 'warning:'."""
    assert trainer["pack"] == tmp_path / "out" / "test-pack-1.0.cpack"
    assert trainer["pack"].exists()
    src = write_source(tmp_path / "long", pack_id="long-pack",
                       lessons=[{"id": "long", "title": "Lang", "duration_s": 240.0}])
    status, out, err = run(capsys, "pack", "build", str(src), "-o", str(tmp_path / "out"))
    assert status == 0 and out.strip() == str(tmp_path / "out" / "long-pack-1.0.cpack")
    lines = err.strip().splitlines()
    assert all(line.startswith("warning: ") for line in lines)
    assert any("lasts 4 min 00 s" in line for line in lines)
    assert any("no subtitles" in line for line in lines)
    assert any("not signed" in line for line in lines)


def test_pack_build_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad source: exit 1 and one error line naming the file and the field."""
    src = write_source(tmp_path / "src")
    toml = src / "pack.toml"
    toml.write_text(toml.read_text().replace('version = "1.0"', "version = 1.0"))
    status, out, err = run(capsys, "pack", "build", str(src), "-o", str(tmp_path / "out"))
    assert status == 1 and out == ""
    one_error_line(err, "pack.toml", "field 'version'")


def test_pack_verify(home: Path, trainer: dict[str, Path],
                     capsys: pytest.CaptureFixture[str]) -> None:
    """verify refuses an untrusted signer in one line, and says ok once the key is trusted."""
    status, out, err = run(capsys, "--home", str(home), "pack", "verify", str(trainer["pack"]))
    assert status == 1 and out == ""
    one_error_line(err, str(trainer["pack"]), "signed by 'anna'", "does not trust")
    run(capsys, "--home", str(home), "keys", "trust", str(trainer["pub"]))
    status, out, _ = run(capsys, "--home", str(home), "pack", "verify", str(trainer["pack"]))
    assert status == 0 and out.startswith(f"ok: {trainer['pack']}: test-pack 1.0, 2 lessons")
    assert "trusted" in out


def test_pack_import_list_export_remove(home: Path, tmp_path: Path, trainer: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The whole round trip through the CLI."""
    h = ("--home", str(home))
    run(capsys, *h, "keys", "trust", str(trainer["pub"]))
    status, out, err = run(capsys, *h, "pack", "import", str(trainer["pack"]))
    assert status == 0, err
    assert "installed test-pack 1.0 (2 lessons)" in out and out.endswith("1 pack: 1 installed\n")
    status, out, _ = run(capsys, *h, "pack", "import", str(trainer["pack"]))
    assert "1 unchanged" in out
    status, out, _ = run(capsys, *h, "pack", "list")
    assert status == 0 and "test-pack" in out and "anna" in out
    [listed] = json.loads(run(capsys, *h, "pack", "list", "--json")[1])
    assert (listed["id"], listed["version"], listed["lessons"]) == ("test-pack", "1.0", 2)
    status, out, _ = run(capsys, *h, "pack", "export", "test-pack", "-o", str(tmp_path / "usb"))
    assert status == 0 and Path(out.strip()).read_bytes() == trainer["pack"].read_bytes()
    status, out, _ = run(capsys, *h, "pack", "remove", "test-pack")
    assert status == 0 and json.loads(run(capsys, *h, "pack", "list", "--json")[1]) == []
    status, _, err = run(capsys, *h, "pack", "remove", "test-pack")
    assert status == 1
    one_error_line(err, "no pack 'test-pack' is installed")


def test_pack_import_folder_with_a_bad_pack(home: Path, tmp_path: Path,
                                            trainer: dict[str, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A folder with one good and one bad pack: the good one imports, exit 1, one error line."""
    run(capsys, "--home", str(home), "keys", "trust", str(trainer["pub"]))
    usb = trainer["pack"].parent
    (usb / "broken.cpack").write_bytes(b"PK\x03\x04 cut short")
    status, out, err = run(capsys, "--home", str(home), "pack", "import", str(usb))
    assert status == 1
    one_error_line(err, str(usb / "broken.cpack"), "damaged or incomplete")
    assert "installed test-pack" in out and "2 packs: 1 installed, 1 failed" in out


def test_pack_import_unsigned(home: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """An unsigned pack is refused, and imports with --allow-unsigned."""
    run(capsys, "pack", "build", str(write_source(tmp_path / "src")), "-o", str(tmp_path))
    pack = tmp_path / "test-pack-1.0.cpack"
    status, _, err = run(capsys, "--home", str(home), "pack", "import", str(pack))
    assert status == 1
    one_error_line(err, str(pack), "not signed")
    status, out, _ = run(capsys, "--home", str(home), "pack", "import", str(pack),
                         "--allow-unsigned")
    assert status == 0 and "installed" in out


@pytest.mark.parametrize("argv", [
    ["pack", "import"], ["pack", "export", "x"], ["pack", "build"], ["keys", "generate"],
    ["pack", "frobnicate"], ["keys"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Missing or unknown arguments are usage errors: exit status 2."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
