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
#include "bench.h"


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


int
main(int argc, char **argv)
{
    long                   n, ok;
    double                 us;
    size_t                 len, i;
    char                   err[256];
    static unsigned char   jwks[65536];

    if ((argc != 4 && argc != 5)
        || (argc == 5 && strcmp(argv[4], "unprepared") != 0))
    {
        fprintf(stderr,
                "usage: verify_bench JWKS TOKEN_FILE N [unprepared]\n");
        return 2;
    }

    len = bench_read(argv[1], jwks, sizeof(jwks));

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

    token_len = bench_read(argv[2], token, sizeof(token));

    n = atol(argv[3]);

    wjwt_rules_init(&rules);
    wjwt_judge_init(&judge, &rules, sets, 1, (int64_t) time(NULL));

    if (once() != WJWT_VALID) {
        fprintf(stderr, "verify_bench: the token does not verify: %s\n",
                wjwt_status_word(once()));
        return 1;
    }

    us = bench_timed(n, &ok);

    printf("verified %ld of %ld%s, %.2f us per token\n", ok, n,
           argc == 5 ? " (unprepared keys)" : "", us);

    return ok == n ? 0 : 1;
}
