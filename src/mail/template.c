/* template.c - filling the embedded mail templates. */
#include "mail/template.h"

#include <stdio.h>
#include <string.h>

static const char *template_text(const char *kind, const char *ext)
{
    char name[MAIL_TEMPLATE_NAME_MAX];
    if ((size_t)snprintf(name, sizeof name, "%s.%s", kind, ext) >= sizeof name)
        return NULL;
    for (const struct mail_template_file *f = mail_template_files; f->name; f++)
        if (!strcmp(f->name, name))
            return f->text;
    return NULL;
}

void mail_html_escape(struct buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(out, "&amp;"); break;
        case '<': buf_puts(out, "&lt;"); break;
        case '>': buf_puts(out, "&gt;"); break;
        case '"': buf_puts(out, "&quot;"); break;
        case '\'': buf_puts(out, "&#39;"); break;
        default: buf_append(out, s, 1);
        }
    }
}

/* The value of {{name}} (n bytes) as text into tmp; "" if unknown. */
static const char *value_of(const json_t *values, const char *name, size_t n, char *tmp, size_t tmp_size)
{
    char key[MAIL_TEMPLATE_NAME_MAX];
    if (n >= sizeof key)
        return "";
    memcpy(key, name, n);
    key[n] = '\0';
    const json_t *v = json_object_get(values, key);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(tmp, tmp_size, "%lld", (long long)json_integer_value(v));
        return tmp;
    }
    return "";
}

/* Appends the n bytes of tpl with its placeholders filled. */
static void fill(struct buf *out, const char *tpl, size_t n, const json_t *values, bool html)
{
    const char *end = tpl + n;
    while (tpl < end) {
        const char *open = strstr(tpl, "{{");
        const char *close = open && open < end ? strstr(open + 2, "}}") : NULL;
        if (!open || open >= end || !close || close + 2 > end) {
            buf_append(out, tpl, (size_t)(end - tpl));
            return;
        }
        buf_append(out, tpl, (size_t)(open - tpl));
        char tmp[32];
        const char *v = value_of(values, open + 2, (size_t)(close - open - 2), tmp, sizeof tmp);
        if (html)
            mail_html_escape(out, v);
        else
            buf_puts(out, v);
        tpl = close + 2;
    }
}

bool mail_render(const char *kind, const json_t *values, struct buf *subject, struct buf *text, struct buf *html)
{
    const char *txt = template_text(kind, "txt"), *htm = template_text(kind, "html");
    static const char prefix[] = "Subject: ";
    if (!txt || !htm || strncmp(txt, prefix, sizeof prefix - 1))
        return false;
    const char *line = txt + sizeof prefix - 1, *eol = strchr(line, '\n');
    if (!eol)
        return false;
    fill(subject, line, (size_t)(eol - line), values, false);
    const char *body = eol + 1;
    while (*body == '\n' || *body == '\r')
        body++;
    /* the body with CRLF line ends, as a message wants */
    struct buf raw = BUF_INIT;
    fill(&raw, body, strlen(body), values, false);
    for (const char *p = buf_str(&raw); *p; p++) {
        if (*p == '\n' && (p == buf_str(&raw) || p[-1] != '\r'))
            buf_puts(text, "\r");
        buf_append(text, p, 1);
    }
    buf_free(&raw);
    fill(html, htm, strlen(htm), values, true);
    return true;
}
