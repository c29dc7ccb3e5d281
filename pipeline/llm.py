"""The model the night talks to, whichever provider serves it: one `Model` (ask, count) built from
radar.yaml's `llm:` and a key, the answer cleaned of reasoning, and what the tokens cost.

The provider modules (llm_anthropic.py, llm_openai.py) hold the SDK calls; this module is what
the rest of the pipeline sees. Errors never carry the key."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import RunError
from .models import LLMFailure, LLMSettings

MAX_RETRIES = 3
TIMEOUT_SECONDS = 120.0
PERMANENT_STATUSES = frozenset({400, 401, 403, 404})  # asking again changes nothing


class LLMError(RunError):
    """The API gave no answer after retries; the message is one line for the report, `failure`
    the same with the HTTP status (None: no answer at all), the requests really sent, and the
    settings that fix it — the health issue names them."""

    def __init__(self, failure: LLMFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure

    @property
    def status(self) -> int | None:
        return self.failure.status

    @property
    def permanent(self) -> bool:
        """A wrong key, model or request: the next night would fail the same way."""
        return self.status in PERMANENT_STATUSES


@dataclass(frozen=True)
class Completion:
    text: str  # the answer, reasoning removed
    tokens_in: int  # everything billed as input: fresh, cache writes and cache reads
    tokens_out: int  # everything billed as output, thinking included
    cached_tokens: int = 0
    truncated: bool = False  # stopped at max_tokens (stop_reason / finish_reason), not finished


Ask = Callable[[str, str, int], Completion]  # (system, user, max answer tokens) → Completion
Count = Callable[[str, str], "int | None"]  # the provider's token counter; None: it has none


@dataclass(frozen=True)
class Model:
    """One configured model: `ask` calls it, `count` counts a prompt's input tokens exactly
    where the provider can (None otherwise, and the briefing's conservative estimate is used)."""

    label: str  # "claude-sonnet-5-5 (anthropic)", as the report and the briefing show it
    ask: Ask
    count: Count


def connect(
    settings: LLMSettings,
    api_key: str,
    max_retries: int = MAX_RETRIES,
    timeout: float = TIMEOUT_SECONDS,
) -> Model:
    """The configured provider's Model. The SDKs are imported here, only when a key is set."""
    if settings.provider == "openai":
        from .llm_openai import openai_model

        return openai_model(settings, api_key, max_retries, timeout)
    from .llm_anthropic import anthropic_model

    return anthropic_model(settings, api_key, max_retries, timeout)


def requests_sent(err: Exception) -> int:
    """Both SDKs number each attempt in a header of the request they send; the failing one is
    the last, so this counts real requests (a 401 is not retried: one request, not four)."""
    try:
        headers = err.request.headers  # type: ignore[attr-defined]
        return int(headers.get("x-stainless-retry-count", "0")) + 1
    except (AttributeError, ValueError):
        return 1


def failure(
    settings: LLMSettings, what: str, status: int | None, err: Exception | None
) -> LLMError:
    """'the Anthropic API answered HTTP 529 (overloaded_error) after 4 requests', and where the
    fix lies: llm.model for a 404, the key's variable for a 401."""
    sent = requests_sent(err) if err is not None else 1
    message = f"{what} after {sent} request{'s' if sent != 1 else ''}"
    found = LLMFailure(message, status, sent, settings.model, "llm.model", settings.key_variable)
    return LLMError(found)


def status_detail(kind: str, status: int, message: object) -> str:
    """' (overloaded_error)'; for a 400, the API's own words on what it rejected."""
    if status == 400 and message:
        return f" ({kind}: {' '.join(str(message).split())[:200]})"
    return f" ({kind})" if kind else ""


_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


def answer_text(raw: str | None) -> str:
    """The answer without a reasoning model's thoughts: `<think>…</think>` blocks removed (and
    everything before a lone `</think>`, when the opening tag was in the prompt template), an
    unclosed `<think>` (the answer cut off while thinking) leaves nothing, and a fenced
    ```json block is unwrapped."""
    text = _THINK.sub("", raw or "")
    for closing in ("</think>", "</thinking>", "</reasoning>"):
        if closing in text.lower():
            text = text[text.lower().rindex(closing) + len(closing) :]
    if re.match(r"\s*<(think|thinking|reasoning)>", text, re.IGNORECASE):
        return ""
    fenced = _FENCE.search(text)
    if fenced and "{" in fenced.group(1):
        text = fenced.group(1)
    return text.strip()


# ---- what the tokens cost -------------------------------------------------------------------

# List prices, US$ per million tokens (input, output), at the time of writing. The longest
# prefix of the model's name wins; llm.price_per_mtok overrides; a local endpoint costs nothing.
PRICES: dict[str, tuple[float, float]] = {
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4-1": (15.0, 75.0),
    "claude-opus-4": (15.0, 75.0),
    "claude-opus": (5.0, 25.0),
    "claude-sonnet": (3.0, 15.0),
    "claude-3-7-sonnet": (3.0, 15.0),
    "claude-3-5-sonnet": (3.0, 15.0),
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-3-5-haiku": (0.8, 4.0),
    "claude-haiku": (1.0, 5.0),
    "gpt-5-nano": (0.05, 0.4),
    "gpt-5-mini": (0.25, 2.0),
    "gpt-5": (1.25, 10.0),
    "gpt-4.1-nano": (0.1, 0.4),
    "gpt-4.1-mini": (0.4, 1.6),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4o-mini": (0.15, 0.6),
    "gpt-4o": (2.5, 10.0),
    "deepseek-chat": (0.28, 0.42),
    "deepseek-reasoner": (0.28, 0.42),
    "deepseek/deepseek-chat": (0.28, 0.42),
    "qwen/qwen3": (0.2, 0.6),
    "google/gemini-2.5-flash": (0.3, 2.5),
    "anthropic/claude-sonnet": (3.0, 15.0),
    "openai/gpt-4o-mini": (0.15, 0.6),
}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "host.docker.internal")


def price_per_mtok(settings: LLMSettings) -> tuple[float, float] | None:
    """(input, output) US$ per million tokens; None when the table does not know the model."""
    if settings.price_per_mtok is not None:
        return settings.price_per_mtok
    if settings.base_url and urlsplit(settings.base_url).hostname in LOCAL_HOSTS:
        return (0.0, 0.0)
    name = settings.model.lower()
    found = [prefix for prefix in PRICES if name.startswith(prefix)]
    return PRICES[max(found, key=len)] if found else None


def cost_usd(settings: LLMSettings, tokens_in: int, tokens_out: int) -> float | None:
    prices = price_per_mtok(settings)
    if prices is None:
        return None
    return (tokens_in * prices[0] + tokens_out * prices[1]) / 1e6


def model_label(settings: LLMSettings) -> str:
    host = urlsplit(settings.base_url).hostname if settings.base_url else ""
    where = f"{settings.provider}, {host}" if host else settings.provider
    return f"{settings.model} ({where})"
