/* html.c - the HTML sanitiser (see html.h): libgumbo builds the tree, an
 * iterative walk writes back the allow-list and collects the summary.
 *
 * Two things keep hostile input from hurting the server. The parser runs on
 * a private heap with a budget: when an allocation would exceed it, the
 * allocator longjmps back here and the whole heap is released at once (the
 * parser keeps no other state, so nothing leaks). Releasing the heap block
 * by block also replaces gumbo_destroy_output, which recurses once per
 * nesting level. And the walk uses the tree's parent links, not recursion.
 */
#include "domain/html.h"

#include <gumbo.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/text.h"

/* ================================================================ */
/* a bounded heap for the parser                                    */

enum { HEAP_MAGIC = 0x68746d6c };

struct heap_block {
    struct heap_block *prev, *next;
    size_t size;
    size_t magic;
};
_Static_assert(sizeof(struct heap_block) % _Alignof(max_align_t) == 0, "blocks keep malloc's alignment");

struct html_heap {
    struct heap_block *head;
    size_t live;   /* bytes handed out and not yet freed */
    size_t budget; /* live never exceeds it */
    jmp_buf abort; /* where an allocation over budget returns to */
};

static void *heap_alloc(void *userdata, size_t size)
{
    struct html_heap *h = userdata;
    if (size > h->budget - h->live)
        longjmp(h->abort, 1);
    struct heap_block *b = malloc(sizeof *b + size);
    if (!b)
        abort(); /* as the arena does: nothing sensible to do */
    b->prev = NULL;
    b->next = h->head;
    b->size = size;
    b->magic = HEAP_MAGIC;
    if (h->head)
        h->head->prev = b;
    h->head = b;
    h->live += size;
    return b + 1;
}

static void heap_free(void *userdata, void *p)
{
    struct html_heap *h = userdata;
    if (!p)
        return;
    struct heap_block *b = (struct heap_block *)p - 1;
    if (b->magic != HEAP_MAGIC)
        abort(); /* a pointer this heap never gave out */
    b->magic = 0;
    if (b->prev)
        b->prev->next = b->next;
    else
        h->head = b->next;
    if (b->next)
        b->next->prev = b->prev;
    h->live -= b->size;
    free(b);
}

static void heap_release(struct html_heap *h)
{
    while (h->head)
        heap_free(h, h->head + 1);
}

/* Parses in[0..len) as the content of a <div>; NULL when the budget ran out.
 * Only `h` (not modified here) is live across the longjmp. */
static GumboOutput *html_parse(struct html_heap *h, const char *in, size_t len)
{
    if (setjmp(h->abort))
        return NULL;
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = heap_alloc;
    opt.deallocator = heap_free;
    opt.userdata = h;
    opt.max_errors = 0; /* parse errors are not reported: do not keep them */
    opt.fragment_context = GUMBO_TAG_DIV;
    opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
    return gumbo_parse_with_options(&opt, in, len);
}

/* ================================================================ */
/* the allow-list                                                   */

enum tag_class {
    TAG_UNWRAP = 0,   /* the tag goes, its content stays (the default) */
    TAG_UNWRAP_BLOCK, /* the same, but its content is a block of its own in the summary */
    TAG_INLINE,       /* kept */
    TAG_BLOCK,        /* kept; re-parsing closes an open <p> at its start tag, so never written
                       * inside p or h1-h6 (it is unwrapped there) */
    TAG_DROP,         /* dropped with its content */
};

