
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Own cases: base64url, strict JSON, token syntax, JWKS loading and
 * token verification with keys generated here.
 */


#include <wjwt.h>
#include <openssl/err.h>

#include "tap.h"
#include "keys.h"


#define ALL_ALGS  ((1u << WJWT_ALG_COUNT) - 1)


typedef struct {
    int                    warnings;
    char                   last_kid[64];
    int                    last_kid_null;
    char                   last_reason[128];
} warn_log_t;


static void
warn_handler(void *data, const char *kid, const char *reason)
{
    warn_log_t  *log = data;

    log->warnings++;
    log->last_kid_null = (kid == NULL);
    snprintf(log->last_kid, sizeof(log->last_kid), "%s", kid ? kid : "");
    snprintf(log->last_reason, sizeof(log->last_reason), "%s", reason);
}



static int
parse_str(wjwt_token_t *t, const char *s)
{
    return wjwt_token_parse(t, (const unsigned char *) s, strlen(s), 16384);
}


static int
parse_parts(const char *header, const char *payload, const char *sig)
{
    int           rc;
    char          buf[4096];
    wjwt_token_t  t;

    snprintf(buf, sizeof(buf), "%s.%s.%s", b64str(header), b64str(payload),
             sig);
    rc = parse_str(&t, buf);
    wjwt_token_free(&t);

    return rc;
}


static json_t *
jparse(const char *s)
{
    return wjwt_json_parse((const unsigned char *) s, strlen(s), NULL, 0);
}


static int
jparse_ok(const char *s, size_t len)
{
    char     err[128];
    json_t  *v;

    v = wjwt_json_parse((const unsigned char *) s, len, err, sizeof(err));
    if (v == NULL) {
        return 0;
    }

    json_decref(v);

    return 1;
}


static const char *
printable(const char *s)
{
    static char  buf[64];
    size_t       i;

    for (i = 0; s[i] != '\0' && i < sizeof(buf) - 1; i++) {
        buf[i] = (s[i] < 0x20) ? '?' : s[i];
    }

    buf[i] = '\0';

    return buf;
}


static void
test_b64url(void)
{
    int            i;
    size_t         n, m, len;
    unsigned char  raw[64], enc[128], dec[128];

    static const struct {
        const char  *in;
        const char  *out;     /* NULL: must fail */
    } cases[] = {
        { "", "" },
        { "QQ", "A" },
        { "QUI", "AB" },
        { "QUJD", "ABC" },
        { "YWJjZA", "abcd" },
        { "QR", NULL },            /* unused trailing bits not zero */
        { "QUJ", NULL },           /* same, two spare bits */
        { "QQ==", NULL },          /* padding */
        { "QQ=", NULL },
        { "Q", NULL },             /* len % 4 == 1 */
        { "QUJDR", NULL },
        { "a+b/", NULL },          /* standard alphabet */
        { "QU JD", NULL },         /* whitespace */
        { "QUJD\n", NULL },
        { "QUJD.", NULL },
        { "QU\0D", NULL }
    };

    for (i = 0; i < (int) (sizeof(cases) / sizeof(cases[0])); i++) {
        len = strlen(cases[i].in);
        if (i == (int) (sizeof(cases) / sizeof(cases[0])) - 1) {
            len = 4;
        }

        n = 0;
        m = wjwt_b64url_decode((const unsigned char *) cases[i].in, len, dec,
                               &n);

        if (cases[i].out == NULL) {
            ok(m != 0, "b64url: case %d \"%s\" rejected", i,
               printable(cases[i].in));

        } else {
            ok(m == 0 && n == strlen(cases[i].out)
               && memcmp(dec, cases[i].out, n) == 0,
               "b64url: case %d \"%s\" decodes", i, printable(cases[i].in));
        }
    }

    raw[0] = 0xfb;
    raw[1] = 0xff;
    n = wjwt_b64url_encode(raw, 2, enc);
    ok(n == 3 && memcmp(enc, "-_8", 3) == 0, "b64url: encodes with - and _");

    /* round trips over every length and byte value */

    for (i = 0; i < 64; i++) {
        raw[i] = (unsigned char) (i * 37 + 11);
    }

    m = 0;

    for (len = 0; len <= 64; len++) {
        n = wjwt_b64url_encode(raw, len, enc);

        if (n != wjwt_b64url_encoded_len(len)
            || wjwt_b64url_decode(enc, n, dec, &m) != 0
            || m != len || memcmp(dec, raw, len) != 0
            || wjwt_b64url_decoded_max(n) < len)
        {
            break;
        }
    }

    ok(len == 65, "b64url: round trip for lengths 0..64");
}


