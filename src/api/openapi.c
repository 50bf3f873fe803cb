/* openapi.c - the OpenAPI 3.1 document (see openapi.h).
 *
 * Sections: components (schemas shared by the operations, the contract §2
 * error shape among them); parameters and fields; operations; the document. */
#include "api/openapi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes.h"
#include "api/routes_doc.h"
#include "core/buf.h"

enum { OPENAPI_NAME_MAX = 64 };

/* ================================================================ */
/* components                                                       */

/* In pieces joined at run time: ISO C compilers need not take string
 * literals over 4095 characters. */
static const char *const openapi_components[] = {
    "{"
    "\"securitySchemes\":{\"bearerAuth\":{\"type\":\"http\",\"scheme\":\"bearer\","
    "\"description\":\"An OAuth2 access token from POST /oauth/token/, or an HS256 JWT (contract section 4).\"}},"
    "\"schemas\":{"
    "\"Error\":{\"type\":\"object\",\"required\":[\"errors\"],\"description\":\"Every error but the OAuth "
    "endpoints': general errors carry code and message, field errors field and messages.\","
    "\"properties\":{\"errors\":{\"type\":\"array\",\"items\":{\"oneOf\":["
    "{\"type\":\"object\",\"required\":[\"code\",\"message\"],\"properties\":{\"code\":{\"type\":\"string\"},"
    "\"message\":{\"type\":\"string\"}}},"
    "{\"type\":\"object\",\"required\":[\"field\",\"messages\"],\"properties\":{\"field\":{\"type\":\"string\"},"
    "\"messages\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"code\",\"message\"],"
    "\"properties\":{\"code\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}}}}}}]}}},"
    "\"example\":{\"errors\":[{\"code\":\"not_authenticated\",\"message\":\"Authentication credentials were not "
    "provided.\"}]}},"
    "\"OAuthError\":{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"string\","
    "\"examples\":[\"invalid_grant\"]},\"error_description\":{\"type\":\"string\"}}},"
    "\"OAuthToken\":{\"type\":\"object\",\"properties\":{\"access_token\":{\"type\":\"string\"},"
    "\"expires_in\":{\"type\":\"integer\"},\"token_type\":{\"type\":\"string\",\"const\":\"Bearer\"},"
    "\"scope\":{\"type\":\"string\"},\"refresh_token\":{\"type\":\"string\"}}},"
    "\"Empty\":{\"type\":\"object\",\"maxProperties\":0},"
    "\"Object\":{\"type\":\"object\"},"
    "\"Tag\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"active\":{\"type\":\"boolean\"},"
    "\"name\":{\"type\":\"string\"},\"type\":{\"type\":\"string\"},\"description\":{\"type\":[\"string\",\"null\"]},"
    "\"color\":{\"type\":\"string\"},\"visible\":{\"type\":\"boolean\"},\"created_at\":{\"type\":\"string\","
    "\"format\":\"date-time\"},\"deleted\":{\"type\":\"boolean\"}}},",
    "\"User\":{\"type\":\"object\",\"description\":\"email, email_isvalid and position_lat_lng only for the user "
    "and admins; the counters of the community's mode.\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"username\":{\"type\":\"string\"},\"real_name\":{\"type\":\"string\"},"
    "\"email\":{\"type\":\"string\",\"format\":\"email\"},\"email_isvalid\":{\"type\":\"boolean\"},"
    "\"date_joined\":{\"type\":\"string\",\"format\":\"date-time\"},\"bio\":{\"type\":\"string\"},"
    "\"location\":{\"type\":\"string\"},\"location_lat_lng\":{\"type\":[\"string\",\"null\"]},"
    "\"position_lat_lng\":{\"type\":[\"string\",\"null\"]},\"date_of_birth\":{\"type\":[\"string\",\"null\"],"
    "\"format\":\"date\"},\"description\":{\"type\":\"string\"},\"gender\":{\"type\":\"string\","
    "\"enum\":[\"Male\",\"Female\",\"Unspecified\"]},\"status\":{\"type\":\"string\",\"enum\":[\"a\",\"i\",\"b\","
    "\"d\"]},\"website\":{\"type\":[\"string\",\"null\"]},\"avatar\":{\"type\":[\"string\",\"null\"],"
    "\"format\":\"uri\"},\"cover\":{\"type\":[\"string\",\"null\"],\"format\":\"uri\"},\"ext_id\":{\"type\":"
    "[\"integer\",\"null\"]},\"tags\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Tag\"}},"
    "\"reputation\":{\"type\":\"integer\"},\"community_badge\":{\"type\":\"boolean\"},"
    "\"deleted\":{\"type\":\"boolean\"},\"connection_status\":{\"type\":[\"string\",\"null\"]},"
    "\"followers_counter\":{\"type\":\"integer\"},\"followings_counter\":{\"type\":\"integer\"},"
    "\"connections_counter\":{\"type\":\"integer\"},\"connection_requests_sent_counter\":{\"type\":\"integer\"},"
    "\"connection_requests_received_counter\":{\"type\":\"integer\"},\"posts_counter\":{\"type\":\"integer\"},"
    "\"discussions_counter\":{\"type\":\"integer\"},\"categories_counter\":{\"type\":\"integer\"}}},",
    "\"UserMe\":{\"allOf\":[{\"$ref\":\"#/components/schemas/User\"},{\"type\":\"object\",\"properties\":{"
    "\"role\":{\"type\":[\"string\",\"null\"],\"enum\":[\"admin\",\"moderator\",\"editor\",null]},"
    "\"permission\":{\"$ref\":\"#/components/schemas/Permission\"}}}]},"
    "\"UserShort\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"username\":{\"type\":"
    "\"string\"},\"real_name\":{\"type\":\"string\"},\"avatar\":{\"type\":[\"string\",\"null\"]}}},"
    "\"Permission\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"boolean\"}},"
    "\"Settings\":{\"type\":\"object\",\"description\":\"Notification settings: each name maps to its value.\"},"
    "\"SSOUser\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"ext_id\":{\"type\":"
    "[\"integer\",\"null\"]},\"username\":{\"type\":\"string\"},\"email\":{\"type\":[\"string\",\"null\"]},"
    "\"role\":{\"type\":[\"string\",\"null\"]},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}},"
    "\"Preference\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"section\":{\"type\":"
    "\"string\"},\"name\":{\"type\":\"string\"},\"value\":{}}},"
    "\"ConnectionRequest\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"from_user\":{"
    "\"$ref\":\"#/components/schemas/User\"},\"to_user\":{\"$ref\":\"#/components/schemas/User\"},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"viewed_at\":{\"type\":[\"string\",\"null\"]}}},"
    "\"ConnectionStatus\":{\"type\":\"object\",\"properties\":{\"connection_status\":{\"type\":[\"string\","
    "\"null\"]}}},"
    "\"ConnectionStatuses\":{\"type\":\"object\",\"properties\":{\"connection_statuses\":{\"type\":\"object\","
    "\"additionalProperties\":{\"type\":[\"string\",\"null\"]}}}},"
    "\"Counters\":{\"type\":\"object\",\"properties\":{\"posts\":{\"type\":\"integer\"},\"discussions\":{"
    "\"type\":\"integer\"},\"categories\":{\"type\":\"integer\"}}},"
    "\"Category\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"order\":{\"type\":"
    "\"integer\"},\"name\":{\"type\":\"string\"},\"slug\":{\"type\":\"string\"},\"slogan\":{\"type\":[\"string\","
    "\"null\"]},\"active\":{\"type\":\"boolean\"},\"deleted\":{\"type\":\"boolean\"},"
    "\"content_only_staff\":{\"type\":\"boolean\"},\"followers_counter\":{\"type\":\"integer\","
    "\"description\":\"Followers who are active users.\"},\"followed\":{\"type\":\"boolean\","
    "\"description\":\"Whether the caller follows it; absent for anonymous callers.\"}}},"
    "\"Feature\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":"
    "\"string\"},\"enabled\":{\"type\":\"boolean\"}}},"
    "\"Post\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"type\":{\"type\":\"string\"},"
    "\"author\":{\"$ref\":\"#/components/schemas/User\"},\"added_at\":{\"type\":\"string\",\"format\":"
    "\"date-time\"}}},"
    "\"FeedItem\":{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\"}}}"
    "}}",
};

