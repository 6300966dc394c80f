"""A five-year trend as a small inline SVG image: no plotly graph per row, so Översikt stays fast,
and an alt text that says what the line shows. The last point is a neutral dot unless the point
itself is judged (the change since the baseline), then it takes that change's one colour."""

from collections.abc import Sequence
from urllib.parse import quote

from dashboard.components import lean
from dashboard.components.change_words import CHANGE_COLOUR, NEUTRAL_DOT
from indicators.vocabulary.trends import Change

WIDTH, HEIGHT, PAD = 132, 36, 4


# The drawing is in tenths of a pixel (viewBox 10 × the image's size) so that every coordinate
# is a whole number: the same line, in fewer characters on pages with dozens of sparklines.
SCALE = 10


def sparkline_svg(points: Sequence[float | None], change: Change | None = None) -> str:
    values = [v for v in points if v is not None]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[int, int]:
        y = HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)
        return round((PAD + i * step) * SCALE), round((y if high != low else HEIGHT / 2) * SCALE)

    # Missing years break the line instead of being bridged, as in every chart of the product.
    segments: list[list[tuple[int, int]]] = [[]]
    for i, v in enumerate(points):
        if v is None:
            segments.append([])
        else:
            segments[-1].append(xy(i, v))
    lines = "".join(
        "<polyline fill='none' stroke='#1d3f6e' stroke-width='25' stroke-linejoin='round' "
        f"points='{' '.join(f'{x},{y}' for x, y in seg)}'/>"
        for seg in segments
        if len(seg) > 1
    )
    dots = "".join(
        f"<circle cx='{x}' cy='{y}' r='22' fill='#1d3f6e'/>"
        for seg in segments
        if len(seg) == 1
        for x, y in seg
    )
    last_i, last_v = next((i, v) for i, v in reversed(list(enumerate(points))) if v is not None)
    lx, ly = xy(last_i, last_v)
    colour = NEUTRAL_DOT if change is None else CHANGE_COLOUR[change]
    end = f"<circle cx='{lx}' cy='{ly}' r='36' fill='{colour}'/>"
    # No width and height of its own: the <img> sizes it, the viewBox keeps the proportions.
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH * SCALE} {HEIGHT * SCALE}'>"
        f"{lines}{dots}{end}</svg>"
    )


def sparkline(
    points: Sequence[float | None], alt: str, change: Change | None = None, *, tooltip: bool = True
) -> lean.Element:
    """`tooltip=False` where the row already shows both ends of the line (Kommun's table: its
    baseline and latest cells), so the alt text is not sent twice."""
    svg = sparkline_svg(points, change)
    if not svg:
        return lean.html.Span("–", className="muted", title="Inga värden för perioden")
    # URL-encoded rather than base64: only <, > and # need escaping in an SVG written with single
    # quotes, so a page of sparklines is a quarter lighter.
    return lean.html.Img(
        src="data:image/svg+xml," + quote(svg, safe=" '=/:.,-"),
        alt=alt,
        **({"title": alt} if tooltip else {}),
        width=WIDTH,
        height=HEIGHT,
        className="sparkline",
    )
