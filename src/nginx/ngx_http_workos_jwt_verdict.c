
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The verdict: the request context, the token judged once per request under
 * the location's rules, with both caches in front of the signature check,
 * and the rate-limited lint log.
 */


#include "ngx_http_workos_jwt_module.h"


#define NGX_HTTP_WORKOS_JWT_LINT_SILENCE  60


typedef struct {
    time_t                     logged;
    ngx_uint_t                 suppressed;
} ngx_http_workos_jwt_lint_log_t;


static void ngx_http_workos_jwt_cleanup(void *data);
static ngx_uint_t ngx_http_workos_jwt_judge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static void ngx_http_workos_jwt_facts(
    wjwt_token_t *t, ngx_http_workos_jwt_facts_t *f);
static int ngx_http_workos_jwt_verify(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_http_workos_jwt_keys_t *remote, ngx_http_workos_jwt_keys_t *files,
    ngx_uint_t algorithms, ngx_http_workos_jwt_keys_t **used);
static const wjwt_key_t *ngx_http_workos_jwt_cached_key(
    ngx_http_workos_jwt_ctx_t *ctx,
    ngx_http_workos_jwt_keys_t *remote, ngx_http_workos_jwt_keys_t *files,
    uint64_t fp);
static void ngx_http_workos_jwt_log_lint(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static void ngx_http_workos_jwt_log_safe(ngx_str_t *s);


static EVP_MD  *ngx_http_workos_jwt_sha256;


/* per worker process: when each lint code was last logged */
static ngx_http_workos_jwt_lint_log_t
    ngx_http_workos_jwt_lint_log[WJWT_LINT_COUNT];


ngx_http_workos_jwt_ctx_t *
ngx_http_workos_jwt_get_ctx(ngx_http_request_t *r)
{
    ngx_pool_cleanup_t         *cln;
    ngx_http_workos_jwt_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_workos_jwt_module);

    if (ctx != NULL) {
        return ctx;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_workos_jwt_ctx_t));
    if (ctx == NULL) {
        return NULL;
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    cln->handler = ngx_http_workos_jwt_cleanup;
    cln->data = ctx;

    ngx_http_set_ctx(r, ctx, ngx_http_workos_jwt_module);

    return ctx;
}


static void
ngx_http_workos_jwt_cleanup(void *data)
{
    ngx_http_workos_jwt_ctx_t  *ctx = data;

    wjwt_token_free(&ctx->token);
}


/*
 * The verdict for the request's token under the location's rules, made
 * once and kept in the ctx; made again only when another location's
 * rules ask (e.g. server-level rewrites) or new keys arrived.
 */

ngx_http_workos_jwt_ctx_t *
ngx_http_workos_jwt_evaluate(ngx_http_request_t *r)
{
    ngx_http_workos_jwt_ctx_t       *ctx;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    ctx = ngx_http_workos_jwt_get_ctx(r);
    if (ctx == NULL) {
        return NULL;
    }

    if (ctx->jlcf == jlcf) {
        return ctx;
    }

    wjwt_token_free(&ctx->token);

    ctx->jlcf = jlcf;
    ctx->key = NULL;
    ctx->lint = 0;
    ctx->cache = NGX_HTTP_WORKOS_JWT_CACHE_NONE;
    ctx->verified = 0;

    ngx_str_null(&ctx->reason);

    if (jlcf->revocation != NULL) {
        ngx_http_workos_jwt_revocation_poll(r, jlcf->revocation);
    }

    ctx->status = ngx_http_workos_jwt_judge(r, jlcf, ctx);

    if (ctx->status == (ngx_uint_t) NGX_ERROR) {
        return NULL;
    }

    if (ctx->status == WJWT_VALID
        && !ngx_http_workos_jwt_session_matches(ctx))
    {
        ctx->status = WJWT_MALFORMED;
        ngx_str_set(&ctx->reason,
                    "the session's user does not match its token");
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "workos jwt status: \"%s\"",
                   wjwt_status_word(ctx->status));

    return ctx;
}


