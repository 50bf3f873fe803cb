/* connections.h - admitting connections: open connections are counted per
 * client address and in total as libmicrohttpd accepts them; past a limit
 * the client gets a complete 503 at once and the connection is closed.
 * Thread-safe (one lock around a small table). */
#ifndef HEARTH_HTTP_CONNECTIONS_H
#define HEARTH_HTTP_CONNECTIONS_H

#include <microhttpd.h>
#include <stdbool.h>

/* Raises the soft descriptor limit to the hard one, sizes the total limit
 * to it (at most HTTP_CONNECTION_LIMIT), sets the per-address limit (0 =
 * none), and returns the total limit. Call once, before serving. */
unsigned http_connections_start(int per_address);

/* MHD_OPTION_NOTIFY_CONNECTION callback: counts, or refuses, each
 * connection as it starts, and releases it when it closes. */
void http_connection_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                            enum MHD_ConnectionNotificationCode code);

/* True if `conn` was refused at accept: its 503 is already sent, and any
 * request read from it is to be dropped. */
bool http_connection_refused(struct MHD_Connection *conn);

#endif
