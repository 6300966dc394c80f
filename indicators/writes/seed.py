"""Exempeldata: deterministic, plausible observations for every indicator in the store.

One generator serves the demo, the tests and national-scale benchmarks. Every random draw is a
pure function of (seed, indicator, purpose, area, period, gender) through a counter-based hash
rather than a sequential stream. So a kommun gets the same figures whether 13 or 290 kommuner
are seeded, adding an indicator changes no other indicator, and every run on every machine gives
the same rows. Generation is vectorised per indicator; nothing loops over observations.
"""

import hashlib
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

# Imported for its refresher: the hidden cells are rewritten in the transaction of every write.
from indicators.reads import derived  # noqa: F401
from indicators.store import bulk
from indicators.store.models import Area, ImportBatch, Indicator
from indicators.vocabulary.domain import (
    OBSERVATION_COLUMNS,
    OBSERVATION_NUMBERS,
    AreaKind,
    AreaLevel,
    AuditAction,
    Direction,
    Gender,
    ObservationStatus,
    PeriodType,
    ValueKind,
)
from indicators.writes import audit

SOURCE_NAME = "Exempeldata (genererad, deterministisk)"
FORMAT = "exempeldata"
IMPORTED_BY = "system"
# Fixed so that two seeded stores are identical, batch row included.
IMPORTED_AT = datetime(2026, 1, 1, tzinfo=UTC)

SUPPRESSED_REASON = "sekretess (färre än 5)"
MISSING_REASON = "bortfall"
MISSING_SHARE = 0.01
MIN_NUMERATOR = 5
MIN_DENOMINATOR = 10

COLUMNS = OBSERVATION_COLUMNS

TREND_ORIGIN = 2020  # profile levels are levels in this year
POPULATION_YEAR = 2024  # populations below are for this year
NOISE_POPULATION = 20_000  # a profile's noise is the yearly sd in a kommun of this size
WOMEN_IN_POPULATION = 0.497
_GENDERS = (Gender.TOTAL, Gender.WOMEN, Gender.MEN)
_STATUSES = (ObservationStatus.OK, ObservationStatus.MISSING, ObservationStatus.SUPPRESSED)
_REASONS = ("", MISSING_REASON, SUPPRESSED_REASON)
_OK, _MISSING, _SUPPRESSED = 0, 1, 2

# Approximate 2024 populations. The county's kommuner are what ReKo looks at; the big cities make
# Riket's weighting realistic. Every other kommun gets a deterministic log-normal size.
KNOWN_POPULATIONS: dict[str, int] = {
    "0680": 143_000,  # Jönköping
    "0683": 34_500,  # Värnamo
    "0682": 31_500,  # Nässjö
    "0662": 29_500,  # Gislaved
    "0685": 27_500,  # Vetlanda
    "0687": 19_000,  # Tranås
    "0686": 17_700,  # Eksjö
    "0665": 14_300,  # Vaggeryd
    "0643": 12_300,  # Habo
    "0684": 11_300,  # Sävsjö
    "0617": 9_500,  # Gnosjö
    "0642": 7_300,  # Mullsjö
    "0604": 7_000,  # Aneby
    "0180": 985_000,  # Stockholm
    "1480": 600_000,  # Göteborg
    "1280": 360_000,  # Malmö
    "0380": 245_000,  # Uppsala
    "0580": 168_000,  # Linköping
    "1880": 160_000,  # Örebro
    "1980": 157_000,  # Västerås
    "1283": 151_000,  # Helsingborg
    "0581": 146_000,  # Norrköping
    "2480": 132_000,  # Umeå
    "1281": 128_000,  # Lund
}
_REGION_FALLBACK_POPULATION = 300_000
_NATION_FALLBACK_POPULATION = 10_500_000


# --------------------------------------------------------------------------------------------
# Public value types


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    value_kind: ValueKind
    direction: Direction = Direction.NEITHER
    decimals: int = 1
    by_gender: bool = False
    area_level: AreaLevel = AreaLevel.ALL
    codes: tuple[int, ...] = ()
    title: str = ""
    unit: str = ""
    period_type: PeriodType = PeriodType.YEAR


@dataclass(frozen=True)
class AreaSpec:
    code: str
    kind: AreaKind
    parent_code: str | None = None
    population: int = 0  # in POPULATION_YEAR; 0 = derive (demo_population, or sum of kommuner)


@dataclass(frozen=True)
class Profile:
    """Overrides for one real indicator, in its own unit (percentage points for rates, days,
    staff, per `per` inhabitants for ratios, per 1 000 inhabitants for counts). `level` is the
    level in TREND_ORIGIN, `trend` the typical yearly change (signed), `spread` the sd of the
    kommun-to-kommun level. For coded indicators, `level` is the median year of the first step
    (Nej → Test), `trend` the mean number of years per further step and `spread` the sd of the
    first-step year. None keeps the default for the value kind."""

    level: float
    trend: float
    spread: float
    noise: float | None = None  # non-rates: yearly sd in a kommun of NOISE_POPULATION
    share: float | None = None  # rates: denominator / population; ratios: base / population
    women: float | None = None  # women's share of the denominator or target group
    gap: float | None = None  # systematic K minus M difference
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class SeedReport:
    batch_id: int
    observations: int
    indicators: int
    areas: int


def _rate(level: float, trend: float, spread: float, share: float, **kw: float) -> Profile:
    return Profile(level, trend, spread, share=share, **kw)


