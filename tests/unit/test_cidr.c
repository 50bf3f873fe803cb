/* test_cidr.c - addresses, network lists (--trusted-proxies) and the
 * X-Forwarded-For walk that finds the client behind trusted proxies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/cidr.h"

static struct cidr_addr addr(const char *text)
{
    struct cidr_addr a;
    assert_true(cidr_addr_parse(text, strlen(text), &a));
    return a;
}

static struct cidr_list list(const char *text)
{
    struct cidr_list l;
    char msg[160] = "";
    if (!cidr_list_parse(text, &l, msg, sizeof msg))
        fail_msg("%s: %s", text, msg);
    return l;
}

static const char *text_of(const struct cidr_addr *a, char *out)
{
    cidr_addr_format(a, out);
    return out;
}

/* The client cidr_forwarded_client finds, as text. */
static const char *client(const char *trusted, const char *peer, const char *xff, char *out)
{
    struct cidr_list l = list(trusted);
    struct cidr_addr p = addr(peer), c;
    cidr_forwarded_client(&l, &p, xff, &c);
    return text_of(&c, out);
}

static void test_addresses(void **state)
{
    (void)state;
    char t[CIDR_TEXT_MAX];
    struct cidr_addr a = addr("192.0.2.1");
    assert_int_equal(a.family, 4);
    assert_string_equal(text_of(&a, t), "192.0.2.1");
    a = addr("2001:DB8::1");
    assert_int_equal(a.family, 6);
    assert_string_equal(text_of(&a, t), "2001:db8::1");
    a = addr("::ffff:198.51.100.7"); /* mapped: the IPv4 address */
    assert_int_equal(a.family, 4);
    assert_string_equal(text_of(&a, t), "198.51.100.7");
    static const char *const bad[] = {"",          "1.2.3", "1.2.3.4.5", "256.1.1.1",   "1.2.3.4 ",   " 1.2.3.4",
                                      "1.2.3.4/8", "[::1]", "::1%eth0",  "example.com", "1.2.3.4:80", "::g"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cidr_addr x;
        if (cidr_addr_parse(bad[i], strlen(bad[i]), &x))
            fail_msg("'%s' parsed as an address", bad[i]);
    }
    /* longer than any address: refused, not cut */
    char longer[200];
    memset(longer, '1', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    struct cidr_addr x;
    assert_false(cidr_addr_parse(longer, strlen(longer), &x));
    assert_false(cidr_addr_parse(NULL, 0, &x));
}

static void test_list_parse(void **state)
{
    (void)state;
    struct cidr_list l = list("127.0.0.1, 10.0.0.0/8 ,::1\t2001:db8::/32,,172.16.0.0/12");
    assert_int_equal(l.n, 5);
    assert_int_equal(l.nets[0].bits, 32);
    assert_int_equal(l.nets[1].bits, 8);
    assert_int_equal(l.nets[2].bits, 128);
    assert_int_equal(l.nets[3].bits, 32);
    assert_int_equal(list("").n, 0);
    assert_int_equal(list(" , ").n, 0);
    /* host bits are cleared */
    l = list("10.1.2.3/8");
    char t[CIDR_TEXT_MAX];
    assert_string_equal(text_of(&l.nets[0].addr, t), "10.0.0.0");
    l = list("2001:db8:ffff::1/33");
    assert_string_equal(text_of(&l.nets[0].addr, t), "2001:db8:8000::");
    /* a mapped network with an IPv6 prefix is the IPv4 network */
    l = list("::ffff:10.0.0.0/104");
    assert_int_equal(l.nets[0].addr.family, 4);
    assert_int_equal(l.nets[0].bits, 8);
    /* /0: everything of the family */
    l = list("0.0.0.0/0");
    struct cidr_addr a = addr("203.0.113.9");
    assert_true(cidr_list_contains(&l, &a));
    a = addr("2001:db8::9");
    assert_false(cidr_list_contains(&l, &a));

    static const char *const bad[] = {"10.0.0.0/33",        "::/129",        "10.0.0.0/",   "10.0.0.0/x",
                                      "10.0.0.0/-1",        "10.0.0.0/0008", "example.com", "10.0.0.0/8/8",
                                      "::ffff:10.0.0.0/95", "1.2.3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cidr_list x;
        char msg[160] = "";
        if (cidr_list_parse(bad[i], &x, msg, sizeof msg))
            fail_msg("'%s' parsed as a network list", bad[i]);
        assert_non_null(strstr(msg, "not an address"));
    }
    /* bounded count */
    char many[CIDR_LIST_MAX * 16 + 32] = "";
    for (int i = 0; i <= CIDR_LIST_MAX; i++) {
        char one[24];
        snprintf(one, sizeof one, "10.0.%d.1,", i);
        strcat(many, one);
    }
    struct cidr_list x;
    char msg[160] = "";
    assert_false(cidr_list_parse(many, &x, msg, sizeof msg));
    assert_non_null(strstr(msg, "at most"));
    many[strlen(many) - strlen("10.0.32.1,")] = '\0';
    assert_true(cidr_list_parse(many, &x, msg, sizeof msg));
    assert_int_equal(x.n, CIDR_LIST_MAX);
}

static void test_contains(void **state)
{
    (void)state;
    struct cidr_list l = list("10.0.0.0/8, 192.0.2.128/25, 2001:db8::/32, ::1");
    static const char *const in[] = {"10.0.0.1",   "10.255.255.255",   "192.0.2.128", "192.0.2.255",
                                     "2001:db8::", "2001:db8:ffff::1", "::1",         "::ffff:10.1.1.1"};
    static const char *const out[] = {"11.0.0.1", "192.0.2.127", "2001:db9::1", "::2", "127.0.0.1", "0.0.0.0"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        struct cidr_addr a = addr(in[i]);
        if (!cidr_list_contains(&l, &a))
            fail_msg("%s not in the list", in[i]);
    }
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) {
        struct cidr_addr a = addr(out[i]);
        if (cidr_list_contains(&l, &a))
            fail_msg("%s in the list", out[i]);
    }
    struct cidr_list empty = list("");
    struct cidr_addr a = addr("10.0.0.1");
    assert_false(cidr_list_contains(&empty, &a));
}

