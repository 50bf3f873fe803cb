/* temp_store.c - see temp_store.h. */
#include "temp_store.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

bool temp_store_open(struct temp_store *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/hearth-unit-XXXXXX");
    if (!mkdtemp(t->dir)) {
        perror("mkdtemp");
        return false;
    }
    snprintf(t->path, sizeof t->path, "%s/hearth.db", t->dir);
    struct err e = {0};
    t->st = store_open(t->path, &e);
    if (!t->st || !store_migrate(t->st, &e)) {
        fprintf(stderr, "temp store %s: %s\n", t->path, e.count ? e.entries[0].message : "?");
        return false;
    }
    return true;
}

void temp_store_close(struct temp_store *t)
{
    if (t->st)
        store_close(t->st);
    t->st = NULL;
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
