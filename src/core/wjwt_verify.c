
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
static int wjwt_verify_digest(const wjwt_alg_t *a, EVP_PKEY *pkey,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len);
static int wjwt_verify_prepared(const wjwt_key_t *key, int alg,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len);
static int wjwt_verify_sig(const wjwt_alg_t *a, EVP_PKEY *pkey,
    const unsigned char **sig, size_t *sig_len, unsigned char **der);
static EVP_PKEY_CTX *wjwt_verify_ctx(EVP_PKEY *pkey, const wjwt_alg_t *a,
    const EVP_MD *md);
static int wjwt_verify_padding(EVP_PKEY_CTX *ctx, const wjwt_alg_t *a,
    const EVP_MD *md);
static int wjwt_ecdsa_der(const unsigned char *sig, size_t coord,
    unsigned char **der);
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
    int                rc;
    unsigned char     *der;
    const wjwt_alg_t  *a;

    a = wjwt_alg(alg);

    if (a == NULL || pkey == NULL || (msg == NULL && msg_len != 0)
        || !EVP_PKEY_is_a(pkey, a->pkey_type)
        || (a->kty == WJWT_KTY_EC && wjwt_ec_nid(pkey) != a->curve_nid))
    {
        return 0;
    }

    if (!wjwt_verify_sig(a, pkey, &sig, &sig_len, &der)) {
        return 0;
    }

    rc = wjwt_verify_digest(a, pkey, msg, msg_len, sig, sig_len);

    OPENSSL_free(der);

    return rc;
}


static int
wjwt_verify_digest(const wjwt_alg_t *a, EVP_PKEY *pkey,
    const unsigned char *msg, size_t msg_len, const unsigned char *sig,
    size_t sig_len)
{
    int            rc;
    EVP_MD_CTX    *mctx;
    const EVP_MD  *md;
    EVP_PKEY_CTX  *pctx;

    md = (a->digest != NULL) ? EVP_get_digestbyname(a->digest) : NULL;

    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        return 0;
    }

    rc = 0;
    pctx = NULL;

    if (EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pkey) == 1
        && wjwt_verify_padding(pctx, a, md))
    {
        /* one-shot for every alg: Ed25519 needs it, and empty msg works */
        rc = (EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1);
    }

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
    int             rc;
    unsigned int    dlen;
    unsigned char  *der, dgst[EVP_MAX_MD_SIZE];

    if ((msg == NULL && msg_len != 0)
        || !wjwt_verify_sig(wjwt_alg(alg), key->pkey, &sig, &sig_len, &der))
    {
        return 0;
    }

    rc = (EVP_Digest(msg, msg_len, dgst, &dlen, key->verify_md[alg], NULL)
          == 1
          && EVP_PKEY_verify(key->verify_ctx[alg], sig, sig_len, dgst, dlen)
             == 1);

    OPENSSL_free(der);

    return rc;
}


/*
 * The signature of the exact size the alg and key give (ES*: raw r||s
 * of twice the coordinate size, which becomes DER in *der)
 */

static int
wjwt_verify_sig(const wjwt_alg_t *a, EVP_PKEY *pkey,
    const unsigned char **sig, size_t *sig_len, unsigned char **der)
{
    int     n;
    size_t  want;

    *der = NULL;
    want = a->sig_len ? a->sig_len : (size_t) EVP_PKEY_get_size(pkey);

    if (*sig == NULL || *sig_len == 0 || *sig_len != want) {
        return 0;
    }

    if (a->kty != WJWT_KTY_EC) {
        return 1;
    }

    n = wjwt_ecdsa_der(*sig, a->sig_len / 2, der);
    if (n <= 0) {
        return 0;
    }

    *sig = *der;
    *sig_len = (size_t) n;

    return 1;
}


int
wjwt_key_prepare(wjwt_key_t *key)
{
    int                alg, n;
    EVP_MD            *md;
    EVP_PKEY_CTX      *ctx;
    const wjwt_alg_t  *a;

    n = 0;

    for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
        a = wjwt_alg(alg);

        if (a->digest == NULL || key->verify_ctx[alg] != NULL
            || !wjwt_key_fits(key, alg))
        {
            continue;
        }

        md = EVP_MD_fetch(NULL, a->digest, NULL);
        if (md == NULL) {
            continue;
        }

        ctx = wjwt_verify_ctx(key->pkey, a, md);
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
wjwt_verify_ctx(EVP_PKEY *pkey, const wjwt_alg_t *a, const EVP_MD *md)
{
    EVP_PKEY_CTX  *ctx;

    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL) {
        return NULL;
    }

    if (EVP_PKEY_verify_init(ctx) != 1
        || EVP_PKEY_CTX_set_signature_md(ctx, md) != 1
        || !wjwt_verify_padding(ctx, a, md))
    {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }

    return ctx;
}


static int
wjwt_verify_padding(EVP_PKEY_CTX *ctx, const wjwt_alg_t *a, const EVP_MD *md)
{
    switch (a->padding) {

    case WJWT_PAD_PSS:
        return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1
               && EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST)
                  == 1
               && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1;

    case WJWT_PAD_PKCS1:
        return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;

    default:
        return 1;
    }
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