static ngx_uint_t
ngx_http_workos_jwt_judge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    int                               rc;
    time_t                            exp;
    uint64_t                          fp;
    ngx_int_t                         found;
    ngx_uint_t                        code, parsed;
    wjwt_policy_t                     policy;
    ngx_http_workos_jwt_keys_t       *remote, *used;
    ngx_http_workos_jwt_facts_t       facts;
    ngx_http_workos_jwt_main_conf_t  *jmcf;
    ngx_http_workos_jwt_cache_node_t *shared;
    u_char                            digest[EVP_MAX_MD_SIZE];

    ngx_memzero(&ctx->token, sizeof(wjwt_token_t));

    found = ngx_http_workos_jwt_find_token(r, jlcf, ctx);

    if (found == NGX_ERROR) {
        return NGX_ERROR;
    }

    if (found == NGX_DECLINED) {
        return WJWT_MISSING;
    }

    if (found == NGX_ABORT) {
        return WJWT_MALFORMED;
    }

    parsed = 0;

    if (!jlcf->cache || ctx->raw.len > jlcf->max_token_size
        || ngx_http_workos_jwt_l1_lookup(r, &ctx->raw, &ctx->token, &fp,
                                         &facts)
           != NGX_OK)
    {
        rc = wjwt_token_parse(&ctx->token, ctx->raw.data, ctx->raw.len,
                              jlcf->max_token_size);
        if (rc != WJWT_VALID) {
            return rc;
        }

        parsed = 1;
    }

    if (ctx->token.alg == WJWT_ALG_UNKNOWN
        || !(jlcf->algorithms & WJWT_ALG_BIT(ctx->token.alg)))
    {
        return WJWT_ALG_NOT_ALLOWED;
    }

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);

    remote = (jlcf->jwks != NULL)
             ? ngx_http_workos_jwt_remote_keys(r, jlcf) : NULL;

    if (remote == NULL && jlcf->keys == NULL) {
        return WJWT_KEYS_UNAVAILABLE;
    }

    if (!parsed) {
        ctx->key = ngx_http_workos_jwt_cached_key(ctx, remote, jlcf->keys,
                                                  fp);
        if (ctx->key != NULL) {
            ctx->cache = NGX_HTTP_WORKOS_JWT_CACHE_HIT;
            (void) ngx_atomic_fetch_add(&jmcf->sh->cache_hits, 1);
            goto verified;
        }

        /* its key left the key set: parse and verify again */

        wjwt_token_free(&ctx->token);

        rc = wjwt_token_parse(&ctx->token, ctx->raw.data, ctx->raw.len,
                              jlcf->max_token_size);
        if (rc != WJWT_VALID) {
            return rc;
        }
    }

    ngx_http_workos_jwt_facts(&ctx->token, &facts);

    exp = (facts.claims.has_exp && facts.claims.exp > 0
           && facts.claims.exp <= WJWT_MAX_TIME)
          ? (time_t) facts.claims.exp : 0;

    if (jlcf->cache) {
        if (EVP_Digest(ctx->raw.data, ctx->raw.len, digest, NULL,
                       ngx_http_workos_jwt_sha256, NULL)
            != 1)
        {
            return NGX_ERROR;
        }

        if (ngx_http_workos_jwt_cache_lookup(r, digest, &fp, &shared)
            == NGX_OK)
        {
            ctx->key = ngx_http_workos_jwt_cached_key(ctx, remote,
                                                      jlcf->keys, fp);
        }

        if (ctx->key != NULL) {
            ctx->cache = NGX_HTTP_WORKOS_JWT_CACHE_HIT;
            (void) ngx_atomic_fetch_add(&jmcf->sh->cache_hits, 1);
            ngx_http_workos_jwt_l1_store(&ctx->raw, &ctx->token, exp, fp,
                                         &facts, shared, digest);
            goto verified;
        }

        ctx->cache = NGX_HTTP_WORKOS_JWT_CACHE_MISS;
        (void) ngx_atomic_fetch_add(&jmcf->sh->cache_misses, 1);
    }

    rc = ngx_http_workos_jwt_verify(ctx, remote, jlcf->keys,
                                    jlcf->algorithms, &used);
    if (rc != WJWT_VALID) {
        return rc;
    }

    if (jlcf->cache && exp != 0) {
        fp = ngx_http_workos_jwt_key_fingerprint(used, ctx->key);
        shared = ngx_http_workos_jwt_cache_store(r, digest, exp, fp);
        ngx_http_workos_jwt_l1_store(&ctx->raw, &ctx->token, exp, fp,
                                     &facts, shared, digest);
    }