static void
test_json(void)
{
    int      i;
    char     deep[256];
    json_t  *v;

    ok(jparse_ok("{\"a\":1,\"b\":[true,null]}", 23), "json: plain object");
    ok(!jparse_ok("{\"a\":1,\"a\":2}", 13), "json: duplicate member");
    ok(!jparse_ok("{\"a\":{\"b\":1,\"b\":1}}", 19),
       "json: nested duplicate member");
    ok(!jparse_ok("{\"a\":\"\\u0000\"}", 14), "json: \\u0000");
    ok(!jparse_ok("{\"a\":\"\xff\"}", 9), "json: invalid UTF-8");
    ok(!jparse_ok("{\"a\":\"\xc0\xaf\"}", 10), "json: overlong UTF-8");
    ok(!jparse_ok("{\"a\":\"\xed\xa0\x80\"}", 11),
       "json: UTF-8 encoded surrogate");
    ok(!jparse_ok("{\"a\":\"\\ud800\"}", 14), "json: lone high surrogate");
    ok(!jparse_ok("{\"a\":\"\\udc00\"}", 14), "json: lone low surrogate");
    ok(jparse_ok("{\"a\":\"\\ud83d\\ude00\"}", 20),
       "json: surrogate pair");
    ok(!jparse_ok("{\"a\":1} x", 9), "json: trailing data");
    ok(!jparse_ok("{}{}", 4), "json: two values");
    ok(jparse_ok("{} \n", 4), "json: trailing whitespace");
    ok(!jparse_ok("{}\0", 3), "json: trailing NUL byte");
    ok(!jparse_ok("{\"a\":\"x\0y\"}", 11), "json: raw NUL in a string");
    ok(!jparse_ok("", 0), "json: empty");

    /* depth: the outer object is level 1 */

    for (i = 0; i < 31; i++) {
        deep[i] = '[';
    }

    snprintf(deep + 31, sizeof(deep) - 31, "1");

    for (i = 0; i < 31; i++) {
        strcat(deep, "]");
    }

    ok(jparse_ok(deep, strlen(deep)), "json: 31 nested arrays");

    memmove(deep + 1, deep, strlen(deep) + 1);
    deep[0] = '[';
    strcat(deep, "]");
    ok(jparse_ok(deep, strlen(deep)), "json: 32 levels");

    memmove(deep + 1, deep, strlen(deep) + 1);
    deep[0] = '[';
    strcat(deep, "]");
    ok(!jparse_ok(deep, strlen(deep)), "json: 33 levels rejected");

    deep[0] = '\0';

    for (i = 0; i < 32; i++) {
        strcat(deep, "{\"a\":");
    }

    strcat(deep, "1");

    for (i = 0; i < 32; i++) {
        strcat(deep, "}");
    }

    ok(jparse_ok(deep, strlen(deep)), "json: 32 nested objects");

    v = jparse("{\"a\":[{\"b\":[{\"c\":[]}]}]}");
    ok(v != NULL, "json: mixed nesting");
    json_decref(v);

    {
        static char  big[40 * 6 + 16];

        big[0] = '\0';

        for (i = 0; i < 33; i++) {
            strcat(big, "{\"a\":");
        }

        strcat(big, "1");

        for (i = 0; i < 33; i++) {
            strcat(big, "}");
        }

        ok(!jparse_ok(big, strlen(big)), "json: 33 nested objects rejected");
    }
}


static void
test_token_parse(void)
{
    int           rc;
    char          buf[4096];
    wjwt_token_t  t;

    static const char  *claims = "{\"sub\":\"user_1\",\"exp\":2000000000}";

    snprintf(buf, sizeof(buf), "%s.%s.%s",
             b64str("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}"),
             b64str(claims), b64str("sig"));
    rc = parse_str(&t, buf);
    is_int(rc, WJWT_VALID, "token: well-formed");
    is_int(t.alg, WJWT_RS256, "token: alg RS256");
    is_str(t.alg_name, "RS256", "token: alg_name");
    ok(t.kid_len == 2 && memcmp(t.kid, "k1", 2) == 0, "token: kid");
    is_str(t.typ, "JWT", "token: typ");
    ok(t.sig_len == 3 && memcmp(t.sig, "sig", 3) == 0, "token: sig");
    ok(t.signing_input.len == (size_t) (strrchr(buf, '.') - buf)
       && t.signing_input.data == (unsigned char *) buf,
       "token: signing input is header.payload");
    ok(t.raw.len == strlen(buf), "token: raw");
    ok(json_is_object(t.claims) && json_is_object(t.header),
       "token: header and claims decoded");
    wjwt_token_free(&t);

    /* size limit */

    rc = wjwt_token_parse(&t, (unsigned char *) buf, strlen(buf),
                          strlen(buf));
    is_int(rc, WJWT_VALID, "token: len == max_len");
    wjwt_token_free(&t);

    rc = wjwt_token_parse(&t, (unsigned char *) buf, strlen(buf),
                          strlen(buf) - 1);
    is_int(rc, WJWT_MALFORMED, "token: len > max_len");
    wjwt_token_free(&t);

    rc = wjwt_token_parse(&t, (unsigned char *) "", 0, 100);
    is_int(rc, WJWT_MALFORMED, "token: empty");
    wjwt_token_free(&t);

    /* segments */

    snprintf(buf, sizeof(buf), "%s.%s", b64str("{\"alg\":\"RS256\"}"),
             b64str(claims));
    rc = parse_str(&t, buf);
    is_int(rc, WJWT_MALFORMED, "token: 2 segments");
    ok(t.header != NULL && t.claims != NULL,
       "token: 2 segments still decoded for inspect");
    wjwt_token_free(&t);

    snprintf(buf, sizeof(buf), "%s.%s.%s.%s",
             b64str("{\"alg\":\"RS256\"}"), b64str(claims), b64str("s"),
             b64str("x"));
    is_int(parse_str(&t, buf), WJWT_MALFORMED, "token: 4 segments");
    wjwt_token_free(&t);

    snprintf(buf, sizeof(buf), "%s.%s.%s.%s.%s",
             b64str("{\"alg\":\"RS256\",\"enc\":\"A128GCM\"}"), "", "AAAA",
             b64str("x"), "AAAA");
    is_int(parse_str(&t, buf), WJWT_MALFORMED, "token: 5 segments (JWE)");
    wjwt_token_free(&t);

    is_int(parse_str(&t, "abc"), WJWT_MALFORMED, "token: 1 segment");
    wjwt_token_free(&t);

    snprintf(buf, sizeof(buf), ".%s.%s", b64str(claims), b64str("s"));
    rc = parse_str(&t, buf);
    is_int(rc, WJWT_MALFORMED, "token: empty header segment");
    ok(t.claims != NULL, "token: claims decoded despite empty header");
    wjwt_token_free(&t);

    snprintf(buf, sizeof(buf), "%s..%s", b64str("{\"alg\":\"RS256\"}"),
             b64str("s"));
    rc = parse_str(&t, buf);
    is_int(rc, WJWT_MALFORMED, "token: empty payload segment");
    ok(t.header != NULL && t.claims == NULL && t.signing_input.len > 0,
       "token: empty payload, JWS signing input still set");
    wjwt_token_free(&t);

    /* empty signature segment: syntax ok, verification fails later */

    snprintf(buf, sizeof(buf), "%s.%s.", b64str("{\"alg\":\"RS256\"}"),
             b64str(claims));
    rc = parse_str(&t, buf);
    is_int(rc, WJWT_VALID, "token: empty signature parses");
    is_int(t.sig_len, 0, "token: empty signature, sig_len 0");
    wjwt_token_free(&t);
}


