
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "wjwt.h"


#define WJWT_RSA_MIN_BITS  2048


/* a kid of a JWKS entry, or of a key already in the set */
typedef struct {
    const char            *kid;
    size_t                 len;
    size_t                 index;           /* mark[] index */
    int                    loaded;
} wjwt_kid_ref_t;


/* members of private or secret keys, never loaded from a JWKS */
static const char  *wjwt_private_members[] = {
    "d", "p", "q", "dp", "dq", "qi", "oth", "k", NULL
};


/* small primes of the ROCA fingerprint test (CVE-2017-15361) */
static const unsigned  wjwt_roca_primes[] = {
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67,
    71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139,
    149, 151, 157, 163, 167
};


static json_t *wjwt_jwks_keys(json_t *root, json_t **single);
static unsigned char *wjwt_kid_conflicts(wjwt_keyset_t *ks, json_t *keys);
static int wjwt_kid_cmp(const void *one, const void *two);
static void wjwt_keyset_drop(wjwt_keyset_t *ks, const unsigned char *mark);
static const char *wjwt_keyset_add_jwk(wjwt_keyset_t *ks, json_t *jwk);
static const char *wjwt_jwk_load(json_t *jwk, wjwt_key_t *key);
static const char *wjwt_jwk_usage(json_t *jwk);
static const wjwt_alg_t *wjwt_jwk_curve(json_t *jwk, int kty,
    const char **reason);
static const char *wjwt_jwk_rsa(json_t *jwk, wjwt_key_t *key);
static const char *wjwt_jwk_ec(json_t *jwk, wjwt_key_t *key);
static const char *wjwt_jwk_okp(json_t *jwk, wjwt_key_t *key);
static unsigned char *wjwt_jwk_member(json_t *jwk, const char *name,
    size_t *len);
static EVP_PKEY *wjwt_pkey_fromdata(const char *type, OSSL_PARAM *params);
static int wjwt_rsa_roca(const BIGNUM *n);
static uint64_t wjwt_key_fingerprint(const wjwt_key_t *key);
static void wjwt_key_release(wjwt_key_t *key);
static int wjwt_keyset_push(wjwt_keyset_t *ks, wjwt_key_t *key);


int
wjwt_keyset_add_json(wjwt_keyset_t *ks, const unsigned char *data,
    size_t len, wjwt_warn_pt warn, void *warn_data, char *err,
    size_t err_size)
{
    int             added;
    size_t          i, loaded;
    json_t         *root, *keys, *jwk, *kid, *single;
    const char     *reason;
    unsigned char  *mark;

    root = wjwt_json_parse(data, len, err, err_size);
    if (root == NULL) {
        return -1;
    }

    added = -1;
    mark = NULL;

    keys = wjwt_jwks_keys(root, &single);

    if (!json_is_array(keys)) {
        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "neither a JWKS nor a JWK");
        }

        goto done;
    }

    loaded = ks->nkeys;

    mark = wjwt_kid_conflicts(ks, keys);
    if (mark == NULL) {
        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "out of memory");
        }

        goto done;
    }

    /* an ambiguous kid drops every key that carries it */

    wjwt_keyset_drop(ks, mark);

    added = 0;

    json_array_foreach(keys, i, jwk) {

        reason = mark[loaded + i] ? "duplicate kid"
                                  : wjwt_keyset_add_jwk(ks, jwk);

        if (reason == NULL) {
            added++;
            continue;
        }

        if (warn != NULL) {
            kid = json_object_get(jwk, "kid");
            warn(warn_data, json_is_string(kid) ? json_string_value(kid)
                                                : NULL,
                 reason);
        }
    }

done:

    free(mark);

    if (single != NULL) {
        json_decref(single);
    }

    json_decref(root);

    return added;
}


/* the "keys" array of a JWKS, or a JWK made an array of one (*single) */

static json_t *
wjwt_jwks_keys(json_t *root, json_t **single)
{
    *single = NULL;

    if (!json_is_object(root)) {
        return NULL;
    }

    if (json_object_get(root, "keys") != NULL) {
        return json_object_get(root, "keys");
    }

    if (json_object_get(root, "kty") == NULL) {
        return NULL;
    }

    *single = json_array();

    if (*single == NULL || json_array_append(*single, root) != 0) {
        return NULL;
    }

    return *single;
}


