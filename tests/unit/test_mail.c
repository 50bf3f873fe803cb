/* test_mail.c - unit tests of src/mail/: headers that no value can add to
 * (CR LF stripped, non-ASCII encoded as RFC 2047 words), address checks,
 * mailbox parsing, whole messages, templates with HTML escaping, the retry
 * backoff; and of the account codes' hashing (domain/signup.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <utime.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/account.h"
#include "domain/signup.h"
#include "mail/message.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "store/account_store.h"
#include "store/store.h"
#include "temp_store.h"

/* Whether s has a line (CRLF separated) that starts with `prefix`. */
static bool has_line(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *p = s; p; p = strstr(p, "\r\n")) {
        if (p != s)
            p += 2;
        if (!strncasecmp(p, prefix, n))
            return true;
        if (!*p)
            break;
    }
    return false;
}

static void test_header_strips_crlf(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    mail_header_put(&b, "Subject", "Hello\r\nBcc: evil@example.com\nX-Other: 1\rZ");
    assert_string_equal(buf_str(&b), "Subject: Hello  Bcc: evil@example.com X-Other: 1 Z\r\n");
    assert_false(has_line(buf_str(&b), "Bcc:"));
    /* one header line, and only one CRLF, at its end */
    assert_ptr_equal(strstr(buf_str(&b), "\r\n"), buf_str(&b) + b.len - 2);
    buf_reset(&b);
    mail_header_put(&b, "Subject", "tab\there\x7f nul-free");
    assert_string_equal(buf_str(&b), "Subject: tab here  nul-free\r\n");
    buf_free(&b);
}