static void
test_token_header(void)
{
    int           rc;
    char          buf[4096];
    wjwt_token_t  t;

    static const char  *claims = "{\"sub\":\"user_1\",\"exp\":2000000000}";

    /* header members */

    is_int(parse_parts("{\"alg\":\"RS256\",\"crit\":[\"exp\"]}", claims,
                       "AAAA"),
           WJWT_MALFORMED, "token: crit");
    is_int(parse_parts("{\"alg\":\"RS256\",\"crit\":null}", claims, "AAAA"),
           WJWT_MALFORMED, "token: crit null");
    is_int(parse_parts("{\"alg\":\"RS256\",\"kid\":1}", claims, "AAAA"),
           WJWT_MALFORMED, "token: kid number");
    is_int(parse_parts("{\"alg\":\"RS256\",\"kid\":null}", claims, "AAAA"),
           WJWT_MALFORMED, "token: kid null");
    is_int(parse_parts("{\"alg\":\"RS256\",\"typ\":null}", claims, "AAAA"),
           WJWT_MALFORMED, "token: typ null");
    is_int(parse_parts("{\"alg\":\"RS256\",\"typ\":[\"JWT\"]}", claims,
                       "AAAA"),
           WJWT_MALFORMED, "token: typ array");
    is_int(parse_parts("{\"kid\":\"k\"}", claims, "AAAA"), WJWT_MALFORMED,
           "token: no alg");
    is_int(parse_parts("{\"alg\":null}", claims, "AAAA"), WJWT_MALFORMED,
           "token: alg null");
    is_int(parse_parts("{\"alg\":256}", claims, "AAAA"), WJWT_MALFORMED,
           "token: alg number");
    is_int(parse_parts("[\"RS256\"]", claims, "AAAA"), WJWT_MALFORMED,
           "token: header array");
    is_int(parse_parts("{\"alg\":\"RS256\",\"alg\":\"RS256\"}", claims,
                       "AAAA"),
           WJWT_MALFORMED, "token: duplicate header member");
    is_int(parse_parts("{\"alg\":\"RS256\"}", "[1,2]", "AAAA"),
           WJWT_MALFORMED, "token: payload array");
    is_int(parse_parts("{\"alg\":\"RS256\"}", "\"text\"", "AAAA"),
           WJWT_MALFORMED, "token: payload string");
    is_int(parse_parts("{\"alg\":\"RS256\"}", "hello", "AAAA"),
           WJWT_MALFORMED, "token: payload not JSON");
    is_int(parse_parts("{\"alg\":\"RS256\"}", "{\"a\":\"\\u0000\"}",
                       "AAAA"),
           WJWT_MALFORMED, "token: payload with \\u0000");

    rc = parse_parts("{\"alg\":\"RS256\",\"crit\":[\"x\"]}", claims, "AAAA");
    snprintf(buf, sizeof(buf), "%s.%s.AAAA",
             b64str("{\"alg\":\"RS256\",\"crit\":[\"x\"]}"), b64str(claims));
    rc = parse_str(&t, buf);
    ok(rc == WJWT_MALFORMED && t.claims != NULL && t.header != NULL,
       "token: malformed header still fills header and claims");
    wjwt_token_free(&t);

    /* base64url in segments */

    is_int(parse_parts("{\"alg\":\"RS256\"}", claims, "AAA="),
           WJWT_MALFORMED, "token: padded signature");
    is_int(parse_parts("{\"alg\":\"RS256\"}", claims, "A+A/"),
           WJWT_MALFORMED, "token: + and / in signature");
    is_int(parse_parts("{\"alg\":\"RS256\"}", claims, "AB"),
           WJWT_MALFORMED, "token: non-canonical signature");

    snprintf(buf, sizeof(buf), "%s=.%s.AAAA", b64str("{\"alg\":\"RS256\"}"),
             b64str(claims));
    is_int(parse_str(&t, buf), WJWT_MALFORMED, "token: padded header");
    wjwt_token_free(&t);

    snprintf(buf, sizeof(buf), "%s.%s .AAAA", b64str("{\"alg\":\"RS256\"}"),
             b64str(claims));
    is_int(parse_str(&t, buf), WJWT_MALFORMED, "token: space in payload");
    wjwt_token_free(&t);
}


static void
test_token_alg(void)
{
    int           rc;
    char          buf[4096];
    wjwt_token_t  t;

    static const char  *claims = "{\"sub\":\"user_1\",\"exp\":2000000000}";

    /* alg names: exact, "none" and HMAC unknown */

    snprintf(buf, sizeof(buf), "%s.%s.", b64str("{\"alg\":\"none\"}"),
             b64str(claims));
    rc = parse_str(&t, buf);
    ok(rc == WJWT_VALID && t.alg == WJWT_ALG_UNKNOWN,
       "token: alg none parses as unknown");
    is_int(wjwt_token_verify(&t, NULL, ALL_ALGS, NULL), WJWT_ALG_NOT_ALLOWED,
           "token: alg none not allowed");
    wjwt_token_free(&t);

    snprintf(buf, sizeof(buf), "%s.%s.", b64str("{\"alg\":\"NONE\"}"),
             b64str(claims));
    rc = parse_str(&t, buf);
    is_int(wjwt_token_verify(&t, NULL, ALL_ALGS, NULL), WJWT_ALG_NOT_ALLOWED,
           "token: alg NONE not allowed");
    wjwt_token_free(&t);

    is_int(wjwt_alg_from_name((unsigned char *) "HS256", 5),
           WJWT_ALG_UNKNOWN, "alg: HS256 unknown");
    is_int(wjwt_alg_from_name((unsigned char *) "rs256", 5),
           WJWT_ALG_UNKNOWN, "alg: rs256 unknown (case)");
    is_int(wjwt_alg_from_name((unsigned char *) "RS2560", 6),
           WJWT_ALG_UNKNOWN, "alg: RS2560 unknown");
    is_int(wjwt_alg_from_name((unsigned char *) "EdDSA", 5), WJWT_EDDSA,
           "alg: EdDSA");
    is_int(wjwt_alg_from_name((unsigned char *) "PS384", 5), WJWT_PS384,
           "alg: PS384");
    is_str(wjwt_alg_name(WJWT_ES512), "ES512", "alg: name ES512");
    ok(wjwt_alg_name(WJWT_ALG_UNKNOWN) == NULL, "alg: name of unknown NULL");

    /* a kid with any characters is kept exactly */

    snprintf(buf, sizeof(buf), "%s.%s.",
             b64str("{\"alg\":\"RS256\",\"kid\":\"a\\\"b/c\\u00e9 .\"}"),
             b64str(claims));
    rc = parse_str(&t, buf);
    ok(rc == WJWT_VALID && t.kid_len == 9
       && memcmp(t.kid, "a\"b/c\xc3\xa9 .", 9) == 0,
       "token: kid with quote, slash, UTF-8, space and dot");
    wjwt_token_free(&t);
}


