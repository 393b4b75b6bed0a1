
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The verdict: one pipeline from the token's bytes to its status word,
 * called by the module, workos-jwt, the fuzzers and the benchmark.  The
 * module's caches join it through the judge's hooks; nothing here knows
 * of them.
 */


#include <stdio.h>
#include <string.h>

#include "wjwt.h"


static int wjwt_judge_signature(const wjwt_judge_t *j,
    const unsigned char *data, size_t len, wjwt_verdict_t *v);
static int wjwt_judge_parse(const wjwt_judge_t *j, const unsigned char *data,
    size_t len, wjwt_verdict_t *v);
static int wjwt_judge_cached(const wjwt_judge_t *j, wjwt_verdict_t *v);
static int wjwt_judge_verify(const wjwt_judge_t *j, wjwt_verdict_t *v);
static const wjwt_key_t *wjwt_judge_key(const wjwt_judge_t *j,
    const wjwt_token_t *t, uint64_t fingerprint);
static int wjwt_judge_claims(const wjwt_judge_t *j, wjwt_verdict_t *v);
static int wjwt_judge_lint(const wjwt_judge_t *j, wjwt_verdict_t *v);
static int wjwt_judge_issuer(const wjwt_claims_t *c, const wjwt_rules_t *r);
static int wjwt_judge_audience(const wjwt_claims_t *c,
    const wjwt_rules_t *r);


static const char  *wjwt_status_words[WJWT_STATUS_COUNT] = {
    "valid",
    "missing",
    "malformed",
    "alg_not_allowed",
    "unknown_kid",
    "bad_signature",
    "expired",
    "not_yet_valid",
    "bad_issuer",
    "bad_audience",
    "not_session",
    "revoked",
    "stale_auth",
    "lint_rejected",
    "keys_unavailable"
};


static const char  *wjwt_status_sentences[WJWT_STATUS_COUNT] = {
    "",
    "no token was provided",
    "the token is malformed",
    "the token's algorithm is not allowed",
    "no key matches the token's key id",
    "the token's signature is invalid",
    "the token has expired",
    "the token is not valid yet",
    "the token's issuer is not accepted",
    "the token's audience is not accepted",
    "the token is not a WorkOS session token",
    "the token's session was revoked",
    "the authentication is too old for this location",
    "the token was rejected by a lint rule",
    "no signing keys are available"
};


const char *
wjwt_status_word(int status)
{
    if (status < 0 || status >= WJWT_STATUS_COUNT) {
        return NULL;
    }

    return wjwt_status_words[status];
}


const char *
wjwt_status_sentence(int status)
{
    if (status < 0 || status >= WJWT_STATUS_COUNT) {
        return NULL;
    }

    return wjwt_status_sentences[status];
}


void
wjwt_rules_init(wjwt_rules_t *r)
{
    memset(r, 0, sizeof(wjwt_rules_t));

    r->alg_mask = WJWT_ALG_BIT(WJWT_RS256);
    r->max_auth_age = -1;
    r->max_token_size = WJWT_DEFAULT_MAX_TOKEN;
    r->lint_max_lifetime = WJWT_DEFAULT_MAX_LIFETIME;
}


void
wjwt_judge_init(wjwt_judge_t *j, const wjwt_rules_t *rules,
    const wjwt_keyset_t **keys, size_t nkeys, int64_t now)
{
    memset(j, 0, sizeof(wjwt_judge_t));

    j->rules = rules;
    j->keys = keys;
    j->nkeys = nkeys;
    j->now = now;
}


int
wjwt_judge(const wjwt_judge_t *j, const unsigned char *data, size_t len,
    wjwt_verdict_t *v)
{
    v->status = wjwt_judge_signature(j, data, len, v);

    if (v->status == WJWT_VALID) {
        v->status = wjwt_judge_claims(j, v);
    }

    return v->status;
}


void
wjwt_verdict_free(wjwt_verdict_t *v)
{
    wjwt_token_free(&v->token);
}


