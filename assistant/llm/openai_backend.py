"""OpenAI-compatible chat-completions backend (vLLM, llama.cpp server, ...) over the `openai` client.

Sends the same prompt the in-process backend builds (system line + turns, tool calls in the
fine-tune's text format) and parses the reply with the same strict parser. A malformed call is
retried once with a JSON-schema response format (vLLM / llama.cpp support guided decoding);
timeouts and garbage become `BackendTimeoutError` / `BackendResponseError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai

from assistant.llm.backends import ChatBackend, Message, Turn, parse_or_raise
from assistant.llm.errors import BackendResponseError, BackendTimeoutError
from assistant.llm.generation import GenerationOptions
from assistant.tools.contract import ToolCallError
from finetune.format import NO_TOOL, SYSTEM_PROMPT, TOOL_CLOSE

# the client refuses to start without a key; servers started without --api-key ignore it
NO_KEY = "sk-no-key-required"
# request fields the OpenAI API lacks but vLLM / llama.cpp accept (continuing a partial turn)
SERVER_EXTRAS = ("continue_final_message", "add_generation_prompt")


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
    ) -> None:
        super().__init__(brands, categories)
        if not base_url:
            raise BackendResponseError("llm_backend=openai needs SHOPASSIST_LLM_BASE_URL")
        self.model, self.timeout_s = model, timeout_s
        self.client = openai.OpenAI(
            base_url=base_url.rstrip("/"),
            api_key=api_key or NO_KEY,
            timeout=openai.Timeout(timeout_s, connect=min(5.0, timeout_s)),
            max_retries=0,  # a chat turn has a time budget; the caller decides about retries
        )

    def _request(
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
        body: dict[str, Any] = {}
        if prefix:  # continue a partial assistant turn
            out.append({"role": "assistant", "content": prefix})
            body = {"continue_final_message": True, "add_generation_prompt": False}
        body.update({k: extra.pop(k) for k in SERVER_EXTRAS if k in extra})
        request: dict[str, Any] = {
            "model": adapter or self.model,
            "messages": out,
            "max_tokens": opts.max_new_tokens,
            "temperature": opts.temperature,
            "top_p": opts.top_p,
            "seed": opts.seed,
            **extra,
        }
        if opts.stop:
            request["stop"] = opts.stop
        if body:
            request["extra_body"] = body
        return request

    def _create(self, request: dict[str, Any]) -> Any:
        """One completion request; the client's errors become the backend's two errors."""
        try:
            return self.client.chat.completions.create(**request)
        except openai.APITimeoutError as exc:
            raise BackendTimeoutError(f"LLM server timed out after {self.timeout_s:.0f} s") from exc
        except openai.APIStatusError as exc:
            raise BackendResponseError(
                f"LLM server answered HTTP {exc.status_code}: {exc.response.text[:200]}"
            ) from exc
        except openai.APIConnectionError as exc:
            raise BackendResponseError(f"LLM server unreachable: {exc.__cause__ or exc}") from exc
        except (openai.OpenAIError, ValueError) as exc:  # a body that is not JSON
            raise BackendResponseError(f"LLM server sent an unusable body: {exc}") from exc

    def _complete(self, request: dict[str, Any]) -> str:
        completion = self._create(request)
        try:
            content = completion.choices[0].message.content
        except (AttributeError, IndexError, TypeError) as exc:
            raise BackendResponseError(
                f"LLM server sent an unusable body: {str(completion)[:200]}"
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
        raw = self._complete(self._request(messages, call_opts, adapter))
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
            raw = self._complete(self._request(messages, call_opts, adapter, response_format=fmt))
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
        """Stream the answer (the client reads the server's Server-Sent Events)."""
        opts = options or GenerationOptions()
        chunks = self._create(self._request(messages, opts, adapter, prefix=prefix, stream=True))
        try:
            with chunks:
                for chunk in chunks:
                    if not chunk.choices:  # usage-only or keep-alive chunks
                        continue
                    delta = chunk.choices[0].delta.content if chunk.choices[0].delta else None
                    if delta:
                        yield delta
        except openai.APITimeoutError as exc:
            raise BackendTimeoutError(f"LLM server timed out after {self.timeout_s:.0f} s") from exc
        except openai.APIError as exc:  # an error event inside the stream
            raise BackendResponseError(f"LLM server stream failed: {exc}") from exc
        except (AttributeError, TypeError, ValueError) as exc:
            raise BackendResponseError(f"unusable stream chunk: {exc}") from exc