static int
add_keys(wjwt_keyset_t *ks, const char *text, warn_log_t *log)
{
    char  err[256];

    memset(log, 0, sizeof(warn_log_t));

    return wjwt_keyset_add_json(ks, (const unsigned char *) text,
                                strlen(text), warn_handler, log, err,
                                sizeof(err));
}


/* one JWKS with the given JWKs */
static int
add_set(wjwt_keyset_t *ks, warn_log_t *log, const char *a, const char *b)
{
    int    rc;
    char  *text;

    text = malloc(8192);
    snprintf(text, 8192, "{\"keys\":[%s%s%s]}", a, b ? "," : "",
             b ? b : "");
    rc = add_keys(ks, text, log);
    free(text);

    return rc;
}


static int
verify_str(const char *tok, const wjwt_keyset_t *ks, unsigned mask,
    const wjwt_key_t **used)
{
    int           rc;
    wjwt_token_t  t;

    rc = parse_str(&t, tok);
    if (rc == WJWT_VALID) {
        rc = wjwt_token_verify(&t, ks, mask, used);
    }

    wjwt_token_free(&t);

    return rc;
}


/* the algs a key has a prepared verification context for */

static unsigned
prepared_mask(const wjwt_key_t *key)
{
    int       alg;
    unsigned  mask;

    mask = 0;

    for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
        if (key->verify_ctx[alg] != NULL) {
            mask |= WJWT_ALG_BIT(alg);
        }
    }

    return mask;
}


/* the keys of the JWKS and verification tests, generated once */

static EVP_PKEY  *rsa1, *rsa2, *rsa1024, *ec, *ec384, *ed;
static char      *j1, *j2, *jec, *jec384, *jed, *jsmall;

static const char  *verify_claims = "{\"sub\":\"u\",\"exp\":2000000000}";


static int
fixture_init(void)
{
    rsa1 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
    rsa2 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
    rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 1024);
    ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    ec384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

    if (!ok(rsa1 && rsa2 && rsa1024 && ec && ec384 && ed,
            "keygen: test keys generated"))
    {
        return -1;
    }

    j1 = rsa_jwk(rsa1, "\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\","
                 "\"x5c\":[\"MIIB\"],\"x5t#S256\":\"abc\"");
    j2 = rsa_jwk(rsa2, "\"kid\":\"k2\"");
    jec = ec_jwk(ec, "P-256", 32, "\"kid\":\"e1\"");
    jec384 = ec_jwk(ec384, "P-384", 48, "\"kid\":\"e3\"");
    jed = ed_jwk(ed, "\"kid\":\"d1\"");
    jsmall = rsa_jwk(rsa1024, "\"kid\":\"small\"");

    return 0;
}


static void
fixture_free(void)
{
    free(j1);
    free(j2);
    free(jec);
    free(jec384);
    free(jed);
    free(jsmall);
    EVP_PKEY_free(rsa1);
    EVP_PKEY_free(rsa2);
    EVP_PKEY_free(rsa1024);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(ec384);
    EVP_PKEY_free(ed);
}


static void
test_jwks_load(void)
{
    int             rc;
    char           *tmp;
    warn_log_t      log;
    wjwt_keyset_t   ks;

    /* loading */

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    rc = add_set(&ks, &log, j1, j2);
    ok(rc == 2 && ks.nkeys == 2 && log.warnings == 0,
       "jwks: two RSA keys (x5c, x5t#S256 ignored)");
    ok(ks.keys[0].kty == WJWT_KTY_RSA && ks.keys[0].bits == 2048
       && ks.keys[0].alg == WJWT_RS256 && ks.keys[1].alg == WJWT_ALG_UNKNOWN
       && ks.keys[0].kid_len == 2 && strcmp(ks.keys[0].kid, "k1") == 0,
       "jwks: key fields");
    ok(wjwt_keyset_find(&ks, "k2", 2) == &ks.keys[1]
       && wjwt_keyset_find(&ks, "k", 1) == NULL
       && wjwt_keyset_find(&ks, "k22", 3) == NULL,
       "jwks: find by kid");
    ok(wjwt_key_fits(&ks.keys[0], WJWT_RS256)
       && !wjwt_key_fits(&ks.keys[0], WJWT_PS256)
       && wjwt_key_fits(&ks.keys[1], WJWT_PS512)
       && !wjwt_key_fits(&ks.keys[1], WJWT_ES256),
       "jwks: key fits alg (JWK alg pins it)");
    ok(prepared_mask(&ks.keys[0]) == WJWT_ALG_BIT(WJWT_RS256)
       && prepared_mask(&ks.keys[1])
          == (WJWT_ALG_BIT(WJWT_RS256) | WJWT_ALG_BIT(WJWT_RS384)
              | WJWT_ALG_BIT(WJWT_RS512) | WJWT_ALG_BIT(WJWT_PS256)
              | WJWT_ALG_BIT(WJWT_PS384) | WJWT_ALG_BIT(WJWT_PS512)),
       "jwks: RSA verify contexts prepared for the algs the key fits");

    /* duplicate kid in a later document drops both */

    tmp = rsa_jwk(rsa2, "\"kid\":\"k1\"");
    rc = add_keys(&ks, tmp, &log);
    free(tmp);
    ok(rc == 0 && ks.nkeys == 1 && wjwt_keyset_find(&ks, "k1", 2) == NULL
       && log.warnings == 1 && strcmp(log.last_kid, "k1") == 0,
       "jwks: kid repeated in a later add drops both copies");

    rc = add_keys(&ks, jec, &log);
    ok(rc == 1 && ks.nkeys == 2 && ks.keys[1].kty == WJWT_KTY_EC
       && ks.keys[1].bits == 256,
       "jwks: a single JWK is accepted");
    ok(prepared_mask(&ks.keys[1]) == WJWT_ALG_BIT(WJWT_ES256),
       "jwks: EC verify context prepared for its curve's alg only");
    wjwt_keyset_free(&ks);
}


