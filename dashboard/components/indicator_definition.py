"""What an indicator is: the definition list at the top of the Indikator page, when its
values were last updated, and the source note under its charts."""

from dash import html

from indicators.reads.models import IndicatorDetail
from indicators.vocabulary.formatting import format_date

AREA_LEVEL_WORDS = {
    "kommun": "kommuner, län och riket",
    "region": "regioner och riket",
    "all": "kommuner, regioner och riket",
}


def definition_section(d: IndicatorDetail) -> html.Section:
    s = d.summary
    rows: list[tuple[str, object]] = [
        ("Definition", d.description),
        ("Enhet", s.unit),
        ("Typ av värde", s.value_kind.label),
        ("Riktning", s.direction.label),
    ]
    if d.numerator:
        rows.append(("Täljare", d.numerator))
    if d.denominator:
        rows.append(("Nämnare", d.denominator))
    if d.codes:
        rows.append(("Svarsalternativ", ", ".join(f"{label} = {code}" for code, label in d.codes)))
    rows += [
        ("Källa", f"{s.source} ({d.source_id})" if d.source_id else s.source),
        ("Redovisas för", AREA_LEVEL_WORDS[s.area_level.value]),
        ("Könsuppdelad", "Ja" if d.by_gender else "Nej"),
        ("Mätområden", "; ".join(f"Strategi {n}: {title}" for n, _, title in d.placements)),
    ]
    if s.strategigrupper:
        rows.append(("Strategigrupper", ", ".join(s.strategigrupper)))
    rows.append(("Senast uppdaterad", updated_text(d)))
    return html.Section(
        className="definition",
        **{"aria-label": "Om indikatorn"},
        children=html.Dl([item for k, v in rows for item in (html.Dt(k), html.Dd(v))]),
    )


def updated_text(d: IndicatorDetail) -> str:
    if d.last_updated is None:
        return "Inga värden inlästa ännu"
    sources = ", ".join(d.batches)
    return f"{format_date(d.last_updated)} ({sources})"
