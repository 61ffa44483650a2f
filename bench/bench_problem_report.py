"""The problem report (issue 12): how long "Save a problem report" takes at its worst, with a
full log folder (5 files of 1 MB, what the rotation keeps at most) and a library of 10,000 notes
whose texts are all cut out of those logs. It runs on the library lane, so the window stays
responsive meanwhile; this is the wait before the "saved" message. No target in the issue.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companion.services import build_services
from companion.support import logs, report
from tests.core.fake_library import WORDS, add_pack

#: Words of a real log: module names, states, numbers; not the learners' own words.
LOG_WORDS = ("sync round pushed pulled changes hub answered status retry backoff seconds timeout "
             "download resumed bytes pack lesson player libvlc started stopped position error "
             "warning connection refused 503 200 404 cursor page applied").split()


def fill_logs(log_dir: Path, rng: random.Random, words: list[str]) -> int:
    log_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for name in [logs.LOG_NAME] + [f"{logs.LOG_NAME}.{n}" for n in range(1, logs.BACKUP_COUNT + 1)]:
        lines, size = [], 0
        while size < logs.MAX_BYTES:
            line = (f"2026-12-03 07:00:00,000 WARNING  companion.sync [sync] "
                    f"{' '.join(rng.choices(words, k=12))}\n")
            lines.append(line)
            size += len(line)
        (log_dir / name).write_text("".join(lines), encoding="utf-8")
        total += size
    return total


def main() -> None:
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(home=Path(tmp) / "home")
        try:
            profile = services.profiles.create("Bench").id
            lessons = add_pack(services.db, "bench", 200)
            for i in range(10_000):
                services.notes.add(profile, lessons[i % len(lessons)],
                                   " ".join(rng.choices(WORDS, k=15)) + f" {i}")
            for label, words in (("a log of its own words", LOG_WORDS),
                                 ("worst case, a log made of the notes' words", WORDS)):
                size = fill_logs(services.locations.log_dir, rng, words)
                runs = []
                for i in range(3):
                    start = time.perf_counter()
                    report.build_report(Path(tmp) / f"r{i}.zip", services)
                    runs.append(time.perf_counter() - start)
                print(f"problem report, {size / 1e6:.1f} MB of logs, 10,000 notes cut out of "
                      f"them, {label}: median {statistics.median(runs):.2f} s (runs: "
                      f"{', '.join(f'{r:.2f}' for r in runs)} s)", flush=True)
        finally:
            services.close()


if __name__ == "__main__":
    main()
