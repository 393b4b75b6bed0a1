/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Signing and key generation for the workos-jwt command-line tool.
 * The module itself never signs: this lives next to the CLI, not in
 * the core.
 */


#ifndef _WJWT_SIGN_H_INCLUDED_
#define _WJWT_SIGN_H_INCLUDED_


#include <stddef.h>
#include <jansson.h>
#include <openssl/evp.h>


#define WJWT_SIGN_RSA_BITS      2048
#define WJWT_SIGN_RSA_MAX_BITS  16384
#define WJWT_SIGN_KID_LEN       16


/*
 * Reads a PEM private key (PKCS#8 or traditional); encrypted keys are
 * refused.  NULL with a reason in err.
 */
EVP_PKEY *wjwt_sign_load_key(const char *path, char *err, size_t err_size);

/* 1 when the private key can sign with the JWS alg (kty, curve) */
int wjwt_sign_key_fits(EVP_PKEY *pkey, int alg);

/* the natural alg of a key: RS256, ES256/384/512, EdDSA, or UNKNOWN */
int wjwt_sign_default_alg(EVP_PKEY *pkey);

/*
 * The JWS signature over msg: RSASSA-PKCS1-v1_5, RSASSA-PSS (salt =
 * digest length, MGF1 same hash), ECDSA as raw r||s of exact length,
 * Ed25519.  *sig is malloc()ed.  Returns 0 or -1 with err set.
 */
int wjwt_sign_message(EVP_PKEY *pkey, int alg, const unsigned char *msg,
    size_t msg_len, unsigned char **sig, size_t *sig_len, char *err,
    size_t err_size);

/*
 * A signed compact JWS of header and claims (both serialized compact,
 * member order kept).  Returns a malloc()ed NUL-terminated string or
 * NULL with err set.
 */
char *wjwt_sign_token(EVP_PKEY *pkey, int alg, const json_t *header,
    const json_t *claims, char *err, size_t err_size);

/* a new key for alg; bits is used for RSA only */
EVP_PKEY *wjwt_sign_keygen(int alg, int bits, char *err, size_t err_size);

/*
 * The default kid: the first 16 hex digits of the SHA-256 of the DER
 * SubjectPublicKeyInfo.  buf must hold WJWT_SIGN_KID_LEN + 1 bytes.
 */
int wjwt_sign_default_kid(EVP_PKEY *pkey, char *buf);

/* the public JWK: kty, kid, use "sig", alg, then n/e, crv/x/y or crv/x */
json_t *wjwt_sign_public_jwk(EVP_PKEY *pkey, int alg, const char *kid,
    char *err, size_t err_size);

/* PKCS#8 PEM, created with mode 0600; fails if path exists and !force */
int wjwt_sign_write_key(EVP_PKEY *pkey, const char *path, int force,
    char *err, size_t err_size);


#endif /* _WJWT_SIGN_H_INCLUDED_ */
