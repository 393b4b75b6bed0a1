
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Claim types (the facts of a token), variable rendering, permission and
 * role matching, lint rules and the status/lint name tables.  Claim
 * validation is the verdict's: t/unit/test_judge.c.
 */


#include <wjwt.h>

#include "tap.h"


#define NOW  1700000000LL


static json_t *
jparse(const char *s)
{
    return wjwt_json_parse((const unsigned char *) s, strlen(s), NULL, 0);
}


/* the types step of wjwt_token_facts() on claims alone */

static int
types_of(json_t *claims)
{
    wjwt_facts_t  f;
    wjwt_token_t  t;

    memset(&t, 0, sizeof(wjwt_token_t));
    t.alg = WJWT_ALG_UNKNOWN;
    t.claims = claims;

    wjwt_token_facts(&t, &f);

    return f.types;
}


static void
test_types(void)
{
    size_t   i;
    json_t  *v;

    static const struct {
        const char  *claims;
        int          expect;
    } cases[] = {
        { "{\"sub\":\"u\",\"exp\":1}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1.5}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":0}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":253402300799}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":253402300799.5}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":253402300800}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":-1}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":-0.5}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1e300}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":\"1\"}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":null}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":true}", WJWT_MALFORMED },
        { "{\"sub\":\"u\"}", WJWT_MALFORMED },
        { "{\"exp\":1}", WJWT_MALFORMED },
        { "{\"sub\":null,\"exp\":1}", WJWT_MALFORMED },
        { "{\"sub\":1,\"exp\":1}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"nbf\":2,\"iat\":3,\"auth_time\":4.9}",
          WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"nbf\":null}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"iat\":\"3\"}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"auth_time\":[]}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"sid\":\"s\",\"jti\":\"j\","
          "\"org_id\":\"o\",\"role\":\"r\",\"iss\":\"i\","
          "\"client_id\":\"c\"}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"sid\":null}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"jti\":5}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"org_id\":{}}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"role\":[\"a\"]}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"iss\":null}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"client_id\":false}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"roles\":[],\"permissions\":[\"a\"],"
          "\"entitlements\":[\"e\"],\"feature_flags\":[\"f\",\"g\"]}",
          WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"roles\":\"admin\"}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"permissions\":[1]}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"permissions\":null}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"entitlements\":[null]}",
          WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"feature_flags\":{}}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"aud\":\"a\"}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"aud\":[\"a\",\"b\"]}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"aud\":[]}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"aud\":[\"a\",1]}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"aud\":null}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"aud\":7}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"act\":{\"sub\":\"admin\"}}",
          WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"act\":{}}", WJWT_VALID },
        { "{\"sub\":\"u\",\"exp\":1,\"act\":\"admin\"}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"act\":null}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"act\":{\"sub\":1}}", WJWT_MALFORMED },
        { "{\"sub\":\"u\",\"exp\":1,\"custom\":null,\"x\":[1,{}]}",
          WJWT_VALID }
    };

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        v = jparse(cases[i].claims);
        is_int(types_of(v), cases[i].expect, "types: %s",
               cases[i].claims);
        json_decref(v);
    }
}