/* Fields and query parameters by name: their JSON type and a description.
 * A name not listed is a string. */
static const struct {
    const char *name, *type, *format, *description;
} openapi_fields[] = {
    {"limit", "integer", NULL, "Number of results to return per page (default 20, at most 100)."},
    {"offset", "integer", NULL, "The initial index from which to return the results."},
    {"cursor", "string", NULL,
     "Keyset cursor (an extension): empty to opt in; then `next` carries the cursor that continues after the "
     "page's last row. Invalid or another list's: 400."},
    {"search", "string", NULL, "A search term."},
    {"ordering", "string", NULL, "Comma-separated fields, '-' for descending (e.g. -date_joined)."},
    {"username", "string", NULL, "Filter or value: the username."},
    {"gender", "string", NULL, "Male, Female or Unspecified."},
    {"hard", "boolean", NULL, "Remove the account instead of marking it deleted (admins)."},
    {"exclude", "integer", NULL, "A user id to leave out."},
    {"keys", "string", NULL, "Comma-separated section.name keys."},
    {"ext_id", "integer", NULL, "The user's id in the integrating system."},
    {"tags", "array", NULL, "Tag ids."},
    {"users", "array", NULL, "User ids."},
    {"user", "array", NULL, "User ids."},
    {"categories", "array", NULL, "Category ids."},
    {"confirm", "boolean", NULL, "Admins: change without a validation code."},
    {"visible", "boolean", NULL, NULL},
    {"active", "boolean", NULL, NULL},
    {"email", "string", "email", NULL},
    {"new_email", "string", "email", NULL},
    {"password", "string", "password", NULL},
    {"new_password", "string", "password", "8-128 characters with three of lowercase, uppercase, digit, other."},
    {"client_secret", "string", "password", NULL},
    {"date_of_birth", "string", "date", NULL},
    {"avatar", "string", "binary", "An image (PNG, JPEG, GIF or WebP, at most 5 MiB), as multipart/form-data."},
    {"cover", "string", "binary", "An image (PNG, JPEG, GIF or WebP, at most 5 MiB), as multipart/form-data."},
    {"grant_type", "string", NULL, "password or refresh_token."},
};

