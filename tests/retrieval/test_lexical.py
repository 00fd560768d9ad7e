"""The tokenizer: Hindi function words typed in Latin letters are stopwords, as English ones are."""

from __future__ import annotations

from retrieval.lexical import Tokenizer
from retrieval.relevance import coverage


def test_hinglish_function_words_name_nothing():
    tok = Tokenizer()
    assert tok.words("dukaan wale bhai, tattoo ka intezaam hai kya") == [
        "dukaan",
        "tattoo",
        "intezaam",
    ]
    # a title that has "Ka" is no closer to a question that has it
    assert coverage("tattoo ka intezaam", "Potli Ka Masala", tok) == 0.0
    assert coverage("potli masala", "Potli Ka Masala", tok) == 1.0
