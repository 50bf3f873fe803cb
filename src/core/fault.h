/* fault.h - storage faults: how a full disk or a failing device is reported
 * without flooding the log, and the test-only switch that simulates one.
 *
 * When the disk is full every write fails, so a log line per failure would
 * add a line per request to a disk that has no room for it: fault_log()
 * writes the first failure of each FAULT_LOG_INTERVAL_S interval and counts
 * the others, reporting the count with the next line it writes.
 *
 * The switch is for tests only: when the environment variable
 * HEARTH_TEST_FAULT_FILE names a file, then while that file exists and
 * starts with "full" (or "io") every database and media write fails as if
 * the disk were full (or the device failing). The variable is read once.
 * Without it the switch costs one branch. Thread-safe.
 */
#ifndef HEARTH_CORE_FAULT_H
#define HEARTH_CORE_FAULT_H

#include <stdbool.h>

enum {
    FAULT_LOG_INTERVAL_S = 60, /* at most one storage-fault line a minute */
};

enum fault_kind { FAULT_NONE, FAULT_FULL, FAULT_IO };

/* Logs "storage: <what>: <detail>" unless a storage fault was already
 * logged in this interval (then the line is only counted). */
void fault_log(const char *what, const char *detail);

/* True when the test switch is configured (HEARTH_TEST_FAULT_FILE set). */
bool fault_switch_configured(void);

/* The simulated fault in force now (FAULT_NONE outside tests). */
enum fault_kind fault_injected(void);

#endif
