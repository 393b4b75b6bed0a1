/*
 * gen_tokens: writes COUNT distinct RS256 session tokens, one a line, for
 * `make bench` case (c)/(d).  Signing 10,000 tokens through the CLI costs a
 * process each; this signs them in one process with OpenSSL EVP and the
 * core's base64url encoder.  Every token differs in jti (and sub).
 *
 *   gen_tokens PRIVATE.pem KID COUNT TTL_SECONDS [FIRST] > tokens.txt
 *
 * Tokens are numbered FIRST .. FIRST+COUNT-1 (jti, sub, sid), so runs with
 * disjoint ranges make disjoint sets.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "wjwt.h"


static size_t
b64(const char *in, size_t len, char *out)
{
    return wjwt_b64url_encode((const unsigned char *) in, len,
                              (unsigned char *) out);
}


int
main(int argc, char **argv)
{
    FILE          *f;
    long           i, first, count, ttl;
    char           hdr[256], claims[512], input[2048], sigb64[1024];
    size_t         n, siglen;
    time_t         now;
    EVP_PKEY      *pkey;
    EVP_MD_CTX    *md;
    unsigned char  sig[512];

    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: gen_tokens PRIVATE.pem KID COUNT TTL "
                "[FIRST]\n");
        return 2;
    }

    f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }

    pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);

    if (pkey == NULL) {
        fprintf(stderr, "gen_tokens: cannot read %s\n", argv[1]);
        return 1;
    }

    count = atol(argv[3]);
    ttl = atol(argv[4]);
    first = (argc == 6) ? atol(argv[5]) : 0;
    now = time(NULL);

    snprintf(hdr, sizeof(hdr),
             "{\"alg\":\"RS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}", argv[2]);
    n = b64(hdr, strlen(hdr), input);
    input[n++] = '.';

    md = EVP_MD_CTX_new();

    for (i = first; i < first + count; i++) {
        size_t  len;

        len = (size_t) snprintf(claims, sizeof(claims),
            "{\"sub\":\"user_bench%06ld\",\"sid\":\"session_bench%06ld\","
            "\"jti\":\"jti_bench_%ld_%06ld\",\"iss\":\"https://api.workos.com\","
            "\"org_id\":\"org_bench\",\"role\":\"member\","
            "\"roles\":[\"member\"],\"permissions\":[\"posts:read\"],"
            "\"iat\":%ld,\"exp\":%ld}",
            i, i, (long) now, i, (long) now - 10, (long) now + ttl);

        len = n + b64(claims, len, input + n);

        siglen = sizeof(sig);

        if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pkey) != 1
            || EVP_DigestSign(md, sig, &siglen, (unsigned char *) input, len)
               != 1)
        {
            fprintf(stderr, "gen_tokens: signing failed\n");
            return 1;
        }

        EVP_MD_CTX_reset(md);

        sigb64[b64((char *) sig, siglen, sigb64)] = '\0';
        printf("%.*s.%s\n", (int) len, input, sigb64);
    }

    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);

    return fflush(stdout) == 0 ? 0 : 1;
}