static const unsigned char tag_classes[GUMBO_TAG_LAST] = {
    [GUMBO_TAG_B] = TAG_INLINE,
    [GUMBO_TAG_STRONG] = TAG_INLINE,
    [GUMBO_TAG_I] = TAG_INLINE,
    [GUMBO_TAG_EM] = TAG_INLINE,
    [GUMBO_TAG_U] = TAG_INLINE,
    [GUMBO_TAG_S] = TAG_INLINE,
    [GUMBO_TAG_SUB] = TAG_INLINE,
    [GUMBO_TAG_SUP] = TAG_INLINE,
    [GUMBO_TAG_CODE] = TAG_INLINE,
    [GUMBO_TAG_A] = TAG_INLINE,
    [GUMBO_TAG_BR] = TAG_INLINE,
    [GUMBO_TAG_IMG] = TAG_INLINE,

    [GUMBO_TAG_P] = TAG_BLOCK,
    [GUMBO_TAG_HR] = TAG_BLOCK,
    [GUMBO_TAG_BLOCKQUOTE] = TAG_BLOCK,
    [GUMBO_TAG_PRE] = TAG_BLOCK,
    [GUMBO_TAG_UL] = TAG_BLOCK,
    [GUMBO_TAG_OL] = TAG_BLOCK,
    [GUMBO_TAG_LI] = TAG_BLOCK,
    [GUMBO_TAG_H1] = TAG_BLOCK,
    [GUMBO_TAG_H2] = TAG_BLOCK,
    [GUMBO_TAG_H3] = TAG_BLOCK,
    [GUMBO_TAG_H4] = TAG_BLOCK,
    [GUMBO_TAG_H5] = TAG_BLOCK,
    [GUMBO_TAG_H6] = TAG_BLOCK,

    /* active content, metadata, embedded objects and form controls */
    [GUMBO_TAG_SCRIPT] = TAG_DROP,
    [GUMBO_TAG_STYLE] = TAG_DROP,
    [GUMBO_TAG_IFRAME] = TAG_DROP,
    [GUMBO_TAG_OBJECT] = TAG_DROP,
    [GUMBO_TAG_EMBED] = TAG_DROP,
    [GUMBO_TAG_APPLET] = TAG_DROP,
    [GUMBO_TAG_PARAM] = TAG_DROP,
    [GUMBO_TAG_TEMPLATE] = TAG_DROP,
    [GUMBO_TAG_NOSCRIPT] = TAG_DROP,
    [GUMBO_TAG_NOEMBED] = TAG_DROP,
    [GUMBO_TAG_NOFRAMES] = TAG_DROP,
    [GUMBO_TAG_FRAME] = TAG_DROP,
    [GUMBO_TAG_FRAMESET] = TAG_DROP,
    [GUMBO_TAG_HEAD] = TAG_DROP,
    [GUMBO_TAG_TITLE] = TAG_DROP,
    [GUMBO_TAG_META] = TAG_DROP,
    [GUMBO_TAG_LINK] = TAG_DROP,
    [GUMBO_TAG_BASE] = TAG_DROP,
    [GUMBO_TAG_SVG] = TAG_DROP,
    [GUMBO_TAG_MATH] = TAG_DROP,
    [GUMBO_TAG_AUDIO] = TAG_DROP,
    [GUMBO_TAG_VIDEO] = TAG_DROP,
    [GUMBO_TAG_SOURCE] = TAG_DROP,
    [GUMBO_TAG_TRACK] = TAG_DROP,
    [GUMBO_TAG_CANVAS] = TAG_DROP,
    [GUMBO_TAG_MAP] = TAG_DROP,
    [GUMBO_TAG_AREA] = TAG_DROP,
    [GUMBO_TAG_FORM] = TAG_DROP,
    [GUMBO_TAG_INPUT] = TAG_DROP,
    [GUMBO_TAG_TEXTAREA] = TAG_DROP,
    [GUMBO_TAG_SELECT] = TAG_DROP,
    [GUMBO_TAG_BUTTON] = TAG_DROP,
    [GUMBO_TAG_KEYGEN] = TAG_DROP,

    /* containers whose content reads as separate blocks */
    [GUMBO_TAG_DIV] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_SECTION] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_ARTICLE] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_ASIDE] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_NAV] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_HEADER] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_FOOTER] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_MAIN] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_ADDRESS] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_FIGURE] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_FIGCAPTION] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_DETAILS] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_SUMMARY] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_CENTER] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_FIELDSET] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_LEGEND] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_DL] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_DT] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_DD] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_TABLE] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_CAPTION] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_TR] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_TD] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_TH] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_LISTING] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_XMP] = TAG_UNWRAP_BLOCK,
    [GUMBO_TAG_PLAINTEXT] = TAG_UNWRAP_BLOCK,
};

static enum tag_class tag_class(GumboTag tag)
{
    return tag < GUMBO_TAG_LAST ? (enum tag_class)tag_classes[tag] : TAG_UNWRAP;
}

static bool tag_is_void(GumboTag tag) { return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_HR; }

static bool tag_is_heading(GumboTag tag)
{
    return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
           tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

static bool ascii_prefix_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + ('a' - 'A')) : *s;
        if (c != *prefix)
            return false;
    }
    return true;
}

/* An absolute http(s) URL (or mailto: when allowed) with no whitespace or
 * control characters anywhere: browsers strip those before reading the
 * scheme ("java\tscript:"), so a URL holding any is refused, not cleaned. */