static void
test_verify(void)
{
    int                rc;
    char              *tok, buf[8192];
    warn_log_t         log;
    wjwt_keyset_t      ks;
    const wjwt_key_t  *used;

    /* the key set test_jwks_load() ends with: k2, e1 */

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    rc = add_set(&ks, &log, j2, jec);
    ok(rc == 2 && wjwt_keyset_find(&ks, "k2", 2) == &ks.keys[0],
       "verify: key set k2, e1");

    /* verification */

    tok = sign_token(rsa2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k2\"}",
                     verify_claims);
    used = NULL;
    is_int(verify_str(tok, &ks, ALL_ALGS, &used), WJWT_VALID,
           "verify: RS256 with kid");
    ok(used == wjwt_keyset_find(&ks, "k2", 2), "verify: used key reported");
    is_int(verify_str(tok, &ks, WJWT_ALG_BIT(WJWT_ES256), NULL),
           WJWT_ALG_NOT_ALLOWED, "verify: RS256 outside alg_mask");

    /* the same header and signature over other claims */

    snprintf(buf, sizeof(buf), "%.*s.%s%s", (int) (strchr(tok, '.') - tok),
             tok, b64str("{\"sub\":\"v\",\"exp\":2000000000}"),
             strrchr(tok, '.'));
    is_int(verify_str(buf, &ks, ALL_ALGS, NULL), WJWT_BAD_SIGNATURE,
           "verify: tampered payload");
    ok(ERR_peek_error() == 0, "verify: OpenSSL error queue left empty");
    free(tok);

    tok = sign_token(rsa2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k9\"}",
                     verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_UNKNOWN_KID,
           "verify: unknown kid");
    free(tok);

    tok = sign_token(rsa2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"e1\"}",
                     verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_UNKNOWN_KID,
           "verify: kid names a key of another type");
    free(tok);

    tok = sign_token(rsa2, WJWT_RS256, "{\"alg\":\"RS256\"}", verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_VALID,
           "verify: no kid, the fitting key verifies");
    free(tok);

    tok = sign_token(rsa1, WJWT_RS256, "{\"alg\":\"RS256\"}", verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_BAD_SIGNATURE,
           "verify: no kid, no key verifies");
    free(tok);

    tok = sign_token(ec, WJWT_ES256, "{\"alg\":\"ES256\",\"kid\":\"e1\"}",
                     verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_VALID,
           "verify: ES256 with kid");
    free(tok);

    tok = sign_token(ec384, WJWT_ES384, "{\"alg\":\"ES384\"}", verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_UNKNOWN_KID,
           "verify: no kid, no key fits the alg");
    free(tok);

    tok = sign_token(rsa2, WJWT_PS256, "{\"alg\":\"PS256\",\"kid\":\"k2\"}",
                     verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_VALID,
           "verify: PS256");
    free(tok);
    wjwt_keyset_free(&ks);
}


static void
test_verify_prepared(void)
{
    int                rc;
    char              *tok;
    warn_log_t         log;
    wjwt_key_t         bare;
    wjwt_token_t       t;
    wjwt_keyset_t      ks;

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    rc = add_set(&ks, &log, j2, jec);
    tok = sign_token(rsa2, WJWT_PS256, "{\"alg\":\"PS256\",\"kid\":\"k2\"}",
                     verify_claims);

    /* a key without prepared contexts verifies with the bare EVP_PKEY */

    bare = *wjwt_keyset_find(&ks, "k2", 2);
    memset(bare.verify_ctx, 0, sizeof(bare.verify_ctx));
    memset(bare.verify_md, 0, sizeof(bare.verify_md));

    rc = parse_str(&t, tok);
    ok(rc == WJWT_VALID
       && wjwt_key_verify(&bare, WJWT_PS256, t.signing_input.data,
                          t.signing_input.len, t.sig, t.sig_len) == 1
       && wjwt_key_verify(&bare, WJWT_PS384, t.signing_input.data,
                          t.signing_input.len, t.sig, t.sig_len) == 0
       && wjwt_key_verify(&ks.keys[0], WJWT_PS256, t.signing_input.data,
                          t.signing_input.len, t.sig, t.sig_len) == 1
       && wjwt_key_verify(&ks.keys[0], WJWT_RS256, t.signing_input.data,
                          t.signing_input.len, t.sig, t.sig_len) == 0
       && wjwt_key_verify(&ks.keys[0], WJWT_PS256, t.signing_input.data,
                          t.signing_input.len - 1, t.sig, t.sig_len) == 0
       && wjwt_key_verify(&ks.keys[0], WJWT_PS256, t.signing_input.data,
                          t.signing_input.len, t.sig, t.sig_len - 1) == 0
       && wjwt_key_verify(&ks.keys[0], WJWT_PS256, t.signing_input.data,
                          t.signing_input.len, t.sig, t.sig_len) == 1
       && wjwt_key_verify(&ks.keys[0], WJWT_ALG_UNKNOWN,
                          t.signing_input.data, t.signing_input.len, t.sig,
                          t.sig_len) == 0
       && wjwt_key_verify(NULL, WJWT_PS256, t.signing_input.data,
                          t.signing_input.len, t.sig, t.sig_len) == 0
       && ERR_peek_error() == 0,
       "verify: wjwt_key_verify prepared and unprepared, reused after "
       "failures");
    wjwt_token_free(&t);
    free(tok);

    tok = sign_token(rsa2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k2\"}",
                     verify_claims);
    *strrchr(tok, '.') = '\0';
    strcat(tok, ".");
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_BAD_SIGNATURE,
           "verify: empty signature");
    free(tok);

    wjwt_keyset_free(&ks);
    ok(ks.nkeys == 0 && ks.keys == NULL, "jwks: freed");

    tok = sign_token(rsa2, WJWT_RS256, "{\"alg\":\"RS256\"}", verify_claims);
    is_int(verify_str(tok, &ks, ALL_ALGS, NULL), WJWT_KEYS_UNAVAILABLE,
           "verify: empty key set");
    is_int(verify_str(tok, &ks, 0, NULL), WJWT_ALG_NOT_ALLOWED,
           "verify: alg checked before keys");
    free(tok);

    rc = add_keys(&ks, jed, &log);
    tok = sign_token(ed, WJWT_EDDSA, "{\"alg\":\"EdDSA\"}", verify_claims);
    ok(rc == 1 && verify_str(tok, &ks, ALL_ALGS, NULL) == WJWT_VALID
       && prepared_mask(&ks.keys[0]) == 0,
       "verify: EdDSA without kid (one-shot, nothing prepared)");
    free(tok);
    wjwt_keyset_free(&ks);

    rc = add_keys(&ks, jec384, &log);
    tok = sign_token(ec384, WJWT_ES384, "{\"alg\":\"ES384\",\"kid\":\"e3\"}",
                     verify_claims);
    ok(rc == 1 && verify_str(tok, &ks, ALL_ALGS, NULL) == WJWT_VALID,
       "verify: ES384");
    free(tok);
    wjwt_keyset_free(&ks);
}


