"""Thumbs and product-card clicks on the assistant's answers become training labels that
`finetune build-data` adds to its examples."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from typer.testing import CliRunner

from assistant.cli import load_commands
from assistant.cli.app import app
from assistant.config import get_settings
from assistant.db.models import Conversation, Event, Feedback, Message
from assistant.db.session import session_scope
from assistant.services.labels import feedback_labels, label_examples

T = datetime(2026, 2, 1, 12, 0)


def _turn(conv: str, n: int, text: str, name: str, args: dict, shown: list[str]) -> list[Message]:
    call = {"name": name, "arguments": args, "ok": True, "product_ids": shown}
    return [
        Message(conversation_id=conv, role="user", content=text, created_at=T + timedelta(minutes=n)),
        Message(conversation_id=conv, role="assistant", content="...", tool_calls=[call],
                created_at=T + timedelta(minutes=n, seconds=2)),
    ]  # fmt: skip


def _add_conversation(url: str) -> dict[str, int]:
    with session_scope(url) as db:
        db.add(Conversation(id="c1", user_id="u1"))
        msgs = [
            *_turn("c1", 0, "basmati rice", "search_products", {"query": "basmati rice"}, ["104"]),
            *_turn("c1", 1, "water bottles", "search_products", {"query": "water bottle"}, ["101"]),
            *_turn("c1", 2, "butter", "search_products", {"query": "chocolate"}, ["108"]),
            *_turn("c1", 3, "tea", "search_products", {"query": "tea"}, ["106"]),
        ]
        db.add_all(msgs)
        db.flush()
        ids = {m.content: m.id for m in msgs if m.role == "user"}
        answers = [m.id for m in msgs if m.role == "assistant"]
        db.add(Feedback(message_id=answers[0], rating=1))  # thumbs up
        db.add(Feedback(message_id=answers[2], rating=-1))  # thumbs down, clicked all the same
        for n, pid in ((1, "101"), (2, "108")):
            db.add(Event(user_id="u1", product_id=pid, type="card_click", source="api",
                         ts=T + timedelta(minutes=n, seconds=30), client_event_id=f"k{n}"))  # fmt: skip
        db.add(Event(user_id="u2", product_id="106", type="card_click", source="api",
                     ts=T + timedelta(minutes=3, seconds=30), client_event_id="other"))  # fmt: skip
        return ids


def test_thumbs_and_clicks_become_labels(store_settings, store):
    _add_conversation(store_settings.effective_database_url)
    with session_scope(store_settings.effective_database_url) as db:
        labels = feedback_labels(db)
    got = {
        (lab["user_text"], lab["rating"], tuple(lab["clicked_product_ids"]), lab["positive"])
        for lab in labels
    }
    assert got == {
        ("basmati rice", 1, (), True),
        ("water bottles", None, ("101",), True),  # a click on a shown card
        ("butter", -1, ("108",), False),  # a thumbs down outweighs the click
    }  # "tea": another shopper's click says nothing about u1's answer
    examples = label_examples(labels)
    assert [e["target"] for e in examples] == [
        '<tool>{"name":"search_products","arguments":{"query":"basmati rice"}}</tool>',
        '<tool>{"name":"search_products","arguments":{"query":"water bottle"}}</tool>',
    ]
    assert examples[0]["messages"] == [{"role": "user", "content": "basmati rice"}]


def test_build_data_adds_the_labelled_turns(store_settings, store, monkeypatch, tmp_path):
    _add_conversation(store_settings.effective_database_url)
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(store_settings.data_dir))
    monkeypatch.delenv("SHOPASSIST_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    load_commands()
    try:
        args = [
            "finetune",
            "build-data",
            "--n-train",
            "20",
            "--n-eval",
            "5",
            "--out",
            str(tmp_path),
        ]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert (
            "22 train / 5 eval" in result.output and "(2 from shoppers' feedback" in result.output
        )
        rows = [json.loads(x) for x in (tmp_path / "train.jsonl").read_text().splitlines()]
        assert sum(r["kind"] == "feedback" for r in rows) == 2
        result = CliRunner().invoke(app, [*args, "--no-feedback"])
        assert "20 train / 5 eval" in result.output
    finally:
        get_settings.cache_clear()
