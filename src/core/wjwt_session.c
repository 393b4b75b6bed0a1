
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "wjwt_session.h"


#define WJWT_IRON_PREFIX        "Fe26.2*"
#define WJWT_IRON_FIELDS        8
#define WJWT_IRON_KEY_LEN       32
#define WJWT_IRON_IV_LEN        16
#define WJWT_IRON_MAC_LEN       32
#define WJWT_IRON_MAC_B64_LEN   43
#define WJWT_IRON_SKEW_MS       60000
#define WJWT_IRON_MAX_EXP       1000000000000000000LL

#define WJWT_SESSION_BAD        ((size_t) -1)


static int wjwt_session_iron(wjwt_session_t *s, const unsigned char *data,
    size_t len, const wjwt_str_t *passwords, size_t npasswords, int64_t now,
    char *err, size_t err_size);
static int wjwt_session_remix(wjwt_session_t *s, const unsigned char *data,
    size_t len, const wjwt_str_t *passwords, size_t npasswords, int64_t now,
    char *err, size_t err_size);
static int wjwt_session_plaintext(wjwt_session_t *s, unsigned char *text,
    size_t len, char *err, size_t err_size);
static int wjwt_session_iron_mac(const wjwt_str_t *password,
    const wjwt_str_t *salt, const unsigned char *msg, size_t msg_len,
    unsigned char *b64);
static int wjwt_session_decrypt(const wjwt_str_t *password,
    const wjwt_str_t *salt, const unsigned char *iv, const unsigned char *in,
    size_t len, unsigned char *out, size_t *out_len);
static int wjwt_session_pbkdf2(const wjwt_str_t *password,
    const wjwt_str_t *salt, unsigned char *key);
static int wjwt_session_expiration(const wjwt_str_t *f, int64_t *exp);
static int wjwt_session_is_remix(const unsigned char *data, size_t len);
static size_t wjwt_session_url_decode(const unsigned char *in, size_t len,
    unsigned char *out);
static int wjwt_session_b64_decode(const unsigned char *in, size_t len,
    unsigned char *out, size_t *out_len);
static int wjwt_session_blank(unsigned char *p, size_t len, size_t *at,
    size_t *at_len);
static json_t *wjwt_session_lift(unsigned char *text, size_t *len,
    size_t at, size_t at_len);
static size_t wjwt_session_skip_ws(const unsigned char *p, size_t len,
    size_t i);
static size_t wjwt_session_skip_string(const unsigned char *p, size_t len,
    size_t i);
static size_t wjwt_session_skip_value(const unsigned char *p, size_t len,
    size_t i);
static int wjwt_session_key_is(const unsigned char *p, size_t len,
    const char *name);
static int wjwt_session_hex(unsigned c);
static int wjwt_session_error(char *err, size_t err_size, const char *text);


static const char  wjwt_session_no_mac[] =
    "the session cookie's MAC does not verify with any configured password";


int
wjwt_session_open(wjwt_session_t *s, const unsigned char *value, size_t len,
    const wjwt_str_t *passwords, size_t npasswords, int64_t now, char *err,
    size_t err_size)
{
    int             rc;
    size_t          n;
    unsigned char  *buf;

    memset(s, 0, sizeof(wjwt_session_t));
    s->password_index = -1;

    if (err != NULL && err_size > 0) {
        err[0] = '\0';
    }

    if (len > WJWT_SESSION_MAX_COOKIE) {
        return wjwt_session_error(err, err_size,
                                  "the session cookie is longer than "
                                  "65536 bytes");
    }

    if (value != NULL && len >= 2 && value[0] == '"' && value[len - 1] == '"')
    {
        value++;
        len -= 2;
    }

    if (value == NULL || len == 0) {
        return wjwt_session_error(err, err_size, "the session cookie is empty");
    }

    if (npasswords == 0 || passwords == NULL) {
        return wjwt_session_error(err, err_size,
                                  "no session password is configured");
    }

    buf = malloc(len);
    if (buf == NULL) {
        return wjwt_session_error(err, err_size,
                                  "the session cookie could not be opened "
                                  "(out of memory)");
    }

    n = wjwt_session_url_decode(value, len, buf);
    if (n == WJWT_SESSION_BAD) {
        memcpy(buf, value, len);
        n = len;
    }

    if (n > sizeof(WJWT_IRON_PREFIX) - 1
        && memcmp(buf, WJWT_IRON_PREFIX, sizeof(WJWT_IRON_PREFIX) - 1) == 0)
    {
        s->format = WJWT_SESSION_IRON;
        rc = wjwt_session_iron(s, buf, n, passwords, npasswords, now, err,
                               err_size);

    } else if (wjwt_session_is_remix(buf, n)) {
        s->format = WJWT_SESSION_REMIX;
        rc = wjwt_session_remix(s, buf, n, passwords, npasswords, now, err,
                                err_size);

    } else {
        rc = wjwt_session_error(err, err_size,
                                "unsupported session cookie format");
    }

    free(buf);

    if (rc != WJWT_VALID) {
        json_decref(s->session);
        s->session = NULL;
        s->access_token.len = 0;
        s->user_id.len = 0;
        s->email.len = 0;
        s->password_index = -1;
        s->expiration = 0;
    }

    return rc;
}


