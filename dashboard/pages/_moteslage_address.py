"""Mötesläge's address: the views, the slide shown and the pace live in the query string,
`/moteslage?vyer=U21401,N20891,strategi-2&steg=3&auto=30`, read by the page's layout and written
by the composer and the deck's links. Dash's pages loader skips modules whose name starts with
an underscore, so this is no page of its own."""

from urllib.parse import urlencode

PATH = "/moteslage"
PDF_PATH = "/moteslage.pdf"

STRATEGY_PREFIX = "strategi-"
GROUP_PREFIX = "grupp-"
KOMMUN_PREFIX = "kommun-"

AUTO_RANGE = (5, 3600)


def _text(raw: str | list[str] | None) -> str:
    """Dash hands a repeated query parameter over as a list; the last one counts."""
    if isinstance(raw, list):
        return ",".join(raw)
    return raw or ""


def parse_views(raw: str | list[str] | None) -> list[str]:
    """`vyer=U21401,strategi-2` → ["U21401", "strategi-2"]; blanks and repeats dropped (a view
    is in a deck once: its slides' controls are named by it), order kept."""
    return list(dict.fromkeys(v.strip() for v in _text(raw).split(",") if v.strip()))


def parse_step(raw: str | list[str] | None, count: int) -> int:
    try:
        step = int(_text(raw).split(",")[-1])
    except ValueError:
        step = 1
    return min(max(step, 1), max(count, 1))


def parse_auto(raw: str | list[str] | None) -> int | None:
    try:
        seconds = int(_text(raw).split(",")[-1])
    except ValueError:
        return None
    low, high = AUTO_RANGE
    return min(max(seconds, low), high) if seconds > 0 else None


def deck_href(views: list[str], step: int = 1, auto: int | None = None) -> str:
    params: dict[str, str | int] = {"vyer": ",".join(views), "steg": step}
    if auto:
        params["auto"] = auto
    return f"{PATH}?{urlencode(params, safe=',')}"


def composer_href(views: list[str], auto: int | None = None) -> str:
    """The composer with `views` chosen in this order (`urval`), so a half-built meeting is a
    link too."""
    params: dict[str, str | int] = {"urval": ",".join(views)} if views else {}
    if auto:
        params["auto"] = auto
    return f"{PATH}?{urlencode(params, safe=',')}" if params else PATH


def print_href(views: list[str]) -> str:
    """Every slide of the deck on one page, one printed page each (the PDF's source)."""
    return f"{PATH}?{urlencode({'vyer': ','.join(views), 'utskrift': 1}, safe=',')}"


def pdf_href(views: list[str]) -> str:
    return f"{PDF_PATH}?{urlencode({'vyer': ','.join(views)}, safe=',')}"


def moved(views: list[str], index: int, offset: int) -> list[str]:
    """`views` with the one at `index` moved by `offset` places (kept within the list)."""
    target = min(max(index + offset, 0), len(views) - 1)
    out = list(views)
    out.insert(target, out.pop(index))
    return out
