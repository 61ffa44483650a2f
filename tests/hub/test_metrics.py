"""GET /metrics (Prometheus), the request id on every request, JSON log lines, and the metrics
of several worker processes added up."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from companion.hub.observe import JsonFormatter
from tests.hub.helpers import PASSWORD, LiveHub, change
from tests.sync.hub_process import free_port, prepare_hub


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _metrics(url: str) -> dict:
    r = httpx.get(f"{url}/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return _samples(r.text)


def _requests(m: dict, route: str, method: str, status: int) -> float:
    key = (("method", method), ("route", route), ("status", str(status)))
    return m.get(("companion_hub_requests_total", key), 0.0)


def test_metrics_count_requests_changes_media_and_failed_logins(hub: LiveHub) -> None:
    hub.add_trainer("tina")
    group = hub.create_group("Bakers", "tina")
    alice = hub.device("alice", invite=group.invite_code)
    alice.sync([change("note", "n1", {"lesson_id": "l", "body": "a"}),
                change("note", "n2", {"lesson_id": "l", "body": "b"}),
                change("note", "n3", {"lesson_id": "l", "body": 5})])  # refused: not text
    pulled = hub.device("alice").pull_all()
    with hub.client() as c:
        bad = c.post("/v1/auth/login", json={"username": "alice", "password": "wrong one!",
                                             "device_id": "d"})
        assert bad.status_code == 401
        assert c.get("/v1/no/such/route").status_code == 404
    data = b"video bytes " * 5000
    digest = hashlib.sha256(data).hexdigest()
    tina = hub.device("tina")
    with tina.http() as c:
        assert c.put(f"/v1/media/{digest}", content=data).status_code == 201
        manifest = json.dumps({"id": "p", "version": "1", "title": "P", "language": "nl",
                               "files": [{"path": "a.mp4", "sha256": digest,
                                          "size": len(data)}]})
        assert c.post(f"/v1/groups/{group.id}/packs",
                      json={"manifest": manifest, "signature": None}).status_code == 201
    part = alice.get(f"/v1/media/{digest}", headers={"Range": "bytes=100-"})
    assert part.status_code == 206
    m = _metrics(hub.url)
    syncs = _requests(m, "/v1/sync", "POST", 200)
    assert syncs == 1 + 1  # alice's push, the other device's pull (one page)
    assert m[("companion_hub_sync_duration_seconds_count", ())] == syncs
    assert m[("companion_hub_changes_pushed_total", ())] == 2
    assert m[("companion_hub_changes_rejected_total", ())] == 1
    assert m[("companion_hub_changes_pulled_total", ())] == len(alice.received) + len(pulled)
    assert len(pulled) >= 2
    assert m[("companion_hub_login_failures_total", (("reason", "wrong_password"),))] == 1
    assert _requests(m, "/v1/auth/login", "POST", 401) == 1
    assert _requests(m, "unmatched", "GET", 404) == 1
    assert _requests(m, "/v1/media/{sha256}", "GET", 206) == 1  # the template, not the hash
    assert m[("companion_hub_media_sent_bytes_total", ())] == len(data) - 100
    assert not any(digest in str(labels) for _, labels in m)


def test_request_id_is_echoed_or_made(hub: LiveHub) -> None:
    with hub.client() as c:
        given = c.get("/v1/hub", headers={"X-Request-ID": "proxy-7f3a.1"})
        assert given.headers["x-request-id"] == "proxy-7f3a.1"
        made = c.get("/v1/hub").headers["x-request-id"]
        other = c.get("/v1/hub").headers["x-request-id"]
        assert len(made) == 16 and made != other
        odd = c.get("/v1/hub", headers={"X-Request-ID": "<script> and spaces"})
        assert odd.headers["x-request-id"] != "<script> and spaces"
        assert c.get("/v1/me").headers["x-request-id"]  # refused requests carry one too


def test_json_log_lines_carry_the_request_id(hub_settings, tmp_path: Path) -> None:
    """With the hub's own request log on, each request writes one JSON line with its id."""
    from tests.hub.helpers import start_hub

    live = start_hub(hub_settings.with_changes(log_requests=True))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("companion.hub.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with live.client() as c:
            c.get("/v1/hub", headers={"X-Request-ID": "abc123"})
            c.post("/v1/sync", json={"cursor": None, "changes": []})
    finally:
        logger.removeHandler(handler)
        live.stop()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(x["request_id"], x["route"], x["status"]) for x in lines][:1] == [
        ("abc123", "/v1/hub", 200)]
    assert lines[1]["route"] == "/v1/sync" and lines[1]["status"] == 401
    assert lines[1]["request_id"] and lines[1]["level"] == "info"
    assert isinstance(lines[1]["duration_ms"], float) and lines[1]["time"].endswith("Z")


def test_several_workers_add_up_and_log_json(tmp_path: Path) -> None:
    """`serve --workers 2 --log-format json`: /metrics counts the requests of both worker
    processes (whichever answers the scrape), and stderr has JSON lines."""
    data = tmp_path / "hub"
    prepare_hub(data, None)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    log = tmp_path / "hub.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "companion", "hub", "serve", "--port", str(port), "--data",
             str(data), "--workers", "2", "--log-format", "json", "--access-log"],
            stdout=out, stderr=out, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        for _ in range(40):  # new connections: both workers get some
            assert httpx.get(f"{url}/v1/hub").status_code == 200
        for _ in range(3):
            m = _metrics(url)
            assert _requests(m, "/v1/hub", "GET", 200) == 40
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [x for x in lines if x.get("route") == "/v1/hub"]
    assert len(access) == 40 and all(x["request_id"] for x in access)
    assert PASSWORD not in log.read_text()
