
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Test-only sealing, for t/unit/test_session.c and fuzz/fuzz_session.c:
 * iron seals and React Router signed cookies of any text, so that the
 * tests reach what lies behind the MAC (hostile plaintext, bad padding).
 * The real libraries' seals are in t/session/fixtures.json.
 */


#ifndef _WJWT_SESSION_SEAL_H_INCLUDED_
#define _WJWT_SESSION_SEAL_H_INCLUDED_


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <wjwt.h>


typedef struct {
    const char            *password;
    const char            *id;          /* NULL: "1" */
    const char            *enc_salt;    /* NULL: a fixed hex salt */
    const char            *mac_salt;    /* NULL: a fixed hex salt */
    const char            *expiration;  /* NULL: "" */
    const char            *suffix;      /* NULL: "~2" */
    int                    no_padding;  /* text must be whole blocks */
} wjwt_test_seal_t;


static size_t
wjwt_test_b64(const unsigned char *in, size_t len, char *out, int url)
{
    size_t  i, n;

    n = (size_t) EVP_EncodeBlock((unsigned char *) out, in, (int) len);

    while (n > 0 && out[n - 1] == '=') {
        n--;
    }

    for (i = 0; url && i < n; i++) {
        out[i] = (out[i] == '+') ? '-' : (out[i] == '/') ? '_' : out[i];
    }

    out[n] = '\0';

    return n;
}


/* a malloc()ed NUL-terminated seal of text, or NULL */

static char *
wjwt_test_seal(const wjwt_test_seal_t *o, const unsigned char *text,
    size_t len)
{
    int              n, m;
    char            *seal, *b64;
    size_t           size, base;
    const char      *enc_salt, *mac_salt;
    unsigned int     mlen;
    unsigned char    key[32], mac[EVP_MAX_MD_SIZE], *cipher;
    EVP_CIPHER_CTX  *ctx;

    static const unsigned char  iv[16] = {
        0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
    };

    enc_salt = o->enc_salt ? o->enc_salt
               : "5eed5eed5eed5eed5eed5eed5eed5eed"
                 "5eed5eed5eed5eed5eed5eed5eed5eed";
    mac_salt = o->mac_salt ? o->mac_salt
               : "0a1b0a1b0a1b0a1b0a1b0a1b0a1b0a1b"
                 "0a1b0a1b0a1b0a1b0a1b0a1b0a1b0a1b";

    cipher = malloc(len + 32);
    b64 = malloc(len * 4 / 3 + 64);
    size = len * 4 / 3 + strlen(enc_salt) + strlen(mac_salt) + 256;
    seal = malloc(size);
    ctx = EVP_CIPHER_CTX_new();

    if (cipher == NULL || b64 == NULL || seal == NULL || ctx == NULL) {
        goto failed;
    }

    PKCS5_PBKDF2_HMAC(o->password, (int) strlen(o->password),
                      (const unsigned char *) enc_salt, (int) strlen(enc_salt),
                      1, EVP_sha1(), 32, key);

    if (EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv) != 1
        || EVP_CIPHER_CTX_set_padding(ctx, !o->no_padding) != 1
        || EVP_EncryptUpdate(ctx, cipher, &n, text, (int) len) != 1
        || EVP_EncryptFinal_ex(ctx, cipher + n, &m) != 1)
    {
        goto failed;
    }

    wjwt_test_b64(cipher, (size_t) n + m, b64, 1);

    base = (size_t) snprintf(seal, size, "Fe26.2*%s*%s*",
                             o->id ? o->id : "1", enc_salt);
    base += wjwt_test_b64(iv, 16, seal + base, 1);
    base += (size_t) snprintf(seal + base, size - base, "*%s*%s", b64,
                              o->expiration ? o->expiration : "");

    PKCS5_PBKDF2_HMAC(o->password, (int) strlen(o->password),
                      (const unsigned char *) mac_salt, (int) strlen(mac_salt),
                      1, EVP_sha1(), 32, key);
    HMAC(EVP_sha256(), key, 32, (unsigned char *) seal, base, mac, &mlen);

    base += (size_t) snprintf(seal + base, size - base, "*%s*", mac_salt);
    base += wjwt_test_b64(mac, mlen, seal + base, 1);
    snprintf(seal + base, size - base, "%s", o->suffix ? o->suffix : "~2");

    free(cipher);
    free(b64);
    EVP_CIPHER_CTX_free(ctx);

    return seal;

failed:

    free(cipher);
    free(b64);
    free(seal);
    EVP_CIPHER_CTX_free(ctx);

    return NULL;
}


/*
 * React Router's signed cookie of text (not URL-encoded):
 * base64(text) "." base64(HMAC-SHA256(password, base64(text))) without
 * '='; a malloc()ed NUL-terminated string, or NULL
 */

static char *
wjwt_test_remix(const char *password, const unsigned char *text, size_t len)
{
    char           *out;
    size_t          n;
    unsigned int    mlen;
    unsigned char   mac[EVP_MAX_MD_SIZE];

    out = malloc(len * 4 / 3 + 64);
    if (out == NULL) {
        return NULL;
    }

    n = (size_t) EVP_EncodeBlock((unsigned char *) out, text, (int) len);

    HMAC(EVP_sha256(), password, (int) strlen(password),
         (unsigned char *) out, n, mac, &mlen);

    out[n++] = '.';
    wjwt_test_b64(mac, mlen, out + n, 0);

    return out;
}


#endif /* _WJWT_SESSION_SEAL_H_INCLUDED_ */
