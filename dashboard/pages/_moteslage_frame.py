"""What every Mötesläge slide has: a kicker, a heading, its body, the source line and, when any
value shown is generated, an Exempeldata band that cannot be missed (on screen, in the printed
PDF and so in every image made of a slide).

How much goes on one slide is decided here, on the server, so the address (`steg`) names the
same slide on every screen and in the PDF: long lists are cut into pages that fit 1366 × 768
at the deck's smallest type (24 px); tests/test_moteslage_fit.py measures that they do."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from dash import html

from dashboard.components.source_note import DEMO_MARK, source_note
from indicators.reads.models import Provenance

T = TypeVar("T")

# A table row takes up to three lines at 1366 px (a title of two, its note of one); four of
# them, the table head and the chrome fit.
ROWS_PER_SLIDE = 4
# Lines of summary text per slide (a heading counts as one and a half, a long item as two).
LINES_PER_SLIDE = 12.0
CHARS_PER_LINE = 88

DEMO_BAND = f"{DEMO_MARK.upper()} – påhittade värden för att visa verktyget, inte verkliga siffror"


@dataclass(frozen=True)
class Slide:
    title: str  # read out on each change, and the deck's data-rubrik
    kicker: str
    heading: str
    body: list = field(default_factory=list)
    provenance: Provenance | None = None
    kind: str = "slide"  # a class on the slide: "indicator", "table", "summary", ...


# A deck knows all its slides but makes only the one it shows (see _moteslage_slides).
MakeSlide = Callable[[], Slide]


def ready(slide: Slide) -> MakeSlide:
    """A slide already made, as what makes it."""
    return lambda: slide


def pages(items: Sequence[T], per_page: int) -> list[list[T]]:
    """Items cut into pages of at most `per_page`, the last one no smaller than needed."""
    if not items:
        return [[]]
    return [list(items[i : i + per_page]) for i in range(0, len(items), per_page)]


def page_kicker(kicker: str, page: int, count: int) -> str:
    return f"{kicker} · del {page} av {count}" if count > 1 else kicker


def lines(text: str) -> float:
    return max(1.0, -(-len(text) // CHARS_PER_LINE))


def demo_band() -> html.P:
    return html.P(DEMO_BAND, className="slide-demo", role="note")


def render(slide: Slide) -> list:
    demo = slide.provenance is not None and slide.provenance.has_demo_data
    return [
        demo_band() if demo else None,
        html.P(slide.kicker, className="slide-kicker"),
        html.H1(slide.heading, className="slide-title"),
        html.Div(slide.body, className=f"slide-main kind-{slide.kind}"),
        source_note(slide.provenance, class_name="slide-source")
        if slide.provenance is not None
        else None,
    ]
