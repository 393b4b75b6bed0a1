
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wjwt.h"


#define WJWT_LINT_VALUE_MAX  128


typedef struct {
    const char            *name;
    int                    level;
    const char            *explain;
} wjwt_lint_rule_t;


static const wjwt_lint_rule_t  wjwt_lint_rules[WJWT_LINT_COUNT] = {
    { "wildcard_permission", WJWT_LEVEL_WARN,
      "a permission contains \"*\", which WorkOS treats as a literal "
      "character, not a wildcard" },
    { "long_lifetime", WJWT_LEVEL_WARN,
      "the token lives longer (exp - iat) than the configured maximum "
      "lifetime" },
    { "missing_aud", WJWT_LEVEL_WARN,
      "the token has no aud claim, so it is not bound to an audience" },
    { "missing_iat", WJWT_LEVEL_WARN,
      "the token has no iat claim, so its age cannot be judged" },
    { "iat_in_future", WJWT_LEVEL_WARN,
      "the token was issued in the future (iat later than now plus "
      "leeway), which points to clock skew or a forged token" },
    { "missing_kid", WJWT_LEVEL_WARN,
      "the token header has no kid, so every key must be tried" },
    { "non_rs256", WJWT_LEVEL_NOTICE,
      "the token is not signed with RS256, the algorithm WorkOS uses" },
    { "missing_org", WJWT_LEVEL_INFO,
      "the token has no org_id claim, so the user acts outside any "
      "organization" },
    { "impersonated", WJWT_LEVEL_NOTICE,
      "the token carries an act claim: an administrator is impersonating "
      "the user" },
    { "sso_session", WJWT_LEVEL_INFO,
      "the session comes from an SSO connection (connection_id claim)" }
};


static const json_t *wjwt_lint_wildcard(const json_t *claims);
static size_t wjwt_lint_quote(const json_t *v, int quote, char *buf,
    size_t size, size_t pos);
static size_t wjwt_lint_put(char *buf, size_t size, size_t pos,
    const char *data, size_t len);


const char *
wjwt_lint_name(int code)
{
    if (code < 0 || code >= WJWT_LINT_COUNT) {
        return NULL;
    }

    return wjwt_lint_rules[code].name;
}


int
wjwt_lint_from_name(const unsigned char *name, size_t len)
{
    int  i;

    if (name == NULL) {
        return -1;
    }

    for (i = 0; i < WJWT_LINT_COUNT; i++) {
        if (strlen(wjwt_lint_rules[i].name) == len
            && memcmp(wjwt_lint_rules[i].name, name, len) == 0)
        {
            return i;
        }
    }

    return -1;
}


int
wjwt_lint_level(int code)
{
    if (code < 0 || code >= WJWT_LINT_COUNT) {
        return WJWT_LEVEL_INFO;
    }

    return wjwt_lint_rules[code].level;
}


const char *
wjwt_lint_explain(int code)
{
    if (code < 0 || code >= WJWT_LINT_COUNT) {
        return NULL;
    }

    return wjwt_lint_rules[code].explain;
}


unsigned
wjwt_lint_run(const wjwt_facts_t *f, int64_t now, int64_t leeway,
    int64_t max_lifetime)
{
    unsigned              found;
    const wjwt_claims_t  *c;

    c = &f->claims;
    found = f->lint;

    if (c->has_exp && c->has_iat && c->exp - c->iat > max_lifetime) {
        found |= WJWT_LINT_BIT(WJWT_LINT_LONG_LIFETIME);
    }

    if (c->has_iat && c->iat > now + leeway) {
        found |= WJWT_LINT_BIT(WJWT_LINT_IAT_IN_FUTURE);
    }

    return found;
}


unsigned
wjwt_lint_static(const wjwt_token_t *t)
{
    int64_t        iat;
    unsigned       found;
    const json_t  *claims;

    found = 0;
    claims = t->claims;

    if (wjwt_lint_wildcard(claims) != NULL) {
        found |= WJWT_LINT_BIT(WJWT_LINT_WILDCARD_PERMISSION);
    }

    if (json_object_get(claims, "aud") == NULL) {
        found |= WJWT_LINT_BIT(WJWT_LINT_MISSING_AUD);
    }

    if (!wjwt_claim_time(claims, "iat", &iat)) {
        found |= WJWT_LINT_BIT(WJWT_LINT_MISSING_IAT);
    }

    if (t->kid == NULL) {
        found |= WJWT_LINT_BIT(WJWT_LINT_MISSING_KID);
    }

    if (t->alg_name == NULL || strcmp(t->alg_name, "RS256") != 0) {
        found |= WJWT_LINT_BIT(WJWT_LINT_NON_RS256);
    }

    if (json_object_get(claims, "org_id") == NULL) {
        found |= WJWT_LINT_BIT(WJWT_LINT_MISSING_ORG);
    }

    if (json_object_get(claims, "act") != NULL) {
        found |= WJWT_LINT_BIT(WJWT_LINT_IMPERSONATED);
    }

    if (json_object_get(claims, "connection_id") != NULL) {
        found |= WJWT_LINT_BIT(WJWT_LINT_SSO_SESSION);
    }

    return found;
}