/*
 * One mark per key already in ks, then one per entry of keys: an entry
 * whose kid another entry carries, and a loaded key whose kid one entry
 * carries (that entry too).  Sorted, not compared pair by pair: a JWKS
 * of 15,000 entries takes milliseconds.
 */

static unsigned char *
wjwt_kid_conflicts(wjwt_keyset_t *ks, json_t *keys)
{
    size_t           i, j, k, n, nnew, nloaded, total;
    json_t          *jwk, *kid;
    unsigned char   *mark;
    wjwt_kid_ref_t  *refs;

    total = ks->nkeys + json_array_size(keys);

    mark = calloc(total + 1, 1);
    refs = malloc((total + 1) * sizeof(wjwt_kid_ref_t));

    if (mark == NULL || refs == NULL) {
        free(mark);
        free(refs);
        return NULL;
    }

    n = 0;

    for (i = 0; i < ks->nkeys; i++) {
        if (ks->keys[i].kid != NULL) {
            refs[n].kid = ks->keys[i].kid;
            refs[n].len = ks->keys[i].kid_len;
            refs[n].index = i;
            refs[n++].loaded = 1;
        }
    }

    json_array_foreach(keys, i, jwk) {
        kid = json_object_get(jwk, "kid");

        if (json_is_string(kid)) {
            refs[n].kid = json_string_value(kid);
            refs[n].len = json_string_length(kid);
            refs[n].index = ks->nkeys + i;
            refs[n++].loaded = 0;
        }
    }

    qsort(refs, n, sizeof(wjwt_kid_ref_t), wjwt_kid_cmp);

    for (i = 0; i < n; i = j) {
        nnew = 0;
        nloaded = 0;

        for (j = i; j < n && wjwt_kid_cmp(&refs[i], &refs[j]) == 0; j++) {
            if (refs[j].loaded) {
                nloaded++;

            } else {
                nnew++;
            }
        }

        /* a kid repeated in the document leaves a loaded key alone */

        if (nnew < 2 && !(nnew == 1 && nloaded > 0)) {
            continue;
        }

        for (k = i; k < j; k++) {
            if (!refs[k].loaded || nnew == 1) {
                mark[refs[k].index] = 1;
            }
        }
    }

    free(refs);

    return mark;
}


static int
wjwt_kid_cmp(const void *one, const void *two)
{
    const wjwt_kid_ref_t  *a = one, *b = two;

    if (a->len != b->len) {
        return (a->len < b->len) ? -1 : 1;
    }

    return memcmp(a->kid, b->kid, a->len);
}


/* releases the marked keys of ks, keeping the order of the others */

static void
wjwt_keyset_drop(wjwt_keyset_t *ks, const unsigned char *mark)
{
    size_t  i, n;

    n = 0;

    for (i = 0; i < ks->nkeys; i++) {
        if (mark[i]) {
            wjwt_key_release(&ks->keys[i]);
            continue;
        }

        ks->keys[n++] = ks->keys[i];
    }

    ks->nkeys = n;
}


/* NULL when the JWK became a key of ks, else why it was skipped */

static const char *
wjwt_keyset_add_jwk(wjwt_keyset_t *ks, json_t *jwk)
{
    size_t       n;
    json_t      *kid;
    wjwt_key_t   key;
    const char  *reason;

    if (!json_is_object(jwk)) {
        return "not a JSON object";
    }

    kid = json_object_get(jwk, "kid");

    if (kid != NULL && !json_is_string(kid)) {
        return "\"kid\" is not a string";
    }

    memset(&key, 0, sizeof(wjwt_key_t));

    reason = wjwt_jwk_load(jwk, &key);
    ERR_clear_error();

    if (reason == NULL && kid != NULL) {
        n = json_string_length(kid);

        key.kid = malloc(n + 1);

        if (key.kid == NULL) {
            reason = "out of memory";

        } else {
            memcpy(key.kid, json_string_value(kid), n);
            key.kid[n] = '\0';
            key.kid_len = n;
        }
    }

    if (reason == NULL) {
        key.fingerprint = wjwt_key_fingerprint(&key);

        /* verification contexts; an alg left unprepared works unprepared */

        (void) wjwt_key_prepare(&key);

        if (wjwt_keyset_push(ks, &key) != 0) {
            reason = "out of memory";
        }
    }

    if (reason != NULL) {
        wjwt_key_release(&key);
    }

    return reason;
}


