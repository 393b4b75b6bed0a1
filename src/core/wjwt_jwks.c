
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

#include "wjwt.h"


#define WJWT_RSA_MIN_BITS  2048


typedef struct {
    const char            *crv;
    const char            *group;
    int                    nid;
    size_t                 coord;
    int                    alg;
} wjwt_curve_t;


static const wjwt_curve_t  wjwt_curves[] = {
    { "P-256", "prime256v1", NID_X9_62_prime256v1, 32, WJWT_ES256 },
    { "P-384", "secp384r1", NID_secp384r1, 48, WJWT_ES384 },
    { "P-521", "secp521r1", NID_secp521r1, 66, WJWT_ES512 }
};


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


static const char *wjwt_jwk_load(json_t *jwk, wjwt_key_t *key);
static const char *wjwt_jwk_rsa(json_t *jwk, wjwt_key_t *key);
static const char *wjwt_jwk_ec(json_t *jwk, wjwt_key_t *key);
static const char *wjwt_jwk_okp(json_t *jwk, wjwt_key_t *key);
static unsigned char *wjwt_jwk_member(json_t *jwk, const char *name,
    size_t *len);
static EVP_PKEY *wjwt_pkey_fromdata(const char *type, OSSL_PARAM *params);
static int wjwt_rsa_roca(const BIGNUM *n);
static void wjwt_key_release(wjwt_key_t *key);
static void wjwt_keyset_remove(wjwt_keyset_t *ks, size_t i);
static int wjwt_keyset_push(wjwt_keyset_t *ks, wjwt_key_t *key);
static size_t wjwt_kid_count(json_t *keys, json_t *kid);


int
wjwt_keyset_add_json(wjwt_keyset_t *ks, const unsigned char *data,
    size_t len, wjwt_warn_pt warn, void *warn_data, char *err,
    size_t err_size)
{
    int                added;
    size_t             i, k, n;
    json_t            *root, *keys, *jwk, *kid, *single;
    wjwt_key_t         key;
    const char        *reason, *kids;
    const wjwt_key_t  *dup;

    root = wjwt_json_parse(data, len, err, err_size);
    if (root == NULL) {
        return -1;
    }

    single = NULL;
    keys = NULL;

    if (json_is_object(root) && json_object_get(root, "keys") != NULL) {
        keys = json_object_get(root, "keys");

    } else if (json_is_object(root) && json_object_get(root, "kty") != NULL) {
        single = json_array();
        if (single == NULL || json_array_append(single, root) != 0) {
            goto failed;
        }

        keys = single;
    }

    if (!json_is_array(keys)) {
        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "neither a JWKS nor a JWK");
        }

        goto failed;
    }

    added = 0;

    json_array_foreach(keys, i, jwk) {

        kid = json_is_object(jwk) ? json_object_get(jwk, "kid") : NULL;
        kids = json_is_string(kid) ? json_string_value(kid) : NULL;

        if (!json_is_object(jwk)) {
            reason = "not a JSON object";
            goto skip;
        }

        if (kid != NULL && !json_is_string(kid)) {
            reason = "\"kid\" is not a string";
            goto skip;
        }

        if (kids != NULL) {
            /* an ambiguous kid drops every key that carries it */

            if (wjwt_kid_count(keys, kid) > 1) {
                reason = "duplicate kid";
                goto skip;
            }

            n = json_string_length(kid);

            dup = wjwt_keyset_find(ks, kids, n);
            if (dup != NULL) {
                for (k = 0; k < ks->nkeys; k++) {
                    if (&ks->keys[k] == dup) {
                        wjwt_keyset_remove(ks, k);
                        break;
                    }
                }

                reason = "duplicate kid";
                goto skip;
            }
        }

        memset(&key, 0, sizeof(wjwt_key_t));

        reason = wjwt_jwk_load(jwk, &key);
        ERR_clear_error();

        if (reason != NULL) {
            wjwt_key_release(&key);
            goto skip;
        }

        if (kids != NULL) {
            n = json_string_length(kid);

            key.kid = malloc(n + 1);
            if (key.kid == NULL) {
                wjwt_key_release(&key);
                reason = "out of memory";
                goto skip;
            }

            memcpy(key.kid, kids, n);
            key.kid[n] = '\0';
            key.kid_len = n;
        }

        /* verification contexts; an alg left unprepared works unprepared */

        (void) wjwt_key_prepare(&key);

        if (wjwt_keyset_push(ks, &key) != 0) {
            wjwt_key_release(&key);
            reason = "out of memory";
            goto skip;
        }

        added++;
        continue;

    skip:

        if (warn != NULL) {
            warn(warn_data, kids, reason);
        }
    }

    if (single != NULL) {
        json_decref(single);
    }

    json_decref(root);

    return added;

failed:

    if (single != NULL) {
        json_decref(single);
    }

    json_decref(root);

    return -1;
}