void
wjwt_session_free(wjwt_session_t *s)
{
    json_decref(s->session);
    memset(s, 0, sizeof(wjwt_session_t));
    s->password_index = -1;
}


/* as iron: expired at exp <= now - 60 s (the exp field is in ms) */

int
wjwt_session_expired(int64_t expiration, int64_t now)
{
    int64_t  now_ms;

    if (expiration == 0) {
        return 0;
    }

    now_ms = (now < 0) ? 0 : (now > WJWT_MAX_TIME) ? WJWT_MAX_TIME : now;
    now_ms *= 1000;

    return expiration <= now_ms - WJWT_IRON_SKEW_MS;
}


const char *
wjwt_session_format_name(int format)
{
    switch (format) {

    case WJWT_SESSION_IRON:
        return "iron";

    case WJWT_SESSION_REMIX:
        return "remix";

    default:
        return "";
    }
}


int
wjwt_session_user_matches(const wjwt_str_t *user_id, const unsigned char *sub,
    size_t len)
{
    return user_id->len > 0 && user_id->len == len
           && memcmp(user_id->data, sub, len) == 0;
}


/*
 * Fe26.2*<id>*<encryption salt>*<iv>*<ciphertext>*<expiration>*<hmac
 * salt>*<hmac>[~2]: the MAC is checked with each password before
 * anything is decrypted
 */