static bool safe_url(const char *url, bool allow_mailto)
{
    size_t n = strlen(url);
    if (n == 0 || n > HTML_URL_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    if (ascii_prefix_nocase(url, "https://"))
        return url[8] != '\0' && url[8] != '/';
    if (ascii_prefix_nocase(url, "http://"))
        return url[7] != '\0' && url[7] != '/';
    if (allow_mailto && ascii_prefix_nocase(url, "mailto:"))
        return url[7] != '\0';
    return false;
}

/* ================================================================ */
/* the walk                                                         */

struct open_element {
    const GumboNode *node;
    GumboTag tag;
};

struct walk {
    struct buf out;
    struct open_element open[HTML_DEPTH_MAX]; /* the elements written and not yet closed */
    int nopen;
    bool after_pre; /* the last thing written was <pre> */
    /* unwrapped containers (div, td, ...) still separate their content: a
     * <br> is written between it and inline content on either side */
    bool inline_open;   /* inline content written since the last block boundary */
    bool break_pending; /* a <br> is due before the next inline content */
    /* the summary, built as the text goes by */
    struct buf summary;
    int summary_chars;
    bool space_pending;
    bool has_content;
};

static void put(struct walk *w, const char *s)
{
    buf_puts(&w->out, s);
    w->after_pre = false;
}

/* Code points the parser replaces with U+FFFD when they appear raw (a
 * character reference can still produce them): written as U+FFFD too, so
 * that re-parsing the output gives the same text. */
static bool replaced_by_parser(utf8proc_int32_t cp)
{
    return (cp >= 0x1 && cp <= 0x8) || cp == 0xB || (cp >= 0xE && cp <= 0x1F) || (cp >= 0x7F && cp <= 0x9F) ||
           (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFF) == 0xFFFE || (cp & 0xFFFF) == 0xFFFF;
}

/* Escapes text (and attribute values: quotes too). A CR becomes LF, as
 * the parser turns raw ones into. */
static void put_escaped(struct walk *w, const char *s, bool attribute)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            /* the parser can turn a character reference into a code point
             * UTF-8 cannot carry (a surrogate, or beyond U+10FFFF) */
            buf_puts(&w->out, "\xef\xbf\xbd");
            p++;
            left--;
            continue;
        }
        if (cp == '&')
            buf_puts(&w->out, "&amp;");
        else if (cp == '<')
            buf_puts(&w->out, "&lt;");
        else if (cp == '>')
            buf_puts(&w->out, "&gt;");
        else if (cp == '"' && attribute)
            buf_puts(&w->out, "&quot;");
        else if (cp == '\r')
            buf_puts(&w->out, "\n");
        else if (replaced_by_parser(cp))
            buf_puts(&w->out, "\xef\xbf\xbd");
        else
            buf_append(&w->out, p, (size_t)n);
        p += n;
        left -= n;
    }
    w->after_pre = false;
}

static void put_attribute(struct walk *w, const char *name, const char *value)
{
    buf_puts(&w->out, " ");
    buf_puts(&w->out, name);
    buf_puts(&w->out, "=\"");
    put_escaped(w, value, true);
    buf_puts(&w->out, "\"");
}

static bool is_space(utf8proc_int32_t cp)
{
    if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
        return true;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

/* Feeds text to the summary: whitespace runs become one space, none at
 * either end, and at most HTML_SUMMARY_MAX characters in all. */
static void summary_add(struct walk *w, const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0 && w->summary_chars < HTML_SUMMARY_MAX) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        const utf8proc_uint8_t *bytes = p;
        size_t nbytes = (size_t)n;
        if (n <= 0) { /* not UTF-8 (see put_escaped): one U+FFFD per byte */
            n = 1;
            cp = 0xFFFD;
            bytes = (const utf8proc_uint8_t *)"\xef\xbf\xbd";
            nbytes = 3;
        }
        if (is_space(cp)) {
            w->space_pending = w->summary_chars > 0;
        } else {
            if (w->space_pending) {
                if (w->summary_chars + 2 > HTML_SUMMARY_MAX) {
                    w->summary_chars = HTML_SUMMARY_MAX; /* a trailing space would be all that fits */
                    return;
                }
                buf_puts(&w->summary, " ");
                w->summary_chars++;
                w->space_pending = false;
            }
            buf_append(&w->summary, bytes, nbytes);
            w->summary_chars++;
            w->has_content = true;
        }
        p += n;
        left -= n;
    }
}

static void summary_break(struct walk *w) { w->space_pending = w->summary_chars > 0; }

static bool can_write(const struct walk *w, GumboTag tag);

/* A block boundary from an unwrapped container: remembered, and written as
 * a <br> only if inline content follows (no stray breaks at the ends). */
static void container_boundary(struct walk *w)
{
    if (w->inline_open)
        w->break_pending = true;
}

