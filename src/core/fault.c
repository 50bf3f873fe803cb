/* fault.c - rate-limited storage-fault logging and the test-only fault
 * switch (see fault.h). */
#include "core/fault.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static time_t log_last;     /* monotonic second of the last line written */
static long log_suppressed; /* lines counted since then */
static int log_written;     /* a line was ever written */

void fault_log(const char *what, const char *detail)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    pthread_mutex_lock(&log_lock);
    bool quiet = log_written && ts.tv_sec - log_last < FAULT_LOG_INTERVAL_S;
    long suppressed = log_suppressed;
    if (quiet) {
        log_suppressed++;
    } else {
        log_written = 1;
        log_last = ts.tv_sec;
        log_suppressed = 0;
    }
    pthread_mutex_unlock(&log_lock);
    if (quiet)
        return;
    if (suppressed)
        log_error("storage: %s: %s (and %ld more storage failures in the last %d s)", what, detail, suppressed,
                  FAULT_LOG_INTERVAL_S);
    else
        log_error("storage: %s: %s (further ones are counted, one line per %d s)", what, detail, FAULT_LOG_INTERVAL_S);
}

static pthread_once_t switch_once = PTHREAD_ONCE_INIT;
static const char *switch_file;

static void switch_init(void)
{
    const char *v = getenv("HEARTH_TEST_FAULT_FILE");
    switch_file = v && *v ? v : NULL;
}

bool fault_switch_configured(void)
{
    pthread_once(&switch_once, switch_init);
    return switch_file != NULL;
}

enum fault_kind fault_injected(void)
{
    pthread_once(&switch_once, switch_init);
    if (!switch_file)
        return FAULT_NONE;
    FILE *f = fopen(switch_file, "r");
    if (!f)
        return FAULT_NONE;
    char word[8] = {0};
    size_t n = fread(word, 1, sizeof word - 1, f);
    fclose(f);
    word[n] = '\0';
    if (!strncmp(word, "full", 4))
        return FAULT_FULL;
    if (!strncmp(word, "io", 2))
        return FAULT_IO;
    return FAULT_NONE;
}