static int
wjwt_session_iron(wjwt_session_t *s, const unsigned char *data, size_t len,
    const wjwt_str_t *passwords, size_t npasswords, int64_t now, char *err,
    size_t err_size)
{
    int                   rc;
    size_t                i, n, clen, plen;
    int64_t               exp;
    wjwt_str_t            f[WJWT_IRON_FIELDS];
    unsigned char         iv[WJWT_IRON_IV_LEN + 3];
    unsigned char         mac[WJWT_IRON_MAC_B64_LEN + 1];
    unsigned char        *cipher, *plain;
    const unsigned char  *p, *end, *tilde, *star;

    tilde = memchr(data, '~', len);

    if (tilde != NULL) {
        if (data + len - tilde != 2 || tilde[1] != '2') {
            return wjwt_session_error(err, err_size,
                                      "the sealed session has an unsupported "
                                      "version suffix");
        }

        len -= 2;
    }

    p = data;
    end = data + len;

    for (n = 0; n < WJWT_IRON_FIELDS; n++) {
        star = memchr(p, '*', end - p);

        if (star == NULL) {
            star = end;
        }

        f[n].data = p;
        f[n].len = star - p;

        if (star == end) {
            break;
        }

        p = star + 1;
    }

    if (n != WJWT_IRON_FIELDS - 1) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session does not have 8 "
                                  "fields");
    }

    for (i = 0; i < f[1].len; i++) {
        if (!(f[1].data[i] == '_'
              || (f[1].data[i] >= '0' && f[1].data[i] <= '9')
              || (f[1].data[i] >= 'A' && f[1].data[i] <= 'Z')
              || (f[1].data[i] >= 'a' && f[1].data[i] <= 'z')))
        {
            return wjwt_session_error(err, err_size,
                                      "the sealed session has an invalid "
                                      "password id");
        }
    }

    if (f[2].len == 0 || f[6].len == 0) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session has an empty salt");
    }

    if (wjwt_session_expiration(&f[5], &exp) != 0) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session has an invalid "
                                  "expiration");
    }

    if (f[3].len != wjwt_b64url_encoded_len(WJWT_IRON_IV_LEN)
        || wjwt_b64url_decode(f[3].data, f[3].len, iv, &n) != 0
        || n != WJWT_IRON_IV_LEN)
    {
        return wjwt_session_error(err, err_size,
                                  "the sealed session has an invalid iv");
    }

    if (f[4].len == 0 || f[4].len % 4 == 1) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session's ciphertext is not "
                                  "whole AES blocks");
    }

    if (f[7].len != WJWT_IRON_MAC_B64_LEN) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session's MAC is not 32 bytes");
    }

    /* the MAC covers the first six fields, joined by '*' */

    n = f[6].data - 1 - data;

    for (i = 0; i < npasswords; i++) {
        if (passwords[i].len == 0) {
            continue;
        }

        if (wjwt_session_iron_mac(&passwords[i], &f[6], data, n, mac) != 0) {
            return wjwt_session_error(err, err_size,
                                      "the session cookie could not be "
                                      "opened (HMAC failed)");
        }

        /* constant time comparison */

        rc = CRYPTO_memcmp(mac, f[7].data, WJWT_IRON_MAC_B64_LEN);
        OPENSSL_cleanse(mac, sizeof(mac));

        if (rc == 0) {
            break;
        }
    }

    if (i == npasswords) {
        return wjwt_session_error(err, err_size, wjwt_session_no_mac);
    }

    s->password_index = (int) i;

    if (f[5].len > 0) {
        s->expiration = (exp > 0) ? exp : 1;

        if (wjwt_session_expired(s->expiration, now)) {
            return wjwt_session_error(err, err_size,
                                      "the sealed session has expired");
        }
    }

    cipher = malloc(wjwt_b64url_decoded_max(f[4].len));
    if (cipher == NULL) {
        return wjwt_session_error(err, err_size,
                                  "the session cookie could not be opened "
                                  "(out of memory)");
    }

    if (wjwt_b64url_decode(f[4].data, f[4].len, cipher, &clen) != 0
        || clen == 0 || clen % 16 != 0)
    {
        free(cipher);
        return wjwt_session_error(err, err_size,
                                  "the sealed session's ciphertext is not "
                                  "whole AES blocks");
    }

    plain = malloc(clen + 16);
    if (plain == NULL) {
        free(cipher);
        return wjwt_session_error(err, err_size,
                                  "the session cookie could not be opened "
                                  "(out of memory)");
    }

    rc = wjwt_session_decrypt(&passwords[i], &f[2], iv, cipher, clen, plain,
                              &plen);
    free(cipher);

    if (rc != 0) {
        rc = wjwt_session_error(err, err_size,
                                "the sealed session does not decrypt "
                                "(bad padding)");

    } else {
        rc = wjwt_session_plaintext(s, plain, plen, err, err_size);
    }

    OPENSSL_cleanse(plain, clen + 16);
    free(plain);

    return rc;
}


/*
 * <base64 of JSON>.<base64 of HMAC-SHA256(password, first part)>, as
 * React Router's createCookie() signs (standard alphabet, the MAC
 * without '='); the JSON's "jwt" member is an iron seal
 */

