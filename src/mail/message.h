/* message.h - building an email (RFC 5322 + MIME) so that no value can add
 * a header: every header value passes through one function that drops CR,
 * LF and other control characters, and encodes non-ASCII text as RFC 2047
 * encoded words; addresses must be plain addr-specs without any of them.
 * Bodies are UTF-8, base64 encoded, lines of 76. Thread-safe (no state).
 */
#ifndef HEARTH_MAIL_MESSAGE_H
#define HEARTH_MAIL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum {
    MAIL_ADDRESS_MAX = 254,       /* RFC 5321 path limit */
    MAIL_HEADER_VALUE_MAX = 998,  /* RFC 5322 line limit, before encoding */
    MAIL_ENCODED_WORD_INPUT = 45, /* bytes per RFC 2047 word: base64 of 45 is 60, the word 72 (< 75) */
    MAIL_BASE64_LINE = 76,        /* RFC 2045 */
};

/* Whether s is an address we send to or from: one '@', printable ASCII or
 * UTF-8 without spaces, controls (CR, LF), or any of  <>()[],;:\"  and at
 * most MAIL_ADDRESS_MAX bytes. */
bool mail_address_ok(const char *s);

/* Appends "Name: value\r\n" to out: control characters of value (CR, LF,
 * TAB, NUL...) become spaces, then a value with any non-ASCII byte is
 * written as RFC 2047 "=?UTF-8?B?...?=" words (split on UTF-8 character
 * boundaries, folded onto continuation lines). value is cut at
 * MAIL_HEADER_VALUE_MAX bytes (on a character boundary). */
void mail_header_put(struct buf *out, const char *name, const char *value);

/* Appends a "From"/"To" style header: `display` (may be NULL or "") as a
 * quoted or encoded phrase, then <address>. False (nothing appended) if
 * address fails mail_address_ok. */
bool mail_header_address(struct buf *out, const char *name, const char *display, const char *address);

/* Splits "Name <addr@host>" or "addr@host" into a display name (may be "")
 * and an address, into the given buffers. False if the address is not
 * mail_address_ok or a part does not fit. */
bool mail_parse_mailbox(const char *s, char *display, size_t display_size, char *address, size_t address_size);

/* Appends len bytes as base64 in lines of MAIL_BASE64_LINE, CRLF ended. */
void mail_base64_lines(struct buf *out, const char *data, size_t len);

/* A whole message: headers, then a multipart/alternative body of `text`
 * and `html` (both UTF-8). date_s is the Date (seconds since the epoch).
 * False (out untouched beyond what was appended) if an address is bad. */
struct mail_message {
    const char *from_display, *from_address;
    const char *to_address;
    const char *subject;
    const char *text, *html;
    int64_t date_s;
};
bool mail_compose(struct buf *out, const struct mail_message *m);

#endif
