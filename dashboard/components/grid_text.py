"""Swedish words for dash-ag-grid, which speaks English unless told otherwise."""

_SWEDISH = {
    "page": "Sida",
    "of": "av",
    "to": "till",
    "more": "fler",
    "firstPage": "Första sidan",
    "lastPage": "Sista sidan",
    "nextPage": "Nästa sida",
    "previousPage": "Föregående sida",
    "filterOoo": "Filtrera …",
    "contains": "Innehåller",
    "notContains": "Innehåller inte",
    "equals": "Lika med",
    "notEqual": "Inte lika med",
    "startsWith": "Börjar med",
    "endsWith": "Slutar med",
    "andCondition": "OCH",
    "orCondition": "ELLER",
    "blank": "Tom",
    "notBlank": "Inte tom",
    "lessThan": "Mindre än",
    "greaterThan": "Större än",
    "inRange": "Mellan",
    "ariaPageSizeSelectorLabel": "Rader per sida",
}


def swedish_grid_text(no_rows: str) -> dict[str, str]:
    """`localeText` for a grid; `no_rows` is what an empty grid says."""
    return {"noRowsToShow": no_rows, **_SWEDISH}
