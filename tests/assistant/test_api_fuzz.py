"""Contract fuzzing: schemathesis (every check; coverage, fuzzing and stateful phases) against
the real app served by uvicorn on loopback, over a small store where every dependency is ready.
It must find nothing: no server error, every status and content type documented, every response
valid against its schema, and requests accepted exactly when the schema says they are valid."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from assistant.api.app import create_app
from assistant.config import Settings, Site
from examples.store_backend import sign_shopper_token
from tests.assistant.fuzz_store import build_fuzz_store

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
ADMIN = "fuzz-admin-key"
SITE_KEY, ORIGIN, SECRET = (
    "pk_fuzz_0123456789abcdef",
    "http://fuzz.example",
    "fuzz-secret-" + "0" * 24,
)
TIME_LIMIT_S = 900  # a bound, not the expected time (about 2 minutes on 2 idle cores)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The app on the fuzz store, served on 127.0.0.1 (a free port) in a thread."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz") / "var",
        database_url="",
        admin_api_key=ADMIN,
        rate_limit="1000000/minute",
        ip_rate_limit="1000000/minute",  # every request comes from 127.0.0.1
        auth_failure_limit="1000000/minute",  # the fuzzer sends bad keys on purpose
        sites=[Site(name="fuzz", key=SITE_KEY, origins=[ORIGIN], token_secret=SECRET)],
        agent_use_llm=False,  # the rules plan: the contract, not the model, is under test
        agent_time_budget_s=3.0,
    )
    keys = build_fuzz_store(settings)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", keys
    server.should_exit = True
    thread.join(10)


@pytest.mark.slow
def test_schemathesis_finds_nothing(served: tuple[str, dict[str, str]], tmp_path: Path):
    base, keys = served
    env = os.environ | {
        "SHOPASSIST_FUZZ_ADMIN_KEY": ADMIN,
        "SHOPASSIST_FUZZ_SHOPPER_KEY": keys["u1"],
        "SHOPASSIST_FUZZ_SITE_KEY": SITE_KEY,
        "SHOPASSIST_FUZZ_ORIGIN": ORIGIN,
        "SHOPASSIST_FUZZ_SHOPPER_TOKEN": sign_shopper_token("u1", SITE_KEY, SECRET, ttl_s=1800),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    cmd = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run",
        f"{base}/openapi.json", "--checks", "all", "--no-color",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    run = subprocess.run(
        cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=TIME_LIMIT_S
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-12000:]
    assert " failed" not in out and "passed" in out, out[-4000:]
