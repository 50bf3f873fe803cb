/* password.c - argon2id password hashing over libsodium and the password
 * policy of contract §4 over utf8proc (see password.h). */
#include "auth/password.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "room for libsodium's encoded hash");
/* the policy messages below spell these numbers out */
_Static_assert(PASSWORD_MIN_CHARS == 8, "update PASSWORD_MSG_TOO_SHORT");
_Static_assert(PASSWORD_MAX_CHARS == 128, "update PASSWORD_MSG_TOO_LONG");

enum {
    PASSWORD_CLASSES_REQUIRED = 3, /* of lowercase, uppercase, digit, other */
};
_Static_assert(PASSWORD_CLASSES_REQUIRED == 3, "update PASSWORD_MSG_TOO_SIMPLE");

/* Character classes of the policy, as bits. */
enum password_class {
    PASSWORD_CLASS_NONE = 0,
    PASSWORD_CLASS_LOWER = 1 << 0,
    PASSWORD_CLASS_UPPER = 1 << 1,
    PASSWORD_CLASS_DIGIT = 1 << 2,
    PASSWORD_CLASS_OTHER = 1 << 3,
};

static const char PASSWORD_MSG_INVALID[] = "This password contains characters that are not allowed.";
static const char PASSWORD_MSG_TOO_SHORT[] = "This password is too short. It must contain at least 8 characters.";
static const char PASSWORD_MSG_TOO_LONG[] = "This password is too long. It must contain at most 128 characters.";
static const char PASSWORD_MSG_SIMILAR[] = "The password is too similar to the username.";
static const char PASSWORD_MSG_TOO_SIMPLE[] = "This password is too simple. It must contain at least three of: "
                                              "lowercase letters, uppercase letters, digits and other characters.";

/* Written once by password_set_cost while the program starts, before any
 * thread exists; only read afterwards, so it needs no lock. */
static enum password_cost password_cost_current = PASSWORD_COST_INTERACTIVE;

void password_set_cost(enum password_cost cost) { password_cost_current = cost; }

bool password_cost_from_name(const char *name, enum password_cost *out, char *msg, size_t msg_size)
{
    if (!strcmp(name, "interactive"))
        *out = PASSWORD_COST_INTERACTIVE;
    else if (!strcmp(name, "moderate"))
        *out = PASSWORD_COST_MODERATE;
    else if (!strcmp(name, "min"))
        *out = PASSWORD_COST_MIN;
    else {
        snprintf(msg, msg_size, "password cost must be interactive, moderate or min, got '%s'", name);
        return false;
    }
    return true;
}

static void password_limits(enum password_cost cost, unsigned long long *ops, size_t *mem)
{
    switch (cost) {
    case PASSWORD_COST_MIN:
        *ops = crypto_pwhash_OPSLIMIT_MIN;
        *mem = crypto_pwhash_MEMLIMIT_MIN;
        return;
    case PASSWORD_COST_MODERATE:
        *ops = crypto_pwhash_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_MEMLIMIT_MODERATE;
        return;
    case PASSWORD_COST_INTERACTIVE:
    default: /* an out-of-range value must never weaken hashing */
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        return;
    }
}

bool password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
    if (!pw)
        return false;
    unsigned long long ops = 0;
    size_t mem = 0;
    password_limits(password_cost_current, &ops, &mem);
    /* crypto_pwhash_str_alg fails only when it cannot get its memory */
    return crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) == 0;
}

/* strnlen is POSIX, not C17; this stops at the NUL like it does. */
static bool password_shorter_than(const char *s, size_t max)
{
    for (size_t i = 0; i < max; i++)
        if (s[i] == '\0')
            return true;
    return false;
}

bool password_verify(const char *hash, const char *pw)
{
    if (!hash || !pw || hash[0] == '\0')
        return false;
    /* a string that does not even fit our buffer was not made by us */
    if (!password_shorter_than(hash, PASSWORD_HASH_MAX))
        return false;
    /* the cost is read from the encoded string, so any cost verifies */
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* Lu and Lt (titlecase, e.g. "ǅ") are upper; Ll lower; only Nd are digits.
 * Combining marks add no class of their own: "é" spelt e + U+0301 must
 * classify as the precomposed "é" does. Everything else, caseless letters
 * included, is "other". */
static enum password_class password_classify(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LL: return PASSWORD_CLASS_LOWER;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return PASSWORD_CLASS_UPPER;
    case UTF8PROC_CATEGORY_ND: return PASSWORD_CLASS_DIGIT;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return PASSWORD_CLASS_NONE;
    default: return PASSWORD_CLASS_OTHER;
    }
}

static int password_class_count(unsigned classes)
{
    int n = 0;
    for (; classes; classes &= classes - 1)
        n++;
    return n;
}

/* Walks the password once: false if it is not valid UTF-8 or holds a
 * control character (Cc: C0, DEL, C1); otherwise its length in code points
 * and the classes it uses. */
static bool password_scan(const char *pw, long *chars, unsigned *classes)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)pw;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(pw);
    *chars = 0;
    *classes = 0;
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || utf8proc_category(cp) == UTF8PROC_CATEGORY_CC)
            return false;
        *classes |= password_classify(cp);
        (*chars)++;
        p += n;
        left -= n;
    }
    return true;
}

/* NFC plus case folding, so that "ÉLODIE", "élodie" and a decomposed
 * "élodie" compare equal. NULL if s is not valid UTF-8 or memory runs out. */
static char *password_fold(const char *s)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &dst,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    return n < 0 ? NULL : (char *)dst;
}

/* The password is valid UTF-8 here; should the username not be (it never
 * should), or memory run out, the two are compared byte for byte instead. */
static bool password_equals_username(const char *pw, const char *username)
{
    char *fp = password_fold(pw);
    char *fu = password_fold(username);
    bool same = (fp && fu) ? strcmp(fp, fu) == 0 : strcmp(pw, username) == 0;
    free(fp);
    free(fu);
    return same;
}

/* Checks run from the most basic to the most specific; only the first
 * failure is reported, as password.h promises one error. */
bool password_policy_check(const char *pw, const char *username, const char *field, struct err *e)
{
    long chars = 0;
    unsigned classes = 0;
    if (!pw || !password_scan(pw, &chars, &classes))
        return err_field(e, field, "invalid", PASSWORD_MSG_INVALID);
    if (chars < PASSWORD_MIN_CHARS)
        return err_field(e, field, "password_too_short", PASSWORD_MSG_TOO_SHORT);
    if (chars > PASSWORD_MAX_CHARS)
        return err_field(e, field, "password_too_long", PASSWORD_MSG_TOO_LONG);
    if (username && password_equals_username(pw, username))
        return err_field(e, field, "password_similar_to_username", PASSWORD_MSG_SIMILAR);
    if (password_class_count(classes) < PASSWORD_CLASSES_REQUIRED)
        return err_field(e, field, "password_too_simple", PASSWORD_MSG_TOO_SIMPLE);
    return true;
}
