
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Token parsing and verification against a fixed JWKS (RSA with and
 * without kid or alg, EC P-256/384/521, Ed25519; every alg allowed),
 * then the claim checks on whatever parsed.
 *
 * The input is a compact token.  An input holding NUL bytes is also read
 * as "header NUL payload [NUL signature]", base64url-encoded into a
 * token, so that the fuzzer reaches the JSON behind the encoding.
 */


#include "fuzz_common.h"


#ifndef WJWT_FUZZ_JWKS
#define WJWT_FUZZ_JWKS  "fuzz/keys/jwks.json"
#endif


static wjwt_keyset_t  wjwt_fuzz_keys;
static wjwt_keyset_t  wjwt_fuzz_empty;


static void wjwt_fuzz_token(const unsigned char *data, size_t len,
    size_t max_len);
static unsigned char *wjwt_fuzz_encode(const uint8_t *data, size_t size,
    size_t *len);


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int          n;
    char         err[256];
    FILE        *f;
    long         len;
    const char  *path;
    static char  buf[65536];

    path = getenv("WJWT_FUZZ_JWKS");
    if (path == NULL) {
        path = WJWT_FUZZ_JWKS;
    }

    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "fuzz_token: cannot open %s\n", path);
        exit(1);
    }

    len = (long) fread(buf, 1, sizeof(buf), f);
    fclose(f);

    n = wjwt_keyset_add_json(&wjwt_fuzz_keys, (unsigned char *) buf,
                             (size_t) len, NULL, NULL, err, sizeof(err));
    if (n < 7) {
        fprintf(stderr, "fuzz_token: %s: %d keys (%s)\n", path, n, err);
        exit(1);
    }

    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t          len;
    unsigned char  *tok;

    wjwt_fuzz_token(data, size, WJWT_DEFAULT_MAX_TOKEN);

    if (size > 0 && memchr(data, '\0', size) != NULL) {
        tok = wjwt_fuzz_encode(data, size, &len);
        if (tok != NULL) {
            wjwt_fuzz_token(tok, len, WJWT_DEFAULT_MAX_TOKEN);
            free(tok);
        }
    }

    return 0;
}


static void
wjwt_fuzz_token(const unsigned char *data, size_t len, size_t max_len)
{
    int                rc, vrc;
    size_t             nstrs;
    wjwt_str_t         strs[WJWT_FUZZ_MAX_STRS];
    wjwt_token_t       t;
    const wjwt_key_t  *used;

    rc = wjwt_token_parse(&t, data, len, max_len);

    if (rc == WJWT_VALID && (t.header == NULL || t.claims == NULL)) {
        abort();
    }

    if (t.alg_name != NULL) {
        wjwt_fuzz_touch(t.alg_name, strlen(t.alg_name));
    }

    if (t.kid != NULL) {
        wjwt_fuzz_touch(t.kid, t.kid_len);
    }

    if (t.typ != NULL) {
        wjwt_fuzz_touch(t.typ, strlen(t.typ));
    }

    if (t.sig != NULL) {
        wjwt_fuzz_touch(t.sig, t.sig_len);
    }

    /* a well-formed JWS, even with a non-object payload, is verified */

    if (rc == WJWT_VALID || t.signing_input.len > 0) {
        wjwt_fuzz_touch(t.signing_input.data, t.signing_input.len);

        vrc = wjwt_token_verify(&t, &wjwt_fuzz_keys, WJWT_FUZZ_ALL_ALGS,
                                &used);
        if (vrc == WJWT_VALID) {
            if (used == NULL || !wjwt_key_fits(used, t.alg)) {
                abort();
            }

            if (t.kid != NULL
                && (used->kid == NULL || used->kid_len != t.kid_len
                    || memcmp(used->kid, t.kid, t.kid_len) != 0))
            {
                abort();
            }
        }

        wjwt_fuzz_sink += vrc;

        /* RS256 only: other algs never reach a key */

        vrc = wjwt_token_verify(&t, &wjwt_fuzz_keys,
                                WJWT_ALG_BIT(WJWT_RS256), NULL);
        if (t.alg != WJWT_RS256 && vrc != WJWT_ALG_NOT_ALLOWED) {
            abort();
        }

        vrc = wjwt_token_verify(&t, &wjwt_fuzz_empty, WJWT_FUZZ_ALL_ALGS,
                                NULL);
        if (vrc != WJWT_ALG_NOT_ALLOWED && vrc != WJWT_KEYS_UNAVAILABLE) {
            abort();
        }
    }

    /* inspect decodes the claims of rejected tokens too */

    nstrs = wjwt_fuzz_strings(t.claims, strs, WJWT_FUZZ_MAX_STRS);
    wjwt_fuzz_claims(&t, strs, nstrs, WJWT_FUZZ_NOW);

    wjwt_token_free(&t);
}


/* "header NUL payload [NUL signature]" -> b64(header).b64(payload).b64(sig) */

static unsigned char *
wjwt_fuzz_encode(const uint8_t *data, size_t size, size_t *len)
{
    size_t          i, n, start;
    unsigned char  *out;

    /* each segment grows by 4/3 plus one, each NUL becomes one '.' */

    out = malloc(2 * size + 4);
    if (out == NULL) {
        return NULL;
    }

    n = 0;
    start = 0;

    for (i = 0; i <= size; i++) {
        if (i < size && data[i] != '\0') {
            continue;
        }

        n += wjwt_b64url_encode(data + start, i - start, out + n);

        if (i < size) {
            out[n++] = '.';
        }

        start = i + 1;
    }

    *len = n;

    return out;
}
