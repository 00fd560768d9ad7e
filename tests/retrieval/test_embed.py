"""Embedding backends: ONNX fp32 reproduces the PyTorch vectors; int8 stays close; batching by
length does not change a text's vector."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from retrieval.corpus import product_text
from retrieval.embed import Embedder


@pytest.fixture(scope="module")
def texts(bb_docs):
    return [product_text(d) for d in bb_docs[:24]]


def test_onnx_matches_torch(engine_config, texts):
    onnx = Embedder(engine_config.embedder).embed(texts)
    torch = Embedder(dataclasses.replace(engine_config.embedder, backend="torch")).embed(texts)
    assert onnx.shape == (24, 384)
    np.testing.assert_allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert (onnx * torch).sum(1).min() > 0.9999


def test_int8_is_close_and_batching_is_order_free(engine_config, texts):
    fp32 = Embedder(engine_config.embedder)
    int8 = Embedder(dataclasses.replace(engine_config.embedder, precision="int8"))
    cos = (fp32.embed(texts) * int8.embed(texts)).sum(1)
    assert cos.mean() > 0.9
    one = fp32.embed_query(texts[5])
    batched = fp32.embed(texts[::-1])[len(texts) - 1 - 5]
    assert float(one @ batched) > 0.9999


def test_missing_model_dir_is_a_clear_error(engine_config, tmp_path):
    with pytest.raises(ValueError, match="embedding model directory not found"):
        dataclasses.replace(engine_config.embedder, model_path=str(tmp_path))
    with pytest.raises(ValueError, match="int8 needs backend 'onnx'"):
        dataclasses.replace(engine_config.embedder, backend="torch", precision="int8")
