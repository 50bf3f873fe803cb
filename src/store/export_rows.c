/* export_rows.c - the status words of data_exports (export_rows.h). */
#include "store/export_rows.h"

#include <string.h>

static const struct {
    enum store_export_status status;
    const char *word;
} status_words[] = {
    {STORE_EXPORT_PENDING, "pending"},
    {STORE_EXPORT_RUNNING, "running"},
    {STORE_EXPORT_READY, "ready"},
    {STORE_EXPORT_FAILED, "failed"},
};

const char *export_status_word(enum store_export_status s)
{
    for (size_t i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
        if (status_words[i].status == s)
            return status_words[i].word;
    return NULL;
}

enum store_export_status export_status_of(const char *word)
{
    for (size_t i = 0; word && i < sizeof status_words / sizeof status_words[0]; i++)
        if (!strcmp(status_words[i].word, word))
            return status_words[i].status;
    return STORE_EXPORT_NONE;
}
