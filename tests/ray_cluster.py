"""A two-node Ray cluster on this machine for a test: a head and one worker, each its own
`ray start` process tree with one CPU, stopped within a bounded time whatever happens.

Stopping does not use `ray stop`, which stops every Ray process of the machine (another test
run's cluster too): it ends the processes whose command line names this cluster's own temp
directory or GCS port, by process id.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_S = 90
STOP_GRACE_S = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ours(markers: list[str]) -> list[int]:
    """Ids of the processes whose command line mentions one of markers."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(m in cmd for m in markers):
            pids.append(int(proc.name))
    return pids


def _signal(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def stop_cluster(markers: list[str]) -> list[int]:
    """SIGTERM this cluster's processes, SIGKILL what is left after STOP_GRACE_S; returns the
    ids that needed the SIGKILL."""
    _signal(_ours(markers), signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline and _ours(markers):
        time.sleep(0.2)
    left = _ours(markers)
    _signal(left, signal.SIGKILL)
    return left


@contextmanager
def local_ray_cluster(cpus_per_node: int = 1) -> Iterator[str]:
    """Yield the address of a fresh head + worker cluster; everything is stopped on exit."""
    ray = str(Path(sys.executable).parent / "ray")
    # unix socket paths must stay under ~107 bytes: a short directory under /tmp
    tmp = tempfile.mkdtemp(prefix="sa-ray-", dir="/tmp")
    port = _free_port()
    address = f"127.0.0.1:{port}"
    # HOME is the cluster's own: a head that finds ~/.ray/auth_token (another Ray run leaves
    # one) demands that token, which this process's client, in Ray's default mode, never sends
    env = {
        **os.environ,
        "HOME": tmp,
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0",
    }
    node = [
        f"--num-cpus={cpus_per_node}",
        "--num-gpus=0",
        f"--object-store-memory={300 * 2**20}",
        "--disable-usage-stats",
        f"--temp-dir={tmp}",
    ]
    markers = [tmp, f"--gcs-address={address}", f"--gcs_server_port={port}", f":{port} "]
    try:
        for cmd in (
            [ray, "start", "--head", f"--port={port}", "--include-dashboard=false", *node],
            [ray, "start", f"--address={address}", *node],
        ):
            done = subprocess.run(
                cmd, env=env, timeout=START_TIMEOUT_S, capture_output=True, text=True
            )
            if done.returncode:
                raise RuntimeError(f"{' '.join(cmd[1:3])} failed: {done.stderr[-2000:]}")
        yield address
    finally:
        stop_cluster(markers)
        shutil.rmtree(tmp, ignore_errors=True)
