/* geo.h - points on the sphere for the search's geo filter (contract §7):
 * "lat,lng" parsing, fixed-point coordinates, great-circle distance and the
 * bounding box of a circle. Pure functions; thread-safe.
 *
 * Coordinates are compared and measured in units of 1e-7 degree (about
 * 1 cm), the resolution of the geo index, so a distance computed from the
 * index and one computed from a users row are the same number.
 */
#ifndef HEARTH_CORE_GEO_H
#define HEARTH_CORE_GEO_H

#include <stdbool.h>
#include <stdint.h>

/* Mean Earth radius (IUGG R1), in kilometres. */
#define GEO_EARTH_RADIUS_KM 6371.0088

/* Half the circumference: no two points are farther apart. */
#define GEO_MAX_DISTANCE_KM (3.14159265358979323846 * GEO_EARTH_RADIUS_KM)

enum { GEO_E7 = 10000000 }; /* fixed-point units per degree */

/* Parses "lat,lng" (contract §9): two decimal numbers, optional spaces after
 * the comma, latitude -90..90 and longitude -180..180 inclusive. */
bool geo_parse_latlng(const char *s, double *lat, double *lng);

/* Room for one coordinate as geo_format writes it, and its NUL. */
enum { GEO_FORMAT_LEN = 32 };

/* Writes v as printf's "%.15g" does (how "lat,lng" is echoed back, contract
 * §9) and returns its length: coordinates of up to six decimals, most of
 * them, are written without printf, whose floating-point formatting was a
 * visible share of a page of users; anything else goes to snprintf. */
int geo_format(double v, char out[GEO_FORMAT_LEN]);

/* Degrees to fixed point (rounded to nearest). */
int64_t geo_e7(double degrees);

/* Great-circle (haversine) distance in km between two fixed-point points. */
double geo_distance_e7(int64_t lat1, int64_t lng1, int64_t lat2, int64_t lng2);

/* A distance rounded to the metre: what results show and radii compare. */
double geo_round_km(double km);

/* The fixed-point boxes that contain every point within radius_km of the
 * origin: one latitude band and one or two longitude ranges (two when the
 * circle crosses the antimeridian). all_lng: the circle reaches a pole, so
 * every longitude. */
struct geo_box {
    int64_t lat_min, lat_max;
    int nlng;
    int64_t lng_min[2], lng_max[2];
};

void geo_bbox_e7(int64_t lat0, int64_t lng0, double radius_km, struct geo_box *out);

#endif