verified:

    ctx->verified = 1;

    if (facts.types != WJWT_VALID) {
        return facts.types;
    }

    ngx_memzero(&policy, sizeof(wjwt_policy_t));

    if (jlcf->accepted_issuers != NULL) {
        policy.issuers = jlcf->accepted_issuers->elts;
        policy.nissuers = jlcf->accepted_issuers->nelts;
    }

    if (jlcf->audiences != NULL) {
        policy.audiences = jlcf->audiences->elts;
        policy.naudiences = jlcf->audiences->nelts;
    }

    policy.client_id.len = jlcf->client_id.len;
    policy.client_id.data = jlcf->client_id.data;
    policy.now = ngx_time();
    policy.leeway = jlcf->leeway;
    policy.session_only = (jlcf->token_type == NGX_HTTP_WORKOS_JWT_SESSION);
    policy.max_auth_age = jlcf->max_auth_age;

    rc = wjwt_claims_judge(&facts.claims, &policy);

    /* revoked comes after not_session and before stale_auth */

    if ((rc == WJWT_VALID || rc == WJWT_STALE_AUTH)
        && jlcf->revocation != NULL
        && ngx_http_workos_jwt_revoked(r, ctx->token.claims))
    {
        return WJWT_REVOKED;
    }

    if (rc != WJWT_VALID) {
        return rc;
    }

    if (!jlcf->lint) {
        return WJWT_VALID;
    }

    ctx->lint = (facts.lint_static
                 | wjwt_lint_timed(facts.claims.has_exp, facts.claims.exp,
                                   facts.claims.has_iat, facts.claims.iat,
                                   policy.now, jlcf->leeway,
                                   jlcf->lint_max_lifetime))
                & ~jlcf->lint_ignore;

    if (ctx->lint == 0) {
        return WJWT_VALID;
    }

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (ctx->lint & WJWT_LINT_BIT(code)) {
            (void) ngx_atomic_fetch_add(&jmcf->sh->lint[code], 1);
        }
    }

    ngx_http_workos_jwt_log_lint(r, jlcf, ctx);

    if (ctx->lint & jlcf->lint_reject) {
        return WJWT_LINT_REJECTED;
    }

    return WJWT_VALID;
}


/* what a token's bytes alone say, kept with it in the parsed-token cache */

static void
ngx_http_workos_jwt_facts(wjwt_token_t *t, ngx_http_workos_jwt_facts_t *f)
{
    ngx_memzero(f, sizeof(ngx_http_workos_jwt_facts_t));

    f->types = wjwt_claims_check_types(t->claims);

    if (f->types != WJWT_VALID) {
        return;
    }

    wjwt_claims_extract(t->claims, &f->claims);
    f->lint_static = wjwt_lint_static(t);
}


/*
 * The fetched keys first, then the key files: a kid unknown to one set
 * may be in the other, and a token without kid may fit either.
 */

static int
ngx_http_workos_jwt_verify(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_http_workos_jwt_keys_t *remote, ngx_http_workos_jwt_keys_t *files,
    ngx_uint_t algorithms, ngx_http_workos_jwt_keys_t **used)
{
    int  rc, rc2;

    rc = WJWT_KEYS_UNAVAILABLE;

    if (remote != NULL) {
        rc = wjwt_token_verify(&ctx->token, &remote->ks, algorithms,
                               &ctx->key);
        if (rc == WJWT_VALID) {
            *used = remote;
            return rc;
        }
    }

    if (files != NULL
        && (rc == WJWT_KEYS_UNAVAILABLE || rc == WJWT_UNKNOWN_KID
            || (rc == WJWT_BAD_SIGNATURE && ctx->token.kid == NULL)))
    {
        rc2 = wjwt_token_verify(&ctx->token, &files->ks, algorithms,
                                &ctx->key);
        if (rc2 == WJWT_VALID) {
            *used = files;
            return rc2;
        }

        if (rc == WJWT_KEYS_UNAVAILABLE || rc2 == WJWT_BAD_SIGNATURE) {
            rc = rc2;
        }
    }

    ctx->key = NULL;

    return rc;
}


/* the key a cached verification used, if it is still in a key set */

