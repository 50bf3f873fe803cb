/* fuzz_html.c - libFuzzer target for domain/html.c, the sanitiser.
 *
 * Every input either fails with a 400 field error, or gives output that
 * (1) is valid UTF-8 with a summary of at most HTML_SUMMARY_MAX characters,
 * (2) parsed again by the HTML5 parser holds only allowed elements and
 *     attributes, with http(s)/mailto links and http(s) images only, and
 * (3) sanitised again comes back byte for byte (stability: what a browser
 *     builds from it is what the sanitiser meant).
 * Any broken promise aborts. Seeds are in fuzz/corpus/html, HTML tokens in
 * fuzz/html.dict: build-fuzz/fuzz_html fuzz/corpus/html -dict=fuzz/html.dict
 */
#include <gumbo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "domain/html.h"
#include "http/response.h"

static const GumboTag allowed_tags[] = {
    GUMBO_TAG_B,   GUMBO_TAG_STRONG,     GUMBO_TAG_I,  GUMBO_TAG_EM, GUMBO_TAG_U,   GUMBO_TAG_S,  GUMBO_TAG_SUB,
    GUMBO_TAG_SUP, GUMBO_TAG_CODE,       GUMBO_TAG_A,  GUMBO_TAG_BR, GUMBO_TAG_IMG, GUMBO_TAG_P,  GUMBO_TAG_HR,
    GUMBO_TAG_PRE, GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_UL, GUMBO_TAG_OL, GUMBO_TAG_LI,  GUMBO_TAG_H1, GUMBO_TAG_H2,
    GUMBO_TAG_H3,  GUMBO_TAG_H4,         GUMBO_TAG_H5, GUMBO_TAG_H6,
};

static int tag_allowed(GumboTag tag)
{
    for (size_t i = 0; i < sizeof allowed_tags / sizeof allowed_tags[0]; i++)
        if (allowed_tags[i] == tag)
            return 1;
    return 0;
}

static int url_ok(const char *v, int mailto)
{
    return !strncasecmp(v, "https://", 8) || !strncasecmp(v, "http://", 7) || (mailto && !strncasecmp(v, "mailto:", 7));
}

/* Checks every element and attribute under `node` (the output is at most
 * HTML_DEPTH_MAX elements deep, so recursion is bounded). */
static void check_tree(const GumboNode *node, int depth)
{
    if (depth > HTML_DEPTH_MAX + 2)
        abort();
    if (node->type == GUMBO_NODE_COMMENT || node->type == GUMBO_NODE_TEMPLATE || node->type == GUMBO_NODE_CDATA)
        abort();
    if (node->type != GUMBO_NODE_ELEMENT)
        return;
    const GumboElement *el = &node->v.element;
    if (depth > 0) {
        if (el->tag_namespace != GUMBO_NAMESPACE_HTML || !tag_allowed(el->tag))
            abort();
        for (unsigned i = 0; i < el->attributes.length; i++) {
            const GumboAttribute *at = el->attributes.data[i];
            if (el->tag == GUMBO_TAG_A) {
                if (!strcmp(at->name, "href")) {
                    if (!url_ok(at->value, 1))
                        abort();
                } else if (strcmp(at->name, "title") &&
                           !(strcmp(at->name, "rel") == 0 && strcmp(at->value, "nofollow noopener") == 0)) {
                    abort();
                }
            } else if (el->tag == GUMBO_TAG_IMG) {
                if (!strcmp(at->name, "src")) {
                    if (!url_ok(at->value, 0))
                        abort();
                } else if (strcmp(at->name, "alt") && strcmp(at->name, "title")) {
                    abort();
                }
            } else {
                abort(); /* no other element keeps attributes */
            }
        }
    }
    for (unsigned i = 0; i < el->children.length; i++)
        check_tree(el->children.data[i], depth + 1);
}

static void check_output(const struct html_clean *c)
{
    size_t len = strlen(c->html);
    if (!text_valid_utf8(c->html, len) || text_chars(c->summary) < 0 || text_chars(c->summary) > HTML_SUMMARY_MAX)
        abort();
    GumboOptions opt = kGumboDefaultOptions;
    opt.fragment_context = GUMBO_TAG_DIV;
    opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
    GumboOutput *out = gumbo_parse_with_options(&opt, c->html, len);
    check_tree(out->root, 0);
    gumbo_destroy_output(&opt, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy, so ASan sees any over-read */
    char *in = malloc(size ? size : 1);
    if (!in)
        return 0;
    memcpy(in, data, size);
    struct arena *a = arena_new();
    struct err e = {0};
    struct html_clean c;
    if (html_sanitize(a, in, size, "text", &c, &e)) {
        check_output(&c);
        size_t len = strlen(c.html);
        struct err e2 = {0};
        struct html_clean again;
        if (len <= HTML_INPUT_MAX) {
            if (!html_sanitize(a, c.html, len, "text", &again, &e2) || strcmp(again.html, c.html))
                abort();
        }
    } else if (http_status_of(&e) != 400 || e.count != 1 || !e.entries[0].field) {
        abort();
    }
    arena_free(a);
    free(in);
    return 0;
}
