
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The verdict pipeline, wjwt_judge(): claim validation on signed tokens,
 * the order of the steps, several key sets, a verdict resumed from a
 * cache, the lookup, verified and revoked hooks, lint rules with lint on
 * and off, and the default WorkOS issuers.
 */


#include <wjwt.h>

#include "tap.h"
#include "keys.h"


#define NOW  1700000000LL


static EVP_PKEY       *key1, *key2;
static wjwt_keyset_t   set1, set2;


static const wjwt_str_t  issuers[] = {
    { 22, (const unsigned char *) "https://api.workos.com" },
    { 23, (const unsigned char *) "https://api.workos.com/" }
};

static const wjwt_str_t  audiences[] = {
    { 5, (const unsigned char *) "aud-1" },
    { 5, (const unsigned char *) "aud-2" }
};


/* hook calls, and what the hooks answer */
typedef struct {
    int                    lookups;
    int                    lookup_rc;
    uint64_t               lookup_fp;
    int                    verified;
    int                    verified_cache;
    int                    revoked;
    int                    revoked_rc;
} hooks_t;


static int
fixture_init(void)
{
    char  *j1, *j2, doc[8192];

    key1 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);
    key2 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t) 2048);

    if (key1 == NULL || key2 == NULL) {
        return -1;
    }

    j1 = rsa_jwk(key1, "\"kid\":\"k1\"");
    j2 = rsa_jwk(key2, "\"kid\":\"k2\"");

    snprintf(doc, sizeof(doc), "{\"keys\":[%s]}", j1);
    wjwt_keyset_add_json(&set1, (unsigned char *) doc, strlen(doc), NULL,
                         NULL, NULL, 0);

    snprintf(doc, sizeof(doc), "{\"keys\":[%s]}", j2);
    wjwt_keyset_add_json(&set2, (unsigned char *) doc, strlen(doc), NULL,
                         NULL, NULL, 0);

    free(j1);
    free(j2);

    return (set1.nkeys == 1 && set2.nkeys == 1) ? 0 : -1;
}


static int
hook_lookup(const wjwt_judge_t *j, wjwt_verdict_t *v, uint64_t *fp)
{
    hooks_t  *h = j->data;

    (void) v;

    h->lookups++;
    *fp = h->lookup_fp;

    return h->lookup_rc;
}


static void
hook_verified(const wjwt_judge_t *j, wjwt_verdict_t *v)
{
    hooks_t  *h = j->data;

    h->verified++;
    h->verified_cache = v->cache;
}


static int
hook_revoked(const wjwt_judge_t *j, const wjwt_verdict_t *v)
{
    hooks_t  *h = j->data;

    (void) v;

    h->revoked++;

    return h->revoked_rc;
}


/* a token judged under r with the key sets given, both by default */

static int
judge_token(const char *tok, const wjwt_rules_t *r,
    const wjwt_keyset_t **sets, size_t nsets, hooks_t *h,
    wjwt_verdict_t *out)
{
    int                   rc;
    wjwt_judge_t          j;
    wjwt_verdict_t        v;
    const wjwt_keyset_t  *both[2];

    if (sets == NULL) {
        both[0] = &set1;
        both[1] = &set2;
        sets = both;
        nsets = 2;
    }

    wjwt_judge_init(&j, r, sets, nsets, NOW);

    if (h != NULL) {
        j.lookup = hook_lookup;
        j.verified = hook_verified;
        j.revoked = hook_revoked;
        j.data = h;
    }

    if (out != NULL && out->resumed) {
        v = *out;

    } else {
        memset(&v, 0, sizeof(wjwt_verdict_t));
    }

    rc = wjwt_judge(&j, (const unsigned char *) tok, strlen(tok), &v);

    if (out != NULL) {
        *out = v;

    } else {
        wjwt_verdict_free(&v);
    }

    return rc;
}


/* claims signed by key1 (kid k1) */

