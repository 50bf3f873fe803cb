/* hooks.h - what the HTTP server asks of the layers above it: the caller
 * and the route's rules from the request head (before any body byte is
 * read), and running a handler with this thread's store connection. */
#ifndef HEARTH_API_HOOKS_H
#define HEARTH_API_HOOKS_H

#include "http/server.h"

/* The hooks hearth serves with (see struct http_hooks). */
extern const struct http_hooks api_hooks;

#endif
