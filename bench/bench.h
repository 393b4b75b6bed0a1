
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * What verify_bench and open_bench share: bench_loop(), the function
 * `valgrind --tool=callgrind --toggle-collect=bench_loop` counts, calls
 * the file's once() N times; bench_read() reads an input file without
 * its trailing newline; bench_timed() runs bench_loop() between two
 * clock readings.
 */

#ifndef _WJWT_BENCH_H_INCLUDED_
#define _WJWT_BENCH_H_INCLUDED_


#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wjwt.h"


static int once(void);


__attribute__((noinline)) static long
bench_loop(long n)
{
    long  i, ok;

    for (ok = 0, i = 0; i < n; i++) {
        ok += (once() == WJWT_VALID);
    }

    return ok;
}


static size_t
bench_read(const char *name, unsigned char *buf, size_t size)
{
    FILE    *f;
    size_t   n;

    f = fopen(name, "r");
    if (f == NULL) {
        perror(name);
        exit(1);
    }

    n = fread(buf, 1, size - 1, f);
    fclose(f);

    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
        n--;
    }

    return n;
}


/* microseconds per call of once(); *ok: how many were WJWT_VALID */

static double
bench_timed(long n, long *ok)
{
    struct timespec  t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    *ok = bench_loop(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    return ((double) (t1.tv_sec - t0.tv_sec) * 1e9
            + (double) (t1.tv_nsec - t0.tv_nsec)) / 1e3 / (double) n;
}


#endif /* _WJWT_BENCH_H_INCLUDED_ */