static json_t *field_schema(const char *name)
{
    for (size_t i = 0; i < sizeof openapi_fields / sizeof openapi_fields[0]; i++) {
        if (strcmp(openapi_fields[i].name, name))
            continue;
        json_t *s = json_pack("{s:s}", "type", openapi_fields[i].type);
        if (!strcmp(openapi_fields[i].type, "array"))
            json_object_set_new(s, "items", json_pack("{s:s}", "type", "integer"));
        if (openapi_fields[i].format)
            json_object_set_new(s, "format", json_string(openapi_fields[i].format));
        if (openapi_fields[i].description)
            json_object_set_new(s, "description", json_string(openapi_fields[i].description));
        return s;
    }
    return json_pack("{s:s}", "type", "string");
}

/* ================================================================ */
/* parameters and fields                                            */

/* Calls fn for each space-separated word of list (at most
 * OPENAPI_NAME_MAX-1 characters), with whether it ends in '!'. */
static void each_word(const char *list, void (*fn)(void *ctx, const char *word, bool required), void *ctx)
{
    for (const char *p = list ? list : ""; *p;) {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char word[OPENAPI_NAME_MAX];
        bool required = p[n - 1] == '!';
        size_t len = required ? n - 1 : n;
        if (len < sizeof word) {
            memcpy(word, p, len);
            word[len] = '\0';
            fn(ctx, word, required);
        }
        p += n;
    }
}

static void add_query_param(void *ctx, const char *name, bool required)
{
    json_t *s = field_schema(name);
    json_t *description = json_object_get(s, "description");
    json_t *p = json_pack("{s:s, s:s, s:b}", "name", name, "in", "query", "required", required);
    if (description)
        json_object_set(p, "description", description);
    json_object_del(s, "description");
    json_object_set_new(p, "schema", s);
    json_array_append_new(ctx, p);
}

struct body_ctx {
    json_t *properties, *required;
};

static void add_body_field(void *ctx, const char *name, bool required)
{
    struct body_ctx *b = ctx;
    json_object_set_new(b->properties, name, field_schema(name));
    if (required)
        json_array_append_new(b->required, json_string(name));
}

