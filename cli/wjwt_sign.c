/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <wjwt.h>
#include "wjwt_sign.h"


static void wjwt_sign_error(char *err, size_t err_size, const char *fmt, ...);
static int wjwt_sign_curve_nid(EVP_PKEY *pkey);
static int wjwt_sign_init(EVP_MD_CTX *mctx, EVP_PKEY *pkey,
    const wjwt_alg_t *a, char *err, size_t err_size);
static int wjwt_sign_raw_ecdsa(const wjwt_alg_t *a, unsigned char **sig,
    size_t *sig_len, char *err, size_t err_size);
static int wjwt_sign_pem_password(char *buf, int size, int rwflag, void *data);
static char *wjwt_sign_b64(const unsigned char *data, size_t len);
static int wjwt_sign_set_b64(json_t *obj, const char *name,
    const unsigned char *data, size_t len);
static int wjwt_sign_set_bn(json_t *obj, const char *name, EVP_PKEY *pkey,
    const char *param, size_t pad);


static void
wjwt_sign_error(char *err, size_t err_size, const char *fmt, ...)
{
    char           reason[256];
    size_t         n;
    va_list        args;
    unsigned long  e;

    va_start(args, fmt);
    vsnprintf(err, err_size, fmt, args);
    va_end(args);

    /* append the last OpenSSL reason, if any */
    e = ERR_peek_last_error();

    if (e != 0) {
        ERR_error_string_n(e, reason, sizeof(reason));
        n = strlen(err);

        if (n < err_size) {
            snprintf(err + n, err_size - n, " (%s)", reason);
        }
    }

    ERR_clear_error();
}


static int
wjwt_sign_curve_nid(EVP_PKEY *pkey)
{
    int     nid;
    char    name[80];
    size_t  len;

    if (!EVP_PKEY_get_group_name(pkey, name, sizeof(name), &len)) {
        ERR_clear_error();
        return NID_undef;
    }

    nid = OBJ_sn2nid(name);

    if (nid == NID_undef) {
        nid = EC_curve_nist2nid(name);
    }

    return nid;
}


static int
wjwt_sign_pem_password(char *buf, int size, int rwflag, void *data)
{
    (void) buf;
    (void) size;
    (void) rwflag;

    /* never prompt: the CLI runs in scripts */
    *(int *) data = 1;

    return -1;
}


EVP_PKEY *
wjwt_sign_load_key(const char *path, char *err, size_t err_size)
{
    int        encrypted;
    BIO       *bio;
    EVP_PKEY  *pkey;

    ERR_clear_error();

    bio = BIO_new_file(path, "r");
    if (bio == NULL) {
        ERR_clear_error();
        snprintf(err, err_size, "cannot open \"%s\": %s", path,
                 strerror(errno));
        return NULL;
    }

    encrypted = 0;
    pkey = PEM_read_bio_PrivateKey(bio, NULL, wjwt_sign_pem_password,
                                   &encrypted);
    BIO_free(bio);

    if (pkey == NULL) {
        if (encrypted) {
            ERR_clear_error();
            snprintf(err, err_size, "\"%s\" is encrypted; decrypt it "
                     "first (openssl pkey -in %s -out plain.pem)", path, path);

        } else {
            wjwt_sign_error(err, err_size, "no PEM private key in \"%s\"",
                            path);
        }

        return NULL;
    }

    return pkey;
}


int
wjwt_sign_key_fits(EVP_PKEY *pkey, int alg)
{
    const wjwt_alg_t  *a;

    a = wjwt_alg(alg);

    if (a == NULL) {
        return 0;
    }

    /* a PSS-only RSA key signs PS* */

    if (a->padding == WJWT_PAD_PSS && EVP_PKEY_is_a(pkey, "RSA-PSS")) {
        return 1;
    }

    return EVP_PKEY_is_a(pkey, a->pkey_type)
           && (a->kty != WJWT_KTY_EC
               || wjwt_sign_curve_nid(pkey) == a->curve_nid);
}


int
wjwt_sign_default_alg(EVP_PKEY *pkey)
{
    int  alg;

    if (EVP_PKEY_is_a(pkey, "RSA")) {
        return WJWT_RS256;
    }

    if (EVP_PKEY_is_a(pkey, "RSA-PSS")) {
        return WJWT_PS256;
    }

    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        return WJWT_EDDSA;
    }

    for (alg = WJWT_ES256; alg <= WJWT_ES512; alg++) {
        if (wjwt_sign_key_fits(pkey, alg)) {
            return alg;
        }
    }

    return WJWT_ALG_UNKNOWN;
}