static const char *
wjwt_jwk_load(json_t *jwk, wjwt_key_t *key)
{
    int                alg;
    json_t            *kty, *v;
    const char        *reason;
    const wjwt_alg_t  *a;

    kty = json_object_get(jwk, "kty");
    if (!json_is_string(kty)) {
        return "missing \"kty\"";
    }

    for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
        a = wjwt_alg(alg);

        if (strcmp(json_string_value(kty), a->kty_name) == 0) {
            key->kty = a->kty;
            break;
        }
    }

    if (alg == WJWT_ALG_COUNT) {
        return "unsupported \"kty\"";
    }

    reason = wjwt_jwk_usage(jwk);
    if (reason != NULL) {
        return reason;
    }

    key->alg = WJWT_ALG_UNKNOWN;

    v = json_object_get(jwk, "alg");
    if (v != NULL) {
        if (!json_is_string(v)) {
            return "\"alg\" is not a string";
        }

        key->alg = wjwt_alg_from_name((const unsigned char *)
                                      json_string_value(v),
                                      json_string_length(v));
        if (key->alg == WJWT_ALG_UNKNOWN) {
            return "unsupported \"alg\"";
        }
    }

    switch (key->kty) {

    case WJWT_KTY_RSA:
        reason = wjwt_jwk_rsa(jwk, key);
        break;

    case WJWT_KTY_EC:
        reason = wjwt_jwk_ec(jwk, key);
        break;

    default:
        reason = wjwt_jwk_okp(jwk, key);
        break;
    }

    if (reason != NULL) {
        return reason;
    }

    if (key->alg != WJWT_ALG_UNKNOWN && !wjwt_key_fits(key, key->alg)) {
        return "\"alg\" does not fit the key type or curve";
    }

    return NULL;
}


/* a public key for signatures: no private members, "use", "key_ops" */

static const char *
wjwt_jwk_usage(json_t *jwk)
{
    size_t   i;
    json_t  *v, *op;

    for (i = 0; wjwt_private_members[i] != NULL; i++) {
        if (json_object_get(jwk, wjwt_private_members[i]) != NULL) {
            return "private or secret key material";
        }
    }

    v = json_object_get(jwk, "use");
    if (v != NULL && (!json_is_string(v)
                      || strcmp(json_string_value(v), "sig") != 0))
    {
        return "\"use\" is not \"sig\"";
    }

    v = json_object_get(jwk, "key_ops");
    if (v == NULL) {
        return NULL;
    }

    if (!json_is_array(v)) {
        return "\"key_ops\" is not an array";
    }

    json_array_foreach(v, i, op) {
        if (json_is_string(op)
            && strcmp(json_string_value(op), "verify") == 0)
        {
            return NULL;
        }
    }

    return "\"key_ops\" does not allow \"verify\"";
}


/* the alg whose curve the JWK's "crv" names, among those of kty */

static const wjwt_alg_t *
wjwt_jwk_curve(json_t *jwk, int kty, const char **reason)
{
    int                alg;
    json_t            *crv;
    const wjwt_alg_t  *a;

    crv = json_object_get(jwk, "crv");
    if (!json_is_string(crv)) {
        *reason = "missing \"crv\"";
        return NULL;
    }

    for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
        a = wjwt_alg(alg);

        if (a->kty == kty && strcmp(json_string_value(crv), a->crv) == 0) {
            return a;
        }
    }

    *reason = "unsupported \"crv\"";

    return NULL;
}


