"""retrieval library: product search over plain data (never imports `assistant`).

- corpus.ProductDoc / product_text; files: the eval-contract files (corpus JSONL, queries, runs)
- embed: MiniLM embeddings, `onnx` (default) or `torch` backend, fp32 or int8, batched by length
- embcache: content-hash embedding cache on disk (a re-index embeds only changed texts)
- lexical: BM25 (bm25s, PyStemmer, stopwords); vectors: FAISS flat / IVF / HNSW, GPU when present
- filters, fusion, engine.SearchEngine: hybrid search with filters, similar(), updates, persistence
- store: versioned index directories with an atomic CURRENT pointer
- metrics, evaluate, homedepot, bench: nDCG / recall, runs, Home Depot judgments, `bench search`
- rank_features, ranker: the learned reranker (LightGBM lambdarank over the hybrid's candidates)
- judgments, clicks: its training rows from graded judgments or a position-debiased click log
- embedder_training: fine-tuning the embedder on judgments (sentence-transformers)
- rewrite/: search-box query rewriting (separate owner)
"""
