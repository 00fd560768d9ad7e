"""`serve --setup`'s preparation: the steps run in order, and those the service answers without
run in a background process once it serves."""

from __future__ import annotations

from assistant import setup
from assistant.config import Settings

HERE = "tests.assistant.test_setup"


def mark(settings: Settings) -> None:
    """A setup step that leaves a file named after how many steps ran before it."""
    done = sorted(settings.data_dir.glob("step-*"))
    (settings.data_dir / f"step-{len(done)}").write_text(str(settings.data_dir))


def test_index_and_recommender_are_built_while_it_serves(monkeypatch, settings, capsys):
    assert set(setup.AFTER_START) <= {label for label, _ in setup.SETUP_STEPS}
    steps = [
        ("database schema", f"{HERE}:mark"),
        ("recommender models", f"{HERE}:mark"),
        ("chat widget demo key", f"{HERE}:mark"),
    ]
    monkeypatch.setattr(setup, "SETUP_STEPS", steps)
    later = setup.prepare(settings, defer=True)
    assert later == [steps[1]]  # returned, not run: the other two ran, in order
    assert sorted(p.name for p in settings.data_dir.glob("step-*")) == ["step-0", "step-1"]
    assert "setup: chat widget demo key done in" in capsys.readouterr().out
    child = setup.prepare_after_start(settings, later)
    assert child is not None
    child.join(timeout=120)
    assert child.exitcode == 0 and (settings.data_dir / "step-2").is_file()
    assert setup.prepare_after_start(settings, []) is None
    # without defer (the eval's and the old behaviour) every step runs at once
    assert setup.prepare(settings) == []
    assert len(list(settings.data_dir.glob("step-*"))) == 6
