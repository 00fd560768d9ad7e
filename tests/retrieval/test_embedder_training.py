"""Fine-tuning the embedder: hard-negative triples from a real engine, a few steps that learn,
a published sentence-transformers directory that the ONNX embedder loads."""

from __future__ import annotations

import numpy as np

from retrieval.embed import Embedder, EmbedderConfig
from retrieval.embedder_training import EmbedderTrainingConfig, fine_tune, training_triples
from retrieval.store import current_version


def test_triples_pair_relevant_products_with_hard_negatives(engine):
    hits = engine.search("green tea", k=10, explain=False)
    graded = {"green tea": {hits[0].product_id: 3.0, hits[1].product_id: 1.0}}
    triples = training_triples(engine, graded, EmbedderTrainingConfig())
    assert triples == [
        (
            "green tea",
            engine.texts[engine.row_of[hits[0].product_id]],
            engine.texts[engine.row_of[hits[1].product_id]],
        )
    ]  # the judged-irrelevant product ranked high is the hard negative


def test_a_few_steps_learn_and_publish_a_loadable_model(model_dir, tmp_path):
    pairs = [
        ("basmati rice 5 kg", "India Gate Basmati Rice - Classic, 5 kg", "Rice Bran Oil, 1 L"),
        ("green tea bags", "Green Tea - Tulsi, 25 Bags", "Tea Tree Oil Soap"),
        ("steel water bottle", "Stainless Steel Water Bottle 1 L", "Plastic Lunch Box"),
        ("dark chocolate", "Dark Chocolate Bar 70% Cocoa", "Chocolate Chip Cookies"),
        ("face wash for oily skin", "Neem Face Wash - Oily Skin", "Face Towel Cotton"),
        ("cordless drill", "18V Cordless Drill Driver Kit", "Drill Bit Set 10 pc"),
        ("led bulb 9 watt", "9W LED Bulb Cool Day Light", "Bulb Holder B22"),
        ("almond milk", "Almond Milk Unsweetened 1 L", "Almonds California 500 g"),
    ]
    config = EmbedderTrainingConfig(batch_size=4, epochs=6, learning_rate=1e-4, warmup_share=0.0)
    path, figures = fine_tune(model_dir, pairs, tmp_path / "embedder", config)
    assert figures["steps"] == 12 and figures["last_loss"] < figures["first_loss"]
    assert current_version(tmp_path / "embedder") == path
    export = str(tmp_path / "onnx")
    tuned = Embedder(EmbedderConfig(str(path), export_dir=export))
    base = Embedder(EmbedderConfig(model_dir, export_dir=export))
    queries, positives, negatives = (list(c) for c in zip(*pairs, strict=True))

    def margin(e: Embedder) -> float:
        q, p, n = e.embed(queries), e.embed(positives), e.embed(negatives)
        return float(np.mean((q * p).sum(1) - (q * n).sum(1)))

    assert margin(tuned) > margin(base)  # positives moved closer than the hard negatives