static const char *
wjwt_jwk_rsa(json_t *jwk, wjwt_key_t *key)
{
    size_t           nlen, elen;
    BIGNUM          *n, *e;
    OSSL_PARAM      *params;
    const char      *reason;
    unsigned char   *nb, *eb;
    OSSL_PARAM_BLD  *bld;

    n = NULL;
    e = NULL;
    bld = NULL;
    params = NULL;

    nb = wjwt_jwk_member(jwk, "n", &nlen);
    eb = wjwt_jwk_member(jwk, "e", &elen);

    if (nb == NULL || eb == NULL || nlen == 0 || elen == 0) {
        reason = "bad or missing \"n\" or \"e\"";
        goto done;
    }

    n = BN_bin2bn(nb, (int) nlen, NULL);
    e = BN_bin2bn(eb, (int) elen, NULL);

    if (n == NULL || e == NULL) {
        reason = "out of memory";
        goto done;
    }

    if (BN_num_bits(n) < WJWT_RSA_MIN_BITS) {
        reason = "RSA key under 2048 bits";
        goto done;
    }

    if (!BN_is_odd(e) || BN_is_one(e) || BN_num_bits(e) > 64) {
        reason = "bad RSA public exponent";
        goto done;
    }

    if (wjwt_rsa_roca(n)) {
        reason = "RSA key with the ROCA fingerprint";
        goto done;
    }

    reason = "RSA key rejected by OpenSSL";

    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n)
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
    {
        goto done;
    }

    params = OSSL_PARAM_BLD_to_param(bld);
    if (params == NULL) {
        goto done;
    }

    key->pkey = wjwt_pkey_fromdata("RSA", params);
    if (key->pkey == NULL) {
        goto done;
    }

    key->bits = EVP_PKEY_get_bits(key->pkey);
    reason = NULL;

done:

    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    free(nb);
    free(eb);

    return reason;
}


static const char *
wjwt_jwk_ec(json_t *jwk, wjwt_key_t *key)
{
    size_t             xlen, ylen, coord;
    OSSL_PARAM         params[3];
    const char        *reason;
    EVP_PKEY_CTX      *ctx;
    unsigned char     *x, *y, *pub;
    const wjwt_alg_t  *a;

    a = wjwt_jwk_curve(jwk, WJWT_KTY_EC, &reason);
    if (a == NULL) {
        return reason;
    }

    key->curve_nid = a->curve_nid;
    coord = a->sig_len / 2;

    pub = NULL;
    x = wjwt_jwk_member(jwk, "x", &xlen);
    y = wjwt_jwk_member(jwk, "y", &ylen);

    if (x == NULL || y == NULL || xlen != coord || ylen != coord) {
        reason = "bad or missing \"x\" or \"y\"";
        goto done;
    }

    reason = "out of memory";

    pub = malloc(1 + 2 * coord);
    if (pub == NULL) {
        goto done;
    }

    pub[0] = 0x04;
    memcpy(pub + 1, x, coord);
    memcpy(pub + 1 + coord, y, coord);

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                 (char *) a->group, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                                  pub, 1 + 2 * coord);
    params[2] = OSSL_PARAM_construct_end();

    reason = "EC point is not on the curve";

    key->pkey = wjwt_pkey_fromdata("EC", params);
    if (key->pkey == NULL) {
        goto done;
    }

    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
    if (ctx == NULL) {
        goto done;
    }

    if (EVP_PKEY_public_check(ctx) != 1) {
        EVP_PKEY_CTX_free(ctx);
        goto done;
    }

    EVP_PKEY_CTX_free(ctx);

    key->bits = EVP_PKEY_get_bits(key->pkey);
    reason = NULL;

done:

    free(pub);
    free(x);
    free(y);

    return reason;
}


static const char *
wjwt_jwk_okp(json_t *jwk, wjwt_key_t *key)
{
    size_t             xlen;
    const char        *reason;
    unsigned char     *x;
    const wjwt_alg_t  *a;

    a = wjwt_jwk_curve(jwk, WJWT_KTY_OKP, &reason);
    if (a == NULL) {
        return reason;
    }

    key->curve_nid = a->curve_nid;

    x = wjwt_jwk_member(jwk, "x", &xlen);
    if (x == NULL || xlen != 32) {
        free(x);
        return "bad or missing \"x\"";
    }

    key->pkey = EVP_PKEY_new_raw_public_key_ex(NULL, a->pkey_type, NULL, x,
                                               32);
    free(x);

    if (key->pkey == NULL) {
        return "Ed25519 key rejected by OpenSSL";
    }

    key->bits = EVP_PKEY_get_bits(key->pkey);

    return NULL;
}