/* syntax, alg, key and signature, or what a cache remembers of them */

static int
wjwt_judge_signature(const wjwt_judge_t *j, const unsigned char *data,
    size_t len, wjwt_verdict_t *v)
{
    int     rc;
    size_t  i;

    if (len > j->rules->max_token_size) {
        return WJWT_MALFORMED;
    }

    if (!v->resumed) {
        rc = wjwt_token_parse(&v->token, data, len, j->rules->max_token_size);
        if (rc != WJWT_VALID) {
            return rc;
        }
    }

    if (v->token.alg == WJWT_ALG_UNKNOWN
        || !(j->rules->alg_mask & WJWT_ALG_BIT(v->token.alg)))
    {
        return WJWT_ALG_NOT_ALLOWED;
    }

    for (i = 0; i < j->nkeys; i++) {
        if (j->keys[i] != NULL && j->keys[i]->nkeys != 0) {
            break;
        }
    }

    if (i == j->nkeys) {
        return WJWT_KEYS_UNAVAILABLE;
    }

    if (v->resumed) {
        v->key = wjwt_judge_key(j, &v->token, v->fingerprint);

        if (v->key != NULL) {
            v->cache = WJWT_CACHE_HIT;
            v->verified = 1;
            return WJWT_VALID;
        }

        /* its key left the key sets: parse and verify again */

        v->resumed = 0;
        wjwt_token_free(&v->token);

        rc = wjwt_judge_parse(j, data, len, v);

    } else {
        wjwt_token_facts(&v->token, &v->facts);
        rc = WJWT_VALID;
    }

    if (rc == WJWT_VALID && j->lookup != NULL) {
        rc = wjwt_judge_cached(j, v);
    }

    if (rc == WJWT_VALID && !v->verified) {
        rc = wjwt_judge_verify(j, v);
    }

    if (rc == WJWT_VALID && j->verified != NULL) {
        j->verified(j, v);
    }

    return rc;
}


static int
wjwt_judge_parse(const wjwt_judge_t *j, const unsigned char *data,
    size_t len, wjwt_verdict_t *v)
{
    int  rc;

    rc = wjwt_token_parse(&v->token, data, len, j->rules->max_token_size);

    if (rc == WJWT_VALID) {
        wjwt_token_facts(&v->token, &v->facts);
    }

    return rc;
}


/* the lookup hook: a cache may know the key this token verified under */

static int
wjwt_judge_cached(const wjwt_judge_t *j, wjwt_verdict_t *v)
{
    int       rc;
    uint64_t  fp;

    rc = j->lookup(j, v, &fp);

    if (rc < 0) {
        return -1;
    }

    if (rc == 1) {
        v->key = wjwt_judge_key(j, &v->token, fp);
    }

    if (v->key == NULL) {
        v->cache = WJWT_CACHE_MISS;
        return WJWT_VALID;
    }

    v->fingerprint = fp;
    v->cache = WJWT_CACHE_HIT;
    v->verified = 1;

    return WJWT_VALID;
}


/*
 * The key sets in order: a kid unknown to one set may be in the next,
 * and a token without kid may fit a key of any; a bad signature under
 * the token's own kid is final.
 */

static int
wjwt_judge_verify(const wjwt_judge_t *j, wjwt_verdict_t *v)
{
    int     rc, rc2;
    size_t  i;

    rc = WJWT_KEYS_UNAVAILABLE;

    for (i = 0; i < j->nkeys; i++) {

        if (j->keys[i] == NULL || j->keys[i]->nkeys == 0) {
            continue;
        }

        if (rc != WJWT_KEYS_UNAVAILABLE && rc != WJWT_UNKNOWN_KID
            && !(rc == WJWT_BAD_SIGNATURE && v->token.kid == NULL))
        {
            break;
        }

        rc2 = wjwt_token_verify(&v->token, j->keys[i], j->rules->alg_mask,
                                &v->key);

        if (rc2 == WJWT_VALID) {
            v->fingerprint = v->key->fingerprint;
            v->verified = 1;
            return WJWT_VALID;
        }

        if (rc == WJWT_KEYS_UNAVAILABLE || rc2 == WJWT_BAD_SIGNATURE) {
            rc = rc2;
        }
    }

    v->key = NULL;

    return rc;
}


