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

from assistant.llm.base import ChatBackend, Request, Turn
from assistant.llm.errors import BackendResponseError, BackendTimeoutError
from assistant.llm.generation import GenerationOptions
from assistant.tools.contract import ToolCallError
from finetune.format import SYSTEM_PROMPT, TOOL_CLOSE, ToolTextError

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

    def _request(self, req: Request, prefix: str = "", **extra: Any) -> dict[str, Any]:
        opts = req.opts
        msgs = list(req.messages)
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
        if req.copy_rule is not None:
            raise BackendResponseError("the openai backend does not decode under a copy rule")
        request: dict[str, Any] = {
            "model": req.adapter or self.model,
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

    def _plan(self, req: Request, tools: dict[str, dict]) -> Turn:
        """Ask for the next turn; strict parse, one schema-guided retry on a malformed call."""
        opts = req.opts
        call_opts = GenerationOptions(
            max_new_tokens=min(opts.max_new_tokens, 128),
            max_time_s=opts.max_time_s,
            stop=[TOOL_CLOSE],
            seed=opts.seed,
        )
        call = Request(req.messages, call_opts, req.adapter)
        try:
            raw = self._complete(self._request(call))
            return self.turn_from_text(raw, tools, req.messages, constrained=False)
        except (ToolTextError, ToolCallError) as first_error:
            schema = {
                "type": "object",
                "required": ["name", "arguments"],
                "properties": {"name": {"enum": list(tools)}, "arguments": {"type": "object"}},
            }
            fmt = {"type": "json_schema", "json_schema": {"name": "tool_call", "schema": schema}}
            raw = self._complete(self._request(call, response_format=fmt))
            try:
                turn = self.turn_from_text(raw, tools, req.messages, constrained=True)
                if not turn.is_call:
                    raise ToolCallError("no tool call in the guided retry")
                return turn
            except (ToolTextError, ToolCallError) as exc:
                raise BackendResponseError(
                    f"LLM server returned no valid tool call ({first_error}; retry: {exc})"
                ) from exc

    def _free(self, req: Request) -> str:
        """The server's unconstrained text of the next turn, up to a call's end or a newline."""
        opts = req.opts
        free = GenerationOptions(
            max_new_tokens=opts.max_new_tokens,
            max_time_s=opts.max_time_s,
            stop=[TOOL_CLOSE, "\n"],
            seed=opts.seed,
        )
        return self._complete(self._request(Request(req.messages, free, req.adapter)))

    def _stream(self, req: Request, prefix: str) -> Iterator[str]:
        """Stream the answer (the client reads the server's Server-Sent Events)."""
        chunks = self._create(self._request(req, prefix=prefix, stream=True))
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