static int
wjwt_session_remix(wjwt_session_t *s, const unsigned char *data, size_t len,
    const wjwt_str_t *passwords, size_t npasswords, int64_t now, char *err,
    size_t err_size)
{
    int                   rc;
    size_t                i, n, vlen, slen;
    json_t               *root, *jwt;
    unsigned int          mlen;
    unsigned char         sig[WJWT_IRON_MAC_LEN + 3];
    unsigned char         mac[EVP_MAX_MD_SIZE];
    unsigned char        *buf;
    const unsigned char  *dot;

    dot = memchr(data, '.', len);
    vlen = dot - data;
    slen = len - vlen - 1;

    if (wjwt_session_b64_decode(dot + 1, slen, sig, &n) != 0
        || n != WJWT_IRON_MAC_LEN)
    {
        return wjwt_session_error(err, err_size, wjwt_session_no_mac);
    }

    for (i = 0; i < npasswords; i++) {
        if (passwords[i].len == 0 || passwords[i].len > INT_MAX) {
            continue;
        }

        if (HMAC(EVP_sha256(), passwords[i].data, (int) passwords[i].len,
                 data, vlen, mac, &mlen) == NULL
            || mlen != WJWT_IRON_MAC_LEN)
        {
            return wjwt_session_error(err, err_size,
                                      "the session cookie could not be "
                                      "opened (HMAC failed)");
        }

        /* constant time comparison */

        rc = CRYPTO_memcmp(mac, sig, WJWT_IRON_MAC_LEN);
        OPENSSL_cleanse(mac, sizeof(mac));

        if (rc == 0) {
            break;
        }
    }

    if (i == npasswords) {
        return wjwt_session_error(err, err_size, wjwt_session_no_mac);
    }

    buf = malloc(vlen / 4 * 3 + 3);
    if (buf == NULL) {
        return wjwt_session_error(err, err_size,
                                  "the session cookie could not be opened "
                                  "(out of memory)");
    }

    if (wjwt_session_b64_decode(data, vlen, buf, &n) != 0) {
        free(buf);
        return wjwt_session_error(err, err_size,
                                  "the session cookie's data is not base64");
    }

    root = wjwt_json_parse(buf, n, NULL, 0);
    free(buf);

    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        return wjwt_session_error(err, err_size,
                                  "the session cookie's data is not a JSON "
                                  "object");
    }

    jwt = json_object_get(root, "jwt");

    if (!json_is_string(jwt)) {
        json_decref(root);
        return wjwt_session_error(err, err_size,
                                  "the session cookie holds no sealed "
                                  "session (\"jwt\")");
    }

    n = json_string_length(jwt);

    if (n <= sizeof(WJWT_IRON_PREFIX) - 1
        || memcmp(json_string_value(jwt), WJWT_IRON_PREFIX,
                  sizeof(WJWT_IRON_PREFIX) - 1) != 0)
    {
        rc = wjwt_session_error(err, err_size,
                                "the session cookie's \"jwt\" is not an "
                                "iron seal");

    } else {
        rc = wjwt_session_iron(s, (const unsigned char *)
                               json_string_value(jwt), n, passwords,
                               npasswords, now, err, err_size);
    }

    json_decref(root);

    return rc;
}


/*
 * The decrypted JSON: the refresh token is blanked in place before
 * Jansson reads the text, so that it never leaves this buffer
 */

static int
wjwt_session_plaintext(wjwt_session_t *s, unsigned char *text, size_t len,
    char *err, size_t err_size)
{
    size_t   at, at_len;
    json_t  *root, *v, *user, *token;

    if (wjwt_session_blank(text, len, &at, &at_len) != 0) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session is not a JSON object");
    }

    /*
     * the access token, most of the text, is lifted out before Jansson,
     * whose lexer costs some 100 instructions a byte, reads the rest
     */

    token = wjwt_session_lift(text, &len, at, at_len);

    /* Jansson's messages quote the input: never pass them on */

    root = wjwt_json_parse(text, len, NULL, 0);

    if (root == NULL) {
        json_decref(token);
        return wjwt_session_error(err, err_size,
                                  "the sealed session is not JSON");
    }

    s->session = root;

    if (!json_is_object(root)) {
        json_decref(token);
        return wjwt_session_error(err, err_size,
                                  "the sealed session is not a JSON object");
    }

    json_object_del(root, "refreshToken");

    if (token != NULL && json_object_set_new(root, "accessToken", token) != 0)
    {
        return wjwt_session_error(err, err_size,
                                  "the session cookie could not be opened "
                                  "(out of memory)");
    }

    v = json_object_get(root, "accessToken");

    if (!json_is_string(v) || json_string_length(v) == 0) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session has no accessToken "
                                  "string");
    }

    s->access_token.data = (const unsigned char *) json_string_value(v);
    s->access_token.len = json_string_length(v);

    user = json_object_get(root, "user");

    if (user == NULL || json_is_null(user)) {
        return WJWT_VALID;
    }

    if (!json_is_object(user)) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session's user is not an "
                                  "object");
    }

    v = json_object_get(user, "id");

    if (json_is_string(v)) {
        s->user_id.data = (const unsigned char *) json_string_value(v);
        s->user_id.len = json_string_length(v);

    } else if (v != NULL && !json_is_null(v)) {
        return wjwt_session_error(err, err_size,
                                  "the sealed session's user id is not a "
                                  "string");
    }

    v = json_object_get(user, "email");

    if (json_is_string(v)) {
        s->email.data = (const unsigned char *) json_string_value(v);
        s->email.len = json_string_length(v);
    }

    return WJWT_VALID;
}