/* the key of a cached verification, if it is still in a key set */

static const wjwt_key_t *
wjwt_judge_key(const wjwt_judge_t *j, const wjwt_token_t *t,
    uint64_t fingerprint)
{
    size_t                i, k;
    const wjwt_key_t     *key;
    const wjwt_keyset_t  *ks;

    for (k = 0; k < j->nkeys; k++) {
        ks = j->keys[k];

        if (ks == NULL) {
            continue;
        }

        if (t->kid != NULL) {
            key = wjwt_keyset_find(ks, t->kid, t->kid_len);

            if (key != NULL && key->fingerprint == fingerprint
                && wjwt_key_fits(key, t->alg))
            {
                return key;
            }

            continue;
        }

        for (i = 0; i < ks->nkeys; i++) {
            key = &ks->keys[i];

            if (key->fingerprint == fingerprint
                && wjwt_key_fits(key, t->alg))
            {
                return key;
            }
        }
    }

    return NULL;
}


int
wjwt_token_verify(const wjwt_token_t *t, const wjwt_keyset_t *ks,
    unsigned alg_mask, const wjwt_key_t **used)
{
    size_t             i;
    int                fits;
    const wjwt_key_t  *key;

    if (used != NULL) {
        *used = NULL;
    }

    if (t->alg < 0 || t->alg >= WJWT_ALG_COUNT
        || (alg_mask & WJWT_ALG_BIT(t->alg)) == 0)
    {
        return WJWT_ALG_NOT_ALLOWED;
    }

    if (ks == NULL || ks->nkeys == 0) {
        return WJWT_KEYS_UNAVAILABLE;
    }

    if (t->kid != NULL) {
        key = wjwt_keyset_find(ks, t->kid, t->kid_len);

        if (key == NULL || !wjwt_key_fits(key, t->alg)) {
            return WJWT_UNKNOWN_KID;
        }

        if (!wjwt_key_verify(key, t->alg, t->signing_input.data,
                             t->signing_input.len, t->sig, t->sig_len))
        {
            return WJWT_BAD_SIGNATURE;
        }

        if (used != NULL) {
            *used = key;
        }

        return WJWT_VALID;
    }

    fits = 0;

    for (i = 0; i < ks->nkeys; i++) {
        key = &ks->keys[i];

        if (!wjwt_key_fits(key, t->alg)) {
            continue;
        }

        fits = 1;

        if (wjwt_key_verify(key, t->alg, t->signing_input.data,
                            t->signing_input.len, t->sig, t->sig_len))
        {
            if (used != NULL) {
                *used = key;
            }

            return WJWT_VALID;
        }
    }

    return fits ? WJWT_BAD_SIGNATURE : WJWT_UNKNOWN_KID;
}


/* the claims, once the signature verified */

static int
wjwt_judge_claims(const wjwt_judge_t *j, wjwt_verdict_t *v)
{
    int                  rc;
    const wjwt_rules_t  *r;
    const wjwt_claims_t *c;

    r = j->rules;
    c = &v->facts.claims;

    if (v->facts.types != WJWT_VALID || !c->has_exp) {
        return WJWT_MALFORMED;
    }

    rc = wjwt_claims_times(c, j->now, r->leeway);
    if (rc != WJWT_VALID) {
        return rc;
    }

    rc = wjwt_judge_issuer(c, r);
    if (rc != WJWT_VALID) {
        return rc;
    }

    rc = wjwt_judge_audience(c, r);
    if (rc != WJWT_VALID) {
        return rc;
    }

    if (r->session_only && !json_is_string(c->sid)) {
        return WJWT_NOT_SESSION;
    }

    if (j->revoked != NULL) {
        rc = j->revoked(j, v);
        if (rc != WJWT_VALID) {
            return rc;
        }
    }

    if (r->max_auth_age >= 0
        && (!c->has_auth_time
            || j->now - c->auth_time > r->max_auth_age + r->leeway))
    {
        return WJWT_STALE_AUTH;
    }

    return wjwt_judge_lint(j, v);
}