static json_t *ref(const char *name)
{
    char path[OPENAPI_NAME_MAX + 32];
    snprintf(path, sizeof path, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", path);
}

static json_t *json_content(json_t *schema) { return json_pack("{s:{s:o}}", "application/json", "schema", schema); }

/* The success body's schema for a routes_doc `result`. */
static json_t *result_schema(const char *result)
{
    if (!strncmp(result, "page:", 5))
        return json_pack("{s:s, s:[s,s,s,s], s:{s:{s:s}, s:{s:[s,s], s:s}, s:{s:[s,s], s:s}, s:{s:s, s:o}}}", "type",
                         "object", "required", "count", "next", "previous", "results", "properties", "count", "type",
                         "integer", "next", "type", "string", "null", "format", "uri", "previous", "type", "string",
                         "null", "format", "uri", "results", "type", "array", "items", ref(result + 5));
    if (!strncmp(result, "array:", 6))
        return json_pack("{s:s, s:o}", "type", "array", "items",
                         strcmp(result + 6, "integer") ? ref(result + 6) : json_pack("{s:s}", "type", "integer"));
    if (!strncmp(result, "bool:", 5))
        return json_pack("{s:s, s:[s], s:{s:{s:s}}}", "type", "object", "required", result + 5, "properties",
                         result + 5, "type", "boolean");
    return ref(result);
}

/* ================================================================ */
/* operations                                                       */

static const struct route_doc *find_doc(const struct route *r)
{
    for (size_t i = 0; i < route_docs_count; i++)
        if (!strcmp(route_docs[i].method, r->method) && !strcmp(route_docs[i].pattern, r->pattern))
            return &route_docs[i];
    return NULL;
}

static const char *status_text(int status)
{
    switch (status) {
    case 400: return "Validation failed, or malformed body.";
    case 401: return "No credentials, or invalid or expired ones.";
    case 403: return "Not allowed: another user's resource, not an admin, or the community's mode.";
    case 404: return "No such resource.";
    case 409: return "Conflicts with an existing resource.";
    case 413: return "The request body is too large.";
    case 429: return "Rate limited; see Retry-After.";
    case 503: return "Overloaded; see Retry-After.";
    default: return "Error.";
    }
}

static void add_error(json_t *responses, int status, bool oauth)
{
    char key[8];
    snprintf(key, sizeof key, "%d", status);
    if (json_object_get(responses, key))
        return;
    json_object_set_new(responses, key,
                        json_pack("{s:s, s:o}", "description", status_text(status), "content",
                                  json_content(ref(oauth ? "OAuthError" : "Error"))));
}

/* "get_api_v2_user_id_followers" from GET /api/v2/user/{id}/followers/. */
static json_t *operation_id(const struct route *r)
{
    char id[256];
    size_t n = 0;
    for (const char *m = r->method; *m && n < sizeof id - 1; m++)
        id[n++] = (char)(*m | 0x20);
    for (const char *p = r->pattern; *p && n < sizeof id - 1; p++) {
        char c = *p;
        bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (word)
            id[n++] = c;
        else if (n && id[n - 1] != '_' && p[1])
            id[n++] = '_';
    }
    while (n && id[n - 1] == '_')
        n--;
    id[n] = '\0';
    return json_string(id);
}

static json_t *operation(const struct route *r)
{
    const struct route_doc *d = find_doc(r);
    bool oauth = !strncmp(r->pattern, "/oauth/", 7);
    json_t *op = json_object();
    json_object_set_new(op, "operationId", operation_id(r));
    json_object_set_new(op, "tags", json_pack("[s]", d ? d->tag : "other"));
    json_object_set_new(op, "summary", json_string(d ? d->summary : r->pattern));

    /* authentication: required, optional, or not read at all */
    struct {
        char text[512];
        size_t len;
    } notes = {{0}, 0};
#define NOTE(...) (notes.len += (size_t)snprintf(notes.text + notes.len, sizeof notes.text - notes.len, __VA_ARGS__))
    if (r->flags & (ROUTE_AUTH | ROUTE_ADMIN))
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearerAuth"));
    else if (r->flags & ROUTE_NO_AUTH)
        json_object_set_new(op, "security", json_array());
    else
        json_object_set_new(op, "security", json_pack("[{}, {s:[]}]", "bearerAuth"));
    if (r->flags & ROUTE_ADMIN)
        NOTE("Admin role required. ");
    if (r->flags & ROUTE_FOLLOW_MODE)
        NOTE("Follow mode only (configurations.follow_enabled true), else 403 mode_disabled. ");
    if (r->flags & ROUTE_FRIEND_MODE)
        NOTE("Friendship mode only (configurations.follow_enabled false), else 403 mode_disabled. ");
    if (r->flags & ROUTE_CONTENT)
        NOTE("Anonymous callers need configurations.content_availability. ");
    if (r->flags & ROUTE_SLOW)
        NOTE("Checks a password: runs on the bounded password pool (503 when full). ");
#undef NOTE
    if (notes.len)
        json_object_set_new(op, "description", json_stringn(notes.text, notes.len - 1));

    json_t *params = json_array();
    if (strstr(r->pattern, "{id}"))
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name", "id", "in", "path", "required",
                                                1, "schema", "type", "integer", "minimum", 1));
    if (strstr(r->pattern, "{name}"))
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "name", "in", "path", "required", 1,
                                                "schema", "type", "string"));
    if (d)
        each_word(d->query, add_query_param, params);
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);

    json_t *responses = json_object();
    if (d && d->body) {
        struct body_ctx b = {json_object(), json_array()};
        each_word(d->body, add_body_field, &b);
        json_t *schema = json_pack("{s:s, s:o}", "type", "object", "properties", b.properties);
        if (json_array_size(b.required))
            json_object_set_new(schema, "required", b.required);
        else
            json_decref(b.required);
        static const char *const all_types[] = {"application/json", "application/x-www-form-urlencoded",
                                                "multipart/form-data", NULL};
        static const char *const form_only[] = {"application/x-www-form-urlencoded", NULL};
        json_t *content = json_object();
        for (const char *const *t = oauth ? form_only : all_types; *t; t++)
            json_object_set_new(content, *t, json_pack("{s:O}", "schema", schema));
        json_decref(schema);
        json_object_set_new(op, "requestBody", json_pack("{s:b, s:o}", "required", 1, "content", content));
    }
    int status = d ? d->status : 200;
    char key[8];
    snprintf(key, sizeof key, "%d", status);
    const char *result = d ? d->result : NULL;
    json_t *ok;
    if (result && !strcmp(result, "image"))
        ok = json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "The image.", "content", "image/*", "schema",
                       "type", "string", "contentMediaType", "image/*");
    else if (result && !strcmp(result, "zip"))
        ok = json_pack("{s:s, s:{s:{s:{s:s, s:s}}}}", "description", "The zip file.", "content", "application/zip",
                       "schema", "type", "string", "contentMediaType", "application/zip");
    else if (result)
        ok = json_pack("{s:s, s:o}", "description", "Success.", "content", json_content(result_schema(result)));
    else
        ok = json_pack("{s:s}", "description", status == 204 ? "Done; no body." : "Success.");
    json_object_set_new(responses, key, ok);

    if ((d && (d->body || d->query)) || strcmp(r->method, "GET"))
        add_error(responses, 400, oauth);
    if (r->flags & (ROUTE_AUTH | ROUTE_ADMIN | ROUTE_CONTENT) || !(r->flags & ROUTE_NO_AUTH))
        add_error(responses, 401, oauth);
    if (r->flags & (ROUTE_ADMIN | ROUTE_FOLLOW_MODE | ROUTE_FRIEND_MODE) ||
        ((r->flags & ROUTE_AUTH) && strstr(r->pattern, "{id}")))
        add_error(responses, 403, oauth);
    if (strchr(r->pattern, '{'))
        add_error(responses, 404, oauth);
    if (strcmp(r->method, "GET") && strcmp(r->method, "DELETE"))
        add_error(responses, 413, oauth);
    if (r->flags & ROUTE_SLOW)
        add_error(responses, 503, oauth);
    if (d && d->errors)
        for (const char *p = d->errors; *p;) {
            char *end;
            long s = strtol(p, &end, 10);
            if (end == p)
                break;
            add_error(responses, (int)s, oauth);
            p = end;
        }
    json_object_set_new(op, "responses", responses);
    return op;
}