static int
judge(const char *claims, const wjwt_rules_t *r, hooks_t *h,
    wjwt_verdict_t *out)
{
    int    rc;
    char  *tok;

    tok = sign_token(key1, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                     claims);

    rc = judge_token(tok, r, NULL, 0, h, out);

    /* the verdict's raw and signing input pointed into tok */

    if (out != NULL) {
        memset(&out->token.raw, 0, sizeof(wjwt_str_t));
        memset(&out->token.signing_input, 0, sizeof(wjwt_str_t));
    }

    free(tok);

    return rc;
}

/* the claim checks, on tokens whose signature verified */

static void
test_validate(void)
{
    char          claims[512];
    size_t        i;
    wjwt_rules_t  r;

    static const struct {
        const char  *name;
        const char  *claims;
        int          nissuers;
        int          naudiences;
        const char  *client_id;
        int          leeway;
        int          session_only;
        int          max_auth_age;
        int          expect;
    } cases[] = {
        { "plain", "{\"exp\":1700000001}", 0, 0, "", 0, 0, -1, WJWT_VALID },
        { "exp == now", "{\"exp\":1700000000}", 0, 0, "", 0, 0, -1,
          WJWT_EXPIRED },
        { "exp + leeway == now", "{\"exp\":1699999990}", 0, 0, "", 10, 0, -1,
          WJWT_EXPIRED },
        { "exp + leeway > now", "{\"exp\":1699999991}", 0, 0, "", 10, 0, -1,
          WJWT_VALID },
        { "real exp truncated", "{\"exp\":1700000000.9}", 0, 0, "", 0, 0, -1,
          WJWT_EXPIRED },
        { "nbf == now", "{\"exp\":1800000000,\"nbf\":1700000000}", 0, 0, "",
          0, 0, -1, WJWT_VALID },
        { "nbf > now", "{\"exp\":1800000000,\"nbf\":1700000001}", 0, 0, "",
          0, 0, -1, WJWT_NOT_YET_VALID },
        { "nbf within leeway", "{\"exp\":1800000000,\"nbf\":1700000005}", 0,
          0, "", 5, 0, -1, WJWT_VALID },
        { "nbf past leeway", "{\"exp\":1800000000,\"nbf\":1700000006}", 0, 0,
          "", 5, 0, -1, WJWT_NOT_YET_VALID },
        { "expired before nbf", "{\"exp\":1,\"nbf\":1800000000}", 0, 0, "",
          0, 0, -1, WJWT_EXPIRED },
        { "issuer match", "{\"exp\":1800000000,"
          "\"iss\":\"https://api.workos.com/\"}", 2, 0, "", 0, 0, -1,
          WJWT_VALID },
        { "issuer missing", "{\"exp\":1800000000}", 2, 0, "", 0, 0, -1,
          WJWT_BAD_ISSUER },
        { "issuer prefix", "{\"exp\":1800000000,"
          "\"iss\":\"https://api.workos.co\"}", 2, 0, "", 0, 0, -1,
          WJWT_BAD_ISSUER },
        { "issuer longer", "{\"exp\":1800000000,"
          "\"iss\":\"https://api.workos.com//\"}", 2, 0, "", 0, 0, -1,
          WJWT_BAD_ISSUER },
        { "issuer case", "{\"exp\":1800000000,"
          "\"iss\":\"https://API.workos.com\"}", 2, 0, "", 0, 0, -1,
          WJWT_BAD_ISSUER },
        { "issuer not checked", "{\"exp\":1800000000,\"iss\":\"x\"}", 0, 0,
          "", 0, 0, -1, WJWT_VALID },
        { "client_id equal", "{\"exp\":1800000000,\"client_id\":\"client_1\"}",
          0, 0, "client_1", 0, 0, -1, WJWT_VALID },
        { "client_id different", "{\"exp\":1800000000,"
          "\"client_id\":\"client_2\"}", 0, 0, "client_1", 0, 0, -1,
          WJWT_BAD_ISSUER },
        { "client_id absent", "{\"exp\":1800000000}", 0, 0, "client_1", 0, 0,
          -1, WJWT_VALID },
        { "aud string", "{\"exp\":1800000000,\"aud\":\"aud-2\"}", 0, 2, "", 0,
          0, -1, WJWT_VALID },
        { "aud array", "{\"exp\":1800000000,\"aud\":[\"x\",\"aud-1\"]}", 0, 2,
          "", 0, 0, -1, WJWT_VALID },
        { "aud array no match", "{\"exp\":1800000000,\"aud\":[\"x\",\"y\"]}",
          0, 2, "", 0, 0, -1, WJWT_BAD_AUDIENCE },
        { "aud empty array", "{\"exp\":1800000000,\"aud\":[]}", 0, 2, "", 0,
          0, -1, WJWT_BAD_AUDIENCE },
        { "aud missing", "{\"exp\":1800000000}", 0, 2, "", 0, 0, -1,
          WJWT_BAD_AUDIENCE },
        { "aud not checked", "{\"exp\":1800000000,\"aud\":\"z\"}", 0, 0, "",
          0, 0, -1, WJWT_VALID },
        { "issuer before audience", "{\"exp\":1800000000,\"iss\":\"x\"}", 2,
          2, "", 0, 0, -1, WJWT_BAD_ISSUER },
        { "session", "{\"exp\":1800000000,\"sid\":\"s\"}", 0, 0, "", 0, 1, -1,
          WJWT_VALID },
        { "not session", "{\"exp\":1800000000}", 0, 0, "", 0, 1, -1,
          WJWT_NOT_SESSION },
        { "audience before session", "{\"exp\":1800000000}", 0, 2, "", 0, 1,
          -1, WJWT_BAD_AUDIENCE },
        { "auth age ok", "{\"exp\":1800000000,\"auth_time\":1699999700}", 0,
          0, "", 0, 0, 300, WJWT_VALID },
        { "auth age over", "{\"exp\":1800000000,\"auth_time\":1699999699}", 0,
          0, "", 0, 0, 300, WJWT_STALE_AUTH },
        { "auth age within leeway",
          "{\"exp\":1800000000,\"auth_time\":1699999690}", 0, 0, "", 10, 0,
          300, WJWT_VALID },
        { "auth age missing", "{\"exp\":1800000000}", 0, 0, "", 0, 0, 300,
          WJWT_STALE_AUTH },
        { "auth age 0", "{\"exp\":1800000000,\"auth_time\":1700000000}", 0, 0,
          "", 0, 0, 0, WJWT_VALID },
        { "auth age off", "{\"exp\":1800000000}", 0, 0, "", 0, 0, -1,
          WJWT_VALID },
        { "session before auth age", "{\"exp\":1800000000}", 0, 0, "", 0, 1,
          300, WJWT_NOT_SESSION }
    };

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        wjwt_rules_init(&r);
        r.issuers = issuers;
        r.nissuers = cases[i].nissuers;
        r.audiences = audiences;
        r.naudiences = cases[i].naudiences;
        r.client_id.data = (const unsigned char *) cases[i].client_id;
        r.client_id.len = strlen(cases[i].client_id);
        r.leeway = cases[i].leeway;
        r.session_only = cases[i].session_only;
        r.max_auth_age = cases[i].max_auth_age;

        /* sub is required by the types, which come first */
        snprintf(claims, sizeof(claims), "{\"sub\":\"u\",%s",
                 cases[i].claims + 1);

        is_int(judge(claims, &r, NULL, NULL), cases[i].expect,
               "validate: %s", cases[i].name);
    }
}


