/* clock.c - wall clock with a test-only offset file. */
#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *clock_offset_file;

void clock_set_offset_file(const char *path) { clock_offset_file = path && *path ? path : NULL; }

static int64_t clock_offset_seconds(void)
{
    if (!clock_offset_file)
        return 0;
    FILE *f = fopen(clock_offset_file, "r");
    if (!f)
        return 0;
    long long off = 0;
    if (fscanf(f, "%lld", &off) != 1)
        off = 0;
    fclose(f);
    return (int64_t)off;
}

int64_t clock_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + clock_offset_seconds()) * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_now(void) { return clock_now_us() / 1000000; }

/* Writes v (0..99) as two digits; returns the end. */
static char *put_pair(char *p, long v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    memcpy(p, pairs + 2 * v, 2);
    return p + 2;
}

/* 10000-01-01T00:00:00Z in microseconds: the fast path ends here. */
#define CLOCK_YEAR_10000_US INT64_C(253402300800000000)

/* The civil date of a day count since 1970-01-01 (days >= 0): Howard
 * Hinnant's days_from_civil inverted, eras of 400 years (146097 days) that
 * start on March 1st, so the leap day is the era-year's last day. */
static void civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + 719468; /* days since 0000-03-01 */
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11], March = 0 */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

/* Every timestamp of every rendered user passes here: the date is computed
 * and the digits written by hand (gmtime_r and snprintf were a visible
 * share of a page of users). Instants before 1970 or after 9999 take the
 * plain path. */
void clock_format(int64_t us, char out[CLOCK_RFC3339_LEN])
{
    if (us < 0 || us >= CLOCK_YEAR_10000_US) {
        time_t s = (time_t)(us / 1000000);
        struct tm tm;
        gmtime_r(&s, &tm);
        snprintf(out, CLOCK_RFC3339_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)(us % 1000000));
        return;
    }
    int64_t s = us / 1000000;
    int64_t days = s / 86400;
    long sec = (long)(s - days * 86400);
    int year, month, day;
    civil_from_days(days, &year, &month, &day);
    long micro = (long)(us % 1000000);
    char *p = put_pair(out, year / 100);
    p = put_pair(p, year % 100);
    *p++ = '-';
    p = put_pair(p, month);
    *p++ = '-';
    p = put_pair(p, day);
    *p++ = 'T';
    p = put_pair(p, sec / 3600);
    *p++ = ':';
    p = put_pair(p, sec / 60 % 60);
    *p++ = ':';
    p = put_pair(p, sec % 60);
    *p++ = '.';
    p = put_pair(p, micro / 10000);
    p = put_pair(p, micro / 100 % 100);
    p = put_pair(p, micro % 100);
    *p++ = 'Z';
    *p = '\0';
}

void clock_today(int *year, int *month, int *day)
{
    time_t s = (time_t)clock_now();
    struct tm tm;
    gmtime_r(&s, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
    *day = tm.tm_mday;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

bool clock_parse_date(const char *s, int *year, int *month, int *day)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *year = y;
    *month = m;
    *day = d;
    return true;
}
