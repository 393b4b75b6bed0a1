
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * A tiny TAP producer for the unit tests: plan(), ok(), is_int(),
 * is_str(), diag(), done_testing().  State is per test program.
 */


#ifndef _WJWT_TAP_H_INCLUDED_
#define _WJWT_TAP_H_INCLUDED_


#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int  tap_run;
static int  tap_failed;
static int  tap_planned;


static void
plan(int n)
{
    tap_planned = n;
    printf("1..%d\n", n);
}


static void
diag(const char *fmt, ...)
{
    va_list  args;

    fflush(stdout);
    fputs("# ", stderr);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
}


static int
ok(int cond, const char *fmt, ...)
{
    va_list  args;

    tap_run++;

    if (!cond) {
        tap_failed++;
    }

    printf("%sok %d - ", cond ? "" : "not ", tap_run);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);

    return cond;
}


#define is_int(got, expected, ...)                                            \
    tap_is_int((long long) (got), (long long) (expected), __VA_ARGS__)


static int
tap_is_int(long long got, long long expected, const char *fmt, ...)
{
    char     name[512];
    va_list  args;

    va_start(args, fmt);
    vsnprintf(name, sizeof(name), fmt, args);
    va_end(args);

    if (!ok(got == expected, "%s", name)) {
        diag("    got: %lld, expected: %lld", got, expected);
        return 0;
    }

    return 1;
}


static int
is_str(const char *got, const char *expected, const char *fmt, ...)
{
    int      eq;
    char     name[512];
    va_list  args;

    va_start(args, fmt);
    vsnprintf(name, sizeof(name), fmt, args);
    va_end(args);

    eq = (got == NULL && expected == NULL)
         || (got != NULL && expected != NULL && strcmp(got, expected) == 0);

    if (!ok(eq, "%s", name)) {
        diag("    got: \"%s\", expected: \"%s\"",
             got ? got : "(null)", expected ? expected : "(null)");
        return 0;
    }

    return 1;
}


static int
done_testing(void)
{
    if (tap_planned == 0) {
        printf("1..%d\n", tap_run);

    } else if (tap_planned != tap_run) {
        diag("planned %d tests but ran %d", tap_planned, tap_run);
        return 1;
    }

    return tap_failed ? 1 : 0;
}


/* helpers shared by the tests */

static const char *
vectors_dir(void)
{
    const char  *dir;

    /* tests run from the repository root */

    dir = getenv("WJWT_VECTORS");

    return (dir != NULL && dir[0] != '\0') ? dir : "t/vectors";
}


/* a whole file, NUL-terminated; NULL on failure */
static unsigned char *
read_file(const char *path, size_t *len)
{
    long            n;
    FILE           *f;
    unsigned char  *buf;

    f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }

    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0)
    {
        fclose(f);
        return NULL;
    }

    buf = malloc((size_t) n + 1);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }

    if (fread(buf, 1, (size_t) n, f) != (size_t) n) {
        free(buf);
        fclose(f);
        return NULL;
    }

    buf[n] = '\0';
    *len = (size_t) n;
    fclose(f);

    return buf;
}


/* hex text to bytes; returns malloc()ed buffer (never NULL on success) */
static unsigned char *
hex_decode(const char *hex, size_t *len)
{
    size_t          i, n;
    unsigned int    b;
    unsigned char  *out;

    n = strlen(hex);
    if (n % 2) {
        return NULL;
    }

    out = malloc(n / 2 + 1);
    if (out == NULL) {
        return NULL;
    }

    for (i = 0; i < n / 2; i++) {
        if (sscanf(hex + 2 * i, "%2x", &b) != 1) {
            free(out);
            return NULL;
        }

        out[i] = (unsigned char) b;
    }

    *len = n / 2;

    return out;
}


/* unused-function warnings are errors here: mark the helpers used */

static inline void
tap_unused(void)
{
    (void) plan;
    (void) diag;
    (void) ok;
    (void) tap_is_int;
    (void) is_str;
    (void) done_testing;
    (void) vectors_dir;
    (void) read_file;
    (void) hex_decode;
    (void) tap_unused;
}


#endif /* _WJWT_TAP_H_INCLUDED_ */