static void
test_json_text(void)
{
    size_t          i, len;
    json_t         *v;
    unsigned char   buf[256];

    static const struct {
        const char  *json;
        const char  *text;
    } cases[] = {
        { "\"plain\"", "plain" },
        { "\"\"", "" },
        { "\"a,b \\\"q\\\"\"", "a,b \"q\"" },
        { "\"caf\\u00e9\"", "caf\xc3\xa9" },
        { "42", "42" },
        { "-7", "-7" },
        { "1700000000", "1700000000" },
        { "1.5", "1.5" },
        { "1e3", "1000.0" },
        { "true", "true" },
        { "false", "false" },
        { "null", "" },
        { "[]", "" },
        { "[\"a\"]", "a" },
        { "[\"a\",\"b\",\"c\"]", "a,b,c" },
        { "[\"a\",1]", "[\"a\",1]" },
        { "[1,2]", "[1,2]" },
        { "[null]", "[null]" },
        { "{}", "{}" },
        { "{\"sub\":\"admin\",\"n\":[1]}", "{\"sub\":\"admin\",\"n\":[1]}" },
        { "[[\"a\"]]", "[[\"a\"]]" }
    };

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
        len = wjwt_json_text(v, NULL, 0);
        memset(buf, 'X', sizeof(buf));
        (void) wjwt_json_text(v, buf, sizeof(buf));

        ok(len == strlen(cases[i].text)
           && memcmp(buf, cases[i].text, len) == 0,
           "json_text: %s -> %s", cases[i].json, cases[i].text);
        json_decref(v);
    }

    /* truncation: writes at most size bytes, returns the full length */

    v = json_loads("[\"alpha\",\"beta\"]", 0, NULL);
    memset(buf, 'X', sizeof(buf));
    len = wjwt_json_text(v, buf, 4);
    ok(len == 10 && memcmp(buf, "alph", 4) == 0 && buf[4] == 'X',
       "json_text: truncated to size, full length returned");
    ok(wjwt_json_text(NULL, NULL, 0) == 0, "json_text: NULL is empty");
    json_decref(v);
}


static int
perm(const char *claims, const char *req, int wildcards)
{
    int      rc;
    json_t  *v;

    v = jparse(claims);
    rc = wjwt_has_permission(v, (const unsigned char *) req, strlen(req),
                             wildcards);
    json_decref(v);

    return rc;
}


static void
test_permissions(void)
{
    size_t   i;
    json_t  *v;

    static const struct {
        const char  *granted;
        const char  *req;
        int          wildcards;
        int          expect;
    } cases[] = {
        { "[\"posts:read\"]", "posts:read", 0, 1 },
        { "[\"posts:read\"]", "posts:write", 0, 0 },
        { "[\"posts:read\"]", "posts:rea", 0, 0 },
        { "[\"posts:read\"]", "posts:reads", 0, 0 },
        { "[\"posts:read\"]", "Posts:read", 0, 0 },
        { "[\"posts:read\"]", "posts:write|posts:read", 0, 1 },
        { "[\"posts:read\"]", "posts:write|users:read", 0, 0 },
        { "[\"posts:read\"]", "|posts:read|", 0, 1 },
        { "[\"posts:read\"]", "posts:write||x", 0, 0 },
        { "[\"posts:read\"]", "", 0, 0 },
        { "[]", "posts:read", 0, 0 },
        { "[\"*\"]", "posts:read", 0, 0 },
        { "[\"*\"]", "*", 0, 1 },
        { "[\"*\"]", "posts:read", 1, 1 },
        { "[\"*\"]", "anything|else", 1, 1 },
        { "[\"posts:*\"]", "posts:read", 0, 0 },
        { "[\"posts:*\"]", "posts:*", 0, 1 },
        { "[\"posts:*\"]", "posts:read", 1, 1 },
        { "[\"posts:*\"]", "posts:read:own", 1, 1 },
        { "[\"posts:*\"]", "posts:", 1, 0 },
        { "[\"posts:*\"]", "posts", 1, 0 },
        { "[\"posts:*\"]", "postsx:read", 1, 0 },
        { "[\"posts:*\"]", "users:read", 1, 0 },
        { "[\"posts:*\"]", "users:read|posts:delete", 1, 1 },
        { "[\"posts*\"]", "posts:read", 1, 0 },
        { "[\"posts*\"]", "posts*", 1, 1 },
        { "[\"*:read\"]", "posts:read", 1, 0 },
        { "[\"po*:read\"]", "posts:read", 1, 0 },
        { "[\":*\"]", "x", 1, 0 },
        { "[\":*\"]", ":x", 1, 1 },
        { "[\"a:b:*\"]", "a:b:c", 1, 1 },
        { "[\"a:b:*\"]", "a:c", 1, 0 }
    };

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char  claims[256];

        snprintf(claims, sizeof(claims), "{\"permissions\":%s}",
                 cases[i].granted);
        is_int(perm(claims, cases[i].req, cases[i].wildcards),
               cases[i].expect, "permission: %s requires \"%s\" (wildcards %s)",
               cases[i].granted, cases[i].req,
               cases[i].wildcards ? "on" : "off");
    }

    is_int(perm("{\"sub\":\"u\"}", "posts:read", 1), 0,
           "permission: no permissions claim");

    /* roles */

    v = jparse("{\"roles\":[\"admin\",\"member\"],\"role\":\"owner\"}");
    ok(wjwt_has_role(v, (const unsigned char *) "member", 6)
       && !wjwt_has_role(v, (const unsigned char *) "owner", 5)
       && !wjwt_has_role(v, (const unsigned char *) "admi", 4),
       "role: roles array wins over role");
    json_decref(v);

    v = jparse("{\"role\":\"owner\"}");
    ok(wjwt_has_role(v, (const unsigned char *) "owner", 5)
       && !wjwt_has_role(v, (const unsigned char *) "owners", 6),
       "role: role when roles is absent");
    json_decref(v);

    v = jparse("{\"roles\":[]}");
    ok(!wjwt_has_role(v, (const unsigned char *) "owner", 5),
       "role: empty roles");
    json_decref(v);

    v = jparse("{}");
    ok(!wjwt_has_role(v, (const unsigned char *) "", 0), "role: none");
    json_decref(v);
}