static size_t
wjwt_kid_count(json_t *keys, json_t *kid)
{
    size_t   i, n;
    json_t  *jwk, *v;

    n = 0;

    json_array_foreach(keys, i, jwk) {
        v = json_object_get(jwk, "kid");
        if (json_is_string(v) && json_equal(v, kid)) {
            n++;
        }
    }

    return n;
}


static const char *
wjwt_jwk_load(json_t *jwk, wjwt_key_t *key)
{
    size_t       i;
    json_t      *kty, *v, *op;
    const char  *s, *reason;

    kty = json_object_get(jwk, "kty");
    if (!json_is_string(kty)) {
        return "missing \"kty\"";
    }

    s = json_string_value(kty);

    if (strcmp(s, "RSA") == 0) {
        key->kty = WJWT_KTY_RSA;

    } else if (strcmp(s, "EC") == 0) {
        key->kty = WJWT_KTY_EC;

    } else if (strcmp(s, "OKP") == 0) {
        key->kty = WJWT_KTY_OKP;

    } else {
        return "unsupported \"kty\"";
    }

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
    if (v != NULL) {
        if (!json_is_array(v)) {
            return "\"key_ops\" is not an array";
        }

        json_array_foreach(v, i, op) {
            if (json_is_string(op)
                && strcmp(json_string_value(op), "verify") == 0)
            {
                break;
            }
        }

        if (i == json_array_size(v)) {
            return "\"key_ops\" does not allow \"verify\"";
        }
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
    size_t               i, xlen, ylen;
    json_t              *crv;
    OSSL_PARAM           params[3];
    const char          *reason;
    unsigned char       *x, *y, *pub;
    EVP_PKEY_CTX        *ctx;
    const wjwt_curve_t  *c;

    crv = json_object_get(jwk, "crv");
    if (!json_is_string(crv)) {
        return "missing \"crv\"";
    }

    c = NULL;

    for (i = 0; i < sizeof(wjwt_curves) / sizeof(wjwt_curves[0]); i++) {
        if (strcmp(json_string_value(crv), wjwt_curves[i].crv) == 0) {
            c = &wjwt_curves[i];
            break;
        }
    }

    if (c == NULL) {
        return "unsupported \"crv\"";
    }

    key->curve_nid = c->nid;

    pub = NULL;
    x = wjwt_jwk_member(jwk, "x", &xlen);
    y = wjwt_jwk_member(jwk, "y", &ylen);

    if (x == NULL || y == NULL || xlen != c->coord || ylen != c->coord) {
        reason = "bad or missing \"x\" or \"y\"";
        goto done;
    }

    reason = "out of memory";

    pub = malloc(1 + 2 * c->coord);
    if (pub == NULL) {
        goto done;
    }

    pub[0] = 0x04;
    memcpy(pub + 1, x, c->coord);
    memcpy(pub + 1 + c->coord, y, c->coord);

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                 (char *) c->group, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                                  pub, 1 + 2 * c->coord);
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
    size_t          xlen;
    json_t         *crv;
    unsigned char  *x;

    crv = json_object_get(jwk, "crv");
    if (!json_is_string(crv)) {
        return "missing \"crv\"";
    }

    if (strcmp(json_string_value(crv), "Ed25519") != 0) {
        return "unsupported \"crv\"";
    }

    key->curve_nid = NID_ED25519;

    x = wjwt_jwk_member(jwk, "x", &xlen);
    if (x == NULL || xlen != 32) {
        free(x);
        return "bad or missing \"x\"";
    }

    key->pkey = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, x, 32);
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


static void
wjwt_keyset_remove(wjwt_keyset_t *ks, size_t i)
{
    wjwt_key_release(&ks->keys[i]);

    memmove(&ks->keys[i], &ks->keys[i + 1],
            (ks->nkeys - i - 1) * sizeof(wjwt_key_t));

    ks->nkeys--;
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


int
wjwt_key_fits(const wjwt_key_t *key, int alg)
{
    if (key == NULL || key->pkey == NULL) {
        return 0;
    }

    if (key->alg != WJWT_ALG_UNKNOWN && key->alg != alg) {
        return 0;
    }

    switch (alg) {

    case WJWT_RS256:
    case WJWT_RS384:
    case WJWT_RS512:
    case WJWT_PS256:
    case WJWT_PS384:
    case WJWT_PS512:
        return key->kty == WJWT_KTY_RSA;

    case WJWT_ES256:
        return key->kty == WJWT_KTY_EC
               && key->curve_nid == NID_X9_62_prime256v1;

    case WJWT_ES384:
        return key->kty == WJWT_KTY_EC && key->curve_nid == NID_secp384r1;

    case WJWT_ES512:
        return key->kty == WJWT_KTY_EC && key->curve_nid == NID_secp521r1;

    case WJWT_EDDSA:
        return key->kty == WJWT_KTY_OKP && key->curve_nid == NID_ED25519;

    default:
        return 0;
    }
}
