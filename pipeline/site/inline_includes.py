"""Templates served with their includes already in them, so a card costs no include at render.

The theme keeps one small file per part (partials/card/*.html: a card's head, title, TL;DR…),
and Jinja renders an `{% include %}` by looking the template up and copying the whole context
into a new one, every time: at 50k papers, ~8 includes for each of ~170k listing cards and 50k
paper pages were a fifth of Pelican's time. This loader replaces each `{% include "name" %}`
whose name is a literal by that template's source, inside `{% with %}…{% endwith %}`: the same
output, the same scoping (a variable the part sets stays inside it, as with an include), with
no lookup or context copy. Includes with a computed name or `ignore missing` are left as they
are. Pelican builds one Jinja environment per generator; plugin.py wraps each one's loader."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import BaseLoader, Environment

_INCLUDE = re.compile(r'\{%(-?)\s*include\s+"([^"]+)"\s*(-?)%\}')


class InliningLoader(BaseLoader):
    def __init__(self, inner: BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        return self._inline(environment, source, (template,)), filename, uptodate

    def _inline(self, environment: Environment, source: str, chain: tuple[str, ...]) -> str:
        def replace(match: re.Match[str]) -> str:
            left, name, right = match.groups()
            if name in chain:  # a template including itself: leave it to Jinja
                return match.group(0)
            part, _, _ = self.inner.get_source(environment, name)
            # Jinja drops a template's last newline (keep_trailing_newline is off)
            part = self._inline(environment, part.removesuffix("\n"), (*chain, name))
            return f"{{%{left} with %}}{part}{{% endwith {right}%}}"

        return _INCLUDE.sub(replace, source)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def inline_includes(generator: Any) -> None:
    """Pelican's generator_init signal: serve this generator's templates inlined."""
    generator.env.loader = InliningLoader(generator.env.loader)
