"""A TCP proxy on loopback that breaks connections the way a shop's Wi-Fi does.

Each new connection gets one fate, drawn from a seeded random generator so a failure can be
replayed: pass, cut while the request is being sent, cut while the answer comes back, stall
(hold the answer longer than the client waits), or crawl (about 32 KB/s, or any line speed:
``bench/bench_downloads.py`` uses it as a 100 Mbit/s line).
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter

FATES = ("pass", "cut_request", "cut_response", "stall", "crawl")


class FaultyProxy:
    def __init__(self, target_port: int, seed: int, weights: dict[str, float],
                 stall_s: float = 1.5, crawl_bytes_per_s: int = 32 * 1024) -> None:
        self.target = ("127.0.0.1", target_port)
        self.rng = random.Random(seed)
        self.weights = [weights.get(f, 0.0) for f in FATES]
        self.stall_s = stall_s
        self.crawl_bytes_per_s = crawl_bytes_per_s
        self.fates: Counter[str] = Counter()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._closing = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closing.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                fate = self.rng.choices(FATES, self.weights)[0]
                cut_after = self.rng.randint(1, 400)
            self.fates[fate] += 1
            threading.Thread(target=self._serve, args=(client, fate, cut_after),
                             daemon=True).start()

    def _serve(self, client: socket.socket, fate: str, cut_after: int) -> None:
        try:
            upstream = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        done = threading.Event()

        def close_both() -> None:
            done.set()
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

        crawling_piece = 4096 if self.crawl_bytes_per_s < 1_000_000 else 65536

        def pump(src: socket.socket, dst: socket.socket, answer: bool) -> None:
            sent = 0
            due = time.perf_counter()  # crawl: when the bytes so far may have gone out
            try:
                while not done.is_set():
                    data = src.recv(crawling_piece if fate == "crawl" and answer else 65536)
                    if not data:
                        break
                    cutting = (fate == "cut_request" and not answer) or \
                        (fate == "cut_response" and answer)
                    if cutting and sent + len(data) >= cut_after:
                        dst.sendall(data[:max(0, cut_after - sent)])
                        break
                    if fate == "stall" and answer:
                        time.sleep(self.stall_s)
                    if fate == "crawl" and answer:
                        # Paced against a schedule, not a sleep per piece (which drifts at
                        # line speeds); a pause of the sender earns at most 50 ms of credit.
                        now = time.perf_counter()
                        due = max(due, now - 0.05) + len(data) / self.crawl_bytes_per_s
                        time.sleep(max(0.0, due - now))
                    dst.sendall(data)
                    sent += len(data)
            except OSError:
                pass
            close_both()

        threading.Thread(target=pump, args=(client, upstream, False), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, True), daemon=True).start()
