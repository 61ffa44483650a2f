"""What the desktop-app benchmarks (``bench_app_*.py``) share: a portable home with a 2,000-lesson
library, the sample lesson pack imported, the environment for a child app process, and readings
of resident memory. Not a benchmark itself (``run_all.py`` only runs ``bench_*.py``)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from companion.services import Services, build_services  # noqa: E402
from tests.core.fake_library import add_pack  # noqa: E402

if TYPE_CHECKING:
    from companion.ui.main import Shell

LIBRARY_LESSONS = 2000
SAMPLE_PACK_SOURCE = ROOT / "lessons" / "sociale-media-nl"
PROBE_PREFIX = "startup-probe "  # companion/ui/startup_probe.py


def make_library_home(home: Path, *, sample_pack: bool = False) -> Path:
    """A portable home with one profile and 2,000 lessons (a pack of 1,000 and ten of 100,
    written straight into the database, without media), so the app opens on the home screen.
    With ``sample_pack`` the Dutch sample pack from lessons/ is built, signed and imported too
    (real videos, for playing)."""
    services = build_services(home=home)
    try:
        profile = services.profiles.create("Bench", language="nl")
        services.profiles.switch(profile.id)
        add_pack(services.db, "big-pack", LIBRARY_LESSONS // 2, title="Big pack")
        for i in range(10):
            add_pack(services.db, f"pack-{i:02d}", LIBRARY_LESSONS // 20, title=f"Pack {i}")
        if sample_pack:
            import_sample_pack(services, home / "sample-build")
        services.db.execute("ANALYZE")
    finally:
        services.close()
    return home


def import_sample_pack(services: Services, work: Path) -> str:
    """Build lessons/sociale-media-nl into a signed pack and import it; returns the pack id."""
    from companion.core.packs.build import build_pack
    from companion.core.packs.keys import generate_keypair, load_public_key, load_signing_key

    key_path, pub_path = generate_keypair("bench-trainer", work / "keys")
    built = build_pack(SAMPLE_PACK_SOURCE, work / "out", load_signing_key(key_path))
    services.trust.trust(load_public_key(pub_path))
    return services.packs.import_pack(built.path).pack_id


def child_env(pycache: Path, platform: str = "offscreen", **extra: str) -> dict[str, str]:
    """The environment of a child app process: with a bytecode cache, as an installed app has
    (pip and PyInstaller ship compiled modules; a shell that sets PYTHONDONTWRITEBYTECODE would
    otherwise make every start compile ~80 modules, about 0.3 s). The cache lives in ``pycache``
    (PYTHONPYCACHEPREFIX), so nothing is written into the work tree."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["QT_QPA_PLATFORM"] = platform
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def rss_kb(pid: int | str = "self") -> int | None:
    """Resident memory (VmRSS) of a process in kB, from /proc; None when unreadable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def spread(values: Sequence[float], scale: float = 1.0, unit: str = "") -> str:
    """``median X (min A, max B, n runs)`` of ``values`` times ``scale``."""
    med = statistics.median(values) * scale
    lo, hi = min(values) * scale, max(values) * scale
    return f"median {med:.0f}{unit} (min {lo:.0f}, max {hi:.0f}, {len(values)} runs)"


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER THE TARGET"


def temp_dir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=prefix)


def open_shell(home: Path) -> Shell:
    """The main window on ``home`` built as ``companion.ui.main.run`` builds it (services, look,
    the profile's session) and shown; needs a QApplication."""
    from PySide6.QtWidgets import QApplication

    from companion.ui.i18n import Translations, resolve_language
    from companion.ui.main import build_main_window
    from companion.ui.theme import Appearance

    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    services = build_services(home=home)
    appearance = Appearance(app)
    appearance.apply_scheme()
    translations = Translations()
    translations.apply(resolve_language(None))
    profile_id = services.profiles.current_or_default().id
    shell = build_main_window(services, profile_id, home=home, appearance=appearance,
                              translations=translations)
    shell.window.show()
    return shell


class UiHeartbeat:
    """A QTimer beat every ``interval_ms`` on the UI thread; the gaps between beats are the
    times the thread could not run it. A watchdog thread takes the UI thread's Python stack
    whenever a gap grows past ``sample_after_ms``, so the longest block can say where it was."""

    def __init__(self, interval_ms: int = 10, sample_after_ms: float = 50.0) -> None:
        import threading

        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.gaps: list[tuple[float, float]] = []  # (gap in s, when it ended, monotonic s)
        self.stacks: dict[int, list[str]] = {}  # index of the gap -> the UI thread's stack
        self._last = 0.0
        self._sample_after_s = sample_after_ms / 1000
        self._ui_thread = threading.get_ident()
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, daemon=True)
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        import time

        self._last = time.monotonic()
        self._timer.start()
        self._watchdog.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        self._watchdog.join()

    def _beat(self) -> None:
        import time

        now = time.monotonic()
        self.gaps.append((now - self._last, now))
        self._last = now

    def _watch(self) -> None:
        import time
        import traceback

        while not self._stop.wait(0.005):
            if time.monotonic() - self._last > self._sample_after_s:
                frame = sys._current_frames().get(self._ui_thread)
                if frame is not None:
                    stack = [f"{Path(f.filename).name}:{f.lineno} {f.name}"
                             for f in traceback.extract_stack(frame)]
                    self.stacks[len(self.gaps)] = stack  # the gap that will end next

    def longest(self) -> tuple[float, list[str]]:
        """The longest gap in seconds and the UI thread's stack during it (if sampled)."""
        if not self.gaps:
            return 0.0, []
        index = max(range(len(self.gaps)), key=lambda i: self.gaps[i][0])
        return self.gaps[index][0], self.stacks.get(index, [])
