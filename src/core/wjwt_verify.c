
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
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
static int wjwt_verify_prepared(const wjwt_key_t *key, int alg,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len);
static EVP_PKEY_CTX *wjwt_verify_ctx(EVP_PKEY *pkey, int alg,
    const EVP_MD *md);
static int wjwt_ecdsa_der(const unsigned char *sig, size_t coord,
    unsigned char **der);
static const char *wjwt_alg_digest(int alg);
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

        der_len = wjwt_ecdsa_der(sig, coord, &der);
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


int
wjwt_key_verify(const wjwt_key_t *key, int alg, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len)
{
    int  rc;

    if (key == NULL) {
        return 0;
    }

    if (alg < 0 || alg >= WJWT_ALG_COUNT || key->verify_ctx[alg] == NULL) {
        return wjwt_verify_signature(alg, key->pkey, msg, msg_len, sig,
                                     sig_len);
    }

    rc = wjwt_verify_prepared(key, alg, msg, msg_len, sig, sig_len);

    ERR_clear_error();

    return rc;
}


/*
 * The checks of wjwt_verify_primitive() that the prepared context does
 * not make itself (it exists only for an alg the key fits), then the
 * digest and EVP_PKEY_verify()
 */

static int
wjwt_verify_prepared(const wjwt_key_t *key, int alg,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len)
{
    int             rc, der_len;
    size_t          coord;
    unsigned int    dlen;
    unsigned char  *der, dgst[EVP_MAX_MD_SIZE];

    if (sig == NULL || sig_len == 0 || (msg == NULL && msg_len != 0)) {
        return 0;
    }

    der = NULL;

    if (alg == WJWT_ES256 || alg == WJWT_ES384 || alg == WJWT_ES512) {
        coord = (alg == WJWT_ES256) ? 32 : (alg == WJWT_ES384) ? 48 : 66;

        /* JWS wants raw r||s of exactly twice the coordinate size */

        if (sig_len != 2 * coord) {
            return 0;
        }

        der_len = wjwt_ecdsa_der(sig, coord, &der);
        if (der_len <= 0) {
            return 0;
        }

        sig = der;
        sig_len = (size_t) der_len;

    } else if (sig_len != (size_t) EVP_PKEY_get_size(key->pkey)) {
        return 0;
    }

    rc = (EVP_Digest(msg, msg_len, dgst, &dlen, key->verify_md[alg], NULL)
          == 1
          && EVP_PKEY_verify(key->verify_ctx[alg], sig, sig_len, dgst, dlen)
             == 1);

    OPENSSL_free(der);

    return rc;
}


int
wjwt_key_prepare(wjwt_key_t *key)
{
    int            alg, n;
    EVP_MD        *md;
    EVP_PKEY_CTX  *ctx;

    n = 0;

    for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
        if (alg == WJWT_EDDSA || key->verify_ctx[alg] != NULL
            || !wjwt_key_fits(key, alg))
        {
            continue;
        }

        md = EVP_MD_fetch(NULL, wjwt_alg_digest(alg), NULL);
        if (md == NULL) {
            continue;
        }

        ctx = wjwt_verify_ctx(key->pkey, alg, md);
        if (ctx == NULL) {
            EVP_MD_free(md);
            continue;
        }

        key->verify_ctx[alg] = ctx;
        key->verify_md[alg] = md;
        n++;
    }

    ERR_clear_error();

    return n;
}


void
wjwt_key_unprepare(wjwt_key_t *key)
{
    int  alg;

    for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
        EVP_PKEY_CTX_free(key->verify_ctx[alg]);
        EVP_MD_free(key->verify_md[alg]);

        key->verify_ctx[alg] = NULL;
        key->verify_md[alg] = NULL;
    }
}


/* the settings wjwt_verify_digest() makes on every verify, made once */

static EVP_PKEY_CTX *
wjwt_verify_ctx(EVP_PKEY *pkey, int alg, const EVP_MD *md)
{
    EVP_PKEY_CTX  *ctx;

    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL) {
        return NULL;
    }

    if (EVP_PKEY_verify_init(ctx) != 1
        || EVP_PKEY_CTX_set_signature_md(ctx, md) != 1)
    {
        goto failed;
    }

    switch (alg) {

    case WJWT_PS256:
    case WJWT_PS384:
    case WJWT_PS512:
        if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST)
               != 1
            || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) != 1)
        {
            goto failed;
        }

        break;

    case WJWT_RS256:
    case WJWT_RS384:
    case WJWT_RS512:
        if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1) {
            goto failed;
        }

        break;

    default:
        break;
    }

    return ctx;

failed:

    EVP_PKEY_CTX_free(ctx);

    return NULL;
}


/* raw r||s, coord bytes each, as a DER ECDSA-Sig-Value (OPENSSL_free) */

static int
wjwt_ecdsa_der(const unsigned char *sig, size_t coord, unsigned char **der)
{
    int         der_len;
    BIGNUM     *r, *s;
    ECDSA_SIG  *ecsig;

    *der = NULL;

    r = BN_bin2bn(sig, (int) coord, NULL);
    s = BN_bin2bn(sig + coord, (int) coord, NULL);
    ecsig = ECDSA_SIG_new();

    if (r == NULL || s == NULL || ecsig == NULL
        || !ECDSA_SIG_set0(ecsig, r, s))
    {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(ecsig);
        return -1;
    }

    der_len = i2d_ECDSA_SIG(ecsig, der);
    ECDSA_SIG_free(ecsig);

    return der_len;
}


static const char *
wjwt_alg_digest(int alg)
{
    switch (alg) {

    case WJWT_RS256:
    case WJWT_PS256:
    case WJWT_ES256:
        return "SHA256";

    case WJWT_RS384:
    case WJWT_PS384:
    case WJWT_ES384:
        return "SHA384";

    default:
        return "SHA512";
    }
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

        if (!wjwt_key_verify(key, t->alg, t->signing_input.data,
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

        if (wjwt_key_verify(key, t->alg, t->signing_input.data,
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
