/* access_log.c - per-thread buffered access log (access_log.h). */
#define _GNU_SOURCE
#include "core/access_log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One thread's buffer. Registered in `buffers` on first use and never
 * freed before access_log_close (threads come and go with the server). */
struct thread_buffer {
    pthread_mutex_t lock;
    size_t len;
    char data[ACCESS_LOG_BUFFER];
    struct thread_buffer *next;
};

static int log_fd = -1;  /* -1: off */
static bool log_owns_fd; /* a file we opened */
static struct thread_buffer *buffers;
static pthread_mutex_t buffers_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct thread_buffer *mine;

static pthread_t flusher;
static bool flusher_running, flusher_stop;
static pthread_mutex_t flusher_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flusher_wake = PTHREAD_COND_INITIALIZER;

static void write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(log_fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nowhere to report it: the log is what failed */
        p += w;
        n -= (size_t)w;
    }
}

/* Writes b's lines. b->lock held. */
static void buffer_flush(struct thread_buffer *b)
{
    if (b->len)
        write_all(b->data, b->len);
    b->len = 0;
}

static void flush_all(void)
{
    pthread_mutex_lock(&buffers_lock);
    for (struct thread_buffer *b = buffers; b; b = b->next) {
        pthread_mutex_lock(&b->lock);
        buffer_flush(b);
        pthread_mutex_unlock(&b->lock);
    }
    pthread_mutex_unlock(&buffers_lock);
}

static void *flusher_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&flusher_lock);
    while (!flusher_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)ACCESS_LOG_FLUSH_MS % 1000 * 1000000L;
        until.tv_sec += ACCESS_LOG_FLUSH_MS / 1000 + until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&flusher_wake, &flusher_lock, &until);
        pthread_mutex_unlock(&flusher_lock);
        flush_all();
        pthread_mutex_lock(&flusher_lock);
    }
    pthread_mutex_unlock(&flusher_lock);
    return NULL;
}

bool access_log_open(const char *where, char *msg, unsigned long msg_size)
{
    if (!where || !*where || !strcmp(where, "stderr")) {
        log_fd = STDERR_FILENO;
    } else if (!strcmp(where, "off")) {
        log_fd = -1;
        return true;
    } else {
        log_fd = open(where, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (log_fd < 0) {
            snprintf(msg, msg_size, "cannot open the access log %s: %s", where, strerror(errno));
            return false;
        }
        log_owns_fd = true;
    }
    flusher_running = pthread_create(&flusher, NULL, flusher_main, NULL) == 0;
    return true;
}

bool access_log_enabled(void) { return log_fd >= 0; }

static struct thread_buffer *thread_buffer(void)
{
    if (mine)
        return mine;
    struct thread_buffer *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    pthread_mutex_init(&b->lock, NULL);
    b->len = 0;
    pthread_mutex_lock(&buffers_lock);
    b->next = buffers;
    buffers = b;
    pthread_mutex_unlock(&buffers_lock);
    return mine = b;
}

void access_log_line(const char *fmt, ...)
{
    if (log_fd < 0)
        return;
    struct thread_buffer *b = thread_buffer();
    if (!b)
        return;
    char line[ACCESS_LOG_LINE_MAX];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ info ", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    pthread_mutex_lock(&b->lock);
    if (b->len + len > sizeof b->data)
        buffer_flush(b);
    memcpy(b->data + b->len, line, len);
    b->len += len;
    pthread_mutex_unlock(&b->lock);
}

void access_log_close(void)
{
    if (flusher_running) {
        pthread_mutex_lock(&flusher_lock);
        flusher_stop = true;
        pthread_cond_signal(&flusher_wake);
        pthread_mutex_unlock(&flusher_lock);
        pthread_join(flusher, NULL);
        flusher_running = false;
    }
    if (log_fd >= 0)
        flush_all();
    if (log_owns_fd)
        close(log_fd);
    log_fd = -1;
    log_owns_fd = false;
}
