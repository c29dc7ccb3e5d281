"""Charts drawn at build time as inline SVG: no script and no other host is needed to see
them. Each has a <title> and <desc>, each mark its own <title>, and the template shows the
same numbers as a table. Colours come from site.css classes, so dark mode applies.

Pure: a trends.Table in, SVG text out, every label escaped here (the template marks it safe)."""

from __future__ import annotations

from html import escape

from .trends import Table, chart_id

LABEL_WIDTH = 210
ROW_HEIGHT = 26
BAR_AREA = 480


def _svg(table: Table, width: int, height: int, body: list[str], desc: str) -> str:
    ident = chart_id(table.title)
    return (
        f'<svg class="chart" id="chart-{ident}" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart-{ident}-title chart-{ident}-desc" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-{ident}-title">{escape(table.title)}</title>'
        f'<desc id="chart-{ident}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _label(y: float, text: str) -> str:
    short = text if len(text) <= 30 else text[:29] + "…"
    return f'<text class="chart-label" x="0" y="{y:.0f}">{escape(short)}</text>'


def weekly_bars(table: Table) -> str:
    """A row of weekly bars per series, all on one scale."""
    columns = len(table.columns)
    peak = max((v for row in table.rows for v in row.values), default=0) or 1
    step = BAR_AREA / max(columns, 1)
    body = []
    for r, row in enumerate(table.rows):
        top = r * ROW_HEIGHT
        body.append(_label(top + 17, row.name))
        for c, value in enumerate(row.values):
            height = 0 if not value else max(2, (ROW_HEIGHT - 6) * value / peak)
            x = LABEL_WIDTH + c * step
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{top + ROW_HEIGHT - 3 - height:.1f}" '
                f'width="{step - 3:.1f}" height="{height:.1f}" data-value="{value}">'
                f"<title>{escape(row.name)}, week of {table.columns[c]}: {value}</title></rect>"
            )
        body.append(
            f'<line class="axis" x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH + BAR_AREA}" '
            f'y1="{top + ROW_HEIGHT - 3}" y2="{top + ROW_HEIGHT - 3}"/>'
        )
    first, last = (table.columns[0], table.columns[-1]) if table.columns else ("", "")
    desc = (
        f"Weeks from {first} to {last}; tallest bar {peak} papers. The table below has the numbers."
    )
    return _svg(table, LABEL_WIDTH + BAR_AREA, max(1, len(table.rows)) * ROW_HEIGHT, body, desc)


def term_bars(table: Table) -> str:
    """Horizontal bars: papers of this month whose title has the word."""
    peak = max((row.values[0] for row in table.rows), default=0) or 1
    body = []
    for r, row in enumerate(table.rows):
        top = r * ROW_HEIGHT
        now, before = row.values
        length = BAR_AREA * 0.8 * now / peak
        body.append(_label(top + 17, row.name))
        body.append(
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{top + 5}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 10}" data-value="{now}"><title>{escape(row.name)}: {now} '
            f"papers this month, {before} before</title></rect>"
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 6:.1f}" y="{top + 17}">'
            f"{now} ({before} before)</text>"
        )
    desc = "Papers of this month whose title has the word, and how many before it."
    return _svg(table, LABEL_WIDTH + BAR_AREA, max(1, len(table.rows)) * ROW_HEIGHT, body, desc)


def night_strip(table: Table) -> str:
    """A cell per night and source: filled by its items, marked where it failed."""
    nights = len(table.columns)
    step = BAR_AREA / max(nights, 1)
    body = []
    for r, row in enumerate(table.rows):
        top = r * ROW_HEIGHT
        body.append(_label(top + 17, row.name))
        peak = max(row.values, default=0) or 1
        for c, value in enumerate(row.values):
            x = LABEL_WIDTH + c * step
            night = table.columns[c]
            if value < 0:
                kind, height, what = "night failed", ROW_HEIGHT - 6, "failed"
            elif value == 0:
                kind, height, what = "night empty", 3, "0 items"
            else:
                kind, height, what = (
                    "night",
                    max(4, (ROW_HEIGHT - 6) * value / peak),
                    f"{value} items",
                )
            body.append(
                f'<rect class="{kind}" x="{x:.1f}" y="{top + ROW_HEIGHT - 3 - height:.1f}" '
                f'width="{step - 2:.1f}" height="{height:.1f}" data-value="{value}">'
                f"<title>{escape(row.name)}, {night}: {what}</title></rect>"
            )
    desc = (
        f"The last {nights} nights, oldest first: a bar's height is the source's items that "
        "night, a full red bar a failed fetch. The table below has the numbers."
    )
    return _svg(table, LABEL_WIDTH + BAR_AREA, max(1, len(table.rows)) * ROW_HEIGHT, body, desc)