static const wjwt_key_t *
ngx_http_workos_jwt_cached_key(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_http_workos_jwt_keys_t *remote, ngx_http_workos_jwt_keys_t *files,
    uint64_t fp)
{
    size_t                       i, k;
    const wjwt_key_t            *key;
    ngx_http_workos_jwt_keys_t  *sets[2];

    sets[0] = remote;
    sets[1] = files;

    for (k = 0; k < 2; k++) {
        if (sets[k] == NULL) {
            continue;
        }

        if (ctx->token.kid != NULL) {
            key = wjwt_keyset_find(&sets[k]->ks, ctx->token.kid,
                                   ctx->token.kid_len);

            if (key != NULL
                && ngx_http_workos_jwt_key_fingerprint(sets[k], key) == fp
                && wjwt_key_fits(key, ctx->token.alg))
            {
                return key;
            }

            continue;
        }

        for (i = 0; i < sets[k]->ks.nkeys; i++) {
            key = &sets[k]->ks.keys[i];

            if (sets[k]->fingerprints[i] == fp
                && wjwt_key_fits(key, ctx->token.alg))
            {
                return key;
            }
        }
    }

    return NULL;
}


static void
ngx_http_workos_jwt_log_lint(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    char                            detail[256];
    size_t                          n;
    time_t                          now;
    ngx_str_t                       sub, org, sid;
    ngx_uint_t                      code, level;
    ngx_http_workos_jwt_lint_log_t  *ll;

    static ngx_uint_t  levels[] = {
        NGX_LOG_WARN, NGX_LOG_NOTICE, NGX_LOG_INFO
    };

    now = ngx_time();
    sub.len = 0;

    for (code = 0; code < WJWT_LINT_COUNT; code++) {

        if (!(ctx->lint & WJWT_LINT_BIT(code))) {
            continue;
        }

        ll = &ngx_http_workos_jwt_lint_log[code];

        if (ll->logged != 0
            && now - ll->logged < NGX_HTTP_WORKOS_JWT_LINT_SILENCE)
        {
            ll->suppressed++;
            continue;
        }

        level = levels[wjwt_lint_level(code)];

        if (r->connection->log->log_level < level) {
            continue;
        }

        if (sub.len == 0) {
            if (ngx_http_workos_jwt_claim_text(r,
                    json_object_get(ctx->token.claims, "sub"), &sub)
                    != NGX_OK
                || ngx_http_workos_jwt_claim_text(r,
                    json_object_get(ctx->token.claims, "org_id"), &org)
                   != NGX_OK
                || ngx_http_workos_jwt_claim_text(r,
                    json_object_get(ctx->token.claims, "sid"), &sid)
                   != NGX_OK)
            {
                return;
            }

            ngx_http_workos_jwt_log_safe(&sub);
            ngx_http_workos_jwt_log_safe(&org);
            ngx_http_workos_jwt_log_safe(&sid);

            if (org.len == 0) {
                ngx_str_set(&org, "-");
            }

            if (sid.len == 0) {
                ngx_str_set(&sid, "-");
            }

            if (sub.len == 0) {
                ngx_str_set(&sub, "-");
            }
        }

        n = wjwt_lint_detail_at(&ctx->token, code, now,
                                jlcf->lint_max_lifetime, detail,
                                sizeof(detail));
        if (n >= sizeof(detail)) {
            n = sizeof(detail) - 1;
        }

        detail[n] = '\0';

        if (ll->suppressed) {
            ngx_log_error(level, r->connection->log, 0,
                          "workos_jwt lint %s: %s (sub=%V org=%V sid=%V), "
                          "%ui more suppressed",
                          wjwt_lint_name(code), detail, &sub, &org, &sid,
                          ll->suppressed);

        } else {
            ngx_log_error(level, r->connection->log, 0,
                          "workos_jwt lint %s: %s (sub=%V org=%V sid=%V)",
                          wjwt_lint_name(code), detail, &sub, &org, &sid);
        }

        ll->logged = now;
        ll->suppressed = 0;
    }
}


/* claim values in a log line: no control characters, at most 128 bytes */

static void
ngx_http_workos_jwt_log_safe(ngx_str_t *s)
{
    ngx_uint_t  i;

    if (s->len > 128) {
        s->len = 128;
    }

    for (i = 0; i < s->len; i++) {
        if (s->data[i] < 0x20 || s->data[i] == 0x7f) {
            s->data[i] = '?';
        }
    }
}


