"""The recommender's settings and what it returns (`recsys/recommender.py` uses them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from recsys.blend import BlendConfig
from recsys.interactions import InteractionConfig
from recsys.mf import MFConfig
from recsys.sasrec import SASRecConfig
from recsys.transitions import TransitionConfig


@dataclass
class RecommenderConfig:
    """Interaction weighting, the three components and how their scores are blended."""

    interactions: InteractionConfig = field(default_factory=InteractionConfig)
    mf: MFConfig = field(default_factory=MFConfig)
    transitions: TransitionConfig = field(default_factory=TransitionConfig)
    sequence: SASRecConfig = field(default_factory=SASRecConfig)
    stack: BlendConfig = field(default_factory=BlendConfig)
    learned: bool = True  # SASRec + the learned blend (when there are enough validation users)
    # without the learned blend: weight of the (max-normalised) transition score vs the MF score
    blend: float = 0.5
    batch_size: int = 1024  # users scored per dense block

    def __post_init__(self) -> None:
        if self.blend < 0:
            raise ValueError("blend must be >= 0")
        if self.batch_size < 1:
            raise ValueError("batch_size must be >= 1")

    @classmethod
    def from_dict(cls, d: Mapping) -> RecommenderConfig:
        """Inverse of dataclasses.asdict."""
        return cls(
            interactions=InteractionConfig(**d.get("interactions", {})),
            mf=MFConfig(**d.get("mf", {})),
            transitions=TransitionConfig(**d.get("transitions", {})),
            sequence=SASRecConfig(**d.get("sequence", {})),
            # stackers saved before the pair features were learned without them
            stack=BlendConfig(**{"pairs": False, **d.get("stack", {})}),
            learned=d.get("learned", False),  # models saved before SASRec had no learned blend
            blend=d.get("blend", 0.5),
            batch_size=d.get("batch_size", 1024),
        )


@dataclass
class Recommendation:
    """One recommended item and why it was chosen (source: personal | session | popular)."""

    item_id: str
    score: float
    source: str