# Levels and trends that look like the published series for the catalogue's indicators.
PROFILES: dict[str, Profile] = {
    # Folkhälsa (surveys: denominators are respondents, roughly 0.6 % of the population)
    "U01405": _rate(71, 0.1, 3, 0.006, women=0.52, gap=-3),
    "U01760": _rate(51, 0.3, 3.5, 0.006, gap=-12),
    "U01429": _rate(64, 0.3, 4, 0.006, gap=1),
    "U01473": _rate(70, -0.3, 3, 0.006, gap=-7),
    "N01452": _rate(9, 0.2, 1.5, 0.006, gap=5),
    "N33820": _rate(10, 0.3, 2, 0.23, women=0.49, gap=2),
    "U61901": Profile(60, 0.3, 5, noise=2),
    "N61603": Profile(17, -0.15, 3, share=0.70, gap=-16),
    # Hälso- och sjukvårdsbarometern and other regional surveys
    "U70445": _rate(58, 0.2, 4, 0.004, women=0.55, gap=-3),
    "U70450": _rate(64, -0.4, 5, 0.004),
    "U70447": _rate(62, 0.0, 4, 0.004, women=0.55, gap=-1),
    "U71458": _rate(60, 0.2, 4, 0.004, women=0.55, gap=1),
    "N70465": _rate(68, 1.2, 4, 0.004, women=0.52, gap=2),
    "N70467": _rate(52, 1.0, 5, 0.004, women=0.52, gap=-2),
    "N70552": _rate(62, 3.0, 5, 0.001),
    "N70553": _rate(38, 3.5, 5, 0.001),
    "N70554": _rate(14, 2.5, 3, 0.001),
    "N70557": _rate(7, 1.0, 2, 0.001),
    "N70559": _rate(52, 2.5, 5, 0.001),
    # Tillgänglighet
    "U23401": Profile(62, 0.8, 15, noise=7, lo=3, hi=400, women=0.62, gap=4),
    "U23431": _rate(14, -0.4, 7, 0.003, women=0.62),
    "U72552": _rate(78, 0.6, 9, 0.0025),
    "U79119": _rate(58, 0.8, 12, 0.0025),
    "N79179": _rate(84, -0.2, 6, 0.08),
    # Utskrivning och återinskrivning
    "N20403": Profile(4.5, 0.15, 1.5, noise=0.8, lo=0.5, hi=30),
    "U79135": Profile(95, -3, 35, share=0.21),
    "N20506": _rate(18, -0.2, 2.5, 0.006, women=0.55, gap=-1.5),
    # SIP, samordning och kontinuitet i äldreomsorgen
    "U21571": _rate(68, 2.0, 15, 0.0025),
    "N21605": _rate(62, 2.0, 15, 0.0025),
    "N21497": _rate(70, 0.3, 8, 0.012, women=0.66, gap=1.5),
    "N21600": _rate(86, 1.0, 8, 0.025, women=0.66),
    "N20509": Profile(8, -0.1, 2, noise=1.2, lo=2, hi=25),
    "U21401": Profile(15, -0.25, 2.5, noise=1.5, lo=5, hi=30, women=0.65, gap=0.3),
    "U21505": _rate(86, -0.1, 3, 0.012, women=0.66, gap=-2),
    "U23521": _rate(86, 0.1, 3, 0.004, women=0.68),
    "RJL-SIP-DELAKTIGHET": _rate(74, 0.8, 8, 0.0025),
    # Primärvård och psykiatri
    "N78113": Profile(72, 0.3, 3, noise=1.0, lo=0, hi=100, women=0.55, gap=-1),
    "N79533": Profile(58, 0.4, 6, noise=2),
    "N79541": Profile(71, 0.3, 4, noise=1.5),
    "RJL-KONTINUITETSINDEX-PV": Profile(0.42, 0.008, 0.08, noise=0.03, lo=0, hi=1),
    "RJL-KONTINUITETSINDEX-SABO": Profile(0.52, 0.01, 0.09, noise=0.04, lo=0, hi=1),
    "RJL-FAST-LAKARKONTAKT": _rate(38, 1.8, 10, 0.95),
    # Slutenvård och fallskador (counts per population base)
    "U79133": Profile(880, -12, 120, share=0.77, gap=-120),
    "U20462": Profile(2300, 15, 300, share=0.21, women=0.55, gap=500),
    "N20402": Profile(5600, 20, 600, share=0.055, women=0.62, gap=600),
    "N70706": Profile(10400, -120, 1200, share=1.0),
    # Välfärdsteknik and SIP (coded: first-step year, years per step, sd of first-step year)
    "U21343": Profile(2020.5, 2.0, 1.5),
    "U21344": Profile(2016, 3.0, 3),
    "U07353": Profile(2019, 3.0, 3),
    "U21340": Profile(2016, 3.0, 3),
    "U21341": Profile(2014, 3.0, 3),
    "U21342": Profile(2017, 3.0, 3),
    "U07344": Profile(2019, 2.5, 2.5),
}


# --------------------------------------------------------------------------------------------
# Keyed randomness

# What each array holds: draws and values, hashed keys, positions, masks.
Floats = npt.NDArray[np.float64]
Keys = npt.NDArray[np.uint64]
Positions = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Statuses = npt.NDArray[np.int8]

_U64 = np.uint64
_MASK64 = (1 << 64) - 1


