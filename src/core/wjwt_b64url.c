
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <string.h>

#include "wjwt.h"


/*
 * The decoding tables: wjwt_b64url_bits[k][c] is the 6-bit value of the
 * character c placed where the k-th character of a 4-character group
 * puts it in the 24-bit group (bits 18, 12, 6, 0), or WJWT_B64URL_BAD
 * when c is not in the base64url alphabet, so that one OR of four
 * lookups gives the 3 bytes and one test finds any invalid character.
 */

#define WJWT_B64URL_BAD         0x80000000u

#define wjwt_b64url_val(c)                                                    \
    (((c) >= 'A' && (c) <= 'Z') ? (c) - 'A'                                   \
     : ((c) >= 'a' && (c) <= 'z') ? (c) - 'a' + 26                            \
     : ((c) >= '0' && (c) <= '9') ? (c) - '0' + 52                            \
     : ((c) == '-') ? 62 : ((c) == '_') ? 63 : -1)

#define wjwt_b64url_entry(c, s)                                               \
    ((wjwt_b64url_val(c) < 0) ? WJWT_B64URL_BAD                               \
     : (uint32_t) wjwt_b64url_val(c) << (s))

#define wjwt_b64url_4(c, s)                                                   \
    wjwt_b64url_entry(c, s), wjwt_b64url_entry((c) + 1, s),                   \
    wjwt_b64url_entry((c) + 2, s), wjwt_b64url_entry((c) + 3, s)

#define wjwt_b64url_16(c, s)                                                  \
    wjwt_b64url_4(c, s), wjwt_b64url_4((c) + 4, s),                           \
    wjwt_b64url_4((c) + 8, s), wjwt_b64url_4((c) + 12, s)

#define wjwt_b64url_64(c, s)                                                  \
    wjwt_b64url_16(c, s), wjwt_b64url_16((c) + 16, s),                        \
    wjwt_b64url_16((c) + 32, s), wjwt_b64url_16((c) + 48, s)

#define wjwt_b64url_256(s)                                                    \
    { wjwt_b64url_64(0, s), wjwt_b64url_64(64, s),                            \
      wjwt_b64url_64(128, s), wjwt_b64url_64(192, s) }

/* one 4-character group: 24 bits, or WJWT_B64URL_BAD set */
#define wjwt_b64url_group(s)                                                  \
    (wjwt_b64url_bits[0][(s)[0]] | wjwt_b64url_bits[1][(s)[1]]                \
     | wjwt_b64url_bits[2][(s)[2]] | wjwt_b64url_bits[3][(s)[3]])


static void wjwt_b64url_put8(unsigned char *p, uint32_t a, uint32_t b);


static const char  wjwt_b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const uint32_t  wjwt_b64url_bits[4][256] = {
    wjwt_b64url_256(18),
    wjwt_b64url_256(12),
    wjwt_b64url_256(6),
    wjwt_b64url_256(0)
};


int
wjwt_b64url_decode(const unsigned char *in, size_t len, unsigned char *out,
    size_t *out_len)
{
    uint32_t              a, b, c, d;
    unsigned char        *p;
    const unsigned char  *last, *end;

    if (len % 4 == 1) {
        return -1;
    }

    p = out;
    last = in + len;
    end = last - len % 4;

    /*
     * four groups at a time with one test; an 8-byte store writes 2 bytes
     * past its 6, so the loop needs 3 more characters (2 more bytes) after
     */

    while (last - in >= 16 + 3) {
        a = wjwt_b64url_group(in);
        b = wjwt_b64url_group(in + 4);
        c = wjwt_b64url_group(in + 8);
        d = wjwt_b64url_group(in + 12);

        if ((a | b | c | d) & WJWT_B64URL_BAD) {
            return -1;
        }

        wjwt_b64url_put8(p, a, b);
        wjwt_b64url_put8(p + 6, c, d);

        in += 16;
        p += 12;
    }

    while (in != end) {
        a = wjwt_b64url_group(in);

        if (a & WJWT_B64URL_BAD) {
            return -1;
        }

        p[0] = (unsigned char) (a >> 16);
        p[1] = (unsigned char) (a >> 8);
        p[2] = (unsigned char) a;

        in += 4;
        p += 3;
    }

    /* canonical form: the unused trailing bits must be zero */

    switch (len % 4) {

    case 2:
        a = wjwt_b64url_bits[0][in[0]] | wjwt_b64url_bits[1][in[1]];

        if (a & (WJWT_B64URL_BAD | 0xffff)) {
            return -1;
        }

        p[0] = (unsigned char) (a >> 16);
        p += 1;
        break;

    case 3:
        a = wjwt_b64url_bits[0][in[0]] | wjwt_b64url_bits[1][in[1]]
            | wjwt_b64url_bits[2][in[2]];

        if (a & (WJWT_B64URL_BAD | 0xff)) {
            return -1;
        }

        p[0] = (unsigned char) (a >> 16);
        p[1] = (unsigned char) (a >> 8);
        p += 2;
        break;

    default:
        break;
    }

    *out_len = (size_t) (p - out);

    return 0;
}


/* the 6 bytes of groups a and b, and 2 bytes of zeros */

static void
wjwt_b64url_put8(unsigned char *p, uint32_t a, uint32_t b)
{
    uint64_t  x;

    x = ((uint64_t) a << 40) | ((uint64_t) b << 16);

#if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
    x = __builtin_bswap64(x);
#endif

    memcpy(p, &x, 8);
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