/* Called before inline content is written: text or an image (`visible`),
 * or an inline element's start tag (the break goes before it). */
static void inline_content(struct walk *w, bool visible)
{
    if (w->break_pending && can_write(w, GUMBO_TAG_BR)) {
        put(w, "<br>");
        summary_break(w);
        w->inline_open = false;
    }
    w->break_pending = false;
    if (visible)
        w->inline_open = true;
}

/* A kept block element starts or ends: it separates by itself. */
static void block_boundary(struct walk *w)
{
    w->break_pending = false;
    w->inline_open = false;
}

static bool only_space(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\n\f\r", *s))
            return false;
    return true;
}

static void put_text(struct walk *w, const char *text)
{
    if (!only_space(text))
        inline_content(w, true);
    /* a newline right after <pre> is eaten by the parser: double it so the
     * text survives re-parsing unchanged */
    if (w->after_pre && (text[0] == '\n' || text[0] == '\r')) /* a CR is written as LF */
        buf_puts(&w->out, "\n");
    put_escaped(w, text, false);
    summary_add(w, text);
}

static bool open_has(const struct walk *w, bool (*pred)(GumboTag))
{
    for (int i = 0; i < w->nopen; i++)
        if (pred(w->open[i].tag))
            return true;
    return false;
}

static bool closes_paragraph_context(GumboTag tag) { return tag == GUMBO_TAG_P || tag_is_heading(tag); }
static bool is_anchor(GumboTag tag) { return tag == GUMBO_TAG_A; }

/* Whether `tag` (an allowed one) may be written here so that re-parsing
 * builds the same tree. */
static bool can_write(const struct walk *w, GumboTag tag)
{
    if (w->nopen >= HTML_DEPTH_MAX)
        return false;
    if (tag_class(tag) == TAG_BLOCK && open_has(w, closes_paragraph_context))
        return false;
    if (tag == GUMBO_TAG_LI)
        return w->nopen > 0 && (w->open[w->nopen - 1].tag == GUMBO_TAG_UL || w->open[w->nopen - 1].tag == GUMBO_TAG_OL);
    if (tag == GUMBO_TAG_A)
        return !open_has(w, is_anchor);
    return true;
}

static const char *attribute(const GumboNode *node, const char *name)
{
    GumboAttribute *at = gumbo_get_attribute(&node->v.element.attributes, name);
    return at ? at->value : NULL;
}

/* Writes the optional text attribute `name` if present and not too long. */
static void put_text_attribute(struct walk *w, const GumboNode *node, const char *name)
{
    const char *v = attribute(node, name);
    if (v && strlen(v) <= HTML_ATTR_MAX)
        put_attribute(w, name, v);
}

/* Enters an element node; returns whether to walk its children. */
static bool enter_element(struct walk *w, const GumboNode *node)
{
    const GumboElement *el = &node->v.element;
    if (el->tag_namespace != GUMBO_NAMESPACE_HTML)
        return false; /* svg or math content that escaped its root: never kept */
    GumboTag tag = el->tag;
    enum tag_class cls = tag_class(tag);
    if (cls == TAG_DROP)
        return false;
    if (cls == TAG_UNWRAP || cls == TAG_UNWRAP_BLOCK) {
        if (cls == TAG_UNWRAP_BLOCK) {
            summary_break(w);
            container_boundary(w);
        }
        return true;
    }
    if (!can_write(w, tag)) {
        if (cls == TAG_BLOCK || tag == GUMBO_TAG_BR) {
            summary_break(w);
            container_boundary(w);
        }
        return !tag_is_void(tag);
    }
    const char *href = NULL, *src = NULL;
    if (tag == GUMBO_TAG_A) {
        href = attribute(node, "href");
        if (!href || !safe_url(href, true))
            return true; /* a link to nowhere safe: keep its text */
    } else if (tag == GUMBO_TAG_IMG) {
        src = attribute(node, "src");
        if (!src || !safe_url(src, false))
            return false;
    }
    if (cls == TAG_BLOCK)
        block_boundary(w);
    else if (tag == GUMBO_TAG_BR)
        w->break_pending = w->inline_open = false;
    else
        inline_content(w, tag == GUMBO_TAG_IMG);
    put(w, "<");
    put(w, gumbo_normalized_tagname(tag));
    if (href) {
        put_attribute(w, "href", href);
        put_text_attribute(w, node, "title");
        put_attribute(w, "rel", "nofollow noopener");
    } else if (src) {
        put_attribute(w, "src", src);
        put_text_attribute(w, node, "alt");
        put_text_attribute(w, node, "title");
        w->has_content = true;
    }
    put(w, ">");
    if (cls == TAG_BLOCK || tag == GUMBO_TAG_BR)
        summary_break(w);
    if (tag_is_void(tag))
        return false;
    w->open[w->nopen++] = (struct open_element){node, tag};
    w->after_pre = tag == GUMBO_TAG_PRE;
    return true;
}

