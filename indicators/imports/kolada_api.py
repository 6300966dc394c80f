"""A small client for the Kolada v3 API (https://api.kolada.se/v3): data for KPIs by kommun or
by organisational unit, page after page as the API links them with `next_url`.

Kolada is a public service shared by every kommun in Sweden: requests carry a User-Agent naming
this product, back off on 429 and 5xx (honouring Retry-After) and time out instead of hanging."""

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
# ASCII only: header values travel as latin-1 at best.
USER_AGENT = "uppfoljning-tillsammans/0.1 (follow-up of Tillsammans 2021-2030, Region Jonkoping)"
PAGE_SIZE = 5000  # the API's maximum rows per page
TIMEOUT = (10.0, 60.0)  # seconds to connect, seconds between bytes
RETRIES = 5
BACKOFF_FACTOR = 1.0  # 0 s, 2 s, 4 s, 8 s … between attempts
MAX_RETRY_AFTER = 120.0  # a server asking for longer is answered with an error instead
MAX_PAGES = 1000  # far above any real query; stops a server that links pages in a circle


class KoladaApiError(Exception):
    """A failed fetch, with a message for the analyst in Swedish."""


@dataclass(frozen=True)
class KoladaPage:
    kpi: str
    number: int  # 1-based within one KPI's query
    url: str
    document: dict[str, Any]

    @property
    def rows(self) -> int:
        return len(self.document.get("values") or [])


class _BoundedRetry(Retry):
    """urllib3's Retry, but a Retry-After beyond MAX_RETRY_AFTER is capped, so one odd header
    cannot stall the command for hours."""

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), MAX_RETRY_AFTER)


def kolada_session(
    *, retries: int = RETRIES, backoff_factor: float = BACKOFF_FACTOR
) -> requests.Session:
    retry = _BoundedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_factor,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


def data_url(
    base_url: str,
    kpi: str,
    areas: Sequence[str],
    years: Sequence[int],
    *,
    ou: bool = False,
) -> str:
    """The first page's URL: `/data/kpi/<kpi>/municipality/<areas>/year/<years>`, or
    `/oudata/kpi/<kpi>/ou/<units>/year/<years>` for organisational units."""
    kind, dimension = ("oudata", "ou") if ou else ("data", "municipality")
    ids = ",".join(quote(a.strip(), safe="") for a in areas)
    periods = ",".join(str(y) for y in years)
    return (
        f"{base_url.rstrip('/')}/{kind}/kpi/{quote(kpi.strip(), safe='')}/{dimension}/{ids}"
        f"/year/{periods}?per_page={PAGE_SIZE}"
    )


def fetch_pages(
    first_url: str,
    kpi: str,
    *,
    session: requests.Session | None = None,
    timeout: tuple[float, float] = TIMEOUT,
) -> Iterator[KoladaPage]:
    """Every page of one query, following `next_url` until it is null. Pages are only followed
    on the same scheme, host and port as the first URL."""
    own = session is None
    session = session or kolada_session()
    origin = _origin(first_url)
    seen: set[str] = set()
    url: str | None = first_url
    number = 0
    try:
        while url:
            if url in seen or number >= MAX_PAGES:
                raise KoladaApiError(
                    f"Kolada länkade sidorna i en slinga ({url}); hämtningen avbröts."
                )
            if _origin(url) != origin:
                raise KoladaApiError(
                    f"Kolada pekade nästa sida till en annan server ({url}); den följs inte."
                )
            seen.add(url)
            number += 1
            document = _get_json(session, url, timeout)
            yield KoladaPage(kpi=kpi, number=number, url=url, document=document)
            next_url = document.get("next_url")
            url = next_url if isinstance(next_url, str) and next_url else None
    finally:
        if own:
            session.close()


def fetch_to_directory(
    base_url: str,
    kpis: Sequence[str],
    areas: Sequence[str],
    years: Sequence[int],
    output: Path,
    *,
    ou: bool = False,
    session: requests.Session | None = None,
) -> list[Path]:
    """One query per KPI; each page written as `kolada-<kpi>-<n>.json` in `output`, exactly as
    the API sent it. Returns the files in the order fetched."""
    output.mkdir(parents=True, exist_ok=True)
    own = session is None
    session = session or kolada_session()
    written: list[Path] = []
    try:
        for kpi in kpis:
            url = data_url(base_url, kpi, areas, years, ou=ou)
            for page in fetch_pages(url, kpi, session=session):
                path = output / f"kolada-{_safe_name(kpi)}-{page.number}.json"
                path.write_text(
                    json.dumps(page.document, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8",
                )
                written.append(path)
    finally:
        if own:
            session.close()
    return written


def _get_json(session: requests.Session, url: str, timeout: tuple[float, float]) -> dict[str, Any]:
    try:
        response = session.get(url, timeout=timeout)
    except requests.exceptions.RetryError as error:
        raise KoladaApiError(
            f"Kolada svarade med fel även efter upprepade försök ({url}). Försök igen senare."
        ) from error
    except requests.exceptions.Timeout as error:
        raise KoladaApiError(f"Kolada svarade inte i tid ({url}). Försök igen senare.") from error
    except requests.exceptions.RequestException as error:
        raise KoladaApiError(
            f"Kunde inte nå Kolada ({url}): kontrollera nätverket och adressen. ({error})"
        ) from error
    with response:
        if response.status_code == 404:
            raise KoladaApiError(
                f"Kolada hittade inget på {url} (HTTP 404). Kontrollera KPI-id, områdeskoder "
                "och år."
            )
        if response.status_code != 200:
            raise KoladaApiError(
                f"Kolada svarade med HTTP {response.status_code} på {url}. Försök igen senare."
            )
        try:
            document = response.json()
        except ValueError as error:
            raise KoladaApiError(f"Svaret från Kolada var inte JSON ({url}).") from error
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise KoladaApiError(
            f"Svaret från Kolada saknar listan 'values' ({url}); är det rätt API-adress?"
        )
    return document


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _safe_name(kpi: str) -> str:
    # The KPI id becomes part of a file name: keep only what an id can contain.
    return "".join(ch for ch in kpi if ch.isalnum() or ch in "-_") or "kpi"
