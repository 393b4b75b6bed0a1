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
#include "bench.h"


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


int
main(int argc, char **argv)
{
    long    n, ok;
    double  us;

    if (argc != 4) {
        fprintf(stderr, "usage: open_bench PASSWORD COOKIE_FILE N\n");
        return 2;
    }

    password.data = (const unsigned char *) argv[1];
    password.len = strlen(argv[1]);

    cookie_len = bench_read(argv[2], cookie, sizeof(cookie));

    n = atol(argv[3]);

    if (once() != WJWT_VALID) {
        fprintf(stderr, "open_bench: the cookie does not open\n");
        return 1;
    }

    us = bench_timed(n, &ok);

    printf("opened %ld of %ld, %.2f us per open\n", ok, n, us);

    return ok == n ? 0 : 1;
}
