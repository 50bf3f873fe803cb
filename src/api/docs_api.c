/* docs_api.c - serving the explorer's files from the web directory.
 *
 * Only names on a fixed list are served, each with its content type; a
 * file is opened relative to the directory with O_NOFOLLOW and must be a
 * regular file. Every answer carries nosniff and a Content-Security-Policy
 * that lets Swagger UI run (its scripts and styles are files of the same
 * origin; it sets inline styles and shows data: images) and nothing else. */
#define _GNU_SOURCE
#include "api/docs_api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

static const struct {
    const char *name, *content_type;
} docs_files[] = {
    {"index.html", "text/html; charset=utf-8"},
    {"explorer.js", "text/javascript; charset=utf-8"},
    {"swagger-ui.css", "text/css; charset=utf-8"},
    {"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
    {"swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8"},
    {"favicon-32x32.png", "image/png"},
    {"favicon-16x16.png", "image/png"},
};

static const char docs_csp[] = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static void security_headers(struct response *resp)
{
    http_add_header(resp, "X-Content-Type-Options", "nosniff");
    http_add_header(resp, "Content-Security-Policy", docs_csp);
    http_add_header(resp, "Referrer-Policy", "no-referrer");
}

static bool redirect(struct response *resp, const char *location)
{
    resp->status = 302;
    http_add_header(resp, "Location", location);
    http_add_header(resp, "Cache-Control", "no-cache");
    return true;
}

bool docs_api_root(struct request *req, struct response *resp, struct err *e)
{
    (void)req, (void)e;
    return redirect(resp, "/api/docs/");
}

/* Reads `name` from the web directory into a malloc'd buffer. Returns 1,
 * 0 when there is no such regular file, -1 on another error. */
static int read_file(const char *dir, const char *name, char **data, size_t *len)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return errno == ENOENT ? 0 : -1;
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    int saved = errno;
    close(dfd);
    if (fd < 0)
        return saved == ENOENT || saved == ELOOP ? 0 : -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > DOCS_FILE_MAX) {
        close(fd);
        return 0;
    }
    size_t size = (size_t)st.st_size, got = 0;
    char *p = malloc(size ? size : 1);
    if (!p) {
        close(fd);
        return -1;
    }
    while (got < size) {
        ssize_t n = read(fd, p + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *data = p;
    *len = got;
    return 1;
}

static void free_file(void *p) { free(p); }

static bool serve(struct request *req, struct response *resp, struct err *e, const char *name)
{
    const char *type = NULL;
    for (size_t i = 0; i < sizeof docs_files / sizeof docs_files[0]; i++)
        if (!strcmp(docs_files[i].name, name))
            type = docs_files[i].content_type;
    if (!type)
        return err_set(e, ERR_NOT_FOUND, "not_found", "Not found.");
    char *data = NULL;
    size_t len = 0;
    int found = read_file(req->cfg->web_dir, name, &data, &len);
    if (found < 0) {
        log_error("explorer: cannot read %s/%s", req->cfg->web_dir, name);
        return err_internal(e);
    }
    if (!found)
        return err_set(e, ERR_NOT_FOUND, "not_found",
                       "Not found. The API explorer is not installed (build it, or set --web-dir).");
    resp->status = 200;
    resp->data = data;
    resp->len = len;
    resp->free_data = free_file;
    resp->content_type = type;
    security_headers(resp);
    http_add_header(resp, "Cache-Control", "no-cache");
    return true;
}

bool docs_api_index(struct request *req, struct response *resp, struct err *e)
{
    size_t n = strlen(req->path);
    if (!n || req->path[n - 1] != '/')
        return redirect(resp, "/api/docs/");
    return serve(req, resp, e, "index.html");
}

bool docs_api_file(struct request *req, struct response *resp, struct err *e)
{
    if (!req->param)
        return err_set(e, ERR_NOT_FOUND, "not_found", "Not found.");
    return serve(req, resp, e, req->param);
}