/* the first failure is the status; no claim before the signature */

static void
test_order(void)
{
    char                 *tok;
    wjwt_rules_t          r;
    wjwt_verdict_t        v;
    const wjwt_keyset_t  *none[1], *empty[2];
    wjwt_keyset_t         nokeys;

    static const char  *ok_claims = "{\"sub\":\"u\",\"exp\":1800000000}";

    wjwt_rules_init(&r);
    memset(&nokeys, 0, sizeof(wjwt_keyset_t));

    tok = sign_token(key1, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                     ok_claims);

    is_int(judge_token(tok, &r, NULL, 0, NULL, NULL), WJWT_VALID,
           "order: a good token is valid");

    r.max_token_size = strlen(tok) - 1;
    is_int(judge_token(tok, &r, NULL, 0, NULL, NULL), WJWT_MALFORMED,
           "order: one byte over the size limit is malformed");
    r.max_token_size = 16384;

    is_int(judge_token("abc", &r, NULL, 0, NULL, NULL), WJWT_MALFORMED,
           "order: not a JWS");

    r.alg_mask = WJWT_ALG_BIT(WJWT_ES256);
    is_int(judge_token(tok, &r, NULL, 0, NULL, NULL), WJWT_ALG_NOT_ALLOWED,
           "order: alg outside the rules");

    none[0] = NULL;
    is_int(judge_token(tok, &r, none, 1, NULL, NULL), WJWT_ALG_NOT_ALLOWED,
           "order: alg before keys");
    r.alg_mask = WJWT_ALG_BIT(WJWT_RS256);

    empty[0] = NULL;
    empty[1] = &nokeys;
    is_int(judge_token(tok, &r, empty, 2, NULL, NULL), WJWT_KEYS_UNAVAILABLE,
           "order: no key set with keys");
    is_int(judge_token(tok, &r, empty, 0, NULL, NULL), WJWT_KEYS_UNAVAILABLE,
           "order: no key set at all");
    free(tok);

    tok = sign_token(key1, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k9\"}",
                     ok_claims);
    is_int(judge_token(tok, &r, NULL, 0, NULL, NULL), WJWT_UNKNOWN_KID,
           "order: unknown kid");
    free(tok);

    tok = sign_token(key2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                     "{\"sub\":1,\"exp\":1}");
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge_token(tok, &r, NULL, 0, NULL, &v) == WJWT_BAD_SIGNATURE
       && !v.verified && v.key == NULL,
       "order: signature before the claims");
    wjwt_verdict_free(&v);
    free(tok);

    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge("{\"sub\":1,\"exp\":1}", &r, NULL, &v) == WJWT_MALFORMED
       && v.verified && v.key == &set1.keys[0],
       "order: claim types before expiry, once verified");
    wjwt_verdict_free(&v);

    is_int(judge("{\"sub\":\"u\",\"exp\":1,\"nbf\":1800000000}", &r, NULL,
                 NULL),
           WJWT_EXPIRED, "order: expired before not yet valid");
}