ngx_int_t
ngx_http_workos_jwt_verdict_init(ngx_cycle_t *cycle)
{
    ngx_http_workos_jwt_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);

    if (ngx_http_workos_jwt_sha256 == NULL) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "EVP_MD_fetch(\"SHA256\") failed");
        return NGX_ERROR;
    }

    return NGX_OK;
}


void
ngx_http_workos_jwt_verdict_exit(ngx_cycle_t *cycle)
{
    EVP_MD_free(ngx_http_workos_jwt_sha256);
    ngx_http_workos_jwt_sha256 = NULL;
}


/* TEMP stub: the real judge_token lands with the verdict branch */

ngx_int_t
ngx_http_workos_jwt_judge_token(ngx_http_request_t *r, ngx_str_t *raw,
    ngx_http_workos_jwt_ctx_t *ctx)
{
    int                               rc;
    wjwt_policy_t                     policy;
    ngx_http_workos_jwt_keys_t       *remote, *used;
    ngx_http_workos_jwt_facts_t       facts;
    ngx_pool_cleanup_t               *cln;
    ngx_http_workos_jwt_loc_conf_t   *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    cln->handler = ngx_http_workos_jwt_cleanup;
    cln->data = ctx;

    ctx->jlcf = jlcf;
    ctx->raw = *raw;
    ctx->status = WJWT_MISSING;

    if (raw->len == 0) {
        return NGX_OK;
    }

    rc = wjwt_token_parse(&ctx->token, raw->data, raw->len,
                          jlcf->max_token_size);
    if (rc != WJWT_VALID) {
        ctx->status = rc;
        return NGX_OK;
    }

    if (ctx->token.alg == WJWT_ALG_UNKNOWN
        || !(jlcf->algorithms & WJWT_ALG_BIT(ctx->token.alg)))
    {
        ctx->status = WJWT_ALG_NOT_ALLOWED;
        return NGX_OK;
    }

    remote = (jlcf->jwks != NULL)
             ? ngx_http_workos_jwt_remote_keys(r, jlcf) : NULL;

    if (remote == NULL && jlcf->keys == NULL) {
        ctx->status = WJWT_KEYS_UNAVAILABLE;
        return NGX_OK;
    }

    rc = ngx_http_workos_jwt_verify(ctx, remote, jlcf->keys,
                                    jlcf->algorithms, &used);
    if (rc != WJWT_VALID) {
        ctx->status = rc;
        return NGX_OK;
    }

    ctx->verified = 1;

    ngx_http_workos_jwt_facts(&ctx->token, &facts);

    if (facts.types != WJWT_VALID) {
        ctx->status = facts.types;
        return NGX_OK;
    }

    ngx_memzero(&policy, sizeof(wjwt_policy_t));

    if (jlcf->accepted_issuers != NULL) {
        policy.issuers = jlcf->accepted_issuers->elts;
        policy.nissuers = jlcf->accepted_issuers->nelts;
    }

    if (jlcf->audiences != NULL) {
        policy.audiences = jlcf->audiences->elts;
        policy.naudiences = jlcf->audiences->nelts;
    }

    policy.client_id.len = jlcf->client_id.len;
    policy.client_id.data = jlcf->client_id.data;
    policy.now = ngx_time();
    policy.leeway = jlcf->leeway;
    policy.session_only = (jlcf->token_type == NGX_HTTP_WORKOS_JWT_SESSION);
    policy.max_auth_age = jlcf->max_auth_age;

    rc = wjwt_claims_judge(&facts.claims, &policy);
    if (rc != WJWT_VALID) {
        ctx->status = rc;
        return NGX_OK;
    }

    ctx->status = WJWT_VALID;

    if (jlcf->lint) {
        ctx->lint = (facts.lint_static
                     | wjwt_lint_timed(facts.claims.has_exp,
                                       facts.claims.exp,
                                       facts.claims.has_iat,
                                       facts.claims.iat, policy.now,
                                       jlcf->leeway,
                                       jlcf->lint_max_lifetime))
                    & ~jlcf->lint_ignore;

        if (ctx->lint & jlcf->lint_reject) {
            ctx->status = WJWT_LINT_REJECTED;
        }
    }

    return NGX_OK;
}
