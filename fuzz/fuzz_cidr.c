/* fuzz_cidr.c - libFuzzer target for --trusted-proxies and X-Forwarded-For
 * (core/cidr.h). The input is up to three fields separated by newlines: a
 * network list, a peer address, and an X-Forwarded-For value (cut at the
 * first NUL as libmicrohttpd hands values over).
 *
 * Checked: a list that parses has at most CIDR_LIST_MAX networks, prefixes
 * within their family's width, no host bits set, and contains each of its
 * own networks' addresses; an address formats to text that parses back to
 * it; the client found behind the proxies is the peer when the peer is not
 * trusted, and otherwise the peer or an address of the header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cidr.h"

/* The next newline-separated field of [*p, end), advancing *p. */
static char *field(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *start = *p, *nl = memchr(start, '\n', (size_t)(end - start));
    const uint8_t *stop = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    char *s = malloc((size_t)(stop - start) + 1);
    if (!s)
        abort();
    memcpy(s, start, (size_t)(stop - start));
    s[stop - start] = '\0'; /* an embedded NUL cuts the value, as a header value */
    return s;
}

static void check_round_trip(const struct cidr_addr *a)
{
    char text[CIDR_TEXT_MAX];
    cidr_addr_format(a, text);
    struct cidr_addr back;
    if (!cidr_addr_parse(text, strlen(text), &back) || back.family != a->family ||
        memcmp(back.bytes, a->bytes, sizeof back.bytes))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    char *list_text = field(&p, end), *peer_text = field(&p, end), *xff = field(&p, end);

    struct cidr_list l;
    char msg[160];
    bool parsed = cidr_list_parse(list_text, &l, msg, sizeof msg);
    if (!parsed) {
        if (!memchr(msg, '\0', sizeof msg) || !*msg)
            abort();
        l.n = 0;
    }
    if (l.n < 0 || l.n > CIDR_LIST_MAX)
        abort();
    for (int i = 0; i < l.n; i++) {
        const struct cidr_net *net = &l.nets[i];
        int width = net->addr.family == 4 ? 32 : net->addr.family == 6 ? 128 : -1;
        if (width < 0 || net->bits < 0 || net->bits > width || !cidr_list_contains(&l, &net->addr))
            abort();
        for (int bit = net->bits; bit < 128; bit++)
            if (net->addr.bytes[bit / 8] & (0x80 >> (bit % 8)))
                abort();
        check_round_trip(&net->addr);
    }

    struct cidr_addr peer;
    if (cidr_addr_parse(peer_text, strlen(peer_text), &peer)) {
        check_round_trip(&peer);
        struct cidr_addr client;
        cidr_forwarded_client(&l, &peer, *xff ? xff : NULL, &client);
        check_round_trip(&client);
        bool same = client.family == peer.family && !memcmp(client.bytes, peer.bytes, sizeof client.bytes);
        if (!cidr_list_contains(&l, &peer) && !same)
            abort(); /* an untrusted peer's header is never read */
    }
    free(list_text);
    free(peer_text);
    free(xff);
    return 0;
}
