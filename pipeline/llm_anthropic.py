"""Anthropic's Messages API through the `anthropic` SDK (it reads ANTHROPIC_BASE_URL itself).
The SDK retries 408, 409, 429, 5xx and timeouts with backoff; the stable system prompt is marked
for prompt caching; thinking is off unless llm.thinking_budget gives it its own tokens; the
prompt is counted by the API's own counter (POST /v1/messages/count_tokens)."""

from __future__ import annotations

import logging
from typing import Any

import anthropic

from .llm import Completion, LLMError, Model, failure, model_label, status_detail
from .models import LLMSettings

log = logging.getLogger(__name__)


WHERE = "the Anthropic API"


def _status_error(err: anthropic.APIStatusError, settings: LLMSettings) -> LLMError:
    body = err.body if isinstance(err.body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    detail = status_detail(str(error.get("type") or ""), err.status_code, error.get("message"))
    what = f"{WHERE} answered HTTP {err.status_code}{detail}"
    return failure(settings, what, err.status_code, err)


def anthropic_model(settings: LLMSettings, api_key: str, max_retries: int, timeout: float) -> Model:
    client = anthropic.Anthropic(
        api_key=api_key,
        max_retries=max_retries,
        timeout=timeout,
        base_url=settings.base_url or None,
    )
    counter_works = [True]

    def system_blocks(system: str) -> list[dict[str, Any]]:
        return [{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}]

    def ask(system: str, user: str, max_tokens: int) -> Completion:
        budget = settings.thinking_budget
        thinking: Any = (
            {"type": "enabled", "budget_tokens": budget} if budget else {"type": "disabled"}
        )
        try:
            message = client.messages.create(
                model=settings.model,
                max_tokens=max_tokens + budget,
                thinking=thinking,
                system=system_blocks(system),
                messages=[{"role": "user", "content": user}],
            )
        except anthropic.APIStatusError as err:
            raise _status_error(err, settings) from None
        except anthropic.APITimeoutError as err:
            raise failure(settings, f"{WHERE} timed out", None, err) from None
        except anthropic.APIConnectionError as err:
            raise failure(settings, f"cannot reach {WHERE}", None, err) from None
        text = "".join(block.text for block in message.content if block.type == "text")
        usage = message.usage
        cache_read = usage.cache_read_input_tokens or 0
        cached = cache_read + (usage.cache_creation_input_tokens or 0)
        return Completion(
            text,
            usage.input_tokens + cached,
            usage.output_tokens,
            cache_read,
            truncated=message.stop_reason == "max_tokens",
        )

    def count(system: str, user: str) -> int | None:
        if not counter_works[0]:
            return None
        try:
            counted = client.messages.count_tokens(
                model=settings.model,
                system=system_blocks(system),
                messages=[{"role": "user", "content": user}],
            )
        except anthropic.APIError as err:
            log.debug("token counter unavailable (%s); estimating", type(err).__name__)
            counter_works[0] = False  # a proxy without the endpoint: estimate for the night
            return None
        return counted.input_tokens

    return Model(model_label(settings), ask, count)