static unsigned char *
wjwt_jwk_member(json_t *jwk, const char *name, size_t *len)
{
    json_t         *v;
    size_t          n;
    unsigned char  *buf;

    v = json_object_get(jwk, name);
    if (!json_is_string(v)) {
        return NULL;
    }

    n = json_string_length(v);

    buf = malloc(wjwt_b64url_decoded_max(n));
    if (buf == NULL) {
        return NULL;
    }

    if (wjwt_b64url_decode((const unsigned char *) json_string_value(v), n,
                           buf, len)
        != 0)
    {
        free(buf);
        return NULL;
    }

    return buf;
}


static EVP_PKEY *
wjwt_pkey_fromdata(const char *type, OSSL_PARAM *params)
{
    EVP_PKEY      *pkey;
    EVP_PKEY_CTX  *ctx;

    ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (ctx == NULL) {
        return NULL;
    }

    pkey = NULL;

    if (EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
        pkey = NULL;
    }

    EVP_PKEY_CTX_free(ctx);

    return pkey;
}


static int
wjwt_rsa_roca(const BIGNUM *n)
{
    size_t        i;
    unsigned      p, r, g, x;
    BN_ULONG      m;

    /*
     * a modulus from the vulnerable Infineon generator is, modulo each of
     * these primes, a power of 65537
     */

    for (i = 0; i < sizeof(wjwt_roca_primes) / sizeof(unsigned); i++) {
        p = wjwt_roca_primes[i];

        m = BN_mod_word(n, p);
        if (m == (BN_ULONG) -1) {
            return 0;
        }

        r = (unsigned) m;
        g = 65537 % p;
        x = 1;

        do {
            if (x == r) {
                break;
            }

            x = (x * g) % p;

        } while (x != 1);

        if (x != r) {
            return 0;
        }
    }

    return 1;
}


/*
 * The key's identity for caches: SHA-256 of kid, NUL and the DER
 * SubjectPublicKeyInfo, first 8 bytes; 0 if it cannot be computed
 */

static uint64_t
wjwt_key_fingerprint(const wjwt_key_t *key)
{
    int             n;
    uint64_t        fp;
    EVP_MD_CTX     *md;
    unsigned char  *der, digest[EVP_MAX_MD_SIZE];

    fp = 0;
    der = NULL;

    n = i2d_PUBKEY(key->pkey, &der);
    md = EVP_MD_CTX_new();

    if (n > 0 && md != NULL
        && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1
        && EVP_DigestUpdate(md, key->kid ? key->kid : "", key->kid_len) == 1
        && EVP_DigestUpdate(md, "", 1) == 1
        && EVP_DigestUpdate(md, der, (size_t) n) == 1
        && EVP_DigestFinal_ex(md, digest, NULL) == 1)
    {
        memcpy(&fp, digest, sizeof(uint64_t));
    }

    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    ERR_clear_error();

    return fp;
}


void
wjwt_keyset_free(wjwt_keyset_t *ks)
{
    size_t  i;

    for (i = 0; i < ks->nkeys; i++) {
        wjwt_key_release(&ks->keys[i]);
    }

    free(ks->keys);

    ks->keys = NULL;
    ks->nkeys = 0;
    ks->nalloc = 0;
}


static void
wjwt_key_release(wjwt_key_t *key)
{
    wjwt_key_unprepare(key);
    free(key->kid);
    EVP_PKEY_free(key->pkey);

    key->kid = NULL;
    key->pkey = NULL;
}


static int
wjwt_keyset_push(wjwt_keyset_t *ks, wjwt_key_t *key)
{
    size_t       n;
    wjwt_key_t  *keys;

    if (ks->nkeys == ks->nalloc) {
        n = ks->nalloc ? ks->nalloc * 2 : 4;

        keys = realloc(ks->keys, n * sizeof(wjwt_key_t));
        if (keys == NULL) {
            return -1;
        }

        ks->keys = keys;
        ks->nalloc = n;
    }

    ks->keys[ks->nkeys++] = *key;

    return 0;
}


const wjwt_key_t *
wjwt_keyset_find(const wjwt_keyset_t *ks, const char *kid, size_t kid_len)
{
    size_t  i;

    if (ks == NULL || kid == NULL) {
        return NULL;
    }

    for (i = 0; i < ks->nkeys; i++) {
        if (ks->keys[i].kid != NULL
            && ks->keys[i].kid_len == kid_len
            && memcmp(ks->keys[i].kid, kid, kid_len) == 0)
        {
            return &ks->keys[i];
        }
    }

    return NULL;
}

