"""MathML and JATS in feed and Crossref HTML read as a person would type them (x², CO₂, kg⁻¹),
with paragraphs kept and never a tag leaked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import plain_text

M = '<math xmlns="http://www.w3.org/1998/Math/MathML">{}</math>'


def test_scripts_fractions_roots_and_annotations() -> None:
    assert plain_text(M.format("<msup><mi>m</mi><mn>2</mn></msup>")) == "m²"
    assert plain_text(M.format("<msub><mi>H</mi><mn>2</mn></msub><mi>O</mi>")) == "H₂O"
    assert plain_text(M.format("<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>")) == "x_(i)²"
    assert plain_text(M.format("<mfrac><mn>1</mn><mn>2</mn></mfrac>")) == "1/2"
    assert plain_text(M.format("<msqrt><mi>s</mi></msqrt>")) == "√(s)"
    tex = '<semantics><mi>x</mi><annotation encoding="application/x-tex">x</annotation></semantics>'
    assert plain_text(M.format(tex)) == "x"  # the TeX copy is not read twice
    after = plain_text(M.format("<msup><mi>e</mi><mn>2</mn></msup>") + " and 2 more")
    assert after == "e² and 2 more"  # the superscript ends with its element


LEAVES = st.sampled_from(["<mi>x</mi>", "<mn>2</mn>", "<mo>-</mo>", "<mi>&lt;script&gt;</mi>"])
TREES = st.recursive(
    LEAVES,
    lambda inner: st.tuples(
        st.sampled_from(["msup", "msub", "mfrac", "mrow", "msqrt", "msubsup"]),
        st.lists(inner, min_size=1, max_size=3),
    ).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=12,
)


@settings(deadline=None)
@given(TREES, st.booleans())
def test_any_formula_is_text_and_the_sentence_after_it_is_untouched(tree: str, close: bool) -> None:
    text = plain_text("a " + (M.format(tree) if close else M[:-7].format(tree)) + " <b>z</b>9")
    assert "<m" not in text and "</" not in text
    assert text.endswith("z9")


def test_prefixed_jats_and_mathml_as_crossref_sends_them() -> None:
    jats = (
        "<jats:p>CO<jats:sub>2</jats:sub> and <mml:math><mml:msup><mml:mi>x</mml:mi>"
        "<mml:mn>3</mml:mn></mml:msup></mml:math></jats:p><jats:list><jats:list-item>one"
        "</jats:list-item><jats:list-item>two</jats:list-item></jats:list>"
    )
    assert plain_text(jats) == "CO₂ and x³\n\none\n\ntwo"
    assert plain_text("<jats:script>alert(1)</jats:script>ok") == "ok"
