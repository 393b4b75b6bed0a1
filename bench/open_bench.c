/*
 * open_bench: opens one AuthKit session cookie N times with the core's
 * wjwt_session_open() (URL decoding, PBKDF2, HMAC, AES, JSON), the work
 * the module does for a cookie its session cache does not know.  Made
 * for `valgrind --tool=callgrind --toggle-collect=bench_loop` like
 * verify_bench; prints the wall-clock time per open.
 *
 *   open_bench PASSWORD COOKIE_FILE N
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wjwt_session.h"


static unsigned char  cookie[65536];
static size_t         cookie_len;
static wjwt_str_t     password;


static int
once(void)
{
    int             rc;
    wjwt_session_t  s;

    rc = wjwt_session_open(&s, cookie, cookie_len, &password, 1,
                           (int64_t) time(NULL), NULL, 0);
    wjwt_session_free(&s);

    return rc;
}


__attribute__((noinline)) static long
bench_loop(long n)
{
    long  i, ok;

    for (ok = 0, i = 0; i < n; i++) {
        ok += (once() == WJWT_VALID);
    }

    return ok;
}


int
main(int argc, char **argv)
{
    FILE             *f;
    long              n, ok;
    double            us;
    struct timespec   t0, t1;

    if (argc != 4) {
        fprintf(stderr, "usage: open_bench PASSWORD COOKIE_FILE N\n");
        return 2;
    }

    password.data = (const unsigned char *) argv[1];
    password.len = strlen(argv[1]);

    f = fopen(argv[2], "r");
    if (f == NULL) {
        perror(argv[2]);
        return 1;
    }

    cookie_len = fread(cookie, 1, sizeof(cookie) - 1, f);
    fclose(f);

    while (cookie_len && (cookie[cookie_len - 1] == '\n'
                          || cookie[cookie_len - 1] == '\r'))
    {
        cookie_len--;
    }

    n = atol(argv[3]);

    if (once() != WJWT_VALID) {
        fprintf(stderr, "open_bench: the cookie does not open\n");
        return 1;
    }

    clock_gettime(CLOCK_MONOTONIC, &t0);
    ok = bench_loop(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    us = ((double) (t1.tv_sec - t0.tv_sec) * 1e9
          + (double) (t1.tv_nsec - t0.tv_nsec)) / 1e3 / (double) n;

    printf("opened %ld of %ld, %.2f us per open\n", ok, n, us);

    return ok == n ? 0 : 1;
}