static void
mk_token(wjwt_token_t *t, char *buf, size_t size, const char *header,
    const char *claims)
{
    size_t  n;

    n = wjwt_b64url_encode((const unsigned char *) header, strlen(header),
                           (unsigned char *) buf);
    buf[n++] = '.';
    n += wjwt_b64url_encode((const unsigned char *) claims, strlen(claims),
                            (unsigned char *) buf + n);
    memcpy(buf + n, ".AAAA", 6);

    (void) size;

    if (wjwt_token_parse(t, (unsigned char *) buf, strlen(buf), 16384)
        != WJWT_VALID)
    {
        diag("test token did not parse: %s", claims);
    }
}


/* every finding of a parsed token, through its facts */

static unsigned
lint_of(const wjwt_token_t *t, int64_t now, int64_t leeway,
    int64_t max_lifetime)
{
    wjwt_facts_t  f;

    wjwt_token_facts(t, &f);

    return wjwt_lint_run(&f, now, leeway, max_lifetime);
}


static void
test_lint(void)
{
    int           i;
    char          buf[4096], detail[256];
    size_t        len;
    unsigned      found;
    wjwt_token_t  t;

    static const struct {
        int          code;
        const char  *detail;
    } details[] = {
        { WJWT_LINT_WILDCARD_PERMISSION, "permission \"posts:*\"" },
        { WJWT_LINT_MISSING_AUD, "no aud claim" },
        { WJWT_LINT_MISSING_IAT, "no iat claim" },
        { WJWT_LINT_MISSING_KID, "no kid in the token header" },
        { WJWT_LINT_NON_RS256, "alg ES256" },
        { WJWT_LINT_MISSING_ORG, "no org_id claim" },
        { WJWT_LINT_IMPERSONATED, "impersonator \"admin@example.com\"" },
        { WJWT_LINT_SSO_SESSION, "connection_id \"conn_123\"" }
    };

    static const char  *clean =
        "{\"sub\":\"u\",\"exp\":1700003600,\"iat\":1700000000,"
        "\"aud\":\"a\",\"org_id\":\"org_1\",\"permissions\":[\"posts:read\"]}";

    mk_token(&t, buf, sizeof(buf), "{\"alg\":\"RS256\",\"kid\":\"k\"}",
             clean);
    is_int(lint_of(&t, NOW, 0, 86400), 0, "lint: clean token");
    wjwt_token_free(&t);

    mk_token(&t, buf, sizeof(buf), "{\"alg\":\"ES256\"}",
             "{\"sub\":\"u\",\"exp\":1700172800,"
             "\"permissions\":[\"posts:read\",\"posts:*\",\"*\"],"
             "\"act\":{\"sub\":\"admin@example.com\"},"
             "\"connection_id\":\"conn_123\"}");
    found = lint_of(&t, NOW, 0, 86400);
    is_int(found, WJWT_LINT_BIT(WJWT_LINT_WILDCARD_PERMISSION)
                  | WJWT_LINT_BIT(WJWT_LINT_MISSING_AUD)
                  | WJWT_LINT_BIT(WJWT_LINT_MISSING_IAT)
                  | WJWT_LINT_BIT(WJWT_LINT_MISSING_KID)
                  | WJWT_LINT_BIT(WJWT_LINT_NON_RS256)
                  | WJWT_LINT_BIT(WJWT_LINT_MISSING_ORG)
                  | WJWT_LINT_BIT(WJWT_LINT_IMPERSONATED)
                  | WJWT_LINT_BIT(WJWT_LINT_SSO_SESSION),
           "lint: many findings");

    for (i = 0; i < (int) (sizeof(details) / sizeof(details[0])); i++) {
        len = wjwt_lint_detail(&t, details[i].code, NOW, 86400, detail,
                                  sizeof(detail));
        ok(len == strlen(details[i].detail), "lint: detail length %s",
           wjwt_lint_name(details[i].code));
        is_str(detail, details[i].detail, "lint: detail %s",
               wjwt_lint_name(details[i].code));
    }

    len = wjwt_lint_detail(&t, WJWT_LINT_SSO_SESSION, NOW, 86400, NULL,
                              0);
    is_int(len, 24, "lint: detail measured with size 0");
    wjwt_token_free(&t);

    mk_token(&t, buf, sizeof(buf), "{\"alg\":\"RS256\",\"kid\":\"k\"}",
             "{\"sub\":\"u\",\"exp\":1700172800,\"iat\":1700000000,"
             "\"aud\":[],\"org_id\":\"o\",\"act\":{}}");
    found = lint_of(&t, NOW, 0, 86400);
    is_int(found, WJWT_LINT_BIT(WJWT_LINT_LONG_LIFETIME)
                  | WJWT_LINT_BIT(WJWT_LINT_IMPERSONATED),
           "lint: long lifetime and act without sub");
    wjwt_lint_detail(&t, WJWT_LINT_LONG_LIFETIME, NOW, 86400, detail,
                        sizeof(detail));
    is_str(detail, "lifetime 172800s exceeds 86400s", "lint: lifetime detail");
    wjwt_lint_detail(&t, WJWT_LINT_IMPERSONATED, NOW, 86400, detail,
                        sizeof(detail));
    is_str(detail, "act claim present", "lint: act detail without sub");
    is_int(lint_of(&t, NOW, 0, 172800),
           WJWT_LINT_BIT(WJWT_LINT_IMPERSONATED),
           "lint: lifetime equal to the maximum is fine");
    wjwt_token_free(&t);

    mk_token(&t, buf, sizeof(buf), "{\"alg\":\"RS256\",\"kid\":\"k\"}",
             "{\"sub\":\"u\",\"exp\":1700003600,\"iat\":1700000120,"
             "\"aud\":\"a\",\"org_id\":\"o\"}");
    is_int(lint_of(&t, NOW, 0, 86400),
           WJWT_LINT_BIT(WJWT_LINT_IAT_IN_FUTURE), "lint: iat in the future");
    is_int(lint_of(&t, NOW, 120, 86400), 0,
           "lint: iat in the future within leeway");
    wjwt_lint_detail(&t, WJWT_LINT_IAT_IN_FUTURE, NOW, 86400, detail,
                        sizeof(detail));
    is_str(detail, "iat is 120s in the future", "lint: iat detail");
    wjwt_token_free(&t);

    /* a claim value cannot forge a log line */

    mk_token(&t, buf, sizeof(buf), "{\"alg\":\"RS256\"}",
             "{\"sub\":\"u\",\"exp\":1,\"connection_id\":\"a\\nb\\\"c\"}");
    wjwt_lint_detail(&t, WJWT_LINT_SSO_SESSION, NOW, 86400, detail,
                        sizeof(detail));
    is_str(detail, "connection_id \"a\\x0ab\\x22c\"",
           "lint: control characters and quotes escaped");
    wjwt_token_free(&t);
}


