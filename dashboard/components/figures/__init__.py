"""One builder per kind of chart, parameterised by indicator. No per-indicator copies.

Each chart kind lives in its own module of this package; all share `base.base_layout`."""

from dashboard.components.figures.base import kommun_colour
from dashboard.components.figures.coded import coded_grid
from dashboard.components.figures.timeseries import no_data_figure, time_series

__all__ = ["coded_grid", "kommun_colour", "no_data_figure", "time_series"]
