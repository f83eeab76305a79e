"""Coordinates: checking them, distances, and the centre of each district. Pure: no Django.

Coordinates are WGS-84 latitude/longitude in decimal degrees (what GPS and OpenStreetMap give;
Chinese web maps show GCJ-02, a few hundred metres off — convert before importing). A point must
lie within the city: the extent of the district centres plus a margin, so swapped latitude and
longitude, or 0/0 from an empty cell, are refused with a message saying so.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CENTRES_FILE = Path(__file__).resolve().parent / "data" / "district_centres.csv"
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.195  # along a meridian
CITY_MARGIN_DEGREES = 0.6


class GeoError(ValueError):
    """Raised when coordinates cannot be read, are out of range, or lie outside the city."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def parse_point(latitude, longitude) -> Point:
    """Read a latitude and longitude (numbers or text); refuse what is not a place on Earth."""
    try:
        lat, lon = float(str(latitude).strip()), float(str(longitude).strip())
    except (TypeError, ValueError):
        raise GeoError("coordinates.unreadable", "not a number") from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise GeoError("coordinates.unreadable", "not a finite number")
    if not -90 <= lat <= 90:
        code = "coordinates.swapped" if -90 <= lon <= 90 else "coordinates.out_of_range"
        raise GeoError(code, "latitude must lie between -90 and 90")
    if not -180 <= lon <= 180:
        raise GeoError("coordinates.out_of_range", "longitude must lie between -180 and 180")
    return Point(lat, lon)


def check_in_city(point: Point, extent: tuple[float, float, float, float] | None) -> Point:
    """Refuse a point outside the city's extent (south, west, north, east), when one is known."""
    if extent is None:
        return point
    south, west, north, east = extent
    if south <= point.latitude <= north and west <= point.longitude <= east:
        return point
    swapped = south <= point.longitude <= north and west <= point.latitude <= east
    raise GeoError(
        "coordinates.swapped" if swapped else "coordinates.outside_city",
        "the point lies outside the city",
    )


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def planar_factors(origin: Point) -> tuple[float, float]:
    """km per degree of latitude and of longitude near the origin, for ordering by distance in
    SQL with plain arithmetic: (dlat*ky)^2 + (dlon*kx)^2 (exact enough within a city)."""
    return KM_PER_DEGREE, KM_PER_DEGREE * math.cos(math.radians(origin.latitude))


def bounding_box(origin: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a box holding the circle, for an indexed first cut."""
    ky, kx = planar_factors(origin)
    dlat, dlon = radius_km / ky, radius_km / max(kx, 1e-6)
    return (
        origin.latitude - dlat,
        origin.longitude - dlon,
        origin.latitude + dlat,
        origin.longitude + dlon,
    )


@lru_cache(maxsize=2)
def _centres(path: str) -> dict[str, Point]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {
            row["code"]: Point(float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def district_centre(code: str, path: Path = CENTRES_FILE) -> Point | None:
    return _centres(str(path)).get(code)


def city_extent(path: Path = CENTRES_FILE) -> tuple[float, float, float, float] | None:
    points = list(_centres(str(path)).values())
    if not points:
        return None
    m = CITY_MARGIN_DEGREES
    return (
        min(p.latitude for p in points) - m,
        min(p.longitude for p in points) - m,
        max(p.latitude for p in points) + m,
        max(p.longitude for p in points) + m,
    )
