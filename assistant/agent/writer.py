"""The answer writer: the fine-tuned writer adapter words the answer from this turn's results.

Draft, then write: the templates decide what the answer says first (`agent.draft.lead`: the
chosen product, the asked attribute, the order's status, the no-match ...), and the writer's
prompt is the question, the results as short fact lines and that lead (`finetune.answers`).
The writer copies the lead and adds one sentence of its own, decoded greedily under the copy
rule (`assistant.llm.copy_constraint`): a digit, a currency sign, '[' or a capitalised word only
inside a fact span copied whole. The agent streams the pieces as they are decoded, then runs
the grounding check on the whole answer and checks that it kept the lead and added at most one
sentence true of the results (`draft.keeps_draft`; a 135M model writes "the cheapest is X" with
copied facts that are each grounded while the claim is false, so once the lead is copied the
decoder lets it add only one of `finetune.follow_up.true_sentences`: `LeadRule`); when either
fails, the template answer (`agent.compose`) replaces it, so what the answer decides is never
worse than the template's. Turns whose results the writer was not trained on
(the cart, handoff, purchase odds, a failed call) keep the template.

Backends: llama.cpp only (its sampler takes the rule). On the transformers and openai backends
no writer is built and the templates answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Set
from typing import Protocol

from assistant.agent.draft import keeps_draft
from assistant.llm.copy_constraint import CopyRule, LeadRule
from assistant.llm.generation import GenerationOptions
from assistant.tools.registry import ToolOutcome
from finetune.answer_data import CAPITAL_WORDS
from finetune.answers import WRITTEN_TOOLS, WriterPrompt, writer_prompt
from finetune.follow_up import true_sentences

ANSWER_TOKENS = 120  # the lead (up to ~60 tokens: a long title, a choice's reason) + a sentence


class CopyStreaming(Protocol):
    """A backend that streams an answer under a copy rule (the llama.cpp backend)."""

    def stream(
        self,
        messages: list[dict[str, str]],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
        prefix: str = ...,
        copy_rule: CopyRule | None = None,
    ) -> Iterator[str]:
        """Answer pieces as they are decoded."""
        ...


class Writer:
    """Writes answers with one adapter of one backend."""

    def __init__(self, backend: CopyStreaming, adapter: str | None, time_s: float = 12.0) -> None:
        self.backend, self.adapter = backend, adapter
        self.time_s = time_s  # the least time an answer gets, even after a slow plan

    @staticmethod
    def writes(outcomes: Sequence[ToolOutcome]) -> bool:
        """True when every call succeeded and the writer was trained on each result's kind."""
        return bool(outcomes) and all(
            o.ok and o.result is not None and o.name in WRITTEN_TOOLS for o in outcomes
        )

    @staticmethod
    def prompt(
        question: str, outcomes: Sequence[ToolOutcome], vocabulary: Set[str] = frozenset()
    ) -> WriterPrompt:
        """The writer's prompt for this turn: facts, copyable spans, the decided lead and the
        sentence after it that is true of the results (what a written answer is checked by)."""
        results = [(o.name, o.result) for o in outcomes if o.ok and o.result is not None]
        prompt = writer_prompt(question, results, vocabulary)
        prompt.tails = true_sentences(question, results, prompt.lead)
        return prompt

    @staticmethod
    def keeps(written: str, prompt: WriterPrompt) -> bool:
        """True when the written answer keeps the lead and adds at most one true sentence."""
        return keeps_draft(written, prompt.lead, prompt.tails)

    def stream(self, prompt: WriterPrompt, time_s: float) -> Iterator[str]:
        """The answer's pieces as the model decodes them under the copy rule."""
        rule = LeadRule(prompt.facts.spans, CAPITAL_WORDS, prompt.lead, prompt.tails)
        options = GenerationOptions(
            max_new_tokens=ANSWER_TOKENS, max_time_s=max(0.1, time_s), repetition_penalty=1.0
        )
        yield from self.backend.stream(
            prompt.messages, options, self.adapter, prefix="", copy_rule=rule
        )
