"""OpenAI-compatible chat-completions backend (vLLM, llama.cpp server, ...) over httpx.

Sends the same prompt the in-process backend builds (system line + turns, tool calls in the
fine-tune's text format) and parses the reply with the same strict parser. A malformed call is
retried once with a JSON-schema response format (vLLM / llama.cpp support guided decoding);
timeouts and garbage become `BackendTimeoutError` / `BackendResponseError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from assistant.llm.backends import ChatBackend, Message, Turn, parse_or_raise
from assistant.llm.errors import BackendResponseError, BackendTimeoutError
from assistant.llm.generation import GenerationOptions
from assistant.tools.contract import ToolCallError
from finetune.format import NO_TOOL, SYSTEM_PROMPT, TOOL_CLOSE


class OpenAIBackend(ChatBackend):
    """Chat completions on a remote server; `adapter` selects the served model (vLLM LoRA)."""

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout_s: float = 30.0,
        brands: list[str] | None = None,
        categories: list[str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(brands, categories)
        if not base_url:
            raise BackendResponseError("llm_backend=openai needs SHOPASSIST_LLM_BASE_URL")
        self.model, self.timeout_s = model, timeout_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=min(5.0, timeout_s)),
            transport=transport,
        )

    def _payload(
        self,
        messages: list[Message],
        opts: GenerationOptions,
        adapter: str | None,
        prefix: str = "",
        **extra: Any,
    ) -> dict[str, Any]:
        msgs = list(messages)
        if not msgs or msgs[0]["role"] != "system":
            msgs = [{"role": "system", "content": SYSTEM_PROMPT}, *msgs]
        out = []
        for m in msgs:  # servers validate tool messages: give each a call id
            out.append({**m, "tool_call_id": "call_0"} if m["role"] == "tool" else dict(m))
        if prefix:  # continue a partial assistant turn
            out.append({"role": "assistant", "content": prefix})
            extra.setdefault("continue_final_message", True)
            extra.setdefault("add_generation_prompt", False)
        return {
            "model": adapter or self.model,
            "messages": out,
            "max_tokens": opts.max_new_tokens,
            "temperature": opts.temperature,
            "top_p": opts.top_p,
            "seed": opts.seed,
            "stop": opts.stop or None,
            **extra,
        }

    def _post(self, payload: dict[str, Any]) -> str:
        try:
            resp = self.client.post("/chat/completions", json=payload)
        except httpx.TimeoutException as exc:
            raise BackendTimeoutError(f"LLM server timed out after {self.timeout_s:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise BackendResponseError(f"LLM server unreachable: {exc}") from exc
        if resp.status_code != 200:
            raise BackendResponseError(
                f"LLM server answered HTTP {resp.status_code}: {resp.text[:200]}"
            )
        try:
            content = resp.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BackendResponseError(
                f"LLM server sent an unusable body: {resp.text[:200]}"
            ) from exc
        if not isinstance(content, str):
            raise BackendResponseError("LLM server sent a message without text content")
        return content

    def plan(
        self,
        messages: list[Message],
        tools: dict[str, dict],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> Turn:
        """Ask for the next turn; strict parse, one schema-guided retry on a malformed call."""
        opts = options or GenerationOptions()
        call_opts = GenerationOptions(
            max_new_tokens=min(opts.max_new_tokens, 128),
            max_time_s=opts.max_time_s,
            stop=[TOOL_CLOSE],
            seed=opts.seed,
        )
        raw = self._post(self._payload(messages, call_opts, adapter))
        text = (
            raw + TOOL_CLOSE if raw.lstrip().startswith("<tool>") and TOOL_CLOSE not in raw else raw
        )
        try:
            name, args, answer = parse_or_raise(text)
            if name is None:
                return Turn(answer=answer or None, raw=raw)
            return self.finish_call(name, args or {}, tools, messages, raw, constrained=False)
        except ToolCallError as first_error:
            schema = {
                "type": "object",
                "required": ["name", "arguments"],
                "properties": {"name": {"enum": list(tools)}, "arguments": {"type": "object"}},
            }
            fmt = {"type": "json_schema", "json_schema": {"name": "tool_call", "schema": schema}}
            raw = self._post(self._payload(messages, call_opts, adapter, response_format=fmt))
            try:
                name, args, _ = parse_or_raise(raw)
                if name is None:
                    raise ToolCallError("no tool call in the guided retry")
                return self.finish_call(name, args or {}, tools, messages, raw, constrained=True)
            except ToolCallError as exc:
                raise BackendResponseError(
                    f"LLM server returned no valid tool call ({first_error}; retry: {exc})"
                ) from exc

    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
        prefix: str = NO_TOOL + "\n",
    ) -> Iterator[str]:
        """Stream the answer over Server-Sent Events."""
        opts = options or GenerationOptions()
        payload = self._payload(messages, opts, adapter, prefix=prefix, stream=True)
        try:
            with self.client.stream("POST", "/chat/completions", json=payload) as resp:
                if resp.status_code != 200:
                    resp.read()
                    raise BackendResponseError(
                        f"LLM server answered HTTP {resp.status_code}: {resp.text[:200]}"
                    )
                for line in resp.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    try:
                        delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
                    except (ValueError, KeyError, IndexError, TypeError) as exc:
                        raise BackendResponseError(f"unusable stream chunk: {data[:200]}") from exc
                    if delta:
                        yield delta
        except httpx.TimeoutException as exc:
            raise BackendTimeoutError(f"LLM server timed out after {self.timeout_s:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise BackendResponseError(f"LLM server unreachable: {exc}") from exc
