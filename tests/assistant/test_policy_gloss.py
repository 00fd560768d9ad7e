"""The policy gloss: shoppers' words read in the policy's terms, and the passage it then finds."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.services.policy import search_policy
from assistant.services.policy_gloss import gloss
from assistant.services.state import AppState
from tests.assistant.retail import POLICY


@pytest.mark.parametrize(
    "question",
    [
        "meri didi ka account hai, uska return main kar du yahin se?",
        "my mother's account is different, can you cancel her order from my chat?",
        "can you also check my brother's orders, he's sitting right here",
    ],
)
def test_another_persons_order_is_searched_as_the_one_user_rule(question):
    assert "any other user" in gloss(question) and question not in gloss(question)


def test_a_gloss_adds_the_policys_terms_and_keeps_the_question():
    asked = "do i literally have to type yes before you do anything?"
    assert gloss(asked).startswith(asked) and "explicit user confirmation" in gloss(asked)
    plain = "how do I return a delivered order?"
    assert gloss(plain) == plain  # nothing to gloss: the question as asked


def test_the_glossed_search_finds_the_answering_passage(shared_data, tmp_path):
    state = AppState(Settings(data_dir=tmp_path, policy_path=str(POLICY)))
    for question, said in [
        ("meri didi ka account hai, uska return main kar du yahin se?", "any other user"),
        (
            "swap ho jayega toh kya mujhe alag se dobara khareedna hoga?",
            "no need to place a new order",
        ),
        ("just cancel it, don't keep asking me to confirm", "explicit user confirmation"),
        (
            "If I exchange one thing now, I'm guessing I couldn't go back and exchange "
            "something else later?",
            "can only be called once",
        ),
        ("do I need to give a reason to cancel my order?", "ordered by mistake"),
        ("my gift card balance is low, can it still pay for the pending order?", "balance"),
        ("after I ask for a return, what will the order status be?", "return requested"),
    ]:
        hits = search_policy(state, question, k=3)
        assert any(said in h["text"] for h in hits[:2]), question  # the answer quotes two
