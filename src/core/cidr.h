/* cidr.h - IP addresses and networks (CIDR notation) for the trusted
 * proxies: parsing a bounded list of networks, membership, and finding the
 * client behind trusted proxies in an X-Forwarded-For value.
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address it
 * maps, wherever it appears, so one network entry covers both spellings.
 * No allocation, no global state: thread-safe.
 */
#ifndef HEARTH_CORE_CIDR_H
#define HEARTH_CORE_CIDR_H

#include <stdbool.h>
#include <stddef.h>

enum {
    CIDR_LIST_MAX = 32,           /* networks in one list: a deployment has a few proxies */
    CIDR_TEXT_MAX = 64,           /* an address as text, with its NUL (INET6_ADDRSTRLEN is 46) */
    CIDR_FORWARDED_HOPS_MAX = 32, /* X-Forwarded-For entries looked at, from the right */
};

struct cidr_addr {
    int family; /* 4 or 6 */
    unsigned char bytes[16];
};

struct cidr_net {
    struct cidr_addr addr; /* host bits cleared */
    int bits;              /* prefix length: 0..32 or 0..128 */
};

struct cidr_list {
    int n;
    struct cidr_net nets[CIDR_LIST_MAX];
};

/* Parses text[0..len) as one IPv4 or IPv6 address (no port, no brackets,
 * no zone). False if it is not exactly one. */
bool cidr_addr_parse(const char *text, size_t len, struct cidr_addr *out);

/* The address as text (inet_ntop's form) into out[CIDR_TEXT_MAX]. */
void cidr_addr_format(const struct cidr_addr *a, char *out);

/* Parses a list of networks separated by commas and/or blanks: each an
 * address (one host) or ADDRESS/BITS. Host bits after the prefix are
 * cleared (10.1.2.3/8 is 10.0.0.0/8). An empty list is valid (n = 0).
 * False with a message in msg on a bad entry or more than CIDR_LIST_MAX. */
bool cidr_list_parse(const char *text, struct cidr_list *out, char *msg, size_t msg_size);

/* Whether `a` is in one of the list's networks. */
bool cidr_list_contains(const struct cidr_list *l, const struct cidr_addr *a);

/* The client of a request whose TCP peer is `peer`, given the request's
 * X-Forwarded-For value `xff` (NULL if none; several headers joined with
 * commas in order): the peer itself unless it is in `trusted`; else the
 * rightmost X-Forwarded-For address that is not trusted, walking from the
 * right over trusted ones (each proxy appends the address it saw, so only
 * the entries right of the first untrusted one were written by proxies
 * we trust; anything left of it may be forged by the client). When the walk
 * meets an entry that is not an address, or walks CIDR_FORWARDED_HOPS_MAX
 * entries, or runs out, the client is the last trusted address reached.
 * An entry may be "[v6]" or carry a port ("a.b.c.d:p", "[v6]:p"). */
void cidr_forwarded_client(const struct cidr_list *trusted, const struct cidr_addr *peer, const char *xff,
                           struct cidr_addr *client);

#endif
