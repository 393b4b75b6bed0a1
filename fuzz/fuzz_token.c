
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The verdict, wjwt_judge(), on a token against a fixed JWKS (RSA with
 * and without kid or alg, EC P-256/384/521, Ed25519) with every alg, with
 * RS256 only, with no keys and with a cache hook that names a key; then
 * the claim checks on whatever parsed.
 *
 * The input is a compact token.  An input holding NUL bytes is also read
 * as "header NUL payload [NUL signature]", base64url-encoded into a
 * token, so that the fuzzer reaches the JSON behind the encoding.
 */


#define WJWT_FUZZ_WITH_KEYS  1

#include "fuzz_common.h"


static void wjwt_fuzz_token(const unsigned char *data, size_t len,
    size_t max_len);
static int wjwt_fuzz_judge(const unsigned char *data, size_t len,
    size_t max_len, unsigned alg_mask, const wjwt_keyset_t *ks, int cached);
static int wjwt_fuzz_lookup(const wjwt_judge_t *j, wjwt_verdict_t *v,
    uint64_t *fingerprint);
static unsigned char *wjwt_fuzz_encode(const uint8_t *data, size_t size,
    size_t *len);


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
    int            rc, vrc;
    size_t         nstrs;
    wjwt_str_t     strs[WJWT_FUZZ_MAX_STRS];
    wjwt_token_t   t;

    /* the token as inspect shows it, rejected or not */

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

    vrc = wjwt_fuzz_judge(data, len, max_len, ~0u, &wjwt_fuzz_keys, 0);

    if (vrc != WJWT_MALFORMED && rc != WJWT_VALID) {
        abort();
    }

    /* RS256 only: other algs never reach a key */

    vrc = wjwt_fuzz_judge(data, len, max_len, WJWT_ALG_BIT(WJWT_RS256),
                          &wjwt_fuzz_keys, 0);
    if (rc == WJWT_VALID && t.alg != WJWT_RS256
        && vrc != WJWT_ALG_NOT_ALLOWED)
    {
        abort();
    }

    vrc = wjwt_fuzz_judge(data, len, max_len, ~0u, NULL, 0);
    if (vrc != WJWT_MALFORMED && vrc != WJWT_ALG_NOT_ALLOWED
        && vrc != WJWT_KEYS_UNAVAILABLE)
    {
        abort();
    }

    (void) wjwt_fuzz_judge(data, len, max_len, ~0u, &wjwt_fuzz_keys, 1);

    /* a JWS whose payload is not a JSON object: its signature still */

    if (rc != WJWT_VALID && t.signing_input.len > 0) {
        wjwt_fuzz_touch(t.signing_input.data, t.signing_input.len);
        wjwt_fuzz_sink += wjwt_token_verify(&t, &wjwt_fuzz_keys, ~0u, NULL);
    }

    /* inspect decodes the claims of rejected tokens too */

    nstrs = wjwt_fuzz_strings(t.claims, strs, WJWT_FUZZ_MAX_STRS);
    wjwt_fuzz_claims(&t, strs, nstrs, WJWT_FUZZ_NOW, &wjwt_fuzz_keys,
                     wjwt_fuzz_rsa);

    wjwt_token_free(&t);
}


/*
 * One verdict; with cached, a lookup hook names a key of ks as if a
 * cache had seen the token verify under it.  A valid verdict has a key
 * that fits the token's alg and carries its kid.
 */

static int
wjwt_fuzz_judge(const unsigned char *data, size_t len, size_t max_len,
    unsigned alg_mask, const wjwt_keyset_t *ks, int cached)
{
    int                   rc;
    wjwt_judge_t          j;
    wjwt_rules_t          r;
    wjwt_verdict_t        v;
    const wjwt_token_t   *t;
    const wjwt_keyset_t  *sets[1];

    wjwt_rules_init(&r);
    r.alg_mask = alg_mask;
    r.max_token_size = max_len;
    r.lint = 1;

    sets[0] = ks;
    wjwt_judge_init(&j, &r, sets, 1, WJWT_FUZZ_NOW);

    if (cached) {
        j.lookup = wjwt_fuzz_lookup;
    }

    memset(&v, 0, sizeof(wjwt_verdict_t));
    rc = wjwt_judge(&j, data, len, &v);

    t = &v.token;

    if (v.verified) {
        if (v.key == NULL || !wjwt_key_fits(v.key, t->alg)
            || v.fingerprint != v.key->fingerprint)
        {
            abort();
        }

        if (t->kid != NULL
            && (v.key->kid == NULL || v.key->kid_len != t->kid_len
                || memcmp(v.key->kid, t->kid, t->kid_len) != 0))
        {
            abort();
        }
    }

    if ((rc == WJWT_VALID && !v.verified)
        || (v.cache != WJWT_CACHE_NONE && !cached))
    {
        abort();
    }

    wjwt_fuzz_sink += rc + v.lint;

    wjwt_verdict_free(&v);

    return rc;
}


static int
wjwt_fuzz_lookup(const wjwt_judge_t *j, wjwt_verdict_t *v,
    uint64_t *fingerprint)
{
    const wjwt_keyset_t  *ks;

    ks = j->keys[0];

    if (ks == NULL || ks->nkeys == 0 || v->token.raw.len % 3 == 0) {
        return 0;
    }

    *fingerprint = ks->keys[v->token.raw.len % ks->nkeys].fingerprint;

    return 1;
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