/* HMAC-SHA256 under PBKDF2(password, salt), base64url without padding */

static int
wjwt_session_iron_mac(const wjwt_str_t *password, const wjwt_str_t *salt,
    const unsigned char *msg, size_t msg_len, unsigned char *b64)
{
    int            rc;
    unsigned int   mlen;
    unsigned char  key[WJWT_IRON_KEY_LEN], mac[EVP_MAX_MD_SIZE];

    rc = -1;

    if (wjwt_session_pbkdf2(password, salt, key) != 0) {
        goto done;
    }

    if (HMAC(EVP_sha256(), key, sizeof(key), msg, msg_len, mac, &mlen)
        == NULL || mlen != WJWT_IRON_MAC_LEN)
    {
        goto done;
    }

    wjwt_b64url_encode(mac, WJWT_IRON_MAC_LEN, b64);
    rc = 0;

done:

    OPENSSL_cleanse(key, sizeof(key));
    OPENSSL_cleanse(mac, sizeof(mac));

    return rc;
}


/* AES-256-CBC with PKCS#7 padding under PBKDF2(password, salt) */

static int
wjwt_session_decrypt(const wjwt_str_t *password, const wjwt_str_t *salt,
    const unsigned char *iv, const unsigned char *in, size_t len,
    unsigned char *out, size_t *out_len)
{
    int              rc, n, m;
    unsigned char    key[WJWT_IRON_KEY_LEN];
    EVP_CIPHER_CTX  *ctx;

    rc = -1;

    if (len > INT_MAX - 32) {
        return -1;
    }

    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) {
        return -1;
    }

    if (wjwt_session_pbkdf2(password, salt, key) != 0) {
        goto done;
    }

    if (EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv) != 1
        || EVP_DecryptUpdate(ctx, out, &n, in, (int) len) != 1
        || EVP_DecryptFinal_ex(ctx, out + n, &m) != 1)
    {
        goto done;
    }

    *out_len = (size_t) n + (size_t) m;
    rc = 0;

done:

    OPENSSL_cleanse(key, sizeof(key));
    EVP_CIPHER_CTX_free(ctx);

    return rc;
}


/* iron's key: PBKDF2-HMAC-SHA1, the salt's text, 1 iteration, 32 bytes */

static int
wjwt_session_pbkdf2(const wjwt_str_t *password, const wjwt_str_t *salt,
    unsigned char *key)
{
    if (password->len > INT_MAX || salt->len > INT_MAX) {
        return -1;
    }

    if (PKCS5_PBKDF2_HMAC((const char *) password->data, (int) password->len,
                          salt->data, (int) salt->len, 1, EVP_sha1(),
                          WJWT_IRON_KEY_LEN, key)
        != 1)
    {
        return -1;
    }

    return 0;
}


/* empty, or decimal digits (ms); huge values saturate */

static int
wjwt_session_expiration(const wjwt_str_t *f, int64_t *exp)
{
    size_t  i;

    *exp = 0;

    for (i = 0; i < f->len; i++) {
        if (f->data[i] < '0' || f->data[i] > '9') {
            return -1;
        }

        *exp = (*exp < WJWT_IRON_MAX_EXP / 10)
               ? *exp * 10 + (f->data[i] - '0') : WJWT_IRON_MAX_EXP;
    }

    return 0;
}


/* base64 text, one '.', the MAC in 43 characters (or 44, the last '=') */

static int
wjwt_session_is_remix(const unsigned char *data, size_t len)
{
    size_t  i, dots, dot;

    dots = 0;
    dot = 0;

    for (i = 0; i < len; i++) {
        if (data[i] == '.') {
            dots++;
            dot = i;
            continue;
        }

        if (data[i] != '=' && data[i] != '+' && data[i] != '/'
            && !(data[i] >= '0' && data[i] <= '9')
            && !(data[i] >= 'A' && data[i] <= 'Z')
            && !(data[i] >= 'a' && data[i] <= 'z'))
        {
            return 0;
        }
    }

    return dots == 1 && dot > 0
           && (len - dot - 1 == WJWT_IRON_MAC_B64_LEN
               || (len - dot - 1 == WJWT_IRON_MAC_B64_LEN + 1
                   && data[len - 1] == '=' && data[len - 2] != '='));
}


