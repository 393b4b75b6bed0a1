
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The verdict: the request context, and the core's wjwt_judge() run once
 * per request under the location's rules, with this worker's cache of
 * parsed tokens and the zone's cache of verified signatures joined to it
 * through its hooks; the lint counters and the rate-limited lint log.
 */


#include "ngx_http_workos_jwt_module.h"


#define NGX_HTTP_WORKOS_JWT_LINT_SILENCE  60


typedef struct {
    time_t                     logged;
    ngx_uint_t                 suppressed;
} ngx_http_workos_jwt_lint_log_t;


/* what the judge's cache hooks share for one token */
typedef struct {
    ngx_http_request_t                *request;
    ngx_http_workos_jwt_cache_node_t  *shared;
    ngx_uint_t                        *revoked_gen;  /* parsed cache's */
    u_char                             digest[NGX_HTTP_WORKOS_JWT_DIGEST_LEN];
} ngx_http_workos_jwt_hook_t;


static void ngx_http_workos_jwt_cleanup(void *data);
static void ngx_http_workos_jwt_reset(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_http_workos_jwt_loc_conf_t *jlcf);
static ngx_uint_t ngx_http_workos_jwt_judge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx,
    ngx_uint_t cached);
static void ngx_http_workos_jwt_rules(ngx_http_workos_jwt_loc_conf_t *jlcf,
    wjwt_rules_t *rules);
static ngx_int_t ngx_http_workos_jwt_verdict(ngx_http_request_t *r,
    wjwt_verdict_t *v, ngx_http_workos_jwt_ctx_t *ctx);
static int ngx_http_workos_jwt_revoked_hook(const wjwt_judge_t *j,
    const wjwt_verdict_t *v);
static int ngx_http_workos_jwt_lookup(const wjwt_judge_t *j,
    wjwt_verdict_t *v, uint64_t *fingerprint);
static void ngx_http_workos_jwt_verified(const wjwt_judge_t *j,
    wjwt_verdict_t *v);
