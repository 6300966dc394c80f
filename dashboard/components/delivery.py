"""The words and marks of the completeness matrix (Inrapportering), shared by its page and by
Sedan förra mötet: the legend, each state's class (its colour in delivery.css; every state
also has a symbol and a word, so nothing rests on colour alone) and the list of late
deliveries."""

from dash import html

from dashboard.components import lean
from indicators.reads.models import DeliveryState, LateDelivery
from indicators.vocabulary.formatting import format_date

EXPLANATIONS = {
    DeliveryState.DELIVERED: "värdet finns",
    DeliveryState.SUPPRESSED: "inlämnat men dolt för att skydda enskilda (för få personer)",
    DeliveryState.LATE: "saknas, och sista inlämningsdagen har passerat",
    DeliveryState.PENDING: "saknas, men sista inlämningsdagen har inte passerat",
    DeliveryState.MISSING: "saknas (ingen sista inlämningsdag är satt)",
    DeliveryState.NOT_EXPECTED: "mäts inte på den nivån, serien har upphört eller källan "
    "anger ej tillämpligt",
}
STATE_CLASS = {
    DeliveryState.DELIVERED: "delivered",
    DeliveryState.SUPPRESSED: "suppressed",
    DeliveryState.LATE: "late",
    DeliveryState.PENDING: "pending",
    DeliveryState.MISSING: "missing",
    DeliveryState.NOT_EXPECTED: "not-expected",
}


def late_list(
    late: tuple[LateDelivery, ...], *, list_id: str, period: str | None = None
) -> html.Div:
    """What is past its due date and still missing, indicator by indicator (shared with Sedan
    förra mötet)."""
    if not late:
        when = f" för {period}" if period else ""
        return html.Div(html.P(f"Inget är försenat{when}.", className="muted"), id=list_id)
    return html.Div(
        html.Ul(
            [
                lean.html.Li(
                    [
                        lean.link(d.indicator.short_title, f"/indikator/{d.indicator.id}"),
                        f" {d.period} – sista dag {format_date(d.due)} – saknas från "
                        f"{_names(d)} ({d.indicator.delivered_by.label.lower()}).",
                    ],
                    **{"data-indicator": d.indicator.id, "data-period": d.period},
                )
                for d in late
            ],
            className="late-list",
        ),
        id=list_id,
    )


def _names(d: LateDelivery) -> str:
    names = [a.name for a in d.areas]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def legend(list_id: str) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        state.symbol,
                        className=f"delivery-swatch {STATE_CLASS[state]}",
                        **{"aria-hidden": "true"},
                    ),
                    html.Strong(state.value),
                    f" – {EXPLANATIONS[state]}",
                ],
                **{"data-state": STATE_CLASS[state]},
            )
            for state in DeliveryState
        ],
        id=list_id,
        className="delivery-legend",
    )