/* several key sets: in order, a kid's own set is final */

static void
test_key_sets(void)
{
    char                 *tok;
    wjwt_rules_t          r;
    wjwt_verdict_t        v;
    const wjwt_keyset_t  *sets[2];

    static const char  *claims = "{\"sub\":\"u\",\"exp\":1800000000}";

    wjwt_rules_init(&r);

    tok = sign_token(key2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k2\"}",
                     claims);
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge_token(tok, &r, NULL, 0, NULL, &v) == WJWT_VALID
       && v.key == &set2.keys[0] && v.fingerprint == set2.keys[0].fingerprint
       && v.cache == WJWT_CACHE_NONE,
       "key sets: a kid unknown to the first set, found in the second");
    wjwt_verdict_free(&v);

    sets[0] = NULL;
    sets[1] = &set2;
    is_int(judge_token(tok, &r, sets, 2, NULL, NULL), WJWT_VALID,
           "key sets: an absent set is skipped");
    free(tok);

    tok = sign_token(key2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                     claims);
    is_int(judge_token(tok, &r, NULL, 0, NULL, NULL), WJWT_BAD_SIGNATURE,
           "key sets: a bad signature under the token's kid is final");
    free(tok);

    tok = sign_token(key2, WJWT_RS256, "{\"alg\":\"RS256\"}", claims);
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge_token(tok, &r, NULL, 0, NULL, &v) == WJWT_VALID
       && v.key == &set2.keys[0],
       "key sets: without kid, a key of the second set verifies");
    wjwt_verdict_free(&v);

    sets[0] = &set1;
    is_int(judge_token(tok, &r, sets, 1, NULL, NULL), WJWT_BAD_SIGNATURE,
           "key sets: without kid and the right key, a bad signature");
    free(tok);
}