static void
test_jwks_skipped(void)
{
    int             rc;
    char           *tmp;
    warn_log_t      log;
    wjwt_keyset_t   ks;

    memset(&ks, 0, sizeof(wjwt_keyset_t));

    /* skipped keys */

    rc = add_set(&ks, &log, j1, j1);
    ok(rc == 0 && ks.nkeys == 0 && log.warnings == 2,
       "jwks: duplicate kid in one set drops both");

    rc = add_set(&ks, &log,
                 "{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"c2VjcmV0\"}", j2);
    ok(rc == 1 && log.warnings == 1 && strcmp(log.last_kid, "h") == 0,
       "jwks: oct key skipped, the other kept (%s)", log.last_reason);
    wjwt_keyset_free(&ks);

    rc = add_keys(&ks, jsmall, &log);
    ok(rc == 0 && log.warnings == 1, "jwks: RSA 1024 skipped (%s)",
       log.last_reason);

    tmp = rsa_jwk(rsa2, "\"use\":\"enc\"");
    rc = add_keys(&ks, tmp, &log);
    ok(rc == 0 && log.warnings == 1 && log.last_kid_null,
       "jwks: use enc skipped, warned with kid NULL (%s)", log.last_reason);
    free(tmp);

    tmp = rsa_jwk(rsa2, "\"key_ops\":[\"encrypt\"]");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: key_ops without verify");
    free(tmp);

    tmp = rsa_jwk(rsa2, "\"key_ops\":[\"sign\",\"verify\"]");
    is_int(add_keys(&ks, tmp, &log), 1, "jwks: key_ops with verify");
    free(tmp);
    wjwt_keyset_free(&ks);

    tmp = rsa_jwk(rsa2, "\"d\":\"AQAB\"");
    ok(add_keys(&ks, tmp, &log) == 0 && log.warnings == 1,
       "jwks: private member skipped (%s)", log.last_reason);
    free(tmp);

    tmp = rsa_jwk(rsa2, "\"alg\":\"HS256\"");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: alg HS256 on RSA skipped");
    free(tmp);

    tmp = rsa_jwk(rsa2, "\"alg\":\"ES256\"");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: alg ES256 on RSA skipped");
    free(tmp);

    tmp = rsa_jwk(rsa2, "\"alg\":\"rs256\"");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: alg rs256 (case) skipped");
    free(tmp);

    tmp = ec_jwk(ec, "P-256", 32, "\"alg\":\"RS256\"");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: alg RS256 on EC skipped");
    free(tmp);

    tmp = ec_jwk(ec384, "P-384", 48, "\"alg\":\"ES256\"");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: alg ES256 on P-384 skipped");
    free(tmp);

    tmp = ec_jwk(ec, "P-256", 32, "\"alg\":\"ES256\",\"use\":\"sig\"");
    is_int(add_keys(&ks, tmp, &log), 1, "jwks: alg ES256 on P-256 kept");
    free(tmp);
    wjwt_keyset_free(&ks);

    tmp = ec_jwk(ec, "P-192", 32, "");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: crv P-192 skipped");
    free(tmp);

    tmp = ec_jwk(ec384, "P-256", 48, "");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: coordinates of wrong length");
    free(tmp);

    tmp = ec_jwk(ec, "P-256", 33, "");
    is_int(add_keys(&ks, tmp, &log), 0, "jwks: coordinates zero-padded");
    free(tmp);
}


