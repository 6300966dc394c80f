"""The Indikator page's selection in the address: `?kommuner=0680,0604&kon=K&period=2023`,
read by the layout and the selection callback, written back by that callback. Dash's pages
loader skips modules whose name starts with an underscore, so this is no page of its own."""

from urllib.parse import parse_qs, urlencode

from indicators.vocabulary.domain import Gender


def parse_kommuner(raw: str | None, known: list[str]) -> list[str]:
    """`?kommuner=0680,0604`; no parameter means all 13, `ingen` means none."""
    if raw is None:
        return list(known)
    wanted = {c.strip() for c in raw.split(",")}
    return [c for c in known if c in wanted]


def parse_period(raw: str | None, periods: list[str]) -> str | None:
    """`?period=2023`; no parameter (or one without data) means the latest period."""
    if raw in periods:
        return raw
    return periods[-1] if periods else None


def parse_gender(raw: str | None, by_gender: bool) -> str:
    """`?kon=K`; only for an indicator reported by gender, otherwise the total."""
    return raw if by_gender and raw in {g.value for g in Gender} else Gender.TOTAL.value


def parse_search(search: str | None) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}


def selection_search(
    chosen: list[str],
    order: list[str],
    gender: str,
    by_gender: bool,
    period: str | None,
    periods: list[str],
) -> str:
    """The query string for a selection; what equals the default is left out, so the plain
    address stays short."""
    params: dict[str, str] = {}
    if chosen != order:
        params["kommuner"] = ",".join(chosen) if chosen else "ingen"
    if by_gender and gender != Gender.TOTAL:
        params["kon"] = gender
    if period is not None and periods and period != periods[-1]:
        params["period"] = period
    return f"?{urlencode(params, safe=',')}" if params else ""
