"""Templates with their includes inlined render exactly as with Jinja's includes."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader

from pipeline.site.inline_includes import InliningLoader

REPO = Path(__file__).resolve().parents[2]
SETTINGS = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
PARTS = {
    "page.html": (
        "<main>\n{% for item in items %}\n  {% set number = loop.index %}\n"
        '  {% include "part.html" %}\n{% endfor %}\n'
        "{{ label | default('no label leaked') }}\n"
        '{%- include "dynamic.html" ignore missing %}\n</main>\n'
    ),
    "part.html": (
        "{# one item #}\n{% set label = 'inner' %}\n"
        '<p class="{{ label }}">{{ number }}. {{ item }}{% if loop.last %}!{% endif %}</p>\n'
        '{% include "deeper.html" %}\n'
    ),
    "deeper.html": "<i>{{ item | upper }}</i>\n",
}


def test_inlined_includes_render_as_includes_do() -> None:
    plain = Environment(loader=DictLoader(PARTS), **SETTINGS)
    inlined = Environment(loader=InliningLoader(DictLoader(PARTS)), **SETTINGS)
    items = ["<b>a</b>", "b"]
    expected = plain.get_template("page.html").render(items=items)
    assert inlined.get_template("page.html").render(items=items) == expected
    assert '<p class="inner">1. &lt;b&gt;a&lt;/b&gt;</p>\n<i>&lt;B&gt;A&lt;/B&gt;</i>' in expected
    assert "2. b!</p>" in expected and "no label leaked" in expected  # scoped as an include
    source = inlined.loader.get_source(inlined, "page.html")[0]
    assert '"part.html"' not in source and '"deeper.html"' not in source
    assert '{%- include "dynamic.html" ignore missing %}' in source  # left to Jinja


@pytest.mark.parametrize(
    "name", ["partials/cards.html", "partials/card.html", "article.html", "listing.html"]
)
def test_the_themes_templates_inline_to_valid_templates(name: str) -> None:
    """Every theme template still compiles once its parts are in it."""
    loader = InliningLoader(FileSystemLoader(REPO / "theme/templates"))
    environment = Environment(loader=loader, **SETTINGS)
    environment.filters.update(listing_url=str, feedback_url=str)
    template = environment.get_template(name)
    source = loader.get_source(environment, name)[0]
    assert template is not None and '{% include "partials/card/' not in source