/* Enters any node; returns whether to walk its children. */
static bool enter(struct walk *w, const GumboNode *node)
{
    switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
    case GUMBO_NODE_CDATA: put_text(w, node->v.text.text); return false;
    case GUMBO_NODE_ELEMENT: return enter_element(w, node);
    default: /* comments, templates, documents */ return false;
    }
}

/* Leaves a node whose children were walked (or skipped). */
static void leave(struct walk *w, const GumboNode *node)
{
    if (node->type != GUMBO_NODE_ELEMENT)
        return;
    GumboTag tag = node->v.element.tag;
    enum tag_class cls = tag_class(tag);
    bool written = w->nopen > 0 && w->open[w->nopen - 1].node == node;
    if (written) {
        w->nopen--;
        put(w, "</");
        put(w, gumbo_normalized_tagname(tag));
        put(w, ">");
    }
    if (cls == TAG_BLOCK || cls == TAG_UNWRAP_BLOCK) {
        summary_break(w);
        if (written)
            block_boundary(w);
        else if (node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML)
            container_boundary(w);
    }
}

static const GumboVector *children(const GumboNode *node)
{
    return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE ? &node->v.element.children : NULL;
}

/* Walks every descendant of root in document order without recursion: the
 * tree's parent links and each node's index lead back up. */
static void walk_tree(struct walk *w, const GumboNode *root)
{
    const GumboVector *top = children(root);
    if (!top || top->length == 0)
        return;
    const GumboNode *node = top->data[0];
    while (node) {
        const GumboVector *kids = children(node);
        if (enter(w, node) && kids && kids->length > 0) {
            node = kids->data[0];
            continue;
        }
        /* climb until a next sibling exists */
        for (;;) {
            leave(w, node);
            const GumboNode *parent = node->parent;
            const GumboVector *siblings = children(parent);
            size_t next = node->index_within_parent + 1;
            if (siblings && next < siblings->length) {
                node = siblings->data[next];
                break;
            }
            if (parent == root) {
                node = NULL;
                break;
            }
            node = parent;
        }
    }
}

/* Counts '<' followed by a letter or '/': every tag the parser sees. */
static size_t count_tags(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        char c = (char)(s[i + 1] | 0x20);
        if (s[i] == '<' && ((c >= 'a' && c <= 'z') || s[i + 1] == '/'))
            n++;
    }
    return n;
}

bool html_sanitize(struct arena *a, const char *in, size_t len, const char *field, struct html_clean *out,
                   struct err *e)
{
    memset(out, 0, sizeof *out);
    if (len > HTML_INPUT_MAX)
        return err_field(e, field, "max_length", "Ensure this field has no more than 65536 bytes of HTML.");
    if (!text_valid_utf8(in, len))
        return err_field(e, field, "invalid", "The text must be valid UTF-8 without NUL characters.");
    if (count_tags(in, len) > HTML_TAGS_MAX)
        return err_field(e, field, "invalid", "The text has too many HTML tags (at most 8192).");

    struct html_heap *heap = calloc(1, sizeof *heap);
    if (!heap)
        abort();
    heap->budget = HTML_PARSE_MEMORY_MAX;
    GumboOutput *parsed = html_parse(heap, in, len);
    if (!parsed) {
        heap_release(heap);
        free(heap);
        return err_field(e, field, "invalid", "The HTML is too complex to process.");
    }
    struct walk w = {0};
    walk_tree(&w, parsed->root);
    heap_release(heap); /* frees the tree: gumbo_destroy_output would recurse per level */
    free(heap);
    /* the parser can make more elements than there were tags (</p> alone
     * is an empty paragraph): refuse output that could not be sanitised again */
    bool too_many = count_tags(buf_str(&w.out), w.out.len) > HTML_TAGS_MAX;
    if (too_many) {
        buf_free(&w.out);
        buf_free(&w.summary);
        return err_field(e, field, "invalid", "The HTML is too complex to process.");
    }

    out->html = arena_strndup(a, buf_str(&w.out), w.out.len);
    out->summary = arena_strndup(a, buf_str(&w.summary), w.summary.len);
    out->has_content = w.has_content;
    buf_free(&w.out);
    buf_free(&w.summary);
    return true;
}
