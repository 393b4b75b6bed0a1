
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The JWS algorithms: one table of what each needs of a key and of a
 * signature, read by key loading, verification, signing and keygen.
 */


#include <string.h>

#include <openssl/obj_mac.h>

#include "wjwt.h"


static const wjwt_alg_t  wjwt_algs[WJWT_ALG_COUNT] = {
    { "RS256", WJWT_KTY_RSA, "RSA", "RSA", NULL, NULL, 0, "SHA256",
      WJWT_PAD_PKCS1, 0 },
    { "RS384", WJWT_KTY_RSA, "RSA", "RSA", NULL, NULL, 0, "SHA384",
      WJWT_PAD_PKCS1, 0 },
    { "RS512", WJWT_KTY_RSA, "RSA", "RSA", NULL, NULL, 0, "SHA512",
      WJWT_PAD_PKCS1, 0 },
    { "PS256", WJWT_KTY_RSA, "RSA", "RSA", NULL, NULL, 0, "SHA256",
      WJWT_PAD_PSS, 0 },
    { "PS384", WJWT_KTY_RSA, "RSA", "RSA", NULL, NULL, 0, "SHA384",
      WJWT_PAD_PSS, 0 },
    { "PS512", WJWT_KTY_RSA, "RSA", "RSA", NULL, NULL, 0, "SHA512",
      WJWT_PAD_PSS, 0 },
    { "ES256", WJWT_KTY_EC, "EC", "EC", "P-256", "prime256v1",
      NID_X9_62_prime256v1, "SHA256", WJWT_PAD_NONE, 64 },
    { "ES384", WJWT_KTY_EC, "EC", "EC", "P-384", "secp384r1",
      NID_secp384r1, "SHA384", WJWT_PAD_NONE, 96 },
    { "ES512", WJWT_KTY_EC, "EC", "EC", "P-521", "secp521r1",
      NID_secp521r1, "SHA512", WJWT_PAD_NONE, 132 },
    { "EdDSA", WJWT_KTY_OKP, "OKP", "ED25519", "Ed25519", NULL,
      NID_ED25519, NULL, WJWT_PAD_NONE, 64 }
};


const wjwt_alg_t *
wjwt_alg(int alg)
{
    if (alg < 0 || alg >= WJWT_ALG_COUNT) {
        return NULL;
    }

    return &wjwt_algs[alg];
}


int
wjwt_alg_from_name(const unsigned char *name, size_t len)
{
    int  i;

    if (name == NULL) {
        return WJWT_ALG_UNKNOWN;
    }

    for (i = 0; i < WJWT_ALG_COUNT; i++) {
        if (strlen(wjwt_algs[i].name) == len
            && memcmp(wjwt_algs[i].name, name, len) == 0)
        {
            return i;
        }
    }

    return WJWT_ALG_UNKNOWN;
}


const char *
wjwt_alg_name(int alg)
{
    if (alg < 0 || alg >= WJWT_ALG_COUNT) {
        return NULL;
    }

    return wjwt_algs[alg].name;
}


int
wjwt_key_fits(const wjwt_key_t *key, int alg)
{
    const wjwt_alg_t  *a;

    a = wjwt_alg(alg);

    if (a == NULL || key == NULL || key->pkey == NULL) {
        return 0;
    }

    if (key->alg != WJWT_ALG_UNKNOWN && key->alg != alg) {
        return 0;
    }

    return key->kty == a->kty && key->curve_nid == a->curve_nid;
}