/* ================================================================ */
/* the document                                                     */

json_t *openapi_document(const struct route *routes, size_t n, const char *server_url)
{
    struct buf text = BUF_INIT;
    for (size_t i = 0; i < sizeof openapi_components / sizeof openapi_components[0]; i++)
        buf_puts(&text, openapi_components[i]);
    json_t *components = json_loads(buf_str(&text), 0, NULL);
    buf_free(&text);
    if (!components)
        return NULL;
    json_t *paths = json_object();
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_object_get(paths, routes[i].pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, routes[i].pattern, item);
        }
        char method[16];
        size_t k = 0;
        for (const char *m = routes[i].method; *m && k < sizeof method - 1; m++)
            method[k++] = (char)(*m | 0x20);
        method[k] = '\0';
        json_object_set_new(item, method, operation(&routes[i]));
    }
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:s, s:o, s:o}", "openapi", "3.1.0", "info", "title",
        "hearth: SelfCommunity v2 User API", "version", "2", "description",
        "Generated from the server's route table. Errors have the shape of components/schemas/Error, except the "
        "OAuth endpoints (RFC 6749). Paths match with and without the trailing slash. Lists take limit and offset.",
        "jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base", "paths", paths, "components",
        components);
    if (doc && server_url && *server_url)
        json_object_set_new(doc, "servers", json_pack("[{s:s}]", "url", server_url));
    return doc;
}

bool openapi_api_schema(struct request *req, struct response *resp, struct err *e)
{
    /* without a configured base URL the explorer calls the origin it was
     * loaded from (no servers entry means "/") */
    json_t *doc = openapi_document(api_routes, api_routes_count, req->cfg->base_url);
    if (!doc)
        return err_internal(e);
    http_json(resp, 200, doc);
    http_add_header(resp, "Cache-Control", "no-cache");
    return true;
}
