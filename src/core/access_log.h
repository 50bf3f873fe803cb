/* access_log.h - the access log: one line per request, buffered per thread
 * and written in batches.
 *
 * A line goes into the calling thread's buffer; the buffer is written with
 * one write(2) when it is nearly full, and by a flusher thread at least
 * every ACCESS_LOG_FLUSH_MS, and at access_log_close. Error lines do not
 * come here (log.h writes them at once). Lines of different threads may
 * interleave out of time order across batches; each line is whole.
 */
#ifndef HEARTH_CORE_ACCESS_LOG_H
#define HEARTH_CORE_ACCESS_LOG_H

#include <stdbool.h>

enum {
    ACCESS_LOG_BUFFER = 32 * 1024, /* bytes per thread before a write */
    ACCESS_LOG_LINE_MAX = 2048,    /* a longer line is cut */
    ACCESS_LOG_FLUSH_MS = 1000,    /* the most a line waits for its write */
};

/* Starts the access log: `where` is "off", "stderr", or a file path
 * (opened for appending, created 0640). Returns false with a message in
 * msg when the file cannot be opened. Call once, before the threads that
 * log start. */
bool access_log_open(const char *where, char *msg, unsigned long msg_size);

/* Whether lines are kept (false for "off": callers skip formatting). */
bool access_log_enabled(void);

/* Appends one line (a UTC timestamp, "info", then the formatted text, as
 * log.h's lines) to the calling thread's buffer. Thread-safe; takes only
 * the calling thread's own lock (uncontended but for the flusher). */
void access_log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes every thread's buffer, stops the flusher, closes a file. */
void access_log_close(void);

#endif