int
wjwt_sign_message(EVP_PKEY *pkey, int alg, const unsigned char *msg,
    size_t msg_len, unsigned char **sig, size_t *sig_len, char *err,
    size_t err_size)
{
    size_t             len;
    EVP_MD_CTX        *mctx;
    unsigned char     *buf;
    const wjwt_alg_t  *a;

    *sig = NULL;
    *sig_len = 0;
    buf = NULL;

    ERR_clear_error();

    if (!wjwt_sign_key_fits(pkey, alg)) {
        snprintf(err, err_size, "the key cannot sign %s",
                 wjwt_alg_name(alg));
        return -1;
    }

    a = wjwt_alg(alg);

    mctx = EVP_MD_CTX_new();
    if (mctx == NULL) {
        wjwt_sign_error(err, err_size, "EVP_MD_CTX_new() failed");
        return -1;
    }

    if (wjwt_sign_init(mctx, pkey, a, err, err_size) != 0) {
        goto failed;
    }

    if (EVP_DigestSign(mctx, NULL, &len, msg, msg_len) != 1) {
        wjwt_sign_error(err, err_size, "EVP_DigestSign() failed");
        goto failed;
    }

    buf = malloc(len);
    if (buf == NULL) {
        snprintf(err, err_size, "out of memory");
        goto failed;
    }

    if (EVP_DigestSign(mctx, buf, &len, msg, msg_len) != 1) {
        wjwt_sign_error(err, err_size, "EVP_DigestSign() failed");
        goto failed;
    }

    EVP_MD_CTX_free(mctx);

    *sig = buf;
    *sig_len = len;

    if (a->kty != WJWT_KTY_EC) {
        return 0;
    }

    return wjwt_sign_raw_ecdsa(a, sig, sig_len, err, err_size);

failed:

    EVP_MD_CTX_free(mctx);
    free(buf);

    return -1;
}


static int
wjwt_sign_init(EVP_MD_CTX *mctx, EVP_PKEY *pkey, const wjwt_alg_t *a,
    char *err, size_t err_size)
{
    const EVP_MD  *md;
    EVP_PKEY_CTX  *pctx;

    md = (a->digest != NULL) ? EVP_get_digestbyname(a->digest) : NULL;
    pctx = NULL;

    if (EVP_DigestSignInit(mctx, &pctx, md, NULL, pkey) != 1) {
        wjwt_sign_error(err, err_size, "EVP_DigestSignInit() failed");
        return -1;
    }

    if (a->padding == WJWT_PAD_PSS) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST)
               <= 0
            || EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) <= 0)
        {
            wjwt_sign_error(err, err_size, "cannot set RSA-PSS parameters");
            return -1;
        }

    } else if (a->padding == WJWT_PAD_PKCS1) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0) {
            wjwt_sign_error(err, err_size, "cannot set RSA padding");
            return -1;
        }
    }

    return 0;
}


/* JWS wants r||s, each left-padded to the field size, not DER */

static int
wjwt_sign_raw_ecdsa(const wjwt_alg_t *a, unsigned char **sig,
    size_t *sig_len, char *err, size_t err_size)
{
    size_t                n;
    ECDSA_SIG            *es;
    const BIGNUM         *r, *s;
    unsigned char        *raw;
    const unsigned char  *p;

    n = a->sig_len / 2;
    p = *sig;

    es = d2i_ECDSA_SIG(NULL, &p, (long) *sig_len);
    raw = malloc(2 * n);

    if (es == NULL || raw == NULL) {
        wjwt_sign_error(err, err_size, "%s", es ? "out of memory"
                                                : "d2i_ECDSA_SIG() failed");
        goto failed;
    }

    ECDSA_SIG_get0(es, &r, &s);

    if (BN_bn2binpad(r, raw, (int) n) < 0
        || BN_bn2binpad(s, raw + n, (int) n) < 0)
    {
        wjwt_sign_error(err, err_size, "BN_bn2binpad() failed");
        goto failed;
    }

    ECDSA_SIG_free(es);
    free(*sig);

    *sig = raw;
    *sig_len = 2 * n;

    return 0;

failed:

    ECDSA_SIG_free(es);
    free(raw);
    free(*sig);

    *sig = NULL;
    *sig_len = 0;

    return -1;
}


