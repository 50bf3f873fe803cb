/* geo.c - parsing, fixed-point coordinates, haversine and bounding boxes. */
#include "core/geo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double deg_to_rad = 3.14159265358979323846 / 180.0;

/* Extra margin on every box edge, in fixed-point units: the box is computed
 * in floating point, and a point exactly on the circle must stay inside. */
enum { GEO_BOX_MARGIN_E7 = 100 };

static bool parse_number(const char *s, const char **end, double *out)
{
    /* a plain decimal: optional sign, digits, optional fraction; no
     * exponents, hex, inf or nan (strtod would take them) */
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    bool whole = p > digits;
    if (*p == '.') {
        p++;
        const char *frac = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == frac && !whole)
            return false;
    } else if (!whole) {
        return false;
    }
    *out = strtod(s, NULL);
    *end = p;
    return true;
}

bool geo_parse_latlng(const char *s, double *lat, double *lng)
{
    const char *p;
    if (!s || !parse_number(s, &p, lat) || *p != ',')
        return false;
    p++;
    while (*p == ' ')
        p++;
    if (!parse_number(p, &p, lng) || *p)
        return false;
    return *lat >= -90 && *lat <= 90 && *lng >= -180 && *lng <= 180;
}

int64_t geo_e7(double degrees) { return llround(degrees * GEO_E7); }

double geo_distance_e7(int64_t lat1, int64_t lng1, int64_t lat2, int64_t lng2)
{
    double p1 = (double)lat1 / GEO_E7 * deg_to_rad, p2 = (double)lat2 / GEO_E7 * deg_to_rad;
    double dp = p2 - p1, dl = (double)(lng2 - lng1) / GEO_E7 * deg_to_rad;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (a > 1)
        a = 1;
    return 2 * GEO_EARTH_RADIUS_KM * asin(sqrt(a));
}

double geo_round_km(double km) { return round(km * 1000) / 1000; }

void geo_bbox_e7(int64_t lat0, int64_t lng0, double radius_km, struct geo_box *out)
{
    const int64_t full = 180LL * GEO_E7, quarter = 90LL * GEO_E7;
    double ang = radius_km / GEO_EARTH_RADIUS_KM; /* radians */
    double lat = (double)lat0 / GEO_E7 * deg_to_rad;
    double lat_lo = lat - ang, lat_hi = lat + ang;
    memset(out, 0, sizeof *out);
    out->nlng = 1;
    out->lng_min[0] = -full;
    out->lng_max[0] = full;
    if (ang >= 3.14159265358979323846) {
        out->lat_min = -quarter;
        out->lat_max = quarter;
        return;
    }
    out->lat_min = lat_lo <= -1.5707963267948966 ? -quarter : geo_e7(lat_lo / deg_to_rad) - GEO_BOX_MARGIN_E7;
    out->lat_max = lat_hi >= 1.5707963267948966 ? quarter : geo_e7(lat_hi / deg_to_rad) + GEO_BOX_MARGIN_E7;
    if (out->lat_min < -quarter)
        out->lat_min = -quarter;
    if (out->lat_max > quarter)
        out->lat_max = quarter;
    if (lat_lo <= -1.5707963267948966 || lat_hi >= 1.5707963267948966)
        return; /* a pole is inside: every longitude */
    /* the widest longitude reach of a circle (Matuschek's bounding box) */
    double s = sin(ang) / cos(lat);
    if (s >= 1)
        return;
    int64_t dl = geo_e7(asin(s) / deg_to_rad) + GEO_BOX_MARGIN_E7;
    int64_t lo = lng0 - dl, hi = lng0 + dl;
    if (lo < -full) {
        out->nlng = 2;
        out->lng_min[0] = -full;
        out->lng_max[0] = hi;
        out->lng_min[1] = lo + 2 * full;
        out->lng_max[1] = full;
    } else if (hi > full) {
        out->nlng = 2;
        out->lng_min[0] = lo;
        out->lng_max[0] = full;
        out->lng_min[1] = -full;
        out->lng_max[1] = hi - 2 * full;
    } else {
        out->lng_min[0] = lo;
        out->lng_max[0] = hi;
    }
}

int geo_format(double v, char out[GEO_FORMAT_LEN])
{
    /* v is the double nearest to a decimal k / 10^6 of at most 15
     * significant digits: "%.15g" gives back that decimal without its
     * trailing zeros (in fixed notation for 1e-4 <= |v| < 1e15) */
    double a = fabs(v);
    if (a >= 1e-4 && a < 1e9) {
        int64_t k = llround(v * 1e6);
        if ((double)k / 1e6 == v) {
            char *p = out;
            if (k < 0) {
                *p++ = '-';
                k = -k;
            }
            char digits_rev[12];
            int n = 0;
            for (int64_t ip = k / 1000000; n == 0 || ip; ip /= 10)
                digits_rev[n++] = (char)('0' + ip % 10);
            while (n)
                *p++ = digits_rev[--n];
            int frac = (int)(k % 1000000), digits = 6;
            while (frac && frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            if (frac) {
                *p++ = '.';
                for (int i = digits - 1; i >= 0; i--, frac /= 10)
                    p[i] = (char)('0' + frac % 10);
                p += digits;
            }
            *p = '\0';
            return (int)(p - out);
        }
    }
    return snprintf(out, GEO_FORMAT_LEN, "%.15g", v);
}