/* a verdict as a cache of parsed tokens resumes it */

static void
resume(wjwt_verdict_t *v, const char *tok, uint64_t fingerprint)
{
    memset(v, 0, sizeof(wjwt_verdict_t));

    (void) wjwt_token_parse(&v->token, (const unsigned char *) tok,
                            strlen(tok), 16384);
    wjwt_token_facts(&v->token, &v->facts);

    v->fingerprint = fingerprint;
    v->resumed = 1;
}


/* a verdict resumed from a cache of parsed tokens */

static void
test_resume(void)
{
    char            *tok, *bad;
    wjwt_rules_t     r;
    wjwt_verdict_t   v;

    static const char  *claims = "{\"sub\":\"u\",\"exp\":1800000000}";

    wjwt_rules_init(&r);

    tok = sign_token(key1, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                     claims);

    /* the same token with another signature: only a cache can vouch */

    bad = strdup(tok);
    bad[strlen(bad) - 2] = (bad[strlen(bad) - 2] == 'A') ? 'B' : 'A';

    resume(&v, bad, set1.keys[0].fingerprint);

    ok(judge_token(bad, &r, NULL, 0, NULL, &v) == WJWT_VALID
       && v.cache == WJWT_CACHE_HIT && v.verified && v.key == &set1.keys[0],
       "resume: the key a cache names verifies, no signature checked");
    wjwt_verdict_free(&v);

    resume(&v, bad, set2.keys[0].fingerprint);

    ok(judge_token(bad, &r, NULL, 0, NULL, &v) == WJWT_BAD_SIGNATURE
       && !v.resumed && v.cache == WJWT_CACHE_NONE && !v.verified,
       "resume: a key gone from the sets: parsed and verified again");
    wjwt_verdict_free(&v);

    resume(&v, tok, set1.keys[0].fingerprint);
    r.alg_mask = WJWT_ALG_BIT(WJWT_PS256);

    ok(judge_token(tok, &r, NULL, 0, NULL, &v) == WJWT_ALG_NOT_ALLOWED
       && !v.verified,
       "resume: the alg rule still applies");
    wjwt_verdict_free(&v);

    free(tok);
    free(bad);
}


/* the hooks: lookup, verified, revoked */

