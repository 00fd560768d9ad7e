"""`kill -9` of `shopassist ingest` while it writes: the database holds the whole import or
nothing (one transaction), and the same import run again loads everything."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.db.models import Product
from assistant.db.session import dispose_engine, session_scope

ROWS = 60_000
CLI = "from assistant.cli import main; main()"


@pytest.mark.slow
def test_kill_9_during_ingest_leaves_all_or_nothing(tmp_path: Path):
    catalog = tmp_path / "catalog.jsonl"
    with catalog.open("w", encoding="utf-8") as f:
        for i in range(ROWS):
            row = {"id": f"K{i}", "title": f"Kill test product {i}", "price": 10 + i % 90,
                   "category": "Test > Kill", "brand": "Acme"}  # fmt: skip
            f.write(json.dumps(row) + "\n")
    data = tmp_path / "var"
    db_file = data / "shopassist.db"
    env = {**os.environ, "SHOPASSIST_DATA_DIR": str(data), "SHOPASSIST_DATABASE_URL": ""}
    cmd = [sys.executable, "-c", CLI, "ingest", "catalog", str(catalog), "--format", "jsonl",
           "--no-refresh-index"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    progress = [0]

    def watch() -> None:  # the import's progress bar: the share of the file read (and written)
        assert proc.stderr is not None
        for chunk in iter(lambda: proc.stderr.read1(4096), b""):  # type: ignore[union-attr]
            done = re.findall(rb"(\d+)%\|", chunk)
            if done:
                progress[0] = int(done[-1])

    threading.Thread(target=watch, daemon=True).start()
    deadline = time.monotonic() + 300
    while progress[0] < 50:  # half the rows read, and flushed to the database uncommitted
        assert proc.poll() is None, "the import ended before it was killed"
        assert time.monotonic() < deadline, "the import did not get halfway"
        time.sleep(0.01)
    assert proc.poll() is None, "the import ended before it was killed: make ROWS larger"
    proc.kill()  # kill -9, mid-write
    proc.wait()
    url = f"sqlite:///{db_file}"
    try:
        with session_scope(url) as db:
            assert db.scalar(select(func.count(Product.id)).where(Product.brand == "Acme")) == 0
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=600)
        with session_scope(url) as db:
            assert db.scalar(select(func.count(Product.id)).where(Product.brand == "Acme")) == ROWS
    finally:
        dispose_engine(url)
