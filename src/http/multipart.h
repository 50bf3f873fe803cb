/* multipart.h - the multipart/form-data parser (RFC 7578, RFC 2046 §5.1),
 * used by http_parse_body (parse.h) and fuzzed on its own
 * (fuzz/fuzz_multipart.c). Pure and thread-safe. */
#ifndef HEARTH_HTTP_MULTIPART_H
#define HEARTH_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/parse.h"

/* Parses a multipart/form-data body with the given boundary. Text parts (no
 * filename) become string fields (must be valid UTF-8); parts with a filename
 * become uploads whose data points into `body` (which must outlive the form).
 * Fails with 400 (code "invalid") on any malformation: missing boundary lines,
 * a part without Content-Disposition name, unterminated body, too many parts. */
bool http_parse_multipart(struct arena *a, const unsigned char *body, size_t len, const char *boundary,
                          struct http_form *out, struct err *e);

#endif