static void
test_hooks(void)
{
    char            *tok;
    hooks_t          h;
    wjwt_rules_t     r;
    wjwt_verdict_t   v;

    static const char  *claims =
        "{\"sub\":\"u\",\"sid\":\"s\",\"exp\":1800000000}";

    wjwt_rules_init(&r);

    memset(&h, 0, sizeof(hooks_t));
    h.lookup_rc = 1;
    h.lookup_fp = set1.keys[0].fingerprint;
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge(claims, &r, &h, &v) == WJWT_VALID && v.cache == WJWT_CACHE_HIT
       && h.lookups == 1 && h.verified == 1
       && h.verified_cache == WJWT_CACHE_HIT && h.revoked == 1,
       "hooks: a lookup hit, then verified (HIT) and revoked");
    wjwt_verdict_free(&v);

    memset(&h, 0, sizeof(hooks_t));
    h.lookup_rc = 1;
    h.lookup_fp = 12345;
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge(claims, &r, &h, &v) == WJWT_VALID && v.cache == WJWT_CACHE_MISS
       && h.verified == 1 && h.verified_cache == WJWT_CACHE_MISS,
       "hooks: a lookup naming no key of the sets is a miss, verified");
    wjwt_verdict_free(&v);

    memset(&h, 0, sizeof(hooks_t));
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge(claims, &r, &h, &v) == WJWT_VALID && v.cache == WJWT_CACHE_MISS
       && h.lookups == 1 && h.verified == 1,
       "hooks: no lookup answer is a miss");
    wjwt_verdict_free(&v);

    memset(&h, 0, sizeof(hooks_t));
    h.lookup_rc = -1;
    ok(judge(claims, &r, &h, NULL) == -1 && h.verified == 0,
       "hooks: a failed lookup fails the judge");

    memset(&h, 0, sizeof(hooks_t));
    tok = sign_token(key2, WJWT_RS256, "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                     claims);
    ok(judge_token(tok, &r, NULL, 0, &h, NULL) == WJWT_BAD_SIGNATURE
       && h.lookups == 1 && h.verified == 0 && h.revoked == 0,
       "hooks: no verified call for a bad signature");
    free(tok);

    memset(&h, 0, sizeof(hooks_t));
    ok(judge_token("abc", &r, NULL, 0, &h, NULL) == WJWT_MALFORMED
       && h.lookups == 0,
       "hooks: no lookup for a malformed token");
}


/* the revocation hook: after not_session, before stale_auth */

static void
test_revoked(void)
{
    hooks_t       h;
    wjwt_rules_t  r;

    wjwt_rules_init(&r);
    r.session_only = 1;

    memset(&h, 0, sizeof(hooks_t));
    h.revoked_rc = WJWT_BAD_ISSUER;
    ok(judge("{\"sub\":\"u\",\"exp\":1800000000}", &r, &h, NULL)
       == WJWT_NOT_SESSION && h.revoked == 0,
       "revoked: not_session comes first");

    ok(judge("{\"sub\":\"u\",\"sid\":\"s\",\"exp\":1}", &r, &h, NULL)
       == WJWT_EXPIRED && h.revoked == 0,
       "revoked: not asked for an expired token");

    ok(judge("{\"sub\":\"u\",\"sid\":\"s\",\"exp\":1800000000}", &r, &h,
             NULL)
       == WJWT_BAD_ISSUER && h.revoked == 1,
       "revoked: its status is the verdict");

    r.max_auth_age = 60;
    ok(judge("{\"sub\":\"u\",\"sid\":\"s\",\"exp\":1800000000}", &r, &h,
             NULL)
       == WJWT_BAD_ISSUER && h.revoked == 2,
       "revoked: before stale_auth");

    h.revoked_rc = WJWT_VALID;
    ok(judge("{\"sub\":\"u\",\"sid\":\"s\",\"exp\":1800000000}", &r, &h,
             NULL)
       == WJWT_STALE_AUTH && h.revoked == 3,
       "revoked: a valid answer goes on to stale_auth");
}


/* lint rules: listed with lint on, rejecting with lint on or off */