def _mix(x: Keys) -> Keys:
    # SplitMix64's finaliser: a bijective scramble, so distinct keys never share a draw.
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _key(text: str) -> int:
    # crc32 rather than hash(): Python salts str hashes per process.
    return zlib.crc32(text.encode("utf-8"))


def _keys(texts: Sequence[str]) -> Keys:
    return np.array([_key(t) for t in texts], dtype=np.uint64)


class _Draws:
    """Uniforms and normals as pure functions of their keys; keys broadcast like arrays."""

    def __init__(self, seed: int, name: str) -> None:
        base = _mix(np.array([seed & _MASK64], dtype=np.uint64))
        self._base = _mix(base ^ _U64(_key(name)))

    def uniform(self, purpose: str, *keys: Keys) -> Floats:
        h = _mix(self._base ^ _U64(_key(purpose)))
        for k in keys:
            h = _mix(h ^ k)
        # 53 random bits, centred in their cell so the result is never 0 or 1.
        return ((h >> _U64(11)).astype(np.float64) + 0.5) * 2.0**-53

    def normal(self, purpose: str, *keys: Keys) -> Floats:
        u1 = self.uniform(purpose + "/1", *keys)
        u2 = self.uniform(purpose + "/2", *keys)
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

    def binomial(self, purpose: str, n: Floats, p: Floats | float, *keys: Keys) -> Floats:
        return _binomial(n, p, self.uniform(purpose, *keys), self.normal(purpose, *keys))

    def poisson(self, purpose: str, lam: Floats, *keys: Keys) -> Floats:
        return _poisson(lam, self.uniform(purpose, *keys), self.normal(purpose, *keys))


def _binomial(n: Floats, p: Floats | float, u: Floats, z: Floats) -> Floats:
    """A binomial draw from keyed uniforms: exact inverse CDF where the normal approximation
    would be poor (small n·p·q, i.e. small kommuner), normal approximation elsewhere."""
    n, p, u, z = (np.array(a, dtype=np.float64) for a in np.broadcast_arrays(n, p, u, z))
    flip = p > 0.5  # draw the rarer outcome, so the exact search below stays short
    q = np.where(flip, 1.0 - p, p)
    var = n * q * (1.0 - q)
    k = np.floor(n * q + np.sqrt(var) * z + 0.5)
    small = var < 9.0
    if small.any():
        ns, qs, us = n[small], q[small], u[small]
        pmf = (1.0 - qs) ** ns
        cdf = pmf.copy()
        ks = np.zeros_like(ns)
        odds = qs / (1.0 - qs)
        # n·q < 18 here, so 100 steps cover every u short of rounding noise at the very top.
        for j in range(100):
            active = cdf < us
            if not active.any():
                break
            ks += active
            pmf = pmf * np.maximum(ns - j, 0.0) / (j + 1) * odds
            cdf = cdf + pmf
        k[small] = ks
    k = np.clip(k, 0.0, n)
    return np.where(flip, n - k, k)