static void
test_jwks_curves(void)
{
    int             rc;
    warn_log_t      log;
    wjwt_keyset_t   ks;

    memset(&ks, 0, sizeof(wjwt_keyset_t));

    /* the Wycheproof off-curve point (y changed) */

    rc = add_keys(&ks, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                  "\"x\":\"04N0xi21hshyvBp7I167sbE_bXqyqkAPfefdklMO7wY\","
                  "\"y\":\"UI8exy-C06a7DUnjIdENkxeFtHM4-l_41LqEw9nVgnw\"}",
                  &log);
    ok(rc == 0 && log.warnings == 1, "jwks: point off the curve (%s)",
       log.last_reason);
    rc = add_keys(&ks, "{\"kty\":\"EC\",\"crv\":\"P-256\","
                  "\"x\":\"04N0xi21hshyvBp7I167sbE_bXqyqkAPfefdklMO7wY\","
                  "\"y\":\"UI8exy-C06a7DUnjIdENkxeFtHM4-l_41LqEw9nVgmw\"}",
                  &log);
    is_int(rc, 1, "jwks: the same point on the curve");
    wjwt_keyset_free(&ks);

    is_int(add_keys(&ks, "{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"AAAA\"}",
                    &log),
           0, "jwks: Ed448 skipped");
    is_int(add_keys(&ks, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}",
                    &log),
           0, "jwks: Ed25519 x of 3 bytes skipped");
}


static void
test_jwks_members(void)
{
    char           buf[8192];
    warn_log_t     log;
    wjwt_keyset_t  ks;
    char    *n;
    BIGNUM  *bn;

    /* RSA members */

    memset(&ks, 0, sizeof(wjwt_keyset_t));

    bn = NULL;
    EVP_PKEY_get_bn_param(rsa2, OSSL_PKEY_PARAM_RSA_N, &bn);
    n = bn_b64(bn, 258);
    BN_free(bn);

    snprintf(buf, sizeof(buf),
             "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\"}", n);
    is_int(add_keys(&ks, buf, &log), 1, "jwks: n with leading zeros");
    wjwt_keyset_free(&ks);

    snprintf(buf, sizeof(buf),
             "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"Aw\"}", n);
    is_int(add_keys(&ks, buf, &log), 1, "jwks: e = 3 loads");
    wjwt_keyset_free(&ks);

    snprintf(buf, sizeof(buf),
             "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQ\"}", n);
    is_int(add_keys(&ks, buf, &log), 0, "jwks: e = 1 skipped");

    snprintf(buf, sizeof(buf),
             "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAA\"}", n);
    is_int(add_keys(&ks, buf, &log), 0, "jwks: even e skipped");

    snprintf(buf, sizeof(buf), "{\"kty\":\"RSA\",\"n\":\"%s\"}", n);
    is_int(add_keys(&ks, buf, &log), 0, "jwks: missing e skipped");

    snprintf(buf, sizeof(buf),
             "{\"kty\":\"RSA\",\"n\":\"%s=\",\"e\":\"AQAB\"}", n);
    is_int(add_keys(&ks, buf, &log), 0, "jwks: padded n skipped");

    snprintf(buf, sizeof(buf),
             "{\"kty\":\"RSA\",\"kid\":7,\"n\":\"%s\",\"e\":\"AQAB\"}",
             n);
    is_int(add_keys(&ks, buf, &log), 0, "jwks: numeric kid skipped");

    snprintf(buf, sizeof(buf),
             "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a.b \\\"c\\\"\","
             "\"n\":\"%s\",\"e\":\"AQAB\"}]}", n);
    ok(add_keys(&ks, buf, &log) == 1
       && wjwt_keyset_find(&ks, "a.b \"c\"", 7) != NULL,
       "jwks: kid kept exactly");
    wjwt_keyset_free(&ks);
}


static void
test_jwks_documents(void)
{
    char           buf[512];
    warn_log_t     log;
    wjwt_keyset_t  ks;

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    memset(buf, 0x5a, sizeof(buf));

    /* documents */

    is_int(add_keys(&ks, "not json", &log), -1, "jwks: not JSON");
    is_int(add_keys(&ks, "[1,2]", &log), -1, "jwks: an array");
    is_int(add_keys(&ks, "{\"foo\":1}", &log), -1, "jwks: neither");
    is_int(add_keys(&ks, "{\"keys\":{}}", &log), -1, "jwks: keys object");
    is_int(add_keys(&ks, "{\"keys\":[]}", &log), 0, "jwks: empty keys");
    ok(add_keys(&ks, "{\"keys\":[1,\"x\",null]}", &log) == 0
       && log.warnings == 3, "jwks: non-object entries warned");
    ok(add_keys(&ks, "{\"keys\":[{\"n\":\"x\"}]}", &log) == 0
       && log.warnings == 1, "jwks: entry without kty warned");
    ok(ks.nkeys == 0, "jwks: nothing loaded");
    wjwt_keyset_free(&ks);

    /* RSA key used with ES / EdDSA primitives */

    ok(!wjwt_verify_signature(WJWT_ES256, rsa1, (unsigned char *) "x", 1,
                              (unsigned char *) buf, 64)
       && !wjwt_verify_signature(WJWT_RS256, ec, (unsigned char *) "x", 1,
                                 (unsigned char *) buf, 256)
       && !wjwt_verify_signature(WJWT_ES384, ec, (unsigned char *) "x", 1,
                                 (unsigned char *) buf, 96)
       && !wjwt_verify_signature(WJWT_EDDSA, ec, (unsigned char *) "x", 1,
                                 (unsigned char *) buf, 64),
       "verify: key type must fit the alg");
    ok(ERR_peek_error() == 0, "verify: error queue still empty");
}


/* the algorithm table: what each alg needs of a key and a signature */

