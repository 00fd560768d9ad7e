"""Search-box query rewriting learnt from the catalog: spelling, filters, expansions.

`rewriter` holds `QueryRewriter` (build once from the catalog, then a few ms a query) and its
`Rewrite`; `spell`, `units` and `expand` are its parts; `search` turns a rewrite into results
(`search_rewritten`, shared by `POST /v1/rewrite` and `eval retrieval --rewrite`); `bench`
profiles its latency.
"""

from retrieval.rewrite.rewriter import QueryRewriter, Rewrite, RewriteConfig
from retrieval.rewrite.search import hedge_vectors, search_rewritten, typed_text

__all__ = [
    "QueryRewriter",
    "Rewrite",
    "RewriteConfig",
    "hedge_vectors",
    "search_rewritten",
    "typed_text",
]
