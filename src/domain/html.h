/* html.h - the HTML sanitiser for user content (post and discussion text,
 * category html_info).
 *
 * The input is parsed by a real HTML5 parser (libgumbo) exactly as a browser
 * would parse it inside a <div>; the resulting tree is walked and only an
 * allow-list is written back out. Nothing is ever matched with patterns.
 *
 * Kept elements: p, br, hr, blockquote, pre, code, ul, ol, li, h1-h6, b,
 * strong, i, em, u, s, sub, sup, a, img. Kept attributes: a href (http,
 * https and mailto URLs only; rel="nofollow noopener" is added) and title;
 * img src (http and https only), alt and title. Everything else:
 *   - script, style, iframe, object, embed, template, svg, math and the like
 *     are dropped with their content;
 *   - comments are dropped;
 *   - any other element is unwrapped: its tag goes, its content stays;
 *   - an <a> without a safe href is unwrapped, an <img> without a safe src
 *     dropped;
 *   - kept elements nested deeper than HTML_DEPTH_MAX are unwrapped, so deep
 *     content survives as text.
 * Text is escaped. The output is stable: a browser (or this sanitiser)
 * parsing it again builds the same tree, so sanitising twice changes nothing.
 *
 * Thread-safe; all results live in the caller's arena.
 */
#ifndef HEARTH_DOMAIN_HTML_H
#define HEARTH_DOMAIN_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

enum {
    HTML_INPUT_MAX = 64 * 1024,       /* bytes of HTML accepted: a long article; more is 400 */
    HTML_TAGS_MAX = 8192,             /* tags in the input (and output): bounds the tree, whose deep
                                   * nesting makes the parser's scope scans quadratic; link-heavy
                                   * prose has a tag every 15 bytes, this allows one per 8 */
    HTML_PARSE_MEMORY_MAX = 16 << 20, /* bytes the parser may hold at once: formatting elements that
                                       * the HTML5 algorithm re-opens in every paragraph can otherwise
                                       * turn 45 KiB into a gigabyte */
    HTML_DEPTH_MAX = 32,              /* nesting of kept elements; deeper ones are unwrapped */
    HTML_URL_MAX = 2048,              /* bytes of an href or src; longer ones are dropped */
    HTML_ATTR_MAX = 1024,             /* bytes of a title or alt; longer ones are dropped */
    HTML_SUMMARY_MAX = 500,           /* characters of the plain-text summary */
};

struct html_clean {
    const char *html;    /* the sanitised HTML */
    const char *summary; /* its plain text: whitespace collapsed, trimmed, at most HTML_SUMMARY_MAX characters */
    bool has_content;    /* some text other than whitespace, or an image, survived */
};

/* Sanitises in[0..len). On failure returns false with a 400 field error on
 * `field` (a literal): "max_length" beyond HTML_INPUT_MAX bytes, "invalid"
 * for invalid UTF-8 or NUL bytes, more than HTML_TAGS_MAX tags (in the input
 * or in the output), or input that needs more than HTML_PARSE_MEMORY_MAX to
 * parse. */
bool html_sanitize(struct arena *a, const char *in, size_t len, const char *field, struct html_clean *out,
                   struct err *e);

#endif
