"""Any OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek, OpenRouter, SiliconFlow, a
local Ollama) through the `openai` SDK, at llm.base_url. Reasoning models are expected: their
thoughts may arrive in `reasoning_content` / `reasoning` (ignored), inside `<think>` in the
content, or fill the answer so that `content` is null. JSON mode is asked for when enabled, and
dropped for the night if the endpoint refuses the parameter."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import openai

from .llm import Completion, LLMError, Model, failure, model_label, status_detail
from .models import LLMSettings


def _where(settings: LLMSettings) -> str:
    host = urlsplit(settings.base_url).hostname if settings.base_url else "api.openai.com"
    return f"the OpenAI-compatible API at {host}"


def _status_error(err: openai.APIStatusError, settings: LLMSettings) -> LLMError:
    body = err.body if isinstance(err.body, dict) else {}
    kind = str(body.get("code") or body.get("type") or "")
    detail = status_detail(kind, err.status_code, body.get("message"))
    what = f"{_where(settings)} answered HTTP {err.status_code}{detail}"
    return failure(settings, what, err.status_code, err)


def openai_model(settings: LLMSettings, api_key: str, max_retries: int, timeout: float) -> Model:
    client = openai.OpenAI(
        api_key=api_key,
        max_retries=max_retries,
        timeout=timeout,
        base_url=settings.base_url or None,
    )
    json_mode = [settings.json_mode]

    def create(system: str, user: str, max_tokens: int) -> Any:
        extra: dict[str, Any] = {"response_format": {"type": "json_object"}} if json_mode[0] else {}
        if settings.reasoning_effort:
            extra["reasoning_effort"] = settings.reasoning_effort
        return client.chat.completions.create(
            model=settings.model,
            max_tokens=max_tokens + settings.thinking_budget,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            **extra,
        )

    def ask(system: str, user: str, max_tokens: int) -> Completion:
        try:
            try:
                response = create(system, user, max_tokens)
            except openai.BadRequestError:
                if not json_mode[0]:
                    raise
                json_mode[0] = False  # an endpoint without JSON mode: ask again without it
                response = create(system, user, max_tokens)
        except openai.APIStatusError as err:
            raise _status_error(err, settings) from None
        except openai.APITimeoutError as err:
            raise failure(settings, f"{_where(settings)} timed out", None, err) from None
        except openai.APIConnectionError as err:
            raise failure(settings, f"cannot reach {_where(settings)}", None, err) from None
        if not response.choices:
            raise failure(settings, f"{_where(settings)} answered without a choice", None, None)
        choice = response.choices[0]
        usage = response.usage
        details = usage.prompt_tokens_details if usage else None
        return Completion(
            choice.message.content or "",
            usage.prompt_tokens if usage else 0,
            usage.completion_tokens if usage else 0,
            (details.cached_tokens or 0) if details else 0,
            truncated=choice.finish_reason == "length",
        )

    return Model(model_label(settings), ask, lambda system, user: None)
