/* fuzz_mail.c - libFuzzer target for the mail headers (mail/message.h):
 * any bytes as a header value, a display name, a mailbox to parse, and a
 * whole message's subject and recipient. Whatever the input, a header is
 * one logical line: every CR is followed by LF, and every LF by a space
 * (a folded continuation) or is the header's last byte; a parsed mailbox
 * always passes mail_address_ok. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "mail/message.h"

/* Aborts unless b holds header lines only: CRLF-ended, continuations
 * starting with a space. */
static void check_header(const struct buf *b)
{
    const char *s = buf_str(b);
    for (size_t i = 0; i < b->len; i++) {
        if (s[i] == '\0')
            abort();
        if (s[i] == '\r' && s[i + 1] != '\n')
            abort();
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            abort();
        if (s[i] == '\n' && i + 1 < b->len && s[i + 1] != ' ')
            abort();
    }
    if (b->len < 2 || s[b->len - 2] != '\r' || s[b->len - 1] != '\n')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            abort();
        ready = 1;
    }
    char *value = malloc(size + 1);
    if (!value)
        return 0;
    memcpy(value, data, size);
    value[size] = '\0';

    struct buf b = BUF_INIT;
    mail_header_put(&b, "Subject", value);
    check_header(&b);
    buf_reset(&b);
    if (mail_header_address(&b, "From", value, "noreply@example.com"))
        check_header(&b);
    buf_reset(&b);
    if (mail_header_address(&b, "To", NULL, value)) {
        check_header(&b);
        if (!mail_address_ok(value))
            abort();
    }
    buf_reset(&b);

    char display[MAIL_HEADER_VALUE_MAX + 1], address[MAIL_ADDRESS_MAX + 1];
    if (mail_parse_mailbox(value, display, sizeof display, address, sizeof address) && !mail_address_ok(address))
        abort();

    struct mail_message m = {.from_display = value,
                             .from_address = "noreply@example.com",
                             .to_address = "user@example.org",
                             .subject = value,
                             .text = value,
                             .html = value,
                             .date_s = 0};
    if (!mail_compose(&b, &m))
        abort();
    /* the header block: no line may start a header the input named */
    const char *s = buf_str(&b), *end = strstr(s, "\r\n\r\n");
    if (!end)
        abort();
    for (const char *p = s; p < end; p = strstr(p, "\r\n") + 2)
        if (!strncmp(p, "Bcc:", 4) || !strncmp(p, "bcc:", 4))
            abort();
    buf_free(&b);
    free(value);
    return 0;
}
