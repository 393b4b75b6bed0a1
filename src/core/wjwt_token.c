
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <stdlib.h>
#include <string.h>

#include "wjwt.h"


static json_t *wjwt_token_decode_object(const unsigned char *data,
    size_t len, unsigned char *buf, int *b64_ok);
static int wjwt_token_header(wjwt_token_t *t);


int
wjwt_token_parse(wjwt_token_t *t, const unsigned char *data, size_t len,
    size_t max_len)
{
    int                   rc, header_ok, payload_ok;
    size_t                hlen, plen, slen;
    unsigned char        *buf;
    const unsigned char  *dot1, *dot2, *p, *end;

    memset(t, 0, sizeof(wjwt_token_t));
    t->alg = WJWT_ALG_UNKNOWN;

    if (data == NULL || len == 0 || len > max_len) {
        return WJWT_MALFORMED;
    }

    t->raw.data = data;
    t->raw.len = len;

    end = data + len;
    dot2 = NULL;

    dot1 = memchr(data, '.', len);
    if (dot1 != NULL) {
        dot2 = memchr(dot1 + 1, '.', (size_t) (end - dot1 - 1));
    }

    rc = WJWT_MALFORMED;

    if (dot2 != NULL && memchr(dot2 + 1, '.', (size_t) (end - dot2 - 1))
                        == NULL)
    {
        rc = WJWT_VALID;
    }

    /*
     * one buffer for every segment, the signature last: it becomes t->sig
     */

    buf = malloc(wjwt_b64url_decoded_max(len));
    if (buf == NULL) {
        return WJWT_MALFORMED;
    }

    /* decode header and payload as far as possible, even when malformed */

    hlen = (dot1 != NULL) ? (size_t) (dot1 - data) : len;

    t->header = wjwt_token_decode_object(data, hlen, buf, &header_ok);
    if (t->header == NULL) {
        rc = WJWT_MALFORMED;
    }

    payload_ok = 0;

    if (dot1 != NULL) {
        p = dot1 + 1;
        plen = (dot2 != NULL) ? (size_t) (dot2 - p) : (size_t) (end - p);
        t->claims = wjwt_token_decode_object(p, plen, buf, &payload_ok);
    }

    if (t->header != NULL && wjwt_token_header(t) != WJWT_VALID) {
        rc = WJWT_MALFORMED;
    }

    if (rc != WJWT_VALID || !payload_ok) {
        free(buf);
        return WJWT_MALFORMED;
    }

    /*
     * a well-formed JWS so far; signing_input is set even if the payload
     * is not a JSON object, which keeps JWS-level checks possible
     */

    p = dot2 + 1;
    slen = (size_t) (end - p);

    if (slen == 0) {
        free(buf);

    } else {
        t->sig = buf;

        if (wjwt_b64url_decode(p, slen, t->sig, &t->sig_len) != 0) {
            t->sig_len = 0;
            return WJWT_MALFORMED;
        }
    }

    t->signing_input.data = data;
    t->signing_input.len = (size_t) (dot2 - data);

    return (t->claims != NULL) ? WJWT_VALID : WJWT_MALFORMED;
}


/*
 * The header members the token keeps: "alg" a string, "kid" and "typ"
 * strings when present, no "crit"; all are read even when one is bad
 */

static int
wjwt_token_header(wjwt_token_t *t)
{
    int      rc;
    json_t  *v;

    rc = WJWT_VALID;

    v = json_object_get(t->header, "alg");
    if (json_is_string(v)) {
        t->alg_name = json_string_value(v);
        t->alg = wjwt_alg_from_name((const unsigned char *) t->alg_name,
                                    json_string_length(v));

    } else {
        rc = WJWT_MALFORMED;
    }

    v = json_object_get(t->header, "kid");
    if (json_is_string(v)) {
        t->kid = json_string_value(v);
        t->kid_len = json_string_length(v);

    } else if (v != NULL) {
        rc = WJWT_MALFORMED;
    }

    v = json_object_get(t->header, "typ");
    if (json_is_string(v)) {
        t->typ = json_string_value(v);

    } else if (v != NULL) {
        rc = WJWT_MALFORMED;
    }

    if (json_object_get(t->header, "crit") != NULL) {
        rc = WJWT_MALFORMED;
    }

    return rc;
}


/*
 * *b64_ok: the segment is canonical base64url (an empty one is); buf holds
 * wjwt_b64url_decoded_max(len) bytes
 */

static json_t *
wjwt_token_decode_object(const unsigned char *data, size_t len,
    unsigned char *buf, int *b64_ok)
{
    json_t  *v;
    size_t   n;

    *b64_ok = 0;

    if (wjwt_b64url_decode(data, len, buf, &n) != 0) {
        return NULL;
    }

    *b64_ok = 1;

    if (n == 0) {
        return NULL;
    }

    v = wjwt_json_parse(buf, n, NULL, 0);

    if (v != NULL && !json_is_object(v)) {
        json_decref(v);
        return NULL;
    }

    return v;
}


void
wjwt_token_free(wjwt_token_t *t)
{
    if (t->header != NULL) {
        json_decref(t->header);
    }

    if (t->claims != NULL) {
        json_decref(t->claims);
    }

    free(t->sig);

    t->header = NULL;
    t->claims = NULL;
    t->sig = NULL;
    t->sig_len = 0;
    t->alg_name = NULL;
    t->kid = NULL;
    t->kid_len = 0;
    t->typ = NULL;
}


int
wjwt_token_digest(const unsigned char *data, size_t len,
    const EVP_MD *sha256, unsigned char *digest)
{
    if (EVP_Digest(data, len, digest, NULL,
                   (sha256 != NULL) ? sha256 : EVP_sha256(), NULL)
        != 1)
    {
        return -1;
    }

    return 0;
}
