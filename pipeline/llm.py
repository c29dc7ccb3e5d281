"""The one place that talks to the Anthropic Messages API (the `anthropic` SDK; it reads
ANTHROPIC_BASE_URL itself). Retries 429, 529, 5xx and timeouts with the SDK's backoff; the
stable system prompt is marked for prompt caching. Errors never carry the key."""

from __future__ import annotations

from dataclasses import dataclass

import anthropic

from .errors import RunError
from .models import BriefingSettings, LLMFailure

MAX_RETRIES = 3
TIMEOUT_SECONDS = 90.0
MODEL_SETTING = "briefing.model"  # where radar.yaml names the model: the fix for a 404
KEY_ENV = "ANTHROPIC_API_KEY"  # where the key comes from: the fix for a 401


class LLMError(RunError):
    """The API could not give an answer after retries; the message is one line for the report,
    `failure` the same with the HTTP status and the number of requests sent."""

    def __init__(self, failure: LLMFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _requests_sent(err: anthropic.APIError) -> int:
    """The SDK numbers each attempt in a header of the request it sends; the failing one is the
    last, so this counts real requests (a 401 is not retried: one request, not four)."""
    try:
        return int(err.request.headers.get("x-stainless-retry-count", "0")) + 1
    except (AttributeError, ValueError):
        return 1


def _failure(message: str, status: int | None, err: anthropic.APIError, model: str) -> LLMError:
    sent = _requests_sent(err)
    text = f"{message} after {sent} request{'s' if sent != 1 else ''}"
    return LLMError(LLMFailure(text, status, sent, model, MODEL_SETTING, KEY_ENV))


@dataclass(frozen=True)
class Completion:
    text: str
    tokens_in: int  # everything billed as input: fresh, cache writes and cache reads
    tokens_out: int
    cached_tokens: int = 0


def complete(
    system: str, user: str, settings: BriefingSettings, api_key: str,
    max_retries: int = MAX_RETRIES, timeout: float = TIMEOUT_SECONDS, base_url: str | None = None,
) -> Completion:  # fmt: skip
    """One Messages call. `base_url` None: the SDK's own (ANTHROPIC_BASE_URL or Anthropic)."""
    client = anthropic.Anthropic(api_key=api_key, max_retries=max_retries, timeout=timeout,
                                 base_url=base_url)  # fmt: skip
    try:
        message = client.messages.create(
            model=settings.model,
            max_tokens=settings.max_output_tokens,
            system=[{"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}],
            messages=[{"role": "user", "content": user}],
        )
    except anthropic.APIStatusError as err:
        error = (err.body or {}).get("error", {}) if isinstance(err.body, dict) else {}
        kind = error.get("type", "") if isinstance(error, dict) else ""
        detail = f" ({kind})" if kind else ""
        if err.status_code == 400 and isinstance(error, dict) and error.get("message"):
            detail = f" ({kind}: {' '.join(str(error['message']).split())[:200]})"  # says what
        answered = f"the Anthropic API answered HTTP {err.status_code}{detail}"
        raise _failure(answered, err.status_code, err, settings.model) from None
    except anthropic.APITimeoutError as err:
        raise _failure("the Anthropic API timed out", None, err, settings.model) from None
    except anthropic.APIConnectionError as err:
        raise _failure("cannot reach the Anthropic API", None, err, settings.model) from None
    text = "".join(block.text for block in message.content if block.type == "text")
    usage = message.usage
    cached = (usage.cache_read_input_tokens or 0) + (usage.cache_creation_input_tokens or 0)
    return Completion(text, usage.input_tokens + cached, usage.output_tokens,
                      usage.cache_read_input_tokens or 0)  # fmt: skip