static char *
wjwt_sign_b64(const unsigned char *data, size_t len)
{
    char    *out;
    size_t   n;

    out = malloc(wjwt_b64url_encoded_len(len) + 1);
    if (out == NULL) {
        return NULL;
    }

    n = wjwt_b64url_encode(data, len, (unsigned char *) out);
    out[n] = '\0';

    return out;
}


char *
wjwt_sign_token(EVP_PKEY *pkey, int alg, const json_t *header,
    const json_t *claims, char *err, size_t err_size)
{
    char           *hjson, *cjson, *h64, *c64, *s64, *input, *token;
    size_t          hlen, clen, slen, ilen;
    unsigned char  *sig;

    token = NULL;
    input = NULL;
    h64 = NULL;
    c64 = NULL;
    s64 = NULL;
    sig = NULL;

    hjson = json_dumps(header, JSON_COMPACT);
    cjson = json_dumps(claims, JSON_COMPACT);

    if (hjson == NULL || cjson == NULL) {
        snprintf(err, err_size, "cannot serialize the token JSON");
        goto done;
    }

    h64 = wjwt_sign_b64((unsigned char *) hjson, strlen(hjson));
    c64 = wjwt_sign_b64((unsigned char *) cjson, strlen(cjson));

    if (h64 == NULL || c64 == NULL) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }

    hlen = strlen(h64);
    clen = strlen(c64);
    ilen = hlen + 1 + clen;

    input = malloc(ilen + 1);
    if (input == NULL) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }

    memcpy(input, h64, hlen);
    input[hlen] = '.';
    memcpy(input + hlen + 1, c64, clen + 1);

    if (wjwt_sign_message(pkey, alg, (unsigned char *) input, ilen, &sig,
                          &slen, err, err_size)
        != 0)
    {
        goto done;
    }

    s64 = wjwt_sign_b64(sig, slen);
    if (s64 == NULL) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }

    token = malloc(ilen + 1 + strlen(s64) + 1);
    if (token == NULL) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }

    memcpy(token, input, ilen);
    token[ilen] = '.';
    memcpy(token + ilen + 1, s64, strlen(s64) + 1);

done:

    free(hjson);
    free(cjson);
    free(h64);
    free(c64);
    free(s64);
    free(sig);
    free(input);

    return token;
}


EVP_PKEY *
wjwt_sign_keygen(int alg, int bits, char *err, size_t err_size)
{
    EVP_PKEY          *pkey;
    const wjwt_alg_t  *a;

    ERR_clear_error();

    a = wjwt_alg(alg);

    if (a == NULL) {
        snprintf(err, err_size, "unsupported alg");
        return NULL;
    }

    switch (a->kty) {

    case WJWT_KTY_RSA:
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) bits);
        break;

    case WJWT_KTY_EC:
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", a->crv);
        break;

    default:
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, a->pkey_type);
        break;
    }

    if (pkey == NULL) {
        wjwt_sign_error(err, err_size, "EVP_PKEY_Q_keygen() failed");
    }

    return pkey;
}


int
wjwt_sign_default_kid(EVP_PKEY *pkey, char *buf)
{
    int             len;
    size_t          i;
    unsigned int    mdlen;
    unsigned char  *der, md[EVP_MAX_MD_SIZE];

    static const char  hex[] = "0123456789abcdef";

    der = NULL;

    len = i2d_PUBKEY(pkey, &der);
    if (len <= 0) {
        ERR_clear_error();
        return -1;
    }

    if (EVP_Digest(der, (size_t) len, md, &mdlen, EVP_sha256(), NULL) != 1) {
        OPENSSL_free(der);
        ERR_clear_error();
        return -1;
    }

    OPENSSL_free(der);

    for (i = 0; i < WJWT_SIGN_KID_LEN / 2; i++) {
        buf[2 * i] = hex[md[i] >> 4];
        buf[2 * i + 1] = hex[md[i] & 0x0f];
    }

    buf[WJWT_SIGN_KID_LEN] = '\0';

    return 0;
}


static int
wjwt_sign_set_b64(json_t *obj, const char *name, const unsigned char *data,
    size_t len)
{
    char  *s;

    s = wjwt_sign_b64(data, len);
    if (s == NULL) {
        return -1;
    }

    if (json_object_set_new(obj, name, json_string(s)) != 0) {
        free(s);
        return -1;
    }

    free(s);

    return 0;
}