static void ngx_http_workos_jwt_count(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static void ngx_http_workos_jwt_log_lint(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static void ngx_http_workos_jwt_log_safe(ngx_str_t *s);


static EVP_MD      *ngx_http_workos_jwt_sha256;
static EVP_MD_CTX  *ngx_http_workos_jwt_md_ctx;


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


/* a ctx about to be judged under jlcf: nothing of an earlier verdict */

static void
ngx_http_workos_jwt_reset(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_http_workos_jwt_loc_conf_t *jlcf)
{
    wjwt_token_free(&ctx->token);

    ctx->jlcf = jlcf;
    ctx->lint = 0;
    ctx->cache = NGX_HTTP_WORKOS_JWT_CACHE_NONE;
    ngx_str_null(&ctx->reason);
    ctx->verified = 0;
    ctx->keyed = 0;
    ctx->key_alg = WJWT_ALG_UNKNOWN;
    ngx_str_null(&ctx->key_kid);
}


/*
 * The verdict for the request's token under the location's rules, made
 * once and kept in the ctx; made again only when another location's
 * rules ask (e.g. server-level rewrites) or new keys arrived.
 */

ngx_http_workos_jwt_ctx_t *
ngx_http_workos_jwt_evaluate(ngx_http_request_t *r)
{
    ngx_int_t                        found;
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

    ngx_http_workos_jwt_reset(ctx, jlcf);

    found = ngx_http_workos_jwt_find_token(r, jlcf, ctx);

    if (found == NGX_ERROR) {
        return NULL;
    }

    if (jlcf->revocation != NULL) {
        ngx_http_workos_jwt_revocation_poll(r, jlcf->revocation);
    }

    ctx->status = (found == NGX_DECLINED) ? WJWT_MISSING
                  : (found == NGX_ABORT) ? WJWT_MALFORMED
                  : ngx_http_workos_jwt_judge(r, jlcf, ctx, jlcf->cache);

    if (ctx->status == (ngx_uint_t) NGX_ERROR) {
        return NULL;
    }

    if (found == NGX_OK) {
        ngx_http_workos_jwt_count(r, jlcf, ctx);
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


/*
 * An explicitly given token (the debugger page's "Verify at this edge")
 * judged under the location's rules like the request's own, but with no
 * cache read or written, nothing counted and no lint logged.  The token
 * is copied to r->pool; ctx is the caller's and is filled.
 */

ngx_int_t
ngx_http_workos_jwt_judge_token(ngx_http_request_t *r, ngx_str_t *raw,
    ngx_http_workos_jwt_ctx_t *ctx)
{
    ngx_uint_t                       status;
    ngx_pool_cleanup_t              *cln;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    cln->handler = ngx_http_workos_jwt_cleanup;
    cln->data = ctx;

    ngx_http_workos_jwt_reset(ctx, jlcf);

    ctx->raw.len = raw->len;
    ctx->raw.data = ngx_pstrdup(r->pool, raw);

    if (raw->len != 0 && ctx->raw.data == NULL) {
        return NGX_ERROR;
    }

    status = (raw->len == 0) ? WJWT_MISSING
                             : ngx_http_workos_jwt_judge(r, jlcf, ctx, 0);

    if (status == (ngx_uint_t) NGX_ERROR) {
        return NGX_ERROR;
    }

    ctx->status = status;

    return NGX_OK;
}


/*
 * The core's verdict on ctx->raw: with cached, both caches join the
 * judge (the parsed-token cache of this worker first, the zone's cache
 * of verified signatures through the hooks).
 */

static ngx_uint_t
ngx_http_workos_jwt_judge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx,
    ngx_uint_t cached)
{
    int                          rc;
    wjwt_judge_t                 j;
    wjwt_rules_t                 rules;
    wjwt_verdict_t               v;
    const wjwt_keyset_t         *sets[2];
    ngx_http_workos_jwt_hook_t   hook;
    ngx_http_workos_jwt_keys_t  *remote;

    ngx_http_workos_jwt_rules(jlcf, &rules);
    ngx_memzero(&v, sizeof(wjwt_verdict_t));

    hook.request = r;
    hook.shared = NULL;
    hook.revoked_gen = NULL;

    if (cached && ctx->raw.len <= jlcf->max_token_size) {
        (void) ngx_http_workos_jwt_parsed_lookup(r, &ctx->raw, &v,
                                                 &hook.revoked_gen);
    }

    /* the fetched keys first: a kid unknown to them may be in a file */

    remote = (jlcf->jwks != NULL)
             ? ngx_http_workos_jwt_remote_keys(r, jlcf) : NULL;

    sets[0] = (remote != NULL) ? &remote->ks : NULL;
    sets[1] = (jlcf->keys != NULL) ? &jlcf->keys->ks : NULL;

    wjwt_judge_init(&j, &rules, sets, 2, ngx_time());

    j.data = &hook;

    if (cached) {
        j.lookup = ngx_http_workos_jwt_lookup;
        j.verified = ngx_http_workos_jwt_verified;
    }

    if (jlcf->revocation != NULL) {
        j.revoked = ngx_http_workos_jwt_revoked_hook;
    }

    rc = wjwt_judge(&j, ctx->raw.data, ctx->raw.len, &v);

    if (rc < 0 || ngx_http_workos_jwt_verdict(r, &v, ctx) != NGX_OK) {
        wjwt_verdict_free(&v);
        return NGX_ERROR;
    }

    return rc;
}


/* the rules of a location, as the core takes them */

static void
ngx_http_workos_jwt_rules(ngx_http_workos_jwt_loc_conf_t *jlcf,
    wjwt_rules_t *rules)
{
    ngx_memzero(rules, sizeof(wjwt_rules_t));

    rules->alg_mask = jlcf->algorithms;

    if (jlcf->accepted_issuers != NULL) {
        rules->issuers = jlcf->accepted_issuers->elts;
        rules->nissuers = jlcf->accepted_issuers->nelts;
    }

    if (jlcf->audiences != NULL) {
        rules->audiences = jlcf->audiences->elts;
        rules->naudiences = jlcf->audiences->nelts;
    }

    rules->client_id.len = jlcf->client_id.len;
    rules->client_id.data = jlcf->client_id.data;
    rules->leeway = jlcf->leeway;
    rules->session_only = (jlcf->token_type == NGX_HTTP_WORKOS_JWT_SESSION);
    rules->max_auth_age = jlcf->max_auth_age;
    rules->max_token_size = jlcf->max_token_size;
    rules->lint = jlcf->lint;
    rules->lint_max_lifetime = jlcf->lint_max_lifetime;
    rules->lint_ignore = jlcf->lint_ignore;
    rules->lint_reject = jlcf->lint_reject;
}


/*
 * What the request keeps of a verdict: the token, and the key that
 * verified it by value (a key set may be replaced by a refresh while the
 * request still runs, e.g. during a slow auth_request)
 */

static ngx_int_t
ngx_http_workos_jwt_verdict(ngx_http_request_t *r, wjwt_verdict_t *v,
    ngx_http_workos_jwt_ctx_t *ctx)
{
    ngx_str_t  kid;

    ctx->token = v->token;
    ctx->lint = v->lint;
    ctx->cache = v->cache;
    ctx->verified = v->verified;
    ctx->keyed = (v->key != NULL);

    ngx_memzero(&v->token, sizeof(wjwt_token_t));

    if (v->key == NULL) {
        return NGX_OK;
    }

    ctx->key_alg = v->key->alg;

    if (v->key->kid == NULL) {
        return NGX_OK;
    }

    kid.len = v->key->kid_len;
    kid.data = (u_char *) v->key->kid;

    ctx->key_kid.data = ngx_pstrdup(r->pool, &kid);
    if (ctx->key_kid.data == NULL && kid.len != 0) {
        return NGX_ERROR;
    }

    ctx->key_kid.len = kid.len;

    return NGX_OK;
}


/* the revoked hook: the zone's list of revoked sessions */

static int
ngx_http_workos_jwt_revoked_hook(const wjwt_judge_t *j,
    const wjwt_verdict_t *v)
{
    ngx_http_workos_jwt_hook_t  *hook = j->data;

    return ngx_http_workos_jwt_revoked(hook->request, v->token.claims,
                                       hook->revoked_gen)
           ? WJWT_REVOKED : WJWT_VALID;
}


/* the lookup hook: the zone's record of a verification of these bytes */

static int
ngx_http_workos_jwt_lookup(const wjwt_judge_t *j, wjwt_verdict_t *v,
    uint64_t *fingerprint)
{
    ngx_http_workos_jwt_hook_t  *hook = j->data;

    if (ngx_http_workos_jwt_digest(v->token.raw.data, v->token.raw.len,
                                   hook->digest)
        != NGX_OK)
    {
        return -1;
    }

    if (ngx_http_workos_jwt_cache_lookup(hook->request, hook->digest,
                                         fingerprint, &hook->shared)
        == NGX_OK)
    {
        return 1;
    }

    return 0;
}


/* the verified hook: both caches learn of a verification */

static void
ngx_http_workos_jwt_verified(const wjwt_judge_t *j, wjwt_verdict_t *v)
{
    time_t                       exp;
    ngx_str_t                    raw;
    ngx_http_workos_jwt_hook_t  *hook = j->data;

    exp = (v->facts.claims.has_exp && v->facts.claims.exp > 0
           && v->facts.claims.exp <= WJWT_MAX_TIME)
          ? (time_t) v->facts.claims.exp : 0;

    raw.len = v->token.raw.len;
    raw.data = (u_char *) v->token.raw.data;

    if (v->cache != WJWT_CACHE_HIT) {
        if (exp == 0) {
            return;
        }

        hook->shared = ngx_http_workos_jwt_cache_store(hook->request,
                                                       hook->digest, exp,
                                                       v->fingerprint);
    }

    hook->revoked_gen = ngx_http_workos_jwt_parsed_store(&raw, v, exp,
                                                         hook->shared,
                                                         hook->digest);
}


/* the zone's counters of the caches and lint, and the lint log */

static void
ngx_http_workos_jwt_count(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    ngx_uint_t                        code;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);

    if (ctx->cache == WJWT_CACHE_HIT) {
        (void) ngx_atomic_fetch_add(&jmcf->sh->cache_hits, 1);

    } else if (ctx->cache == WJWT_CACHE_MISS) {
        (void) ngx_atomic_fetch_add(&jmcf->sh->cache_misses, 1);
    }

    if (ctx->lint == 0) {
        return;
    }

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (ctx->lint & WJWT_LINT_BIT(code)) {
            (void) ngx_atomic_fetch_add(&jmcf->sh->lint[code], 1);
        }
    }

    ngx_http_workos_jwt_log_lint(r, jlcf, ctx);
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

        n = wjwt_lint_detail(&ctx->token, code, now,
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


/*
 * The SHA-256 of the caches' keys: one context of this worker, set up
 * once (a digest is then no allocation and no provider look-up)
 */

ngx_int_t
ngx_http_workos_jwt_digest(const u_char *data, size_t len, u_char *digest)
{
    if (EVP_DigestInit_ex(ngx_http_workos_jwt_md_ctx,
                          ngx_http_workos_jwt_sha256, NULL) != 1
        || EVP_DigestUpdate(ngx_http_workos_jwt_md_ctx, data, len) != 1
        || EVP_DigestFinal_ex(ngx_http_workos_jwt_md_ctx, digest, NULL) != 1)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_workos_jwt_verdict_init(ngx_cycle_t *cycle)
{
    ngx_http_workos_jwt_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    ngx_http_workos_jwt_md_ctx = EVP_MD_CTX_new();

    if (ngx_http_workos_jwt_sha256 == NULL
        || ngx_http_workos_jwt_md_ctx == NULL)
    {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "EVP_MD_fetch(\"SHA256\") failed");
        return NGX_ERROR;
    }

    return NGX_OK;
}


void
ngx_http_workos_jwt_verdict_exit(ngx_cycle_t *cycle)
{
    EVP_MD_CTX_free(ngx_http_workos_jwt_md_ctx);
    ngx_http_workos_jwt_md_ctx = NULL;
    EVP_MD_free(ngx_http_workos_jwt_sha256);
    ngx_http_workos_jwt_sha256 = NULL;
}
