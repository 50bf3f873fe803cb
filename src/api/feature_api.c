/* feature_api.c - HTTP <-> domain for the feature list. */
#include "api/feature_api.h"

#include "domain/feature.h"

static json_t *feature_json(const struct feature *f)
{
    return json_pack("{s:I, s:s, s:b}", "id", (json_int_t)f->id, "name", f->name, "enabled", f->enabled);
}

/* Every feature, or the one `name` names (none when it names none), on one
 * page whatever limit and offset say: the kit reads the first page only. */
bool feature_api_list(struct request *req, struct response *resp, struct err *e)
{
    (void)e;
    const char *name = http_query(req, "name");
    json_t *results = json_array();
    if (name) {
        const struct feature *f = feature_find(name);
        if (f)
            json_array_append_new(results, feature_json(f));
    } else {
        for (size_t i = 0; i < feature_count(); i++)
            json_array_append_new(results, feature_json(feature_at(i)));
    }
    size_t n = json_array_size(results);
    http_json(resp, 200, http_page(req, (int64_t)n, (int)feature_count(), 0, results));
    return true;
}
