"""The chosen kommun and strategigrupp, carried from page to page in the address
(?kommun=0680&strategigrupp=aldre; assets/carry-selection.js rewrites every link to carry them).
A page that writes its own query keeps them with `keep_carried`."""

from urllib.parse import parse_qs

from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES

CARRIED = ("kommun", "strategigrupp")


def chosen_kommun(raw: str | None) -> str | None:
    """The kommun in `?kommun=`, if it is one of the county's 13; anything else is no choice."""
    return raw if raw in COUNTY_KOMMUN_CODES else None


def carried_params(search: str | None) -> dict[str, str]:
    """The carried words of a query string, as they stand."""
    query = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
    return {k: query[k] for k in CARRIED if query.get(k)}


def keep_carried(new_search: str, old_search: str | None, *, own: tuple[str, ...] = ()) -> str:
    """`new_search` with the carried words of `old_search` the page does not set itself."""
    kept = {k: v for k, v in carried_params(old_search).items() if k not in own}
    present = {k for k in parse_qs(new_search.lstrip("?"))}
    extra = "&".join(f"{k}={v}" for k, v in kept.items() if k not in present)
    if not extra:
        return new_search
    return f"{new_search}&{extra}" if new_search else f"?{extra}"