static void
test_alg_table(void)
{
    int                alg;
    const wjwt_alg_t  *a;

    static const struct {
        int          alg;
        int          kty;
        const char  *crv;
        const char  *digest;
        size_t       sig_len;
    } expect[] = {
        { WJWT_RS256, WJWT_KTY_RSA, NULL, "SHA256", 0 },
        { WJWT_PS384, WJWT_KTY_RSA, NULL, "SHA384", 0 },
        { WJWT_RS512, WJWT_KTY_RSA, NULL, "SHA512", 0 },
        { WJWT_ES256, WJWT_KTY_EC, "P-256", "SHA256", 64 },
        { WJWT_ES384, WJWT_KTY_EC, "P-384", "SHA384", 96 },
        { WJWT_ES512, WJWT_KTY_EC, "P-521", "SHA512", 132 },
        { WJWT_EDDSA, WJWT_KTY_OKP, "Ed25519", NULL, 64 }
    };

    for (alg = 0; alg < (int) (sizeof(expect) / sizeof(expect[0])); alg++) {
        a = wjwt_alg(expect[alg].alg);

        ok(a != NULL && a->kty == expect[alg].kty
           && (expect[alg].crv == NULL ? a->crv == NULL
               : a->crv != NULL && strcmp(a->crv, expect[alg].crv) == 0)
           && (expect[alg].digest == NULL ? a->digest == NULL
               : a->digest != NULL && strcmp(a->digest, expect[alg].digest)
                                      == 0)
           && a->sig_len == expect[alg].sig_len
           && strcmp(a->name, wjwt_alg_name(expect[alg].alg)) == 0,
           "alg table: %s", wjwt_alg_name(expect[alg].alg));
    }

    ok(wjwt_alg(WJWT_PS256)->padding == WJWT_PAD_PSS
       && wjwt_alg(WJWT_RS256)->padding == WJWT_PAD_PKCS1
       && wjwt_alg(WJWT_ES256)->padding == WJWT_PAD_NONE,
       "alg table: paddings");
    ok(wjwt_alg(WJWT_ALG_UNKNOWN) == NULL && wjwt_alg(WJWT_ALG_COUNT) == NULL,
       "alg table: out of range is NULL");
}


/* key fingerprints at load, and the token digest */

static void
test_fingerprints(void)
{
    int             rc;
    char           *tmp;
    uint64_t        fp1, fp2;
    warn_log_t      log;
    wjwt_keyset_t   ks, ks2;
    unsigned char   digest[WJWT_DIGEST_LEN];

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    memset(&ks2, 0, sizeof(wjwt_keyset_t));

    rc = add_set(&ks, &log, j1, j2);
    fp1 = ks.keys[0].fingerprint;
    fp2 = ks.keys[1].fingerprint;
    ok(rc == 2 && fp1 != 0 && fp2 != 0 && fp1 != fp2,
       "fingerprint: set at load, one per key");

    rc = add_set(&ks2, &log, j2, jec);
    ok(rc == 2 && ks2.keys[0].fingerprint == fp2
       && ks2.keys[1].fingerprint != fp2,
       "fingerprint: the same key and kid give the same fingerprint");
    wjwt_keyset_free(&ks2);

    tmp = rsa_jwk(rsa2, "\"kid\":\"k3\"");
    rc = add_keys(&ks2, tmp, &log);
    free(tmp);
    ok(rc == 1 && ks2.keys[0].fingerprint != fp2,
       "fingerprint: the same key under another kid differs");
    wjwt_keyset_free(&ks2);

    tmp = rsa_jwk(rsa2, "");
    rc = add_keys(&ks2, tmp, &log);
    free(tmp);
    ok(rc == 1 && ks2.keys[0].fingerprint != fp2
       && ks2.keys[0].fingerprint != 0,
       "fingerprint: a key without kid has one");
    wjwt_keyset_free(&ks2);
    wjwt_keyset_free(&ks);

    ok(wjwt_token_digest((const unsigned char *) "abc", 3, NULL, digest) == 0
       && memcmp(digest, "\xba\x78\x16\xbf\x8f\x01\xcf\xea", 8) == 0
       && memcmp(digest + 24, "\xb4\x10\xff\x61\xf2\x00\x15\xad", 8) == 0,
       "digest: SHA-256 of \"abc\"");
}


/* an ambiguous kid: every copy in a document, a loaded key and its twin */

static void
test_jwks_duplicates(void)
{
    int             rc;
    char           *a, *b, *c, *text;
    warn_log_t      log;
    wjwt_keyset_t   ks;

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    a = rsa_jwk(rsa1, "\"kid\":\"a\"");
    b = rsa_jwk(rsa2, "\"kid\":\"b\"");
    c = rsa_jwk(rsa2, "\"kid\":\"a\"");
    text = malloc(16384);

    snprintf(text, 16384, "{\"keys\":[%s,%s,%s]}", a, b, c);
    rc = add_keys(&ks, text, &log);
    ok(rc == 1 && ks.nkeys == 1 && wjwt_keyset_find(&ks, "b", 1) != NULL
       && log.warnings == 2 && strcmp(log.last_reason, "duplicate kid") == 0,
       "jwks: a kid twice in one document drops both, keeps the others");

    /* a kid of a loaded key, twice in the next document: both new copies go */

    snprintf(text, 16384, "{\"keys\":[%s,%s]}", b, b);
    rc = add_keys(&ks, text, &log);
    ok(rc == 0 && ks.nkeys == 1 && wjwt_keyset_find(&ks, "b", 1) != NULL
       && log.warnings == 2,
       "jwks: a kid twice in a later document leaves the loaded key");

    rc = add_keys(&ks, a, &log);
    ok(rc == 1 && ks.nkeys == 2, "jwks: a new kid is added");

    snprintf(text, 16384, "{\"keys\":[%s,%s]}", b, j2);
    rc = add_keys(&ks, text, &log);
    ok(rc == 1 && ks.nkeys == 2 && wjwt_keyset_find(&ks, "b", 1) == NULL
       && wjwt_keyset_find(&ks, "a", 1) == &ks.keys[0]
       && wjwt_keyset_find(&ks, "k2", 2) == &ks.keys[1]
       && log.warnings == 1 && strcmp(log.last_kid, "b") == 0,
       "jwks: a loaded kid once more drops both, the order of the rest "
       "kept");

    wjwt_keyset_free(&ks);
    free(text);
    free(a);
    free(b);
    free(c);
}


int
main(void)
{
    test_b64url();
    test_json();
    test_token_parse();
    test_token_header();
    test_token_alg();
    test_alg_table();

    if (fixture_init() == 0) {
        test_jwks_load();
        test_verify();
        test_verify_prepared();
        test_jwks_skipped();
        test_jwks_curves();
        test_jwks_members();
        test_jwks_documents();
        test_jwks_duplicates();
        test_fingerprints();
    }

    fixture_free();

    return done_testing();
}
