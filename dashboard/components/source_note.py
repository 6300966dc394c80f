"""The source note under every chart and view, worded once: the source, the date the values were
last imported (a Swedish date), and "Exempeldata" whenever generated values are among them.

Figures put the text in their subtitle (`source_note_text`), pages show it as a paragraph
(`source_note`); both read a view's `Provenance` (indicators/reads/models.py), so no page
words it on its own and none can leave the date or the Exempeldata mark out."""

from dash import html

from indicators.reads.models import Provenance
from indicators.vocabulary.formatting import format_date

DEMO_MARK = "Exempeldata"
NO_SOURCE = "–"


def source_note_text(provenance: Provenance, *details: str) -> str:
    """'Källa: Kolada (N01958) · Uppdaterad 3 mars 2026 · Exempeldata'. `details` (such as the
    baseline year) follow the source; no date is given only when no value was ever imported."""
    label = "Källa" if len(provenance.sources) <= 1 else "Källor"
    parts = [f"{label}: {', '.join(provenance.sources) or NO_SOURCE}", *details]
    if provenance.last_updated is not None:
        parts.append(f"Uppdaterad {format_date(provenance.last_updated)}")
    if provenance.has_demo_data:
        parts.append(DEMO_MARK)
    return " · ".join(parts)


def source_note(provenance: Provenance, *details: str, class_name: str = "source-note") -> html.P:
    return html.P(source_note_text(provenance, *details), className=class_name)