static void
test_lint_names(void)
{
    int  i;

    /* names, levels, explanations */

    for (i = 0; i < WJWT_LINT_COUNT; i++) {
        const char  *name = wjwt_lint_name(i);

        ok(name != NULL
           && wjwt_lint_from_name((const unsigned char *) name, strlen(name))
              == i
           && wjwt_lint_explain(i) != NULL && wjwt_lint_explain(i)[0] != '\0',
           "lint: %s name, lookup, explanation", name);
    }

    is_int(wjwt_lint_from_name((const unsigned char *) "missing", 7), -1,
           "lint: unknown name");
    is_str(wjwt_lint_name(WJWT_LINT_SSO_SESSION), "sso_session",
           "lint: sso_session name");
    ok(wjwt_lint_level(WJWT_LINT_WILDCARD_PERMISSION) == WJWT_LEVEL_WARN
       && wjwt_lint_level(WJWT_LINT_LONG_LIFETIME) == WJWT_LEVEL_WARN
       && wjwt_lint_level(WJWT_LINT_MISSING_AUD) == WJWT_LEVEL_WARN
       && wjwt_lint_level(WJWT_LINT_MISSING_IAT) == WJWT_LEVEL_WARN
       && wjwt_lint_level(WJWT_LINT_IAT_IN_FUTURE) == WJWT_LEVEL_WARN
       && wjwt_lint_level(WJWT_LINT_MISSING_KID) == WJWT_LEVEL_WARN
       && wjwt_lint_level(WJWT_LINT_NON_RS256) == WJWT_LEVEL_NOTICE
       && wjwt_lint_level(WJWT_LINT_MISSING_ORG) == WJWT_LEVEL_INFO
       && wjwt_lint_level(WJWT_LINT_IMPERSONATED) == WJWT_LEVEL_NOTICE
       && wjwt_lint_level(WJWT_LINT_SSO_SESSION) == WJWT_LEVEL_INFO,
       "lint: levels per the README's lint codes");
}


