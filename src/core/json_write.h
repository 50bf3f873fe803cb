/* json_write.h - compact JSON text of a jansson value, written straight
 * into a buf: the bytes jansson's json_dump_callback writes with
 * JSON_COMPACT | JSON_ENCODE_ANY (the differential fuzz target
 * fuzz/fuzz_json_write.c holds it to that), at a fraction of the cost: no
 * callback per token, no printf per integer, no hash-table insertion per
 * array or object to look for cycles (values built by hearth have none;
 * nesting is bounded instead). */
#ifndef HEARTH_CORE_JSON_WRITE_H
#define HEARTH_CORE_JSON_WRITE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"

enum { JSON_WRITE_MAX_DEPTH = 64 };

/* Appends the text of v to out. False (out holding a partial text) when v
 * nests deeper than JSON_WRITE_MAX_DEPTH or holds a string that is not
 * UTF-8 (jansson's dump fails on those too). */
bool json_write(struct buf *out, const json_t *v);

#endif