static void test_forwarded_walk(void **state)
{
    (void)state;
    char t[CIDR_TEXT_MAX];
    const char *proxies = "127.0.0.1, 10.0.0.0/8";
    /* an untrusted peer: its X-Forwarded-For is ignored, whatever it says */
    assert_string_equal(client(proxies, "203.0.113.5", "198.51.100.1", t), "203.0.113.5");
    assert_string_equal(client("", "127.0.0.1", "198.51.100.1", t), "127.0.0.1");
    /* a trusted peer without the header, or with an empty one */
    assert_string_equal(client(proxies, "127.0.0.1", NULL, t), "127.0.0.1");
    assert_string_equal(client(proxies, "127.0.0.1", "", t), "127.0.0.1");
    /* the rightmost address: what our proxy saw */
    assert_string_equal(client(proxies, "127.0.0.1", "198.51.100.1", t), "198.51.100.1");
    /* a client's own (forged) entries are left of it and never read */
    assert_string_equal(client(proxies, "127.0.0.1", "1.1.1.1, 2.2.2.2, 198.51.100.1", t), "198.51.100.1");
    /* trusted hops are walked over, from the right */
    assert_string_equal(client(proxies, "127.0.0.1", "1.1.1.1, 198.51.100.1, 10.0.0.7, 10.1.1.1", t), "198.51.100.1");
    /* all trusted: the leftmost (the client is one of ours) */
    assert_string_equal(client(proxies, "127.0.0.1", "10.0.0.9, 10.0.0.7", t), "10.0.0.9");
    /* garbage written right of the first untrusted entry: the last trusted hop reached */
    assert_string_equal(client(proxies, "127.0.0.1", "198.51.100.1, unknown", t), "127.0.0.1");
    assert_string_equal(client(proxies, "127.0.0.1", "198.51.100.1, not-an-ip, 10.0.0.3", t), "10.0.0.3");
    assert_string_equal(client(proxies, "127.0.0.1", "198.51.100.1,,10.0.0.3", t), "10.0.0.3");
    /* blanks, ports, brackets, IPv6, mapped */
    assert_string_equal(client(proxies, "127.0.0.1", " \t198.51.100.1:4711 \t", t), "198.51.100.1");
    assert_string_equal(client(proxies, "127.0.0.1", "[2001:db8::5]:443", t), "2001:db8::5");
    assert_string_equal(client(proxies, "127.0.0.1", "[2001:db8::5]", t), "2001:db8::5");
    assert_string_equal(client(proxies, "127.0.0.1", "2001:db8::5", t), "2001:db8::5");
    assert_string_equal(client(proxies, "127.0.0.1", "::ffff:198.51.100.9", t), "198.51.100.9");
    assert_string_equal(client(proxies, "127.0.0.1", "1.2.3.4:", t), "127.0.0.1");
    assert_string_equal(client(proxies, "127.0.0.1", "1.2.3.4:123456", t), "127.0.0.1");
    assert_string_equal(client(proxies, "127.0.0.1", "[1.2.3.4]", t), "127.0.0.1");
    assert_string_equal(client(proxies, "127.0.0.1", "[2001:db8::5]x", t), "127.0.0.1");
    assert_string_equal(client(proxies, "127.0.0.1", "[2001:db8::5", t), "127.0.0.1");
    /* an IPv6 proxy network */
    assert_string_equal(client("::1, fd00::/8", "::1", "203.0.113.1, fd00::2", t), "203.0.113.1");
    /* bounded walk: past CIDR_FORWARDED_HOPS_MAX trusted entries, the last one reached */
    char hops[CIDR_FORWARDED_HOPS_MAX * 16 + 64] = "198.51.100.1";
    for (int i = 0; i < CIDR_FORWARDED_HOPS_MAX + 3; i++) {
        char one[24];
        snprintf(one, sizeof one, ",10.0.0.%d", i + 1);
        strcat(hops, one);
    }
    char expect[24];
    snprintf(expect, sizeof expect, "10.0.0.%d", 3 + 1); /* 35 entries, 32 walked */
    assert_string_equal(client(proxies, "127.0.0.1", hops, t), expect);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_list_parse),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_forwarded_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