static void
test_lint_rules(void)
{
    unsigned        act, aud;
    wjwt_rules_t    r;
    wjwt_verdict_t  v;

    static const char  *claims =
        "{\"sub\":\"u\",\"exp\":1700003600,\"iat\":1699999999,"
        "\"org_id\":\"o\",\"act\":{\"sub\":\"admin\"}}";

    act = WJWT_LINT_BIT(WJWT_LINT_IMPERSONATED);
    aud = WJWT_LINT_BIT(WJWT_LINT_MISSING_AUD);

    wjwt_rules_init(&r);
    r.lint = 1;
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge(claims, &r, NULL, &v) == WJWT_VALID && v.lint == (act | aud)
       && v.lint_rejecting == 0,
       "lint: on, findings listed");
    wjwt_verdict_free(&v);

    r.lint_ignore = aud;
    r.lint_reject = act;
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge(claims, &r, NULL, &v) == WJWT_LINT_REJECTED && v.lint == act
       && v.lint_rejecting == act,
       "lint: on, a reject code rejects, an ignored code is not listed");
    wjwt_verdict_free(&v);

    r.lint = 0;
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge(claims, &r, NULL, &v) == WJWT_LINT_REJECTED && v.lint == 0
       && v.lint_rejecting == act,
       "lint: off, a reject code still rejects, nothing listed");
    wjwt_verdict_free(&v);

    r.lint_ignore = act;
    is_int(judge(claims, &r, NULL, NULL), WJWT_VALID,
           "lint: an ignored code does not reject");

    r.lint_ignore = 0;
    r.lint_reject = WJWT_LINT_BIT(WJWT_LINT_LONG_LIFETIME);
    r.lint_max_lifetime = 3600;
    is_int(judge(claims, &r, NULL, NULL), WJWT_LINT_REJECTED,
           "lint: off, a clock finding (long_lifetime) rejects");

    r.lint_reject = 0;
    memset(&v, 0, sizeof(wjwt_verdict_t));
    ok(judge(claims, &r, NULL, &v) == WJWT_VALID && v.lint == 0,
       "lint: off and no reject codes, nothing found");
    wjwt_verdict_free(&v);
}


static void
test_issuers_and_times(void)
{
    wjwt_str_t     s[WJWT_DEFAULT_ISSUERS];
    wjwt_rules_t   r;
    wjwt_claims_t  c;
    unsigned char  buf[wjwt_default_issuers_size(10)];

    wjwt_default_issuers(s, (const unsigned char *) "client_123", 10, buf);

    ok(s[0].len == 22 && memcmp(s[0].data, "https://api.workos.com", 22) == 0
       && s[1].len == 23
       && memcmp(s[1].data, "https://api.workos.com/", 23) == 0
       && s[2].len == 49
       && memcmp(s[2].data,
                 "https://api.workos.com/user_management/client_123", 49)
          == 0,
       "issuers: the WorkOS defaults of a client");

    wjwt_rules_init(&r);
    r.issuers = s;
    r.nissuers = WJWT_DEFAULT_ISSUERS;
    is_int(judge("{\"sub\":\"u\",\"exp\":1800000000,\"iss\":"
                 "\"https://api.workos.com/user_management/client_123\"}",
                 &r, NULL, NULL),
           WJWT_VALID, "issuers: the user_management issuer is accepted");
    is_int(judge("{\"sub\":\"u\",\"exp\":1800000000,\"iss\":"
                 "\"https://api.workos.com/user_management/client_12\"}",
                 &r, NULL, NULL),
           WJWT_BAD_ISSUER, "issuers: another client's is not");

    memset(&c, 0, sizeof(wjwt_claims_t));
    c.has_exp = 1;
    c.exp = NOW + 1;
    is_int(wjwt_claims_times(&c, NOW, 0), WJWT_VALID, "times: exp ahead");
    is_int(wjwt_claims_times(&c, NOW + 1, 0), WJWT_EXPIRED,
           "times: exp == now");
    is_int(wjwt_claims_times(&c, NOW + 1, 1), WJWT_VALID,
           "times: exp within leeway");
    c.has_nbf = 1;
    c.nbf = NOW + 5;
    is_int(wjwt_claims_times(&c, NOW, 4), WJWT_NOT_YET_VALID,
           "times: nbf past leeway");
}


int
main(void)
{
    if (!ok(fixture_init() == 0, "judge: two key sets of one RSA key each")) {
        return done_testing();
    }

    test_validate();
    test_order();
    test_key_sets();
    test_resume();
    test_hooks();
    test_revoked();
    test_lint_rules();
    test_issuers_and_times();

    wjwt_keyset_free(&set1);
    wjwt_keyset_free(&set2);
    EVP_PKEY_free(key1);
    EVP_PKEY_free(key2);

    return done_testing();
}
