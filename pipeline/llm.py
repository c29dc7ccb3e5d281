"""The one place that talks to the Anthropic Messages API (the `anthropic` SDK; it reads
ANTHROPIC_BASE_URL itself). Retries 429, 529, 5xx and timeouts with the SDK's backoff; the
stable system prompt is marked for prompt caching. Errors never carry the key."""

from __future__ import annotations

from dataclasses import dataclass

import anthropic

from .models import BriefingSettings

MAX_RETRIES = 3
TIMEOUT_SECONDS = 90.0


class LLMError(Exception):
    """The API could not give an answer after retries; the message is one line for the report."""


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
        kind = (
            (err.body or {}).get("error", {}).get("type", "") if isinstance(err.body, dict) else ""
        )
        detail = f" ({kind})" if kind else ""
        raise LLMError(f"the Anthropic API answered HTTP {err.status_code}{detail} "
                       f"after {max_retries + 1} tries") from None  # fmt: skip
    except anthropic.APITimeoutError:
        raise LLMError(f"the Anthropic API timed out after {max_retries + 1} tries") from None
    except anthropic.APIConnectionError:
        raise LLMError("cannot reach the Anthropic API") from None
    text = "".join(block.text for block in message.content if block.type == "text")
    usage = message.usage
    cached = (usage.cache_read_input_tokens or 0) + (usage.cache_creation_input_tokens or 0)
    return Completion(text, usage.input_tokens + cached, usage.output_tokens,
                      usage.cache_read_input_tokens or 0)  # fmt: skip