static void test_header_rfc2047(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    mail_header_put(&b, "Subject", "Café");
    assert_string_equal(buf_str(&b), "Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n");
    buf_reset(&b);
    /* CR LF inside non-ASCII text: stripped before encoding, so the decoded
     * text holds no line break either */
    mail_header_put(&b, "Subject", "é\r\nBcc: x@y.z");
    assert_string_equal(buf_str(&b), "Subject: =?UTF-8?B?w6kgIEJjYzogeEB5Lno=?=\r\n");
    buf_reset(&b);
    /* long text: several words on folded lines, each at most 75 characters,
     * none splitting a UTF-8 character */
    char lng[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(lng, "ü€");
    mail_header_put(&b, "Subject", lng);
    const char *s = buf_str(&b);
    assert_true(strstr(s, "\r\n =?UTF-8?B?") != NULL);
    struct buf decoded = BUF_INIT;
    for (const char *w = strstr(s, "=?UTF-8?B?"); w; w = strstr(w, "=?UTF-8?B?")) {
        w += 10;
        const char *end = strstr(w, "?=");
        assert_non_null(end);
        assert_true(end - w + 12 <= 75);
        unsigned char bin[100];
        size_t n = 0;
        assert_int_equal(
            sodium_base642bin(bin, sizeof bin, w, (size_t)(end - w), NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL),
            0);
        /* each word is whole UTF-8 on its own */
        assert_true(n > 0 && (bin[0] & 0xC0) != 0x80);
        buf_append(&decoded, bin, n);
        w = end;
    }
    assert_string_equal(buf_str(&decoded), lng);
    buf_free(&decoded);
    buf_free(&b);
}

static void test_header_bounded(void **state)
{
    (void)state;
    char big[3000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    struct buf b = BUF_INIT;
    mail_header_put(&b, "Subject", big);
    assert_int_equal(b.len, strlen("Subject: ") + MAIL_HEADER_VALUE_MAX + 2);
    buf_free(&b);
}

static void test_address_ok(void **state)
{
    (void)state;
    assert_true(mail_address_ok("user@example.com"));
    assert_true(mail_address_ok("first.last+tag@sub.example.org"));
    static const char *const bad[] = {"",
                                      "user",
                                      "@example.com",
                                      "user@",
                                      "a@b@c",
                                      "user@example.com\r\nBcc: x@y.z",
                                      "user@example.com\n",
                                      "us er@example.com",
                                      "<user@example.com>",
                                      "user@example.com>",
                                      "\"user\"@example.com",
                                      "user,other@example.com",
                                      "user;x@example.com"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(mail_address_ok(bad[i]));
    char lng[300];
    memset(lng, 'a', sizeof lng - 1);
    lng[sizeof lng - 1] = '\0';
    lng[10] = '@';
    assert_false(mail_address_ok(lng));
}

static void test_header_address(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    assert_true(mail_header_address(&b, "From", "The \"Hearth\"", "noreply@example.com"));
    assert_string_equal(buf_str(&b), "From: \"The \\\"Hearth\\\"\" <noreply@example.com>\r\n");
    buf_reset(&b);
    assert_true(mail_header_address(&b, "From", "Évian\r\nBcc: x@y.z", "noreply@example.com"));
    assert_false(has_line(buf_str(&b), "Bcc:"));
    assert_true(!strncmp(buf_str(&b), "From: =?UTF-8?B?", 16));
    buf_reset(&b);
    assert_false(mail_header_address(&b, "To", NULL, "x@y.z\r\nBcc: evil@example.com"));
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_parse_mailbox(void **state)
{
    (void)state;
    char d[64], a[64];
    assert_true(mail_parse_mailbox("Hearth Community <noreply@example.com>", d, sizeof d, a, sizeof a));
    assert_string_equal(d, "Hearth Community");
    assert_string_equal(a, "noreply@example.com");
    assert_true(mail_parse_mailbox("\"Quoted\" <q@example.com>", d, sizeof d, a, sizeof a));
    assert_string_equal(d, "Quoted");
    assert_true(mail_parse_mailbox(" plain@example.com ", d, sizeof d, a, sizeof a));
    assert_string_equal(d, "");
    assert_string_equal(a, "plain@example.com");
    assert_false(mail_parse_mailbox("Name <bad address@example.com>", d, sizeof d, a, sizeof a));
    assert_false(mail_parse_mailbox("Name <a@example.com> trailing", d, sizeof d, a, sizeof a));
    assert_false(mail_parse_mailbox("Name <a@example.com\r\nBcc: x@y.z>", d, sizeof d, a, sizeof a));
}

static void test_compose(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    struct mail_message m = {.from_display = "Hearth",
                             .from_address = "noreply@example.com",
                             .to_address = "user@example.org",
                             .subject = "Welcome\r\nBcc: evil@example.com",
                             .text = "line one\r\n.\r\nline three",
                             .html = "<p>hi</p>",
                             .date_s = 0};
    assert_true(mail_compose(&b, &m));
    const char *s = buf_str(&b);
    assert_true(!strncmp(s, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n", 39));
    assert_true(has_line(s, "To: <user@example.org>"));
    assert_true(has_line(s, "Subject: Welcome  Bcc: evil@example.com"));
    assert_false(has_line(s, "Bcc:"));
    assert_true(has_line(s, "MIME-Version: 1.0"));
    assert_true(strstr(s, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n") != NULL);
    /* the bodies are base64: "line one\r\n.\r\nline three" */
    assert_true(strstr(s, "bGluZSBvbmUNCi4NCmxpbmUgdGhyZWU=\r\n") != NULL);
    /* every line ends in CRLF: no bare LF or CR */
    for (size_t i = 0; i < b.len; i++) {
        if (s[i] == '\n')
            assert_true(i > 0 && s[i - 1] == '\r');
        if (s[i] == '\r')
            assert_true(s[i + 1] == '\n');
    }
    buf_reset(&b);
    m.to_address = "user@example.org\r\nBcc: evil@example.com";
    assert_false(mail_compose(&b, &m));
    buf_free(&b);
}

static void test_templates(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s, s:s, s:s}", "username", "<b>bob</b> & \"co\"", "code", "abc123", "link",
                          "https://x.example/a?b=1&c=2");
    struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
    assert_true(mail_render("verify", v, &subject, &text, &html));
    assert_true(strstr(buf_str(&subject), "<b>bob</b> & \"co\"") != NULL);
    assert_true(strstr(buf_str(&text), "https://x.example/a?b=1&c=2") != NULL);
    assert_true(strstr(buf_str(&text), "abc123") != NULL);
    assert_null(strstr(buf_str(&text), "{{"));
    /* text lines end in CRLF */
    assert_true(strstr(buf_str(&text), "\r\n") != NULL);
    /* HTML: values escaped, markup of the template kept */
    assert_true(strstr(buf_str(&html), "&lt;b&gt;bob&lt;/b&gt; &amp; &quot;co&quot;") != NULL);
    assert_true(strstr(buf_str(&html), "href=\"https://x.example/a?b=1&amp;c=2\"") != NULL);
    assert_null(strstr(buf_str(&html), "<b>bob"));
    static const char *const kinds[] = {"verify", "reset", "change_email"};
    for (size_t i = 0; i < 3; i++) {
        buf_reset(&subject), buf_reset(&text), buf_reset(&html);
        assert_true(mail_render(kinds[i], v, &subject, &text, &html));
        assert_true(subject.len > 0 && text.len > 0 && html.len > 0);
    }
    assert_false(mail_render("nope", v, &subject, &text, &html));
    assert_false(mail_render("../verify", v, &subject, &text, &html));
    buf_free(&subject), buf_free(&text), buf_free(&html);
    json_decref(v);
}

static void test_retry_delay(void **state)
{
    (void)state;
    assert_int_equal(mail_retry_delay_s(1), MAIL_RETRY_BASE_S);
    assert_int_equal(mail_retry_delay_s(2), 2 * MAIL_RETRY_BASE_S);
    assert_int_equal(mail_retry_delay_s(3), 4 * MAIL_RETRY_BASE_S);
    assert_int_equal(mail_retry_delay_s(MAIL_MAX_ATTEMPTS),
                     MAIL_RETRY_MAX_S < ((int64_t)MAIL_RETRY_BASE_S << (MAIL_MAX_ATTEMPTS - 1))
                         ? MAIL_RETRY_MAX_S
                         : (int64_t)MAIL_RETRY_BASE_S << (MAIL_MAX_ATTEMPTS - 1));
    assert_int_equal(mail_retry_delay_s(1000), MAIL_RETRY_MAX_S);
}

/* A message is tried for as long as the code it carries can be used: a
 * mail server down for hours (less than a day) delays a verification mail
 * and loses none. */
static void test_retries_outlive_codes(void **state)
{
    (void)state;
    int64_t tried_s = 0; /* from the first attempt to the last */
    for (int i = 1; i < MAIL_MAX_ATTEMPTS; i++)
        tried_s += mail_retry_delay_s(i);
    assert_true(tried_s >= SIGNUP_VERIFY_TTL_S);
    assert_true(tried_s >= SIGNUP_RESET_TTL_S);
    assert_true(tried_s >= ACCOUNT_EMAIL_CODE_TTL_S);
    /* and not much longer: the mail is worthless once its code expired */
    assert_true(tried_s < SIGNUP_VERIFY_TTL_S + MAIL_RETRY_MAX_S);
}

static void test_code_hash(void **state)
{
    (void)state;
    char h1[65], h2[65], h3[65];
    signup_code_hash("0123456789abcdef0123456789abcdef", h1);
    signup_code_hash("0123456789abcdef0123456789abcdef", h2);
    signup_code_hash("0123456789abcdef0123456789abcdee", h3);
    assert_int_equal(strlen(h1), 64);
    assert_string_equal(h1, h2);
    assert_string_not_equal(h1, h3);
    /* not the code itself */
    assert_null(strstr(h1, "0123456789abcdef0123456789abcdef"));
    /* long submissions are hashed over their first SIGNUP_CODE_MAX bytes
     * (bounded work); they never match a stored 32-character code */
    char lng[SIGNUP_CODE_MAX * 4];
    memset(lng, 'a', sizeof lng - 1);
    lng[sizeof lng - 1] = '\0';
    char l1[65], l2[65];
    signup_code_hash(lng, l1);
    lng[SIGNUP_CODE_MAX] = '\0';
    signup_code_hash(lng, l2);
    assert_string_equal(l1, l2);
    assert_true(SIGNUP_CODE_BYTES * 8 >= 128);
}

static void touch(const char *dir, const char *name, time_t mtime)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
    struct utimbuf t = {.actime = mtime, .modtime = mtime};
    assert_int_equal(utime(path, &t), 0);
}

static bool exists(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

/* Only the sender's own files, and only old ones, are deleted. */
static void test_eml_prune(void **state)
{
    (void)state;
    char dir[] = "/tmp/hearth-mail-XXXXXX";
    assert_non_null(mkdtemp(dir));
    time_t old = 1000000, now = 2000000;
    touch(dir, "000001-verify.eml", old);
    touch(dir, ".000002-change_email.eml.tmp", old);
    touch(dir, "000003-reset.eml", now);
    touch(dir, "notes.eml", old);
    touch(dir, "000004-verify.eml.bak", old);
    touch(dir, ".000005-reset.eml", old);
    touch(dir, "000006-Verify.eml", old);
    assert_int_equal(mail_eml_prune(dir, now), 2);
    assert_false(exists(dir, "000001-verify.eml"));
    assert_false(exists(dir, ".000002-change_email.eml.tmp"));
    static const char *const kept[] = {"000003-reset.eml", "notes.eml", "000004-verify.eml.bak", ".000005-reset.eml",
                                       "000006-Verify.eml"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        assert_true(exists(dir, kept[i]));
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, kept[i]);
        unlink(path);
    }
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(mail_eml_prune(dir, now), 0); /* no directory: nothing to do */
}

/* The outbox's claim rules, on a real database: one live claim per row;
 * a claim whose sender died (lease over) is taken again, so a message is
 * never lost; a sent or failed row is never taken; a retry waits for its
 * time; old sent and failed rows are pruned, pending ones never. */
static void test_outbox_claims(void **state)
{
    (void)state;
    struct temp_store t;
    assert_true(temp_store_open(&t));
    struct arena *a = arena_new();
    struct err e = {0};
    const int64_t s = 1000000, lease = 120 * s, t0 = 1000 * s;
    assert_true(store_mail_enqueue(t.st, "verify", "one@example.com", "{\"code\":\"c1\"}", t0, &e));
    assert_true(store_mail_enqueue(t.st, "reset", "two@example.com", "{}", t0, &e));
    assert_int_equal(store_mail_due(t.st, t0 - 1, &e), 0);
    assert_int_equal(store_mail_due(t.st, t0, &e), 1);

    struct mail_row m1, m2, m3;
    assert_int_equal(store_mail_claim(t.st, a, t0, lease, &m1, &e), 1);
    assert_string_equal(m1.recipient, "one@example.com");
    assert_int_equal(m1.attempts, 1);
    /* a second sender gets the other row, then nothing: each claimed once */
    assert_int_equal(store_mail_claim(t.st, a, t0 + s, lease, &m2, &e), 1);
    assert_string_equal(m2.recipient, "two@example.com");
    assert_int_equal(store_mail_claim(t.st, a, t0 + 2 * s, lease, &m3, &e), 0);
    assert_int_equal(store_mail_due(t.st, t0 + 2 * s, &e), 0);

    /* the first is sent: its params (the code) erased, never claimed again */
    assert_true(store_mail_sent(t.st, m1.id, t0 + 3 * s, &e));
    /* the second's sender died holding it: after the lease it comes back */
    assert_int_equal(store_mail_claim(t.st, a, t0 + s + lease - 1, lease, &m3, &e), 0);
    assert_int_equal(store_mail_claim(t.st, a, t0 + s + lease, lease, &m3, &e), 1);
    assert_int_equal(m3.id, m2.id);
    assert_int_equal(m3.attempts, 2);
    /* a failed attempt releases it until its next time */
    int64_t t1 = t0 + s + lease;
    assert_true(store_mail_retry(t.st, m3.id, t1 + 60 * s, false, "down", &e));
    assert_int_equal(store_mail_claim(t.st, a, t1 + 59 * s, lease, &m3, &e), 0);
    assert_int_equal(store_mail_claim(t.st, a, t1 + 60 * s, lease, &m3, &e), 1);
    assert_true(store_mail_retry(t.st, m3.id, t1 + 120 * s, true, "gave up", &e));
    assert_int_equal(store_mail_claim(t.st, a, t1 + 1000 * s, lease, &m3, &e), 0);

    /* pruning: sent and failed rows created before the bound go */
    assert_true(store_mail_enqueue(t.st, "verify", "three@example.com", "{}", t0, &e)); /* pending, old */
    int64_t removed = -1;
    assert_true(store_mail_prune(t.st, t0, &removed, &e));
    assert_int_equal(removed, 0);
    assert_true(store_mail_prune(t.st, t0 + 1, &removed, &e));
    assert_int_equal(removed, 2);
    assert_int_equal(store_mail_claim(t.st, a, t1 + 1000 * s, lease, &m3, &e), 1);
    assert_string_equal(m3.recipient, "three@example.com");
    assert_int_equal(e.count, 0);
    arena_free(a);
    temp_store_close(&t);
}

/* Several servers sending from one PostgreSQL database: a row another
 * sender's open transaction has claimed is skipped, not waited for (FOR
 * UPDATE SKIP LOCKED), and once that claim commits nobody takes it again.
 * SQLite has one writer: nothing to test there. */
static void test_outbox_claims_two_senders(void **state)
{
    (void)state;
    if (!temp_store_pg())
        return;
    struct temp_store t;
    assert_true(temp_store_open(&t));
    struct err e = {0};
    struct store *other = store_open(t.path, &e);
    assert_non_null(other);
    struct arena *a = arena_new();
    const int64_t s = 1000000, lease = 120 * s, t0 = 1000 * s;
    assert_true(store_mail_enqueue(t.st, "verify", "one@example.com", "{}", t0, &e));
    assert_true(store_mail_enqueue(t.st, "reset", "two@example.com", "{}", t0, &e));

    struct mail_row m1, m2, m3;
    assert_true(store_begin(t.st, &e));
    assert_int_equal(store_mail_claim(t.st, a, t0, lease, &m1, &e), 1);
    assert_string_equal(m1.recipient, "one@example.com");
    /* the first claim is not committed: the other sender passes over it */
    assert_int_equal(store_mail_claim(other, a, t0, lease, &m2, &e), 1);
    assert_string_equal(m2.recipient, "two@example.com");
    assert_int_equal(store_mail_claim(other, a, t0, lease, &m3, &e), 0);
    assert_true(store_commit(t.st, &e));
    /* committed: still nothing for anyone until a lease ends */
    assert_int_equal(store_mail_claim(other, a, t0 + s, lease, &m3, &e), 0);
    assert_int_equal(store_mail_claim(t.st, a, t0 + s, lease, &m3, &e), 0);
    assert_int_equal(e.count, 0);
    arena_free(a);
    store_close(other);
    temp_store_close(&t);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_strips_crlf),
        cmocka_unit_test(test_header_rfc2047),
        cmocka_unit_test(test_header_bounded),
        cmocka_unit_test(test_address_ok),
        cmocka_unit_test(test_header_address),
        cmocka_unit_test(test_parse_mailbox),
        cmocka_unit_test(test_compose),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_retry_delay),
        cmocka_unit_test(test_retries_outlive_codes),
        cmocka_unit_test(test_code_hash),
        cmocka_unit_test(test_eml_prune),
        cmocka_unit_test(test_outbox_claims),
        cmocka_unit_test(test_outbox_claims_two_senders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
