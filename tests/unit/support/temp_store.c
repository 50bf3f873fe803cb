/* temp_store.c - see temp_store.h. */
#include "temp_store.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

bool temp_store_pg(void)
{
    const char *base = getenv("HEARTH_TEST_PG");
    return base && *base;
}

bool temp_store_sqlite_only(const char *why)
{
    if (!temp_store_pg())
        return false;
    printf("skipped on PostgreSQL (HEARTH_TEST_PG is set): SQLite only: %s\n", why);
    return true;
}

/* Runs one statement on the base URL's database; false with a message. */
static bool pg_admin(const char *sql)
{
    PGconn *c = PQconnectdb(getenv("HEARTH_TEST_PG"));
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "temp store: cannot connect to HEARTH_TEST_PG: %s", PQerrorMessage(c));
        PQfinish(c);
        return false;
    }
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "temp store: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok;
}

/* t->path = the base URL with its database replaced by t->pg_name
 * (postgresql://user:pw@host:port/DB?params). */
static bool pg_url(struct temp_store *t)
{
    const char *base = getenv("HEARTH_TEST_PG");
    const char *auth = strstr(base, "://");
    if (!auth) {
        fprintf(stderr, "temp store: HEARTH_TEST_PG is not a postgresql:// URL\n");
        return false;
    }
    auth += 3;
    size_t host_len = strcspn(auth, "/?");
    const char *rest = auth + host_len;
    if (*rest == '/')
        rest += strcspn(rest, "?");
    int n = snprintf(t->path, sizeof t->path, "%.*s/%s%s", (int)(auth + host_len - base), base, t->pg_name, rest);
    if (n < 0 || (size_t)n >= sizeof t->path) {
        fprintf(stderr, "temp store: HEARTH_TEST_PG is too long\n");
        return false;
    }
    return true;
}

bool temp_store_open(struct temp_store *t)
{
    t->st = NULL;
    t->pg_name[0] = '\0';
    snprintf(t->dir, sizeof t->dir, "/tmp/hearth-unit-XXXXXX");
    if (!mkdtemp(t->dir)) {
        perror("mkdtemp");
        return false;
    }
    if (temp_store_pg()) {
        /* unique per process and directory (mkdtemp's suffix) */
        snprintf(t->pg_name, sizeof t->pg_name, "hearth_u%ld_%s", (long)getpid(), t->dir + strlen("/tmp/hearth-unit-"));
        for (char *p = t->pg_name; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        char sql[128];
        snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", t->pg_name);
        if (!pg_url(t) || !pg_admin(sql)) {
            t->pg_name[0] = '\0';
            rmdir(t->dir);
            return false;
        }
    } else {
        snprintf(t->path, sizeof t->path, "%s/hearth.db", t->dir);
    }
    struct err e = {0};
    t->st = store_open(t->path, &e);
    if (!t->st || !store_migrate(t->st, &e)) {
        fprintf(stderr, "temp store %s: %s\n", t->path, e.count ? e.entries[0].message : "?");
        temp_store_close(t); /* a failed setup gets no teardown */
        return false;
    }
    return true;
}

void temp_store_close(struct temp_store *t)
{
    if (t->st)
        store_close(t->st);
    t->st = NULL;
    if (t->pg_name[0]) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", t->pg_name);
        pg_admin(sql);
        t->pg_name[0] = '\0';
    }
    DIR *d = opendir(t->dir);
    if (d) {
        char path[sizeof t->dir + 256 + 2];
        for (struct dirent *ent; (ent = readdir(d));) {
            if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", t->dir, ent->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(t->dir);
}
