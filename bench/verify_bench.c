/*
 * verify_bench: judges one token N times with the core's verdict,
 * wjwt_judge() (parse, verify, claim types and checks, as a location
 * with no issuer rules and lint off does), the work the module does for
 * a token the cache does not know.  Made for
 * `valgrind --tool=callgrind --toggle-collect=bench_loop`: one untimed
 * warm-up round first (OpenSSL's lazy init), then only bench_loop counts.
 * Prints the wall-clock time per token too (meaningless under valgrind).
 * With "unprepared", the keys' prepared verification contexts are freed
 * after loading, so every verify takes the bare-EVP_PKEY path
 * (EVP_DigestVerifyInit per verify), for comparison.
 *
 *   verify_bench JWKS.json TOKEN_FILE N [unprepared]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wjwt.h"


static unsigned char         token[16384];
static size_t                token_len;
static wjwt_keyset_t         ks;
static const wjwt_keyset_t  *sets[1] = { &ks };
static wjwt_rules_t          rules;
static wjwt_judge_t          judge;


static int
once(void)
{
    int             rc;
    wjwt_verdict_t  v;

    memset(&v, 0, sizeof(wjwt_verdict_t));

    rc = wjwt_judge(&judge, token, token_len, &v);

    wjwt_verdict_free(&v);

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


static size_t
slurp(const char *name, unsigned char *buf, size_t size)
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

    return n;
}


int
main(int argc, char **argv)
{
    long             n, ok;
    double           us;
    size_t           len, i;
    char             err[256];
    struct timespec  t0, t1;
    static unsigned char  jwks[65536];

    if ((argc != 4 && argc != 5)
        || (argc == 5 && strcmp(argv[4], "unprepared") != 0))
    {
        fprintf(stderr,
                "usage: verify_bench JWKS TOKEN_FILE N [unprepared]\n");
        return 2;
    }

    len = slurp(argv[1], jwks, sizeof(jwks));

    if (wjwt_keyset_add_json(&ks, jwks, len, NULL, NULL, err, sizeof(err))
        <= 0)
    {
        fprintf(stderr, "verify_bench: %s: no usable key %s\n", argv[1], err);
        return 1;
    }

    if (argc == 5) {
        for (i = 0; i < ks.nkeys; i++) {
            wjwt_key_unprepare(&ks.keys[i]);
        }
    }

    token_len = slurp(argv[2], token, sizeof(token));

    while (token_len && (token[token_len - 1] == '\n'
                         || token[token_len - 1] == '\r'))
    {
        token_len--;
    }

    n = atol(argv[3]);

    wjwt_rules_init(&rules);
    wjwt_judge_init(&judge, &rules, sets, 1, (int64_t) time(NULL));

    if (once() != WJWT_VALID) {
        fprintf(stderr, "verify_bench: the token does not verify: %s\n",
                wjwt_status_word(once()));
        return 1;
    }

    clock_gettime(CLOCK_MONOTONIC, &t0);
    ok = bench_loop(n);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    us = ((double) (t1.tv_sec - t0.tv_sec) * 1e9
          + (double) (t1.tv_nsec - t0.tv_nsec)) / 1e3 / (double) n;

    printf("verified %ld of %ld%s, %.2f us per token\n", ok, n,
           argc == 5 ? " (unprepared keys)" : "", us);

    return ok == n ? 0 : 1;
}
