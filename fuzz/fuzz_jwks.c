
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * JWKS parsing: wjwt_keyset_add_json() on arbitrary bytes, twice into the
 * same set (the duplicate kid path), then lookups, alg fitting and a
 * signature check under every key that loaded.
 */


#include "fuzz_common.h"


static const unsigned char  wjwt_fuzz_msg[] = "eyJhbGciOiJSUzI1NiJ9.e30";


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                alg, n1, n2;
    char               err[128], small[4];
    size_t             i, before;
    unsigned char      sig[1024];
    wjwt_keyset_t      ks;
    const wjwt_key_t  *key, *found;

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

    memset(sig, 0x5a, sizeof(sig));

    for (i = 0; i < ks.nkeys; i++) {
        key = &ks.keys[i];

        if (key->pkey == NULL) {
            abort();
        }

        if (key->kid != NULL) {
            if (strlen(key->kid) > key->kid_len) {
                abort();
            }

            wjwt_fuzz_touch(key->kid, key->kid_len + 1);

            found = wjwt_keyset_find(&ks, key->kid, key->kid_len);
            if (found != key) {
                abort();
            }
        }

        for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
            if (!wjwt_key_fits(key, alg)) {
                continue;
            }

            /* any signature of the right size, never valid */

            if (wjwt_verify_signature(alg, key->pkey, wjwt_fuzz_msg,
                                      sizeof(wjwt_fuzz_msg) - 1, sig,
                                      (size_t) EVP_PKEY_get_size(key->pkey)
                                      <= sizeof(sig)
                                      ? (size_t) EVP_PKEY_get_size(key->pkey)
                                      : sizeof(sig)))
            {
                abort();
            }

            wjwt_fuzz_sink += wjwt_verify_signature(alg, key->pkey,
                                                    wjwt_fuzz_msg, 0, sig,
                                                    64);
        }
    }

    /* the same keys again: every kid is now a duplicate */

    before = ks.nkeys;

    n2 = wjwt_keyset_add_json(&ks, data, size, wjwt_fuzz_warn, NULL, err,
                              sizeof(err));
    if (n2 < 0 || ks.nkeys > 2 * before) {
        abort();
    }

    for (i = 0; i < ks.nkeys; i++) {
        key = &ks.keys[i];

        if (key->kid != NULL) {
            wjwt_fuzz_touch(key->kid, key->kid_len + 1);
        }
    }

    wjwt_fuzz_sink += (wjwt_keyset_find(&ks, "", 0) != NULL);

    wjwt_keyset_free(&ks);

    return 0;
}
