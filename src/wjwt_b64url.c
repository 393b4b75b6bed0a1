
/*
 * Copyright (C) ngx_http_workos_jwt_module authors
 */


#include "wjwt.h"


static const char  wjwt_b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";


static int
wjwt_b64url_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }

    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }

    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }

    if (c == '-') {
        return 62;
    }

    if (c == '_') {
        return 63;
    }

    return -1;
}


int
wjwt_b64url_decode(const unsigned char *in, size_t len, unsigned char *out,
    size_t *out_len)
{
    int            v;
    size_t         i, n;
    uint32_t       acc;
    unsigned int   bits;

    if (len % 4 == 1) {
        return -1;
    }

    acc = 0;
    bits = 0;
    n = 0;

    for (i = 0; i < len; i++) {
        v = wjwt_b64url_value(in[i]);
        if (v < 0) {
            return -1;
        }

        acc = (acc << 6) | (uint32_t) v;
        bits += 6;

        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char) (acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }

    /* canonical form: the unused trailing bits must be zero */

    if (acc != 0) {
        return -1;
    }

    *out_len = n;

    return 0;
}


size_t
wjwt_b64url_encode(const unsigned char *in, size_t len, unsigned char *out)
{
    size_t          i, n;
    uint32_t        acc;

    n = 0;

    for (i = 0; i + 3 <= len; i += 3) {
        acc = ((uint32_t) in[i] << 16) | ((uint32_t) in[i + 1] << 8)
              | in[i + 2];
        out[n++] = wjwt_b64url_alphabet[(acc >> 18) & 0x3f];
        out[n++] = wjwt_b64url_alphabet[(acc >> 12) & 0x3f];
        out[n++] = wjwt_b64url_alphabet[(acc >> 6) & 0x3f];
        out[n++] = wjwt_b64url_alphabet[acc & 0x3f];
    }

    if (len - i == 1) {
        acc = (uint32_t) in[i] << 16;
        out[n++] = wjwt_b64url_alphabet[(acc >> 18) & 0x3f];
        out[n++] = wjwt_b64url_alphabet[(acc >> 12) & 0x3f];

    } else if (len - i == 2) {
        acc = ((uint32_t) in[i] << 16) | ((uint32_t) in[i + 1] << 8);
        out[n++] = wjwt_b64url_alphabet[(acc >> 18) & 0x3f];
        out[n++] = wjwt_b64url_alphabet[(acc >> 12) & 0x3f];
        out[n++] = wjwt_b64url_alphabet[(acc >> 6) & 0x3f];
    }

    return n;
}