static const json_t *
wjwt_lint_wildcard(const json_t *claims)
{
    size_t   i;
    json_t  *perms, *item;

    perms = json_object_get(claims, "permissions");
    if (!json_is_array(perms)) {
        return NULL;
    }

    json_array_foreach(perms, i, item) {
        if (json_is_string(item)
            && memchr(json_string_value(item), '*', json_string_length(item))
               != NULL)
        {
            return item;
        }
    }

    return NULL;
}


size_t
wjwt_lint_detail(const wjwt_token_t *t, int code, int64_t now,
    int64_t max_lifetime, char *buf, size_t size)
{
    int            n;
    char           tmp[96];
    size_t         len;
    int64_t        exp, iat;
    const json_t  *v;

    len = 0;
    tmp[0] = '\0';

    switch (code) {

    case WJWT_LINT_WILDCARD_PERMISSION:
        len = wjwt_lint_put(buf, size, len, "permission ", 11);
        len = wjwt_lint_quote(wjwt_lint_wildcard(t->claims), 1, buf, size,
                              len);
        break;

    case WJWT_LINT_LONG_LIFETIME:
        exp = 0;
        iat = 0;
        (void) wjwt_claim_time(t->claims, "exp", &exp);
        (void) wjwt_claim_time(t->claims, "iat", &iat);
        n = snprintf(tmp, sizeof(tmp), "lifetime %llds exceeds %llds",
                     (long long) (exp - iat), (long long) max_lifetime);
        len = wjwt_lint_put(buf, size, len, tmp, (size_t) n);
        break;

    case WJWT_LINT_MISSING_AUD:
        len = wjwt_lint_put(buf, size, len, "no aud claim", 12);
        break;

    case WJWT_LINT_MISSING_IAT:
        len = wjwt_lint_put(buf, size, len, "no iat claim", 12);
        break;

    case WJWT_LINT_IAT_IN_FUTURE:
        iat = 0;
        (void) wjwt_claim_time(t->claims, "iat", &iat);
        n = snprintf(tmp, sizeof(tmp), "iat is %llds in the future",
                     (long long) (iat - now));
        len = wjwt_lint_put(buf, size, len, tmp, (size_t) n);
        break;

    case WJWT_LINT_MISSING_KID:
        len = wjwt_lint_put(buf, size, len, "no kid in the token header", 26);
        break;

    case WJWT_LINT_NON_RS256:
        len = wjwt_lint_put(buf, size, len, "alg ", 4);

        if (t->alg_name == NULL) {
            len = wjwt_lint_put(buf, size, len, "-", 1);
            break;
        }

        v = json_object_get(t->header, "alg");
        len = wjwt_lint_quote(v, 0, buf, size, len);
        break;

    case WJWT_LINT_MISSING_ORG:
        len = wjwt_lint_put(buf, size, len, "no org_id claim", 15);
        break;

    case WJWT_LINT_IMPERSONATED:
        v = json_object_get(json_object_get(t->claims, "act"), "sub");

        if (json_is_string(v)) {
            len = wjwt_lint_put(buf, size, len, "impersonator ", 13);
            len = wjwt_lint_quote(v, 1, buf, size, len);

        } else {
            len = wjwt_lint_put(buf, size, len, "act claim present", 17);
        }

        break;

    case WJWT_LINT_SSO_SESSION:
        len = wjwt_lint_put(buf, size, len, "connection_id ", 14);
        len = wjwt_lint_quote(json_object_get(t->claims, "connection_id"), 1,
                              buf, size, len);
        break;

    default:
        break;
    }

    if (len < size) {
        buf[len] = '\0';
    }

    return len;
}


/*
 * a claim value, in double quotes if quote is set, with bytes that could
 * forge log lines escaped as \xNN and long values cut short with "..."
 */

static size_t
wjwt_lint_quote(const json_t *v, int quote, char *buf, size_t size,
    size_t pos)
{
    char            hex[5];
    size_t          i, n, vlen;
    unsigned char   c, *val;

    if (v == NULL) {
        return wjwt_lint_put(buf, size, pos, "-", 1);
    }

    vlen = wjwt_json_text(v, NULL, 0);

    val = malloc(vlen + 1);
    if (val == NULL) {
        return wjwt_lint_put(buf, size, pos, "-", 1);
    }

    (void) wjwt_json_text(v, val, vlen + 1);

    n = vlen > WJWT_LINT_VALUE_MAX ? WJWT_LINT_VALUE_MAX : vlen;

    if (quote) {
        pos = wjwt_lint_put(buf, size, pos, "\"", 1);
    }

    for (i = 0; i < n; i++) {
        c = val[i];

        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            snprintf(hex, sizeof(hex), "\\x%02x", c);
            pos = wjwt_lint_put(buf, size, pos, hex, 4);

        } else {
            pos = wjwt_lint_put(buf, size, pos, (char *) &val[i], 1);
        }
    }

    if (n < vlen) {
        pos = wjwt_lint_put(buf, size, pos, "...", 3);
    }

    if (quote) {
        pos = wjwt_lint_put(buf, size, pos, "\"", 1);
    }

    free(val);

    return pos;
}


static size_t
wjwt_lint_put(char *buf, size_t size, size_t pos, const char *data,
    size_t len)
{
    size_t  n;

    if (pos < size) {
        n = size - pos;
        if (n > len) {
            n = len;
        }

        memcpy(buf + pos, data, n);
    }

    return pos + len;
}
