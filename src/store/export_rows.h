/* export_rows.h - what both backends' data_exports code shares
 * (sqlite_export.c, pg_export.c): the row's columns, in the order their
 * readers take them, and the words data_exports.status is written with.
 * Only src/store includes this header. */
#ifndef HEARTH_STORE_EXPORT_ROWS_H
#define HEARTH_STORE_EXPORT_ROWS_H

#include "store/export.h"

#define EXPORT_COLUMNS                                                                                       \
    "user_id, status, requested_us, started_us, completed_us, downloaded_us, file_name, size_bytes, error, " \
    "attempts, base_url"

/* The word stored for s ("pending", ...), NULL for STORE_EXPORT_NONE. */
const char *export_status_word(enum store_export_status s);

/* The status a stored word names; STORE_EXPORT_NONE for NULL or unknown. */
enum store_export_status export_status_of(const char *word);

#endif
