"""What the small edit forms on the Indikator page share: a labelled field, the list of
errors in Swedish, and the guard that tells a real click from a button being drawn."""

import dash
from dash import ctx, html


def form_field(label: str, control: object, field_id: str, hint: str = "") -> html.Div:
    # dbc inputs take no aria-describedby, so the hint is part of the label and is read with it
    return html.Div(
        [
            html.Label(
                [label, html.Span(hint, className="field-hint") if hint else None],
                htmlFor=field_id,
                className="field-label",
            ),
            control,
        ],
        className="form-field",
    )


def form_errors(messages: list[str]) -> html.Div:
    return html.Div(
        [html.P("Kunde inte sparas:"), html.Ul([html.Li(m) for m in messages])],
        className="form-error",
        role="alert",
    )


def require_click() -> None:
    """Stop the callback unless a button was really clicked: delete buttons appearing in a
    redrawn list fire with n_clicks None."""
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        raise dash.exceptions.PreventUpdate
