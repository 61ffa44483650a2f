"""Library speed: listing a pack and full-text search with 2,000 lessons and 10,000 notes.

Targets (issue 2): listing a pack under 20 ms; a full-text search under 20 ms at the 95th
percentile. Prints figures; asserts nothing.
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
from tests.core.fake_library import WORDS, add_pack


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(home=Path(tmp))
        profile = services.profiles.create("Bench").id
        lesson_ids: list[str] = []
        big = add_pack(services.db, "big-pack", 1000, title="Big pack")
        lesson_ids += big
        for i in range(10):
            lesson_ids += add_pack(services.db, f"pack-{i:02d}", 100)
        rng = random.Random(7)
        for n in range(10_000):
            lesson = rng.choice(lesson_ids)
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
            services.notes.add(profile, lesson, f"[{n % 3}:{n % 60:02d}] {body}")
        for lesson in rng.sample(lesson_ids, 400):
            services.progress.save_position(profile, lesson, rng.uniform(1, 110))
        services.db.execute("ANALYZE")

        def timed(fn, repeat: int) -> list[float]:
            out = []
            for _ in range(repeat):
                start = time.perf_counter()
                fn()
                out.append((time.perf_counter() - start) * 1000)
            return out

        list_big = timed(lambda: services.catalog.lessons(profile, "big-pack"), 50)
        list_small = timed(lambda: services.catalog.lessons(profile, "pack-03"), 200)
        packs = timed(lambda: services.catalog.packs(profile), 50)
        queries = ["insta", "bakker", "zwakke banden", "contentpl", "reels foto",
                   "openingsuren", "klanten ver", "meten", "whatsapp catalogus", "etal"]
        search = []
        for _ in range(30):
            for q in queries:
                search += timed(lambda q=q: services.search.all(profile, q), 1)
        cont = timed(lambda: services.catalog.continue_lesson(profile), 50)
        fits = timed(lambda: services.catalog.fits_in_break(profile, 10), 50)

        lessons_total = services.db.execute("SELECT count(*) FROM lessons").fetchone()[0]
        notes_total = services.db.execute("SELECT count(*) FROM notes").fetchone()[0]
        print(f"library: {lessons_total} lessons, {notes_total} notes")
        print(f"list a pack of 1,000 lessons: median {statistics.median(list_big):.2f} ms,"
              f" p95 {percentile(list_big, 95):.2f} ms  (target < 20 ms)")
        print(f"list a pack of 100 lessons:   median {statistics.median(list_small):.2f} ms,"
              f" p95 {percentile(list_small, 95):.2f} ms  (target < 20 ms)")
        print(f"list packs with progress:     median {statistics.median(packs):.2f} ms")
        print(f"full-text search (lessons + own notes): median {statistics.median(search):.2f}"
              f" ms, p95 {percentile(search, 95):.2f} ms  (target p95 < 20 ms)")
        print(f"continue where you left off:  median {statistics.median(cont):.2f} ms")
        print(f"fits in your break (10 min):  median {statistics.median(fits):.2f} ms")
        services.close()


if __name__ == "__main__":
    main()
