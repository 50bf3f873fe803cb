/* cidr.c - addresses, networks and the X-Forwarded-For walk (see cidr.h). */
#include "core/cidr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char V4_MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool cidr_addr_parse(const char *text, size_t len, struct cidr_addr *out)
{
    char buf[CIDR_TEXT_MAX];
    if (!text || !len || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, out->bytes) == 1) {
        out->family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, buf, out->bytes) != 1)
        return false;
    if (!memcmp(out->bytes, V4_MAPPED, sizeof V4_MAPPED)) {
        memmove(out->bytes, out->bytes + 12, 4);
        memset(out->bytes + 4, 0, 12);
        out->family = 4;
        return true;
    }
    out->family = 6;
    return true;
}

void cidr_addr_format(const struct cidr_addr *a, char *out)
{
    if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->bytes, out, CIDR_TEXT_MAX))
        snprintf(out, CIDR_TEXT_MAX, "-");
}

/* Clears the bits of a->bytes after the first `bits`. */
static void clear_host_bits(struct cidr_addr *a, int bits)
{
    int size = a->family == 4 ? 4 : 16;
    for (int i = 0; i < size; i++) {
        int keep = bits - 8 * i;
        if (keep >= 8)
            continue;
        a->bytes[i] &= keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
    }
}

/* One entry of a list: ADDRESS or ADDRESS/BITS. */
static bool net_parse(const char *p, size_t n, struct cidr_net *net)
{
    const char *slash = memchr(p, '/', n);
    size_t alen = slash ? (size_t)(slash - p) : n;
    if (!cidr_addr_parse(p, alen, &net->addr))
        return false;
    int max = net->addr.family == 4 ? 32 : 128;
    net->bits = max;
    if (slash) {
        /* a mapped address given with an IPv6 prefix: ::ffff:10.0.0.0/104 */
        bool mapped = net->addr.family == 4 && memchr(p, ':', alen);
        size_t blen = n - alen - 1;
        if (!blen || blen > 3)
            return false;
        int bits = 0;
        for (size_t i = 0; i < blen; i++) {
            char c = slash[1 + i];
            if (c < '0' || c > '9')
                return false;
            bits = bits * 10 + (c - '0');
        }
        if (mapped)
            bits -= 96;
        if (bits < 0 || bits > max)
            return false;
        net->bits = bits;
    }
    clear_host_bits(&net->addr, net->bits);
    return true;
}

bool cidr_list_parse(const char *text, struct cidr_list *out, char *msg, size_t msg_size)
{
    memset(out, 0, sizeof *out);
    for (const char *p = text ? text : ""; *p;) {
        p += strspn(p, ", \t");
        size_t n = strcspn(p, ", \t");
        if (!n)
            break;
        if (out->n == CIDR_LIST_MAX) {
            snprintf(msg, msg_size, "at most %d networks", CIDR_LIST_MAX);
            return false;
        }
        if (!net_parse(p, n, &out->nets[out->n])) {
            snprintf(msg, msg_size, "not an address or ADDRESS/BITS network: '%.*s'", n > 64 ? 64 : (int)n, p);
            return false;
        }
        out->n++;
        p += n;
    }
    return true;
}

static bool net_contains(const struct cidr_net *net, const struct cidr_addr *a)
{
    if (net->addr.family != a->family)
        return false;
    struct cidr_addr masked = *a;
    clear_host_bits(&masked, net->bits);
    return !memcmp(masked.bytes, net->addr.bytes, sizeof masked.bytes);
}

bool cidr_list_contains(const struct cidr_list *l, const struct cidr_addr *a)
{
    for (int i = 0; i < l->n; i++)
        if (net_contains(&l->nets[i], a))
            return true;
    return false;
}

/* One X-Forwarded-For entry p[0..n), blanks trimmed: an address, "[v6]",
 * "[v6]:port" or "a.b.c.d:port". */
static bool forwarded_entry(const char *p, size_t n, struct cidr_addr *out)
{
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n && *p == '[') {
        const char *close = memchr(p, ']', n);
        if (!close)
            return false;
        size_t rest = n - (size_t)(close - p) - 1;
        if (rest && (close[1] != ':' || rest == 1 || strspn(close + 2, "0123456789") < rest - 1))
            return false;
        return cidr_addr_parse(p + 1, (size_t)(close - p - 1), out) && out->family == 6;
    }
    const char *colon = memchr(p, ':', n);
    if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - p) - 1)) { /* one colon: IPv4 with a port */
        size_t port = n - (size_t)(colon - p) - 1;
        if (!port || port > 5)
            return false;
        for (size_t i = 0; i < port; i++)
            if (colon[1 + i] < '0' || colon[1 + i] > '9')
                return false;
        return cidr_addr_parse(p, (size_t)(colon - p), out) && out->family == 4;
    }
    return cidr_addr_parse(p, n, out);
}

void cidr_forwarded_client(const struct cidr_list *trusted, const struct cidr_addr *peer, const char *xff,
                           struct cidr_addr *client)
{
    *client = *peer;
    if (!xff || !cidr_list_contains(trusted, peer))
        return;
    size_t end = strlen(xff);
    for (int hops = 0; hops < CIDR_FORWARDED_HOPS_MAX; hops++) {
        size_t start = end;
        while (start && xff[start - 1] != ',')
            start--;
        struct cidr_addr a;
        if (!forwarded_entry(xff + start, end - start, &a))
            return; /* not written by a proxy we trust: keep the last trusted hop */
        *client = a;
        if (!cidr_list_contains(trusted, &a) || !start)
            return;
        end = start - 1;
    }
}