static int
wjwt_sign_set_bn(json_t *obj, const char *name, EVP_PKEY *pkey,
    const char *param, size_t pad)
{
    int             rc;
    size_t          len;
    BIGNUM         *bn;
    unsigned char  *buf;

    bn = NULL;

    if (!EVP_PKEY_get_bn_param(pkey, param, &bn)) {
        return -1;
    }

    len = (size_t) BN_num_bytes(bn);

    if (pad > len) {
        len = pad;
    }

    buf = malloc(len ? len : 1);
    if (buf == NULL) {
        BN_free(bn);
        return -1;
    }

    rc = -1;

    if (BN_bn2binpad(bn, buf, (int) len) >= 0) {
        rc = wjwt_sign_set_b64(obj, name, buf, len);
    }

    free(buf);
    BN_free(bn);

    return rc;
}


json_t *
wjwt_sign_public_jwk(EVP_PKEY *pkey, int alg, const char *kid, char *err,
    size_t err_size)
{
    int                rc;
    size_t             len, coord;
    json_t            *jwk;
    unsigned char      raw[64];
    const wjwt_alg_t  *a;

    ERR_clear_error();

    if (!wjwt_sign_key_fits(pkey, alg)) {
        snprintf(err, err_size, "the key does not fit %s",
                 wjwt_alg_name(alg));
        return NULL;
    }

    a = wjwt_alg(alg);

    jwk = json_object();
    if (jwk == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }

    rc = json_object_set_new(jwk, "kty", json_string(a->kty_name));
    rc |= json_object_set_new(jwk, "kid", json_string(kid));
    rc |= json_object_set_new(jwk, "use", json_string("sig"));
    rc |= json_object_set_new(jwk, "alg", json_string(a->name));

    switch (a->kty) {

    case WJWT_KTY_RSA:
        rc |= wjwt_sign_set_bn(jwk, "n", pkey, OSSL_PKEY_PARAM_RSA_N, 0);
        rc |= wjwt_sign_set_bn(jwk, "e", pkey, OSSL_PKEY_PARAM_RSA_E, 0);
        break;

    case WJWT_KTY_EC:
        coord = a->sig_len / 2;

        rc |= json_object_set_new(jwk, "crv", json_string(a->crv));
        rc |= wjwt_sign_set_bn(jwk, "x", pkey, OSSL_PKEY_PARAM_EC_PUB_X,
                               coord);
        rc |= wjwt_sign_set_bn(jwk, "y", pkey, OSSL_PKEY_PARAM_EC_PUB_Y,
                               coord);
        break;

    default:
        rc |= json_object_set_new(jwk, "crv", json_string(a->crv));

        len = sizeof(raw);

        if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1) {
            rc = -1;

        } else {
            rc |= wjwt_sign_set_b64(jwk, "x", raw, len);
        }

        break;
    }

    if (rc != 0) {
        json_decref(jwk);
        wjwt_sign_error(err, err_size, "cannot export the public key");
        return NULL;
    }

    return jwk;
}


int
wjwt_sign_write_key(EVP_PKEY *pkey, const char *path, int force, char *err,
    size_t err_size)
{
    int    fd, flags;
    FILE  *fp;

    ERR_clear_error();

    flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
    flags |= force ? O_TRUNC : O_EXCL;

    fd = open(path, flags, 0600);
    if (fd == -1) {
        snprintf(err, err_size, "cannot create \"%s\": %s%s", path,
                 strerror(errno),
                 (errno == EEXIST) ? " (use --force to overwrite)" : "");
        return -1;
    }

    /* an existing file keeps its mode on O_TRUNC, and umask may differ */
    if (fchmod(fd, 0600) != 0) {
        snprintf(err, err_size, "fchmod(\"%s\") failed: %s", path,
                 strerror(errno));
        close(fd);
        return -1;
    }

    fp = fdopen(fd, "w");
    if (fp == NULL) {
        snprintf(err, err_size, "fdopen(\"%s\") failed: %s", path,
                 strerror(errno));
        close(fd);
        return -1;
    }

    if (!PEM_write_PKCS8PrivateKey(fp, pkey, NULL, NULL, 0, NULL, NULL)) {
        wjwt_sign_error(err, err_size, "PEM_write_PKCS8PrivateKey() failed");
        fclose(fp);
        return -1;
    }

    if (fclose(fp) != 0) {
        snprintf(err, err_size, "cannot write \"%s\": %s", path,
                 strerror(errno));
        return -1;
    }

    return 0;
}
