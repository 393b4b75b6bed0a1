
/*
 * Copyright (C) ngx_http_workos_jwt_module authors
 */


#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "wjwt.h"


static int wjwt_verify_primitive(int alg, EVP_PKEY *pkey,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len);
static int wjwt_verify_digest(int alg, EVP_PKEY *pkey,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len);
static int wjwt_ec_nid(EVP_PKEY *pkey);


int
wjwt_verify_signature(int alg, EVP_PKEY *pkey, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len)
{
    int  rc;

    rc = wjwt_verify_primitive(alg, pkey, msg, msg_len, sig, sig_len);

    /* never leave OpenSSL errors behind for the caller */

    ERR_clear_error();

    return rc;
}


static int
wjwt_verify_primitive(int alg, EVP_PKEY *pkey, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len)
{
    int             rc, nid, der_len;
    size_t          coord;
    BIGNUM         *r, *s;
    ECDSA_SIG      *ecsig;
    unsigned char  *der;

    if (pkey == NULL || sig == NULL || sig_len == 0
        || (msg == NULL && msg_len != 0))
    {
        return 0;
    }

    switch (alg) {

    case WJWT_RS256:
    case WJWT_RS384:
    case WJWT_RS512:
    case WJWT_PS256:
    case WJWT_PS384:
    case WJWT_PS512:
        if (!EVP_PKEY_is_a(pkey, "RSA")
            || sig_len != (size_t) EVP_PKEY_get_size(pkey))
        {
            return 0;
        }

        rc = wjwt_verify_digest(alg, pkey, msg, msg_len, sig, sig_len);
        break;

    case WJWT_ES256:
    case WJWT_ES384:
    case WJWT_ES512:
        if (!EVP_PKEY_is_a(pkey, "EC")) {
            return 0;
        }

        nid = wjwt_ec_nid(pkey);

        if (alg == WJWT_ES256 && nid == NID_X9_62_prime256v1) {
            coord = 32;

        } else if (alg == WJWT_ES384 && nid == NID_secp384r1) {
            coord = 48;

        } else if (alg == WJWT_ES512 && nid == NID_secp521r1) {
            coord = 66;

        } else {
            return 0;
        }

        /* JWS wants raw r||s of exactly twice the coordinate size */

        if (sig_len != 2 * coord) {
            return 0;
        }

        rc = 0;
        der = NULL;

        r = BN_bin2bn(sig, (int) coord, NULL);
        s = BN_bin2bn(sig + coord, (int) coord, NULL);
        ecsig = ECDSA_SIG_new();

        if (r == NULL || s == NULL || ecsig == NULL
            || !ECDSA_SIG_set0(ecsig, r, s))
        {
            BN_free(r);
            BN_free(s);
            ECDSA_SIG_free(ecsig);
            break;
        }

        der_len = i2d_ECDSA_SIG(ecsig, &der);
        ECDSA_SIG_free(ecsig);

        if (der_len <= 0) {
            break;
        }

        rc = wjwt_verify_digest(alg, pkey, msg, msg_len, der,
                                (size_t) der_len);
        OPENSSL_free(der);
        break;

    case WJWT_EDDSA:
        if (!EVP_PKEY_is_a(pkey, "ED25519") || sig_len != 64) {
            return 0;
        }

        rc = wjwt_verify_digest(alg, pkey, msg, msg_len, sig, sig_len);
        break;

    default:
        return 0;
    }

    return rc;
}


static int
wjwt_verify_digest(int alg, EVP_PKEY *pkey, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len)
{
    int            rc;
    EVP_MD_CTX    *mctx;
    const EVP_MD  *md;
    EVP_PKEY_CTX  *pctx;

    switch (alg) {

    case WJWT_RS256:
    case WJWT_PS256:
    case WJWT_ES256:
        md = EVP_sha256();
        break;

    case WJWT_RS384:
    case WJWT_PS384:
    case WJWT_ES384:
        md = EVP_sha384();
        break;

    case WJWT_RS512:
    case WJWT_PS512:
    case WJWT_ES512:
        md = EVP_sha512();
        break;

    default:
        md = NULL;
        break;
    }

    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        return 0;
    }

    rc = 0;
    pctx = NULL;

    if (EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pkey) != 1) {
        goto done;
    }

    if (alg == WJWT_PS256 || alg == WJWT_PS384 || alg == WJWT_PS512) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST)
               != 1
            || EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1)
        {
            goto done;
        }

    } else if (alg == WJWT_RS256 || alg == WJWT_RS384 || alg == WJWT_RS512) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
            goto done;
        }
    }

    /* one-shot for every alg: Ed25519 needs it, and empty msg works */

    rc = (EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1);

done:

    EVP_MD_CTX_free(mctx);

    return rc;
}


static int
wjwt_ec_nid(EVP_PKEY *pkey)
{
    char    name[64];
    size_t  len;

    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                       name, sizeof(name), &len)
        != 1)
    {
        return NID_undef;
    }

    return OBJ_sn2nid(name);
}


int
wjwt_token_verify(const wjwt_token_t *t, const wjwt_keyset_t *ks,
    unsigned alg_mask, const wjwt_key_t **used)
{
    size_t             i;
    int                fits;
    const wjwt_key_t  *key;

    if (used != NULL) {
        *used = NULL;
    }

    if (t->alg < 0 || t->alg >= WJWT_ALG_COUNT
        || (alg_mask & WJWT_ALG_BIT(t->alg)) == 0)
    {
        return WJWT_ALG_NOT_ALLOWED;
    }

    if (ks == NULL || ks->nkeys == 0) {
        return WJWT_KEYS_UNAVAILABLE;
    }

    if (t->kid != NULL) {
        key = wjwt_keyset_find(ks, t->kid, t->kid_len);

        if (key == NULL || !wjwt_key_fits(key, t->alg)) {
            return WJWT_UNKNOWN_KID;
        }

        if (!wjwt_verify_signature(t->alg, key->pkey, t->signing_input.data,
                                   t->signing_input.len, t->sig, t->sig_len))
        {
            return WJWT_BAD_SIGNATURE;
        }

        if (used != NULL) {
            *used = key;
        }

        return WJWT_VALID;
    }

    fits = 0;

    for (i = 0; i < ks->nkeys; i++) {
        key = &ks->keys[i];

        if (!wjwt_key_fits(key, t->alg)) {
            continue;
        }

        fits = 1;

        if (wjwt_verify_signature(t->alg, key->pkey, t->signing_input.data,
                                  t->signing_input.len, t->sig, t->sig_len))
        {
            if (used != NULL) {
                *used = key;
            }

            return WJWT_VALID;
        }
    }

    return fits ? WJWT_BAD_SIGNATURE : WJWT_UNKNOWN_KID;
}
