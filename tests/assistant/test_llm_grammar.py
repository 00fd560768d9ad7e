"""The per-request GBNF grammar of a tool call (no model: the text of the grammar and its
choices; decoding under it is tested with the real model in test_llm_llamacpp.py)."""

from __future__ import annotations

import re

from assistant.llm.chat_model import tools_by_name
from assistant.llm.grammar import CallGrammar, literal, one_of, word_pieces
from assistant.tools.arguments import Hints
from assistant.tools.contract import tool_specs

TOOLS = tools_by_name(tool_specs())


def _hints(text: str, context: str = "") -> Hints:
    return Hints.from_conversation(
        text, context + "\n" + text, ["Cello", "India Gate"], ["Rice", "Water Bottles"]
    )


def _grammar(text: str, context: str = "") -> CallGrammar:
    return CallGrammar(TOOLS, _hints(text, context), lambda t: word_pieces(t, str.split))


def _rules(gbnf: str) -> dict[str, str]:
    return dict(line.split(" ::= ", 1) for line in gbnf.strip().splitlines())


def test_one_of_is_a_trie_and_literals_escape():
    assert one_of(["rice", "rices", "red"]) == '"r" ("ed" | "ice" ("s")?)'
    assert one_of(["a"]) == '"a"'
    assert literal('say "hi"\\\n') == r'"say \"hi\"\\\n"'


def test_arguments_follow_what_the_message_justifies():
    g = _grammar("Cello water bottles under 500 in stock")
    props, required = g.candidates("search_products")
    assert required == {"query"}
    # 500 fits prices, not a rating (max 5) or k (max 50); brand and category are named
    assert set(props) == {"query", "brand", "category", "min_price", "max_price", "in_stock"}
    rules = _rules(g.arguments("search_products"))
    assert rules["search-products-brand"].endswith('"\\"Cello\\""')
    assert rules["search-products-category"].endswith('"\\"Water Bottles\\""')
    assert rules["search-products-max-price"].endswith('"500"')
    plain = _grammar("green tea").candidates("search_products")[0]
    assert set(plain) == {"query"}


def test_each_argument_at_most_once_and_required_before_close():
    g = _grammar("Cello water bottles under 500 in stock")
    rules = _rules(g.arguments("search_products"))
    states = [r for r in rules if r.startswith("search-products-s")]
    assert len(states) == 2**6  # one state per set of arguments already written
    close = '"}}</tool>"'
    assert close not in rules["search-products-s"]  # query is required
    assert rules["search-products-s-query"].endswith(close)
    for name, body in rules.items():  # no state offers an argument it already holds
        if name.startswith("search-products-s-"):
            for arg in ("brand", "category", "in-stock"):
                if f"-{arg}-" in name + "-":
                    assert f"search-products-{arg} " not in body


def test_ids_numbers_and_copied_words_come_from_the_conversation():
    listing = "1. [bb-1] Rice A | price 100\n2. [bb-2] Rice B | price 120"
    g = _grammar("compare the first two", listing)
    rules = _rules(g.arguments("compare_products"))
    body = " ".join(rules.values())
    assert '"\\"bb-' in body and "[0-9]" not in body
    assert re.search(r'"\]"', body)  # the array can close once it has two ids
    status = _rules(_grammar("status of #W1234567").arguments("get_order_status"))
    assert status["get-order-status-order-id"].endswith('"\\"#W1234567\\""')
    policy = _rules(_grammar("what is your return policy").turn())
    piece = policy["copy-piece"]
    assert '"return"' in piece or '"re" ' in piece
    assert "banana" not in piece


def test_the_whole_turn_offers_no_tool_and_every_tool():
    gbnf = _grammar("hello").turn()
    root = _rules(gbnf)["root"]
    assert root.startswith('"NO_TOOL" | ')
    assert all(f'\\"name\\":\\"{name}\\"' in root for name in TOOLS)
    assert "NO_TOOL" not in _grammar("hello").turn(allow_answer=False).split("\n")[0]


def test_a_free_string_is_no_longer_than_the_contract_allows():
    # with no id in the conversation, a product id is free text: at most maxLength (64) chars,
    # so a decoded call always validates (a 64-digit "id" once failed the contract after decoding)
    rules = _rules(_grammar("show me something similar").arguments("similar_products"))
    (bound,) = re.findall(r"\{1,(\d+)\}", rules["similar-products-product-id"])
    assert int(bound) == TOOLS["similar_products"]["properties"]["product_id"]["maxLength"] == 64