/*
 * %XX escapes, as the cookie libraries' decodeURIComponent(); a broken
 * escape leaves the whole value as it was (WJWT_SESSION_BAD), as they do
 */

static size_t
wjwt_session_url_decode(const unsigned char *in, size_t len,
    unsigned char *out)
{
    int     hi, lo;
    size_t  i, n;

    n = 0;

    for (i = 0; i < len; i++) {
        if (in[i] != '%') {
            out[n++] = in[i];
            continue;
        }

        if (len - i < 3) {
            return WJWT_SESSION_BAD;
        }

        hi = wjwt_session_hex(in[i + 1]);
        lo = wjwt_session_hex(in[i + 2]);

        if (hi < 0 || lo < 0) {
            return WJWT_SESSION_BAD;
        }

        out[n++] = (unsigned char) (hi << 4 | lo);
        i += 2;
    }

    return n;
}


/*
 * Standard base64 as atob() reads it: '=' padding optional, unused
 * trailing bits ignored; out must hold len / 4 * 3 + 3 bytes
 */

static int
wjwt_session_b64_decode(const unsigned char *in, size_t len,
    unsigned char *out, size_t *out_len)
{
    int       c;
    size_t    i, n, bits;
    uint32_t  acc;

    if (len % 4 == 0 && len >= 2 && in[len - 1] == '=') {
        len -= (in[len - 2] == '=') ? 2 : 1;
    }

    if (len % 4 == 1) {
        return -1;
    }

    n = 0;
    acc = 0;
    bits = 0;

    for (i = 0; i < len; i++) {
        c = in[i];

        if (c >= 'A' && c <= 'Z') {
            c -= 'A';

        } else if (c >= 'a' && c <= 'z') {
            c -= 'a' - 26;

        } else if (c >= '0' && c <= '9') {
            c -= '0' - 52;

        } else if (c == '+' || c == '/') {
            c = (c == '+') ? 62 : 63;

        } else {
            return -1;
        }

        acc = (acc << 6) | (uint32_t) c;
        bits += 6;

        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char) (acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }

    *out_len = n;

    return 0;
}


/*
 * Walks the top-level object and overwrites the value of every
 * "refreshToken" member (also when its name is escaped) with blanks
 * that keep the JSON valid.  *at, *at_len: the value (quotes included)
 * of the last "accessToken" member, or length 0.  -1 when the text is
 * not one object followed by whitespace: the caller then rejects it
 * unparsed.
 */

static int
wjwt_session_blank(unsigned char *p, size_t len, size_t *at, size_t *at_len)
{
    int     match, access;
    size_t  i, key, val;

    *at = 0;
    *at_len = 0;

    i = wjwt_session_skip_ws(p, len, 0);

    if (i == len || p[i] != '{') {
        return -1;
    }

    i = wjwt_session_skip_ws(p, len, i + 1);

    if (i < len && p[i] == '}') {
        goto tail;
    }

    for ( ;; ) {
        if (i == len || p[i] != '"') {
            return -1;
        }

        key = i;
        i = wjwt_session_skip_string(p, len, i);

        if (i == WJWT_SESSION_BAD) {
            return -1;
        }

        match = wjwt_session_key_is(p + key + 1, i - key - 2,
                                    "refreshToken");
        access = !match && wjwt_session_key_is(p + key + 1, i - key - 2,
                                               "accessToken");

        i = wjwt_session_skip_ws(p, len, i);

        if (i == len || p[i] != ':') {
            return -1;
        }

        val = wjwt_session_skip_ws(p, len, i + 1);
        i = wjwt_session_skip_value(p, len, val);

        if (i == WJWT_SESSION_BAD) {
            return -1;
        }

        if (access) {
            *at = val;
            *at_len = i - val;
        }

        if (match) {
            if (p[val] == '"') {
                memset(p + val + 1, ' ', i - val - 2);

            } else {
                p[val] = '0';
                memset(p + val + 1, ' ', i - val - 1);
            }
        }

        i = wjwt_session_skip_ws(p, len, i);

        if (i == len) {
            return -1;
        }

        if (p[i] == '}') {
            break;
        }

        if (p[i] != ',') {
            return -1;
        }

        i = wjwt_session_skip_ws(p, len, i + 1);
    }

tail:

    return (wjwt_session_skip_ws(p, len, i + 1) == len) ? 0 : -1;
}


