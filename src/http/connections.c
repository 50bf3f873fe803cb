/* connections.c - admitting connections (connections.h): a count per
 * client address in a linear-probing table, a total, and the 503 written
 * to connections past either limit.
 */
#define _GNU_SOURCE
#include "http/connections.h"

#include <arpa/inet.h>
#include <assert.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "http/server.h"

enum { ADDRESS_SLOTS = 1 << 15 }; /* table of client addresses, a power of 2 */
/* at most HTTP_CONNECTION_LIMIT addresses are in the table: probes stay
 * short and always end at an empty slot */
_Static_assert(ADDRESS_SLOTS >= 2 * HTTP_CONNECTION_LIMIT, "address table too small");

/* Open connections per client address (IPv4 as v4-mapped IPv6), in a
 * linear-probing table with backward-shift deletion, and in total. */
static struct {
    pthread_mutex_t lock;
    struct address_slot {
        unsigned char addr[16];
        unsigned count; /* 0: empty slot */
    } slots[ADDRESS_SLOTS];
    unsigned total;
    unsigned limit, per_address;
} conns = {.lock = PTHREAD_MUTEX_INITIALIZER};

static bool address_key(struct MHD_Connection *conn, unsigned char key[16])
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return false;
    const struct sockaddr *sa = info->client_addr;
    memset(key, 0, 16);
    if (sa->sa_family == AF_INET) {
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

static size_t address_hash(const unsigned char key[16])
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (int i = 0; i < 16; i++)
        h = (h ^ key[i]) * 1099511628211ULL;
    return (size_t)(h & (ADDRESS_SLOTS - 1));
}

/* The slot of `key`, or the empty slot where it would go. Lock held. */
static size_t address_find(const unsigned char key[16])
{
    size_t i = address_hash(key);
    while (conns.slots[i].count && memcmp(conns.slots[i].addr, key, 16))
        i = (i + 1) & (ADDRESS_SLOTS - 1);
    return i;
}

/* Counts a new connection; false (and nothing counted) past a limit. */
static bool connection_admit(const unsigned char key[16])
{
    pthread_mutex_lock(&conns.lock);
    size_t i = address_find(key);
    bool ok = conns.total < conns.limit && (!conns.per_address || conns.slots[i].count < conns.per_address);
    if (ok) {
        memcpy(conns.slots[i].addr, key, 16);
        conns.slots[i].count++;
        conns.total++;
    }
    pthread_mutex_unlock(&conns.lock);
    return ok;
}

static void connection_release(const unsigned char key[16])
{
    pthread_mutex_lock(&conns.lock);
    size_t i = address_find(key);
    assert(conns.slots[i].count > 0);
    conns.total--;
    if (--conns.slots[i].count == 0) {
        /* backward-shift deletion keeps every probe chain unbroken */
        size_t hole = i;
        for (size_t j = (i + 1) & (ADDRESS_SLOTS - 1); conns.slots[j].count; j = (j + 1) & (ADDRESS_SLOTS - 1)) {
            size_t home = address_hash(conns.slots[j].addr);
            bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                conns.slots[hole] = conns.slots[j];
                conns.slots[j].count = 0;
                hole = j;
            }
        }
    }
    pthread_mutex_unlock(&conns.lock);
}

/* The answer past a connection limit (contract §2 shape), built at start. */
static char refusal[512];
static size_t refusal_len;

static void refusal_build(void)
{
    static const char body[] =
        "{\"errors\":[{\"code\":\"too_many_connections\",\"message\":\"Too many connections; try again shortly.\"}]}";
    int n = snprintf(refusal, sizeof refusal,
                     "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                     "Retry-After: 1\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
                     sizeof body - 1, body);
    assert(n > 0 && (size_t)n < sizeof refusal);
    refusal_len = (size_t)n;
}

/* Past a limit: the 503 is written straight to the new socket (nothing was
 * read from it yet, and it fits any socket buffer), then the connection is
 * shut down and closed by libmicrohttpd as soon as it sees the end. */
static void refuse_connection(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info)
        return;
    ssize_t sent = send(info->connect_fd, refusal, refusal_len, MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)sent;
    shutdown(info->connect_fd, SHUT_WR);
    MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, 1u);
}

struct counted_connection {
    unsigned char key[16];
    bool counted, refused;
};

void http_connection_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                            enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct counted_connection *c = calloc(1, sizeof *c);
        *socket_context = c;
        if (!c || !address_key(conn, c->key))
            return;
        c->counted = connection_admit(c->key);
        c->refused = !c->counted;
        if (c->refused)
            refuse_connection(conn);
        return;
    }
    struct counted_connection *c = *socket_context;
    if (c && c->counted)
        connection_release(c->key);
    free(c);
    *socket_context = NULL;
}

/* True if this connection was refused at accept (its 503 is already sent). */
bool http_connection_refused(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    const struct counted_connection *c = info ? info->socket_context : NULL;
    return c && c->refused;
}

/* Raises the descriptor limit to its hard maximum and sizes the
 * connection limit to it. */
static unsigned connection_limit_for_machine(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t room = rl.rlim_cur > 2 * HTTP_FD_RESERVE ? rl.rlim_cur - HTTP_FD_RESERVE : rl.rlim_cur / 2;
    /* an upload in progress holds a second descriptor (its spool file) */
    rlim_t limit = room / 2 < HTTP_CONNECTION_LIMIT ? room / 2 : HTTP_CONNECTION_LIMIT;
    return limit ? (unsigned)limit : 1;
}

unsigned http_connections_start(int per_address)
{
    conns.limit = connection_limit_for_machine();
    conns.per_address = per_address > 0 ? (unsigned)per_address : 0;
    refusal_build();
    return conns.limit;
}
