/* log.h - one line per event on stderr, with a UTC timestamp. Thread-safe
 * (each line is written with a single fputs on a locked stream). */
#ifndef HEARTH_CORE_LOG_H
#define HEARTH_CORE_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Silences log_info (errors still go out). For the command-line tool. */
void log_set_quiet(int quiet);

#endif
