/* message.c - RFC 5322 messages with headers safe by construction. */
#include "mail/message.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/text.h"

bool mail_address_ok(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (!n || n > MAIL_ADDRESS_MAX || !at || at == s || !at[1] || strchr(at + 1, '@') || !text_valid_utf8(s, n))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p))
            return false;
    return true;
}

/* The length of the longest prefix of s (n bytes) that is at most max
 * bytes and does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* value with every control character (C0, DEL) replaced by a space, cut at
 * MAIL_HEADER_VALUE_MAX bytes: into dst (room for MAIL_HEADER_VALUE_MAX+1). */
static size_t header_clean(const char *value, char *dst)
{
    size_t n = utf8_cut(value, strlen(value), MAIL_HEADER_VALUE_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];
        dst[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    dst[n] = '\0';
    return n;
}

static bool all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Appends s as RFC 2047 B-encoded words separated by CRLF SP (folding). */
static void encoded_words(struct buf *out, const char *s, size_t n)
{
    bool first = true;
    while (n) {
        size_t k = utf8_cut(s, n, MAIL_ENCODED_WORD_INPUT);
        if (!k) /* not UTF-8 after all: take a byte so that the loop ends */
            k = 1;
        char b64[sodium_base64_ENCODED_LEN(MAIL_ENCODED_WORD_INPUT, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s, k, sodium_base64_VARIANT_ORIGINAL);
        buf_puts(out, first ? "" : "\r\n ");
        buf_printf(out, "=?UTF-8?B?%s?=", b64);
        first = false;
        s += k;
        n -= k;
    }
}

void mail_header_put(struct buf *out, const char *name, const char *value)
{
    char clean[MAIL_HEADER_VALUE_MAX + 1];
    size_t n = header_clean(value ? value : "", clean);
    buf_puts(out, name);
    buf_puts(out, ": ");
    if (all_ascii(clean, n))
        buf_append(out, clean, n);
    else
        encoded_words(out, clean, n);
    buf_puts(out, "\r\n");
}

bool mail_header_address(struct buf *out, const char *name, const char *display, const char *address)
{
    if (!mail_address_ok(address))
        return false;
    buf_puts(out, name);
    buf_puts(out, ": ");
    if (display && *display) {
        char clean[MAIL_HEADER_VALUE_MAX + 1];
        size_t n = header_clean(display, clean);
        if (!all_ascii(clean, n))
            encoded_words(out, clean, n);
        else { /* a quoted-string: escape its quote and backslash */
            buf_puts(out, "\"");
            for (size_t i = 0; i < n; i++) {
                if (clean[i] == '"' || clean[i] == '\\')
                    buf_puts(out, "\\");
                buf_append(out, &clean[i], 1);
            }
            buf_puts(out, "\"");
        }
        buf_puts(out, " ");
    }
    buf_printf(out, "<%s>\r\n", address);
    return true;
}

static bool copy_part(const char *s, size_t n, char *dst, size_t size)
{
    text_trim_span(&s, &n);
    if (n >= size)
        return false;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return true;
}

bool mail_parse_mailbox(const char *s, char *display, size_t display_size, char *address, size_t address_size)
{
    const char *lt = strchr(s, '<');
    if (!lt) {
        display[0] = '\0';
        return copy_part(s, strlen(s), address, address_size) && mail_address_ok(address);
    }
    const char *gt = strchr(lt, '>');
    if (!gt || gt[1 + strspn(gt + 1, " ")] != '\0')
        return false;
    if (!copy_part(s, (size_t)(lt - s), display, display_size) ||
        !copy_part(lt + 1, (size_t)(gt - lt - 1), address, address_size))
        return false;
    /* a display name given in quotes: drop them (mail_header_address quotes) */
    size_t n = strlen(display);
    if (n >= 2 && display[0] == '"' && display[n - 1] == '"') {
        memmove(display, display + 1, n - 2);
        display[n - 2] = '\0';
    }
    return mail_address_ok(address);
}

void mail_base64_lines(struct buf *out, const char *data, size_t len)
{
    enum { CHUNK = MAIL_BASE64_LINE / 4 * 3 }; /* 57 bytes make a 76-character line */
    char line[MAIL_BASE64_LINE + 1];
    for (size_t i = 0; i < len; i += CHUNK) {
        size_t k = len - i < CHUNK ? len - i : CHUNK;
        sodium_bin2base64(line, sizeof line, (const unsigned char *)data + i, k, sodium_base64_VARIANT_ORIGINAL);
        buf_puts(out, line);
        buf_puts(out, "\r\n");
    }
}

/* Writes the Date header value for t (RFC 5322, UTC). */
static void format_date(int64_t t, char out[64])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char raw[32];
    if (bytes > sizeof raw)
        bytes = sizeof raw;
    randombytes_buf(raw, bytes);
    sodium_bin2hex(out, 2 * bytes + 1, raw, bytes);
}

static void body_part(struct buf *out, const char *boundary, const char *type, const char *body)
{
    buf_printf(out, "--%s\r\nContent-Type: %s; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary,
               type);
    mail_base64_lines(out, body, strlen(body));
}

bool mail_compose(struct buf *out, const struct mail_message *m)
{
    if (!mail_address_ok(m->from_address) || !mail_address_ok(m->to_address))
        return false;
    char date[64], boundary[48], id[33];
    format_date(m->date_s, date);
    random_hex(id, 16);
    memcpy(boundary, "hearth-", 7);
    random_hex(boundary + 7, 16);
    const char *domain = strchr(m->from_address, '@') + 1;
    mail_header_put(out, "Date", date);
    mail_header_address(out, "From", m->from_display, m->from_address);
    mail_header_address(out, "To", NULL, m->to_address);
    mail_header_put(out, "Subject", m->subject);
    buf_printf(out, "Message-ID: <%s@%s>\r\n", id, domain);
    buf_puts(out, "MIME-Version: 1.0\r\n");
    buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
    body_part(out, boundary, "text/plain", m->text ? m->text : "");
    body_part(out, boundary, "text/html", m->html ? m->html : "");
    buf_printf(out, "--%s--\r\n", boundary);
    return true;
}