int
wjwt_claims_times(const wjwt_claims_t *c, int64_t now, int64_t leeway)
{
    if (now >= c->exp + leeway) {
        return WJWT_EXPIRED;
    }

    if (c->has_nbf && now + leeway < c->nbf) {
        return WJWT_NOT_YET_VALID;
    }

    return WJWT_VALID;
}


/* the iss list, and a client_id claim present and different */

static int
wjwt_judge_issuer(const wjwt_claims_t *c, const wjwt_rules_t *r)
{
    size_t             i;
    const wjwt_str_t  *s;

    if (r->nissuers > 0) {
        for (i = 0; i < r->nissuers; i++) {
            s = &r->issuers[i];

            if (wjwt_json_str_eq(c->iss, s->data, s->len)) {
                break;
            }
        }

        if (i == r->nissuers) {
            return WJWT_BAD_ISSUER;
        }
    }

    s = &r->client_id;

    if (s->len > 0 && c->client_id != NULL
        && !wjwt_json_str_eq(c->client_id, s->data, s->len))
    {
        return WJWT_BAD_ISSUER;
    }

    return WJWT_VALID;
}


/* aud, a string or an array of strings, holds one of the audiences */

static int
wjwt_judge_audience(const wjwt_claims_t *c, const wjwt_rules_t *r)
{
    size_t             i, k;
    json_t            *item;
    const wjwt_str_t  *s;

    if (r->naudiences == 0) {
        return WJWT_VALID;
    }

    for (i = 0; i < r->naudiences; i++) {
        s = &r->audiences[i];

        if (!json_is_array(c->aud)) {
            if (wjwt_json_str_eq(c->aud, s->data, s->len)) {
                return WJWT_VALID;
            }

            continue;
        }

        json_array_foreach(c->aud, k, item) {
            if (wjwt_json_str_eq(item, s->data, s->len)) {
                return WJWT_VALID;
            }
        }
    }

    return WJWT_BAD_AUDIENCE;
}


/*
 * The findings are listed only with lint on, but lint_reject is a rule
 * of the location: it is judged either way.
 */

static int
wjwt_judge_lint(const wjwt_judge_t *j, wjwt_verdict_t *v)
{
    unsigned             found;
    const wjwt_rules_t  *r;

    r = j->rules;

    if (!r->lint && (r->lint_reject & ~r->lint_ignore) == 0) {
        return WJWT_VALID;
    }

    found = wjwt_lint_run(&v->facts, j->now, r->leeway, r->lint_max_lifetime)
            & ~r->lint_ignore;

    if (r->lint) {
        v->lint = found;
    }

    v->lint_rejecting = found & r->lint_reject;

    return v->lint_rejecting ? WJWT_LINT_REJECTED : WJWT_VALID;
}


void
wjwt_default_issuers(wjwt_str_t *issuers, const unsigned char *client_id,
    size_t len, unsigned char *buf)
{
    size_t  n;

    n = sizeof(WJWT_WORKOS_UM_ISSUER) - 1;

    memcpy(buf, WJWT_WORKOS_UM_ISSUER, n);
    memcpy(buf + n, client_id, len);

    issuers[0].data = (const unsigned char *) WJWT_WORKOS_ISSUER;
    issuers[0].len = sizeof(WJWT_WORKOS_ISSUER) - 1;
    issuers[1].data = (const unsigned char *) WJWT_WORKOS_ISSUER "/";
    issuers[1].len = sizeof(WJWT_WORKOS_ISSUER);
    issuers[2].data = buf;
    issuers[2].len = n + len;
}