def _poisson(lam: Floats, u: Floats, z: Floats) -> Floats:
    lam, u, z = (np.array(a, dtype=np.float64) for a in np.broadcast_arrays(lam, u, z))
    k = np.floor(lam + np.sqrt(lam) * z + 0.5)
    small = lam < 30.0
    if small.any():
        ls, us = lam[small], u[small]
        pmf = np.exp(-ls)
        cdf = pmf.copy()
        ks = np.zeros_like(ls)
        for j in range(100):
            active = cdf < us
            if not active.any():
                break
            ks += active
            pmf = pmf * ls / (j + 1)
            cdf = cdf + pmf
        k[small] = ks
    return np.maximum(k, 0.0)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _expit(x: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------------------------
# Populations


def demo_population(code: str) -> int:
    """A kommun's approximate population in POPULATION_YEAR; independent of the seed, since the
    geography is not what a seed should vary."""
    if code in KNOWN_POPULATIONS:
        return KNOWN_POPULATIONS[code]
    z = _Draws(0, "population").normal("size", _keys([code]))[0]
    return int(np.clip(round(16_000 * math.exp(0.95 * z), -2), 2_400, 1_000_000))


def _resolve_populations(areas: Sequence[AreaSpec]) -> dict[str, float]:
    pops = {a.code: float(a.population) for a in areas if a.population > 0}
    for a in areas:
        if a.kind is AreaKind.KOMMUN and a.code not in pops:
            pops[a.code] = float(demo_population(a.code))
    for a in areas:
        if a.code in pops:
            continue
        if a.kind is AreaKind.REGION:
            members = [
                pops[k.code] for k in areas if k.kind is AreaKind.KOMMUN and k.parent_code == a.code
            ]
            pops[a.code] = sum(members) or _REGION_FALLBACK_POPULATION
        elif a.kind is AreaKind.NATION:
            kommuner = [pops[k.code] for k in areas if k.kind is AreaKind.KOMMUN]
            pops[a.code] = sum(kommuner) or _NATION_FALLBACK_POPULATION
        else:
            pops[a.code] = float(demo_population(a.code))
    return pops


def _population_matrix(codes: Sequence[str], ref: dict[str, float], years: range) -> Floats:
    keys = _keys(codes)
    growth = 0.004 + 0.005 * _Draws(0, "population").normal("growth", keys)
    growth = np.clip(growth, -0.015, 0.02)
    base = np.array([ref[c] for c in codes])
    offset = np.arange(years.start, years.stop, years.step) - POPULATION_YEAR
    return np.round(base[:, None] * (1.0 + growth[:, None]) ** offset[None, :])


def population_table(areas: Sequence[AreaSpec], years: range) -> pd.DataFrame:
    """The populations the generator uses as sizes and aggregation weights."""
    codes = sorted(a.code for a in areas)
    matrix = _population_matrix(codes, _resolve_populations(areas), years)
    return pd.DataFrame(
        {
            "area_code": np.repeat(codes, len(years)),
            "year": np.tile(np.array(list(years)), len(codes)),
            "population": matrix.ravel().astype(np.int64),
        }
    )


# --------------------------------------------------------------------------------------------
# Parameters per indicator


@dataclass(frozen=True)
class _Params:
    level: float
    trend: float
    spread: float
    noise: float = 0.0
    share: float = 0.0
    women: float = 0.5
    gap: float = 0.0
    lo: float = 0.0
    hi: float = math.inf
    per: float = 1.0


_ZERO_TO_ONE = re.compile(r"0\s*[–-]\s*1(?![0-9])")
_PER = re.compile(r"(?:per|/)\s*(\d[\d  ]*)")
_AGE_PLUS = re.compile(r"(\d{1,2})\s*(?:år)?\s*\+")
_DISCONTINUED = re.compile(r"\(\s*-\s*(\d{4})\s*\)")


def _is_population(spec: IndicatorSpec) -> bool:
    return spec.value_kind is ValueKind.COUNT and (
        "invånare" in spec.unit.lower() or "befolkning" in spec.title.lower()
    )


def _per(unit: str) -> float:
    match = _PER.search(unit)
    if not match:
        return 100_000.0
    return float(re.sub(r"\D", "", match.group(1)))


def _base_share(unit: str) -> float:
    # The population a ratio is "per" (65+, 80+, 20 år+); a rough age pyramid is enough.
    match = _AGE_PLUS.search(unit)
    if not match:
        return 1.0
    return float(np.clip((85 - int(match.group(1))) / 85 * 1.05, 0.03, 1.0))


def _params(spec: IndicatorSpec, seed: int) -> _Params:
    u = _Draws(seed, spec.id).uniform("profile", np.arange(4, dtype=np.uint64)).tolist()
    if spec.direction is Direction.NEITHER:
        sign = 1.0 if u[3] < 0.5 else -1.0
    else:
        improving = 1.0 if spec.direction is Direction.HIGHER_BETTER else -1.0
        # Mostly improving, but a fifth of the series drift the wrong way.
        sign = improving if u[3] < 0.8 else -improving
    profile = PROFILES.get(spec.id)
    # Defaults that scale with the level (noise, spread, gap) follow a profile's own level.
    defaults = _kind_defaults(spec, u, sign, profile.level if profile else None)
    if profile is None:
        return defaults
    overrides = {k: v for k, v in vars(profile).items() if v is not None}
    return _Params(**{**vars(defaults), **overrides})


def _kind_defaults(
    spec: IndicatorSpec, u: list[float], sign: float, level: float | None
) -> _Params:
    unit = spec.unit.lower()
    kind = spec.value_kind
    gap = u[2] - 0.5  # scaled per kind below

    def lv(default: float) -> float:
        return default if level is None else level

    if kind is ValueKind.RATE:
        return _Params(lv(30 + 60 * u[0]), sign * (0.2 + 1.3 * u[1]), 6, share=0.01, gap=6 * gap)
    if kind is ValueKind.CODED:
        return _Params(lv(2014 + 8 * u[0]), 2 + 2 * u[1], 3)
    if kind is ValueKind.RATIO:
        per = _per(unit)
        if per >= 100_000:
            x = lv(100 + 2400 * u[0])
        elif per >= 1_000:
            x = lv(20 + 280 * u[0])
        else:
            x = lv(per * (0.001 + 0.024 * u[0]))
        return _Params(
            x,
            sign * 0.015 * x,
            0.2 * x,
            noise=0.02 * x,
            share=_base_share(unit),
            gap=0.2 * x * gap,
            per=per,
        )
    if kind is ValueKind.COUNT:
        x = lv(1 + 9 * u[0])  # per 1 000 inhabitants
        return _Params(x, sign * (0.005 + 0.02 * u[1]) * x, 0.2 * x, per=1_000)
    if kind is ValueKind.INDEX and _ZERO_TO_ONE.search(unit):
        x = lv(0.3 + 0.6 * u[0])
        return _Params(x, sign * (0.002 + 0.01 * u[1]), 0.07, noise=0.03, gap=0.04 * gap, hi=1)
    if kind is ValueKind.INDEX or "poäng" in unit or "100" in unit or "%" in unit:
        x = lv(50 + 35 * u[0])
        return _Params(x, sign * (0.1 + 0.6 * u[1]), 5, noise=2, gap=4 * gap, hi=100)
    if "dag" in unit:
        x = lv(20 + 100 * u[0])
        return _Params(
            x, sign * (0.3 + 2 * u[1]), 0.3 * x, noise=0.15 * x, gap=0.1 * x * gap, hi=365
        )
    if "personal" in unit:
        x = lv(8 + 10 * u[0])
        return _Params(x, sign * (0.05 + 0.25 * u[1]), 2.5, noise=1.5, gap=gap, lo=1, hi=40)
    x = lv(10 + 90 * u[0])
    return _Params(x, sign * 0.01 * x, 0.2 * x, noise=0.1 * x, gap=0.1 * x * gap)


# --------------------------------------------------------------------------------------------
# Generation


@dataclass(frozen=True)
class _Periods:
    starts: list[date]
    year_index: Positions  # into the years range
    t: Floats  # years since TREND_ORIGIN
    fraction: float  # of a year


_MONTHS = {
    PeriodType.YEAR: (1,),
    PeriodType.HALF_YEAR: (1, 7),
    PeriodType.TERTIAL: (1, 5, 9),
    PeriodType.QUARTER: (1, 4, 7, 10),
    PeriodType.MONTH: tuple(range(1, 13)),
}


def _periods(spec: IndicatorSpec, years: range) -> _Periods:
    ended = _DISCONTINUED.search(spec.title)
    last = int(ended.group(1)) if ended else None
    months = _MONTHS[spec.period_type]
    starts, index, t = [], [], []
    for i, year in enumerate(years):
        if last is not None and year > last:
            continue
        for month in months:
            starts.append(date(year, month, 1))
            index.append(i)
            t.append(year + (month - 1) / 12 - TREND_ORIGIN)
    return _Periods(starts, np.array(index, dtype=np.int64), np.array(t), 1 / len(months))


@dataclass
class _Geography:
    codes: list[str]  # sorted
    kind: list[AreaKind]
    parent: Positions  # index into codes, -1 if none present
    keys: Keys
    population: Floats  # (areas, years)

    def of_kind(self, kind: AreaKind) -> Positions:
        return np.array([i for i, k in enumerate(self.kind) if k is kind], dtype=np.int64)


def _geography(areas: Sequence[AreaSpec], years: range) -> _Geography:
    ordered = sorted(areas, key=lambda a: a.code)
    codes = [a.code for a in ordered]
    if len(set(codes)) != len(codes):
        raise ValueError("områdeskoderna måste vara unika")
    position = {c: i for i, c in enumerate(codes)}
    parent = np.array([position.get(a.parent_code or "", -1) for a in ordered], dtype=np.int64)
    pops = _population_matrix(codes, _resolve_populations(ordered), years)
    return _Geography(codes, [a.kind for a in ordered], parent, _keys(codes), pops)


@dataclass
class _Block:
    """One indicator's rows for a set of areas, as (areas, periods, genders) arrays."""

    areas: Positions
    value: Floats
    numerator: Floats
    denominator: Floats
    status: Statuses


def _area_trend(prm: _Params, z: Floats) -> Floats:
    # Kommuner differ in pace and some move against the indicator's usual direction.
    return prm.trend + (0.8 * abs(prm.trend) + 0.05 * prm.spread) * z


def _simulate_rate(
    prm: _Params,
    d: _Draws,
    ak: Keys,
    pk: Keys,
    pop: Floats,
    per: _Periods,
    by_gender: bool,
) -> tuple[Floats, Floats]:
    level = float(np.clip(prm.level / 100, 0.01, 0.99))
    slope = 1.0 / (level * (1.0 - level)) / 100  # logit per percentage point at the level
    # Working on the logit scale keeps long trends inside 0–100 % without piling up at a clip.
    eta = _logit(level) + slope * (
        prm.spread * d.normal("offset", ak)
        + _area_trend(prm, d.normal("trend", ak)) * per.t[None, :]
        + 0.5 * d.normal("shock", ak, pk)
    )
    size = pop * prm.share * per.fraction * np.exp(0.05 * d.normal("size", ak, pk))
    n = np.round(size)
    if not by_gender:
        num = d.binomial("num", n, _expit(eta), ak, pk)
        return num[..., None], n[..., None]
    n_k = d.binomial("den_k", n, prm.women, ak, pk)
    n_m = n - n_k
    half_gap = slope * prm.gap / 2
    num_k = d.binomial("num_k", n_k, _expit(eta + half_gap), ak, pk)
    num_m = d.binomial("num_m", n_m, _expit(eta - half_gap), ak, pk)
    return np.stack([num_k + num_m, num_k, num_m], -1), np.stack([n, n_k, n_m], -1)


def _simulate_level(
    prm: _Params,
    d: _Draws,
    ak: Keys,
    pk: Keys,
    pop: Floats,
    per: _Periods,
    by_gender: bool,
) -> Floats:
    """Means, medians and indices: an area level and trend plus noise ∝ 1/√population."""
    x = (
        prm.level
        + prm.spread * d.normal("offset", ak)
        + _area_trend(prm, d.normal("trend", ak)) * per.t[None, :]
        + 0.2 * prm.noise * d.normal("shock", ak, pk)
    )
    sd = prm.noise * np.sqrt(NOISE_POPULATION / pop)
    if not by_gender:
        return np.clip(x + sd * d.normal("noise", ak, pk), prm.lo, prm.hi)[..., None]
    women = float(np.clip(prm.women, 0.05, 0.95))
    k = np.clip(
        x + prm.gap / 2 + sd / math.sqrt(women) * d.normal("noise_k", ak, pk), prm.lo, prm.hi
    )
    m = np.clip(
        x - prm.gap / 2 + sd / math.sqrt(1 - women) * d.normal("noise_m", ak, pk), prm.lo, prm.hi
    )
    return np.stack([women * k + (1 - women) * m, k, m], -1)


def _simulate_ratio(
    prm: _Params,
    d: _Draws,
    ak: Keys,
    pk: Keys,
    pop: Floats,
    per: _Periods,
    by_gender: bool,
) -> tuple[Floats, Floats]:
    """Counts per population base, so small kommuner get Poisson noise of their own size."""
    r = (
        prm.level
        + prm.spread * d.normal("offset", ak)
        + _area_trend(prm, d.normal("trend", ak)) * per.t[None, :]
        + prm.noise * d.normal("shock", ak, pk)
    )
    r = np.maximum(r, 0.02 * prm.level)
    base = np.round(pop * prm.share)
    if not by_gender:
        count = d.poisson("count", base * r / prm.per, ak, pk)
        return count[..., None], base[..., None]
    base_k = np.round(base * prm.women)
    base_m = base - base_k
    r_k = np.maximum(r + prm.gap / 2, 0.0)
    r_m = np.maximum(r - prm.gap / 2, 0.0)
    c_k = d.poisson("count_k", base_k * r_k / prm.per, ak, pk)
    c_m = d.poisson("count_m", base_m * r_m / prm.per, ak, pk)
    return np.stack([c_k + c_m, c_k, c_m], -1), np.stack([base, base_k, base_m], -1)


def _simulate_count(
    spec: IndicatorSpec,
    prm: _Params,
    d: _Draws,
    ak: Keys,
    pk: Keys,
    pop: Floats,
    per: _Periods,
) -> Floats:
    if _is_population(spec):
        women = np.round(pop * WOMEN_IN_POPULATION)
        total = pop
    else:
        rate = np.maximum(
            prm.level
            + prm.spread * d.normal("offset", ak)
            + _area_trend(prm, d.normal("trend", ak)) * per.t[None, :],
            0.0,
        )
        expected = pop * per.fraction * rate / prm.per
        women = d.poisson("count_k", expected * prm.women, ak, pk)
        men = d.poisson("count_m", expected * (1 - prm.women), ak, pk)
        total = women + men
    if not spec.by_gender:
        return total[..., None]
    return np.stack([total, women, total - women], -1)


def _simulate_coded(
    spec: IndicatorSpec, prm: _Params, d: _Draws, ak: Keys, pk: Keys, years: Floats
) -> Floats:
    """Adoption over time: each area passes the steps (Nej → Test → Breddinfört) in its own
    years and, rarely, falls back one step for a year."""
    stages = np.array(sorted(spec.codes, reverse=spec.direction is Direction.LOWER_BETTER))
    step_year = prm.level + prm.spread * d.normal("first_step", ak)  # (areas, 1)
    stage = np.zeros((len(ak), len(years)), dtype=np.int64)
    for step in range(1, len(stages)):
        if step > 1:
            step_year = step_year + np.maximum(
                1.0, np.round(2 * prm.trend * d.uniform(f"step{step}", ak))
            )
        stage += years[None, :] >= step_year
    back = (d.uniform("back", ak, pk) < 0.02) & (stage > 0)
    return stages[stage - back].astype(np.float64)[..., None]


def _publish(
    kind: ValueKind,
    prm: _Params,
    decimals: int,
    value: Floats | None,
    num: Floats | None,
    den: Floats | None,
    missing: Mask,
    population: bool,
) -> _Block:
    """Rounded values and statuses; num/den are the true counts, before suppression."""
    shape = missing.shape
    status = np.where(missing, _MISSING, _OK).astype(np.int8)
    nan = np.full(shape, np.nan)
    numerator, denominator = nan, nan
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind is ValueKind.RATE or kind is ValueKind.RATIO:
            assert num is not None and den is not None
            scale = 100.0 if kind is ValueKind.RATE else prm.per
            value = np.round(scale * num / den, decimals)
            numerator, denominator = num, den
            small = (num < MIN_NUMERATOR) | (den < MIN_DENOMINATOR)
            status[small & ~missing] = _SUPPRESSED
        elif kind is ValueKind.COUNT:
            assert value is not None
            if not population:
                status[(value > 0) & (value < MIN_NUMERATOR) & ~missing] = _SUPPRESSED
        else:
            assert value is not None
            value = np.round(value, decimals)
    ok = status == _OK
    return _Block(
        np.empty(0, dtype=np.int64),
        np.where(ok, value, np.nan),
        np.where(ok, numerator, np.nan),
        np.where(ok, denominator, np.nan),
        status,
    )


def _generate_one(spec: IndicatorSpec, geo: _Geography, years: range, seed: int) -> list[_Block]:
    per = _periods(spec, years)
    if not per.starts:
        return []
    kind = spec.value_kind
    kommuner = geo.of_kind(AreaKind.KOMMUN)
    regions = geo.of_kind(AreaKind.REGION)
    nations = geo.of_kind(AreaKind.NATION)
    level = spec.area_level
    if kind is ValueKind.CODED:
        # A coded answer belongs to whoever gave it; it cannot be summed into a county answer.
        base = {AreaLevel.KOMMUN: kommuner, AreaLevel.REGION: regions}.get(
            level, np.concatenate([kommuner, regions])
        )
        groups: list[int] = []
    elif level is AreaLevel.REGION or len(kommuner) == 0:
        # Without kommuner to aggregate (a region-only store), regions get figures of their own.
        base = regions
        groups = list(nations)
    else:
        base = kommuner
        present = set(geo.parent[kommuner].tolist())
        groups = [int(r) for r in regions if int(r) in present] + list(nations)
    if len(base) == 0:
        return []

    d = _Draws(seed, spec.id)
    prm = _params(spec, seed)
    ak = geo.keys[base][:, None]
    pk = np.array([s.year * 100 + s.month for s in per.starts], dtype=np.uint64)[None, :]
    pop = geo.population[base][:, per.year_index]
    population = _is_population(spec)
    by_gender = spec.by_gender and kind is not ValueKind.CODED
    missing = (d.uniform("missing", ak, pk) < MISSING_SHARE) & (not population)
    missing = np.broadcast_to(
        missing[..., None], (len(base), len(per.starts), 3 if by_gender else 1)
    )

    value = num = den = None
    if kind is ValueKind.RATE:
        num, den = _simulate_rate(prm, d, ak, pk, pop, per, by_gender)
    elif kind is ValueKind.RATIO:
        num, den = _simulate_ratio(prm, d, ak, pk, pop, per, by_gender)
    elif kind is ValueKind.COUNT:
        value = _simulate_count(spec, prm, d, ak, pk, pop, per)
    elif kind is ValueKind.CODED:
        value = _simulate_coded(spec, prm, d, ak, pk, np.array(years)[per.year_index])
    else:
        value = _simulate_level(prm, d, ak, pk, pop, per, by_gender)
    block = _publish(kind, prm, spec.decimals, value, num, den, missing, population)
    block.areas = base
    blocks = [block]
    if groups:
        blocks.append(
            _aggregate(spec, prm, geo, base, groups, pop, value, num, den, block, missing)
        )
    return blocks


def _aggregate(
    spec: IndicatorSpec,
    prm: _Params,
    geo: _Geography,
    base: Positions,
    groups: list[int],
    pop: Floats,
    value: Floats | None,
    num: Floats | None,
    den: Floats | None,
    published: _Block,
    missing: Mask,
) -> _Block:
    """Regions and Riket from the areas below them that reported (suppressed ones included:
    their people are in the county figure, only their own figure is hidden)."""
    kind = spec.value_kind
    member = np.array(
        [
            np.ones(len(base)) if geo.kind[g] is AreaKind.NATION else geo.parent[base] == g
            for g in groups
        ],
        dtype=np.float64,
    )
    reported = (~missing).astype(np.float64)
    reporters = np.einsum("gb,bpk->gpk", member, reported)

    def total(x: Floats) -> Floats:
        summed: Floats = np.einsum("gb,bpk->gpk", member, x * reported)
        return summed

    agg_value = agg_num = agg_den = None
    if kind is ValueKind.RATE or kind is ValueKind.RATIO:
        assert num is not None and den is not None
        agg_num, agg_den = total(num), total(den)
    elif kind is ValueKind.COUNT:
        assert value is not None
        agg_value = total(value)
    else:
        # Population-weighted mean of the published figures, so anyone can recompute it.
        weights = pop[..., None] * reported
        shown = np.nan_to_num(published.value)
        with np.errstate(invalid="ignore", divide="ignore"):
            agg_value = np.einsum("gb,bpk->gpk", member, weights * shown) / np.einsum(
                "gb,bpk->gpk", member, weights
            )
    block = _publish(
        kind, prm, spec.decimals, agg_value, agg_num, agg_den, reporters == 0, _is_population(spec)
    )
    block.areas = np.array(groups, dtype=np.int64)
    return block


def generate_observations(
    indicators: Sequence[IndicatorSpec], areas: Sequence[AreaSpec], years: range, seed: int
) -> pd.DataFrame:
    """Observations for every indicator over the areas its area_level covers, sorted by
    indicator id, area code, period and gender (T, K, M): the canonical order."""
    geo = _geography(areas, years)
    specs = sorted(indicators, key=lambda s: s.id)
    dates: dict[date, int] = {}
    parts: dict[str, list[npt.NDArray[Any]]] = {
        k: [] for k in ("ind", "ptype", "area", "date", "gender", "value", "num", "den", "status")
    }
    ptypes = list(PeriodType)
    for i, spec in enumerate(specs):
        blocks = _generate_one(spec, geo, years, seed)
        if not blocks:
            continue
        per = _periods(spec, years)
        date_idx = np.array([dates.setdefault(s, len(dates)) for s in per.starts], dtype=np.int64)
        areas_idx = np.concatenate([b.areas for b in blocks])
        order = np.argsort(areas_idx, kind="stable")

        def stacked(
            field: str, blocks: list[_Block] = blocks, order: npt.NDArray[np.intp] = order
        ) -> npt.NDArray[Any]:
            array: npt.NDArray[Any] = np.concatenate([getattr(b, field) for b in blocks])[order]
            return array

        value = stacked("value")
        n_area, n_period, n_gender = value.shape
        rows = value.size
        parts["ind"].append(np.full(rows, i, dtype=np.int32))
        parts["ptype"].append(np.full(rows, ptypes.index(spec.period_type), dtype=np.int8))
        parts["area"].append(np.repeat(areas_idx[order], n_period * n_gender))
        parts["date"].append(np.tile(np.repeat(date_idx, n_gender), n_area))
        parts["gender"].append(np.tile(np.arange(n_gender, dtype=np.int8), n_area * n_period))
        parts["value"].append(value.ravel())
        parts["num"].append(stacked("numerator").ravel())
        parts["den"].append(stacked("denominator").ravel())
        parts["status"].append(stacked("status").ravel())

    def take(labels: Sequence[object], name: str) -> Floats:
        # Labels are few; rows only hold indices until this one vectorised lookup.
        lookup = np.empty(len(labels), dtype=object)
        lookup[:] = list(labels)
        index = np.concatenate(parts[name]) if parts[name] else np.empty(0, dtype=np.int64)
        return lookup[index]

    def floats(name: str) -> Floats:
        return np.concatenate(parts[name]) if parts[name] else np.empty(0)

    return pd.DataFrame(
        {
            "indicator_id": take([s.id for s in specs], "ind"),
            "area_code": take(geo.codes, "area"),
            "period_type": take([p.value for p in ptypes], "ptype"),
            "period_start": take(list(dates), "date"),
            "gender": take([g.value for g in _GENDERS], "gender"),
            "value": floats("value"),
            "numerator": floats("num"),
            "denominator": floats("den"),
            "status": take([s.value for s in _STATUSES], "status"),
            "status_reason": take(_REASONS, "status"),
        }
    )


def frame_sha256(frame: pd.DataFrame) -> str:
    """sha256 of the rows in canonical form: per column, its sorted distinct labels and each
    row's position among them, or the float64 bytes (little-endian) with a NULL mask."""
    h = hashlib.sha256()
    h.update(f"{len(frame)}\n".encode())
    for name in COLUMNS:
        col = frame[name]
        h.update(f"{name}\n".encode())
        if name in OBSERVATION_NUMBERS:
            arr = col.to_numpy(dtype=np.float64)
            nulls = np.isnan(arr)
            h.update(np.packbits(nulls).tobytes())
            h.update(np.where(nulls, 0.0, arr).astype("<f8").tobytes())
        else:
            codes, uniques = pd.factorize(col.to_numpy(dtype=object), sort=True)
            h.update("\x1f".join(str(u) for u in uniques).encode())
            h.update(codes.astype("<i8").tobytes())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# The store


def read_indicator_specs(session: Session) -> list[IndicatorSpec]:
    rows = session.scalars(select(Indicator).options(selectinload(Indicator.codes))).all()
    return [
        IndicatorSpec(
            id=r.id,
            value_kind=ValueKind(r.value_kind),
            direction=Direction(r.direction),
            decimals=r.decimals,
            by_gender=r.by_gender,
            area_level=AreaLevel(r.area_level),
            codes=tuple(c.code for c in r.codes),
            title=r.title,
            unit=r.unit,
            period_type=PeriodType(r.period_type),
        )
        for r in rows
    ]


def read_area_specs(session: Session, area_codes: Sequence[str] | None = None) -> list[AreaSpec]:
    """Kommuner, regioner and Riket (units are not seeded), with populations derived from all
    kommuner in the store, so a region's weight does not depend on which kommuner are chosen.
    A chosen kommun brings its region and Riket along, for the aggregates."""
    rows = session.scalars(select(Area).where(Area.kind != AreaKind.UNIT)).all()
    specs = [AreaSpec(r.code, AreaKind(r.kind), r.parent_code) for r in rows]
    pops = _resolve_populations(specs)
    specs = [AreaSpec(a.code, a.kind, a.parent_code, int(pops[a.code])) for a in specs]
    if area_codes is None:
        return specs
    by_code = {a.code: a for a in specs}
    unknown = sorted(set(area_codes) - set(by_code))
    if unknown:
        raise ValueError(f"okända områdeskoder: {', '.join(unknown)}")
    chosen: set[str] = set()
    for code in area_codes:
        current: str | None = code
        while current is not None and current in by_code and current not in chosen:
            chosen.add(current)
            current = by_code[current].parent_code
    return [a for a in specs if a.code in chosen]


def insert_observations(session: Session, frame: pd.DataFrame, batch_id: int) -> None:
    """The frame's observations as rows of batch `batch_id`, through the store's bulk writer."""
    write = bulk.insert(bulk.OBSERVATIONS, [*COLUMNS, "batch_id"])
    bulk.write_rows(session, write, frame.assign(batch_id=batch_id))


def seed_demo(
    session: Session,
    *,
    years: range = range(2015, 2026),
    area_codes: Sequence[str] | None = None,
    seed: int = 2021,
) -> SeedReport:
    """Generate Exempeldata for every indicator in the store and write it as one demo batch."""
    frame = generate_observations(
        read_indicator_specs(session), read_area_specs(session, area_codes), years, seed
    )
    batch = ImportBatch(
        source_name=SOURCE_NAME,
        sha256=frame_sha256(frame),
        format=FORMAT,
        imported_by=IMPORTED_BY,
        imported_at=IMPORTED_AT,
        is_demo=True,
        rows_read=len(frame),
        rows_new=len(frame),
    )
    session.add(batch)
    session.flush()
    insert_observations(session, frame, batch.id)
    # In the log like any import, which also tells every worker's cache the data changed.
    audit.record(
        session,
        "system (exempeldata)",
        AuditAction.IMPORT,
        f"import {batch.id}: Exempeldata",
        after={"import": batch.id, "exempeldata": True, "nya": len(frame)},
    )
    return SeedReport(
        batch_id=batch.id,
        observations=len(frame),
        indicators=int(frame["indicator_id"].nunique()),
        areas=int(frame["area_code"].nunique()),
    )
