"""Pure factories: data in, Dash components or plotly figures out."""