/*
 * A string value (at, at_len: quotes included) of base64url characters
 * and dots (a JWS: no escape, no byte Jansson would read otherwise) as a
 * new JSON string, cut from text, which keeps "" in its place; NULL,
 * text untouched, for anything else (Jansson reads it)
 */

static json_t *
wjwt_session_lift(unsigned char *text, size_t *len, size_t at,
    size_t at_len)
{
    size_t          i;
    json_t         *v;
    unsigned char  *p;

    p = text + at;

    if (at_len < 3 || p[0] != '"' || p[at_len - 1] != '"') {
        return NULL;
    }

    for (i = 1; i < at_len - 1; i++) {
        if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z')
              || (p[i] >= '0' && p[i] <= '9')
              || p[i] == '-' || p[i] == '_' || p[i] == '.'))
        {
            return NULL;
        }
    }

    v = json_stringn_nocheck((const char *) p + 1, at_len - 2);

    if (v != NULL) {
        memmove(p + 1, p + at_len - 1, *len - at - at_len + 1);
        *len -= at_len - 2;
    }

    return v;
}


static size_t
wjwt_session_skip_ws(const unsigned char *p, size_t len, size_t i)
{
    while (i < len
           && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
    {
        i++;
    }

    return i;
}


/* p[i] is '"': the index after the closing quote */

static size_t
wjwt_session_skip_string(const unsigned char *p, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (p[i] == '\\') {
            i++;
            continue;
        }

        if (p[i] == '"') {
            return i + 1;
        }
    }

    return WJWT_SESSION_BAD;
}


/*
 * The index after one value; nested objects and arrays are skipped by
 * counting brackets outside strings, without recursion
 */

static size_t
wjwt_session_skip_value(const unsigned char *p, size_t len, size_t i)
{
    size_t  depth, start;

    if (i >= len) {
        return WJWT_SESSION_BAD;
    }

    if (p[i] == '"') {
        return wjwt_session_skip_string(p, len, i);
    }

    if (p[i] == '{' || p[i] == '[') {
        depth = 0;

        while (i < len) {
            if (p[i] == '"') {
                i = wjwt_session_skip_string(p, len, i);

                if (i == WJWT_SESSION_BAD) {
                    return WJWT_SESSION_BAD;
                }

                continue;
            }

            if (p[i] == '{' || p[i] == '[') {
                depth++;

            } else if (p[i] == '}' || p[i] == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
            }

            i++;
        }

        return WJWT_SESSION_BAD;
    }

    /* a number, true, false or null */

    start = i;

    while (i < len && p[i] != ',' && p[i] != '}' && p[i] != ']'
           && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r'
           && p[i] != '{' && p[i] != '[' && p[i] != '"' && p[i] != ':')
    {
        i++;
    }

    return (i > start) ? i : WJWT_SESSION_BAD;
}


/* the raw text of a member name, escapes decoded, equals name */

static int
wjwt_session_key_is(const unsigned char *p, size_t len, const char *name)
{
    int     c, h;
    size_t  i, k, j;

    k = 0;

    for (i = 0; i < len; i++) {
        c = p[i];

        if (c == '\\') {
            if (++i == len) {
                return 0;
            }

            switch (p[i]) {

            case '"':
            case '\\':
            case '/':
                c = p[i];
                break;

            case 'u':
                if (len - i < 5) {
                    return 0;
                }

                c = 0;

                for (j = 1; j <= 4; j++) {
                    h = wjwt_session_hex(p[i + j]);

                    if (h < 0) {
                        return 0;
                    }

                    c = c << 4 | h;
                }

                i += 4;
                break;

            default:

                /* \b \f \n \r \t never appear in the name */

                return 0;
            }
        }

        if (name[k] == '\0' || c != (unsigned char) name[k]) {
            return 0;
        }

        k++;
    }

    return name[k] == '\0';
}


static int
wjwt_session_hex(unsigned c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }

    c |= 0x20;

    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }

    return -1;
}


static int
wjwt_session_error(char *err, size_t err_size, const char *text)
{
    if (err != NULL && err_size > 0) {
        snprintf(err, err_size, "%s", text);
    }

    return WJWT_MALFORMED;
}