static void
test_status(void)
{
    int  i;

    static const char  *words[] = {
        "valid", "missing", "malformed", "alg_not_allowed", "unknown_kid",
        "bad_signature", "expired", "not_yet_valid", "bad_issuer",
        "bad_audience", "not_session", "revoked", "stale_auth",
        "lint_rejected",
        "keys_unavailable"
    };

    for (i = 0; i < WJWT_STATUS_COUNT; i++) {
        is_str(wjwt_status_word(i), words[i], "status: word %d", i);
        ok(wjwt_status_sentence(i) != NULL
           && (i == WJWT_VALID) == (wjwt_status_sentence(i)[0] == '\0'),
           "status: sentence for %s", words[i]);
    }

    is_str(wjwt_status_sentence(WJWT_UNKNOWN_KID),
           "no key matches the token's key id", "status: unknown_kid text");
    is_str(wjwt_status_sentence(WJWT_STALE_AUTH),
           "the authentication is too old for this location",
           "status: stale_auth text");
    ok(wjwt_status_word(WJWT_STATUS_COUNT) == NULL
       && wjwt_status_word(-1) == NULL, "status: out of range is NULL");
}


static void
test_claim_time(void)
{
    json_t   *v;
    int64_t   t;

    v = jparse("{\"a\":1.99,\"b\":7,\"c\":\"1\"}");
    ok(wjwt_claim_time(v, "a", &t) && t == 1, "claim_time: real truncated");
    ok(wjwt_claim_time(v, "b", &t) && t == 7, "claim_time: integer");
    ok(!wjwt_claim_time(v, "c", &t), "claim_time: string is not a time");
    ok(!wjwt_claim_time(v, "d", &t), "claim_time: absent");
    json_decref(v);
}


int
main(void)
{
    test_types();
    test_claim_time();
    test_json_text();
    test_permissions();
    test_lint();
    test_lint_names();
    test_status();

    return done_testing();
}
