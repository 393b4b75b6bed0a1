
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * JWKS parsing: wjwt_keyset_add_json() on arbitrary bytes, twice into the
 * same set (the duplicate kid path), then lookups, alg fitting, a
 * signature check under every key that loaded, and the verdict of tokens
 * with junk signatures (with and without kid) under the set, which must
 * never be valid.
 */


#include "fuzz_common.h"


static const unsigned char  wjwt_fuzz_msg[] = "eyJhbGciOiJSUzI1NiJ9.e30";


static void wjwt_fuzz_keys(const wjwt_keyset_t *ks);
static void wjwt_fuzz_verdicts(const wjwt_keyset_t *ks);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                n1, n2;
    char               err[128], small[4];
    size_t             i, before;
    wjwt_keyset_t      ks;

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    err[0] = '\0';

    n1 = wjwt_keyset_add_json(&ks, data, size, wjwt_fuzz_warn, NULL, err,
                              sizeof(err));
    if (n1 < 0) {
        if (ks.nkeys != 0 || strlen(err) >= sizeof(err)) {
            abort();
        }

        wjwt_fuzz_touch(err, strlen(err));

        /* a short error buffer is cut, never overrun */

        n2 = wjwt_keyset_add_json(&ks, data, size, NULL, NULL, small,
                                  sizeof(small));
        if (n2 >= 0 || ks.nkeys != 0) {
            abort();
        }

        wjwt_keyset_free(&ks);
        return 0;
    }

    if ((size_t) n1 != ks.nkeys) {
        abort();
    }

    wjwt_fuzz_keys(&ks);
    wjwt_fuzz_verdicts(&ks);

    /* the same keys again: every kid is now a duplicate */

    before = ks.nkeys;

    n2 = wjwt_keyset_add_json(&ks, data, size, wjwt_fuzz_warn, NULL, err,
                              sizeof(err));
    if (n2 < 0 || ks.nkeys > 2 * before) {
        abort();
    }

    for (i = 0; i < ks.nkeys; i++) {
        if (ks.keys[i].kid != NULL) {
            wjwt_fuzz_touch(ks.keys[i].kid, ks.keys[i].kid_len + 1);
        }
    }

    wjwt_fuzz_sink += (wjwt_keyset_find(&ks, "", 0) != NULL);

    wjwt_keyset_free(&ks);

    return 0;
}


/* every key: its kid found, junk signatures of every fitting alg refused */

static void
wjwt_fuzz_keys(const wjwt_keyset_t *ks)
{
    int                alg;
    size_t             i, n;
    unsigned char      sig[1024];
    const wjwt_key_t  *key, *found;

    memset(sig, 0x5a, sizeof(sig));

    for (i = 0; i < ks->nkeys; i++) {
        key = &ks->keys[i];

        if (key->pkey == NULL) {
            abort();
        }

        if (key->kid != NULL) {
            if (strlen(key->kid) > key->kid_len) {
                abort();
            }

            wjwt_fuzz_touch(key->kid, key->kid_len + 1);

            found = wjwt_keyset_find(ks, key->kid, key->kid_len);
            if (found != key) {
                abort();
            }
        }

        n = (size_t) EVP_PKEY_get_size(key->pkey);

        if (n > sizeof(sig)) {
            n = sizeof(sig);
        }

        for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
            if (!wjwt_key_fits(key, alg)) {
                continue;
            }

            /* any signature of the right size, never valid */

            if (wjwt_verify_signature(alg, key->pkey, wjwt_fuzz_msg,
                                      sizeof(wjwt_fuzz_msg) - 1, sig, n))
            {
                abort();
            }

            wjwt_fuzz_sink += wjwt_verify_signature(alg, key->pkey,
                                                    wjwt_fuzz_msg, 0, sig,
                                                    64);
        }
    }
}


/*
 * Tokens signed by no key: without kid (every key that fits its alg is
 * tried) and with the kid of the set's first keyed entry
 */

static void
wjwt_fuzz_verdicts(const wjwt_keyset_t *ks)
{
    int                   alg;
    char                  header[160], tok[1200];
    size_t                i, n;
    const char           *kid;
    wjwt_judge_t          j;
    wjwt_rules_t          r;
    wjwt_verdict_t        v;
    unsigned char         sig[600];
    const wjwt_keyset_t  *sets[1];

    kid = NULL;

    for (i = 0; i < ks->nkeys; i++) {
        if (ks->keys[i].kid != NULL && ks->keys[i].kid_len < 64
            && strpbrk(ks->keys[i].kid, "\"\\") == NULL)
        {
            kid = ks->keys[i].kid;
            break;
        }
    }

    memset(sig, 0xa5, sizeof(sig));

    wjwt_rules_init(&r);
    r.alg_mask = ~0u;
    r.max_token_size = sizeof(tok);

    sets[0] = ks;
    wjwt_judge_init(&j, &r, sets, 1, WJWT_FUZZ_NOW);

    for (alg = 0; alg < 2 * WJWT_ALG_COUNT; alg++) {
        snprintf(header, sizeof(header), "{\"alg\":\"%s\"%s%s%s}",
                 wjwt_alg_name(alg % WJWT_ALG_COUNT),
                 (alg >= WJWT_ALG_COUNT && kid) ? ",\"kid\":\"" : "",
                 (alg >= WJWT_ALG_COUNT && kid) ? kid : "",
                 (alg >= WJWT_ALG_COUNT && kid) ? "\"" : "");

        n = wjwt_b64url_encode((unsigned char *) header, strlen(header),
                               (unsigned char *) tok);
        memcpy(tok + n, ".eyJzdWIiOiJ1IiwiZXhwIjoxODAwMDAwMDAwfQ.", 40);
        n += 40;
        n += wjwt_b64url_encode(sig, (alg % WJWT_ALG_COUNT) < WJWT_ES256
                                     ? 256 : 64,
                                (unsigned char *) tok + n);

        memset(&v, 0, sizeof(wjwt_verdict_t));

        if (wjwt_judge(&j, (unsigned char *) tok, n, &v) == WJWT_VALID
            || v.verified)
        {
            abort();
        }

        wjwt_fuzz_sink += v.status;
        wjwt_verdict_free(&v);
    }
}
