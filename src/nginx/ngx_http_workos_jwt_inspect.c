
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The "workos_jwt_inspect" handler: the request's own token as nginx
 * judged it, as JSON or, for a browser, as the debugger page; and a
 * token POSTed from that page, judged under the location's rules.
 */


#include "ngx_http_workos_jwt_module.h"


#ifndef WJWT_SESSION_IRON
#define WJWT_SESSION_IRON   1
#define WJWT_SESSION_REMIX  2
#endif

#define ngx_http_workos_jwt_space(c)                                          \
    ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')


static void ngx_http_workos_jwt_inspect_body(ngx_http_request_t *r);
static ngx_int_t ngx_http_workos_jwt_inspect_posted(ngx_http_request_t *r);
static json_t *ngx_http_workos_jwt_inspect_view(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx);
static json_t *ngx_http_workos_jwt_inspect_key(
    ngx_http_workos_jwt_ctx_t *ctx);
static json_t *ngx_http_workos_jwt_inspect_page(ngx_http_request_t *r,
    json_t *view);


static const char  *ngx_http_workos_jwt_sources[] = {
    "", "session_cookie", "bearer", "variable"
};

static const char  *ngx_http_workos_jwt_levels[] = {
    "warn", "notice", "info"
};


ngx_int_t
ngx_http_workos_jwt_inspect_handler(ngx_http_request_t *r)
{
    json_t                          *view;
    ngx_int_t                        rc;
    ngx_http_workos_jwt_ctx_t       *ctx;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    if (r->method == NGX_HTTP_POST) {
        jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

        if (r->headers_in.content_length_n > (off_t) jlcf->max_token_size) {
            return NGX_HTTP_REQUEST_ENTITY_TOO_LARGE;
        }

        r->request_body_in_single_buf = 1;

        rc = ngx_http_read_client_request_body(r,
                                            ngx_http_workos_jwt_inspect_body);

        if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
            return rc;
        }

        return NGX_DONE;
    }

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ctx = ngx_http_workos_jwt_evaluate(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    view = ngx_http_workos_jwt_inspect_view(r, ctx);
    if (view == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_workos_jwt_page_wanted(r)) {
        view = ngx_http_workos_jwt_inspect_page(r, view);
        if (view == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return ngx_http_workos_jwt_page_send(r, view);
    }

    if (ngx_http_workos_jwt_page_vary(r) != NGX_OK) {
        json_decref(view);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_workos_jwt_send_json(r, view);
}


static void
ngx_http_workos_jwt_inspect_body(ngx_http_request_t *r)
{
    ngx_http_finalize_request(r, ngx_http_workos_jwt_inspect_posted(r));
}


/*
 * The body is the token (surrounding white space aside), judged without
 * the caches, the counters and the lint log; judge_token() frees the
 * parsed token with r->pool.  The token is never written anywhere: a body
 * that went to a temporary file (larger than client_body_buffer_size) is
 * refused.
 */

static ngx_int_t
ngx_http_workos_jwt_inspect_posted(ngx_http_request_t *r)
{
    json_t                          *view;
    size_t                           len;
    u_char                          *p;
    ngx_str_t                        raw;
    ngx_chain_t                     *cl;
    ngx_http_request_body_t         *rb;
    ngx_http_workos_jwt_ctx_t       *ctx;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);
    rb = r->request_body;

    len = 0;

    if (rb != NULL) {
        if (rb->temp_file != NULL) {
            return NGX_HTTP_REQUEST_ENTITY_TOO_LARGE;
        }

        for (cl = rb->bufs; cl != NULL; cl = cl->next) {
            if (cl->buf->in_file) {
                return NGX_HTTP_REQUEST_ENTITY_TOO_LARGE;
            }

            len += cl->buf->last - cl->buf->pos;
        }
    }

    if (len > jlcf->max_token_size) {
        return NGX_HTTP_REQUEST_ENTITY_TOO_LARGE;
    }

    raw.len = 0;
    raw.data = NULL;

    if (len > 0) {
        raw.data = ngx_pnalloc(r->pool, len);
        if (raw.data == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        p = raw.data;

        for (cl = rb->bufs; cl != NULL; cl = cl->next) {
            p = ngx_cpymem(p, cl->buf->pos, cl->buf->last - cl->buf->pos);
        }

        raw.len = len;

        while (raw.len > 0 && ngx_http_workos_jwt_space(raw.data[0])) {
            raw.data++;
            raw.len--;
        }

        while (raw.len > 0
               && ngx_http_workos_jwt_space(raw.data[raw.len - 1]))
        {
            raw.len--;
        }
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_workos_jwt_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_workos_jwt_judge_token(r, &raw, ctx) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    view = ngx_http_workos_jwt_inspect_view(r, ctx);
    if (view == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_workos_jwt_send_json(r, view);
}


/* README, workos_jwt_inspect: the JSON view, "source" and "session" */

static json_t *
ngx_http_workos_jwt_inspect_view(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx)
{
    json_t                         *root, *lint, *session;
    ngx_str_t                       error;
    ngx_uint_t                      code;
    const char                     *cache, *source;
    ngx_http_workos_jwt_session_t  *s;

    lint = json_array();
    if (lint == NULL) {
        return NULL;
    }

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (ctx->lint & WJWT_LINT_BIT(code)) {
            json_array_append_new(lint, json_string(wjwt_lint_name(code)));
        }
    }

    cache = (ctx->cache == NGX_HTTP_WORKOS_JWT_CACHE_HIT) ? "HIT"
            : (ctx->cache == NGX_HTTP_WORKOS_JWT_CACHE_MISS) ? "MISS" : "";

    source = (ctx->from < sizeof(ngx_http_workos_jwt_sources)
                          / sizeof(ngx_http_workos_jwt_sources[0]))
             ? ngx_http_workos_jwt_sources[ctx->from] : "";

    /* no error for "valid" nor for "missing" (no token, nothing wrong) */

    ngx_str_null(&error);

    if (ctx->reason.len > 0) {
        error = ctx->reason;

    } else if (ctx->status != WJWT_VALID && ctx->status != WJWT_MISSING) {
        error.data = (u_char *) wjwt_status_sentence(ctx->status);
        error.len = (error.data != NULL) ? ngx_strlen(error.data) : 0;
    }

    root = json_pack("{s:O?, s:O?, s:{s:s, s:s%, s:b}, s:o, s:o, s:s, s:s}",
                     "header", ctx->token.header,
                     "claims", ctx->token.claims,
                     "verdict",
                         "status", wjwt_status_word(ctx->status)
                                   ? wjwt_status_word(ctx->status) : "",
                         "error", error.data ? (char *) error.data : "",
                         error.len,
                         "verified", (int) ctx->verified,
                     "lint", lint,
                     "key", ngx_http_workos_jwt_inspect_key(ctx),
                     "cache", cache,
                     "source", source);

    if (root == NULL || ctx->session == NULL) {
        return root;
    }

    s = ctx->session;

    session = json_pack("{s:s, s:s%, s:s%}",
                        "format", s->format == WJWT_SESSION_REMIX
                                  ? "remix" : "iron",
                        "user_id", s->user_id.data ? (char *) s->user_id.data
                                                   : "",
                        s->user_id.len,
                        "email", s->email.data ? (char *) s->email.data : "",
                        s->email.len);

    if (session == NULL || json_object_set_new(root, "session", session)) {
        json_decref(root);
        return NULL;
    }

    return root;
}


/* the key that verified the token, as the ctx keeps it (by value) */

static json_t *
ngx_http_workos_jwt_inspect_key(ngx_http_workos_jwt_ctx_t *ctx)
{
    int          alg;
    ngx_str_t    kid;
    const char  *name;

    if (!ctx->verified || !ctx->keyed) {
        return json_null();
    }

    kid = ctx->key_kid;
    alg = (int) ctx->key_alg;

    if (alg == WJWT_ALG_UNKNOWN) {
        alg = ctx->token.alg;
    }

    name = wjwt_alg_name(alg);

    return json_pack("{s:s%, s:s}",
                     "kid", kid.data ? (char *) kid.data : "",
                     kid.data ? kid.len : 0,
                     "alg", name ? name : "");
}


/*
 * What the page needs besides the view: the time at the edge, the lint
 * rules with their one-line explanations and this location's lint
 * settings (the page lints pasted tokens itself), the size limit.
 */

static json_t *
ngx_http_workos_jwt_inspect_page(ngx_http_request_t *r, json_t *view)
{
    json_t                          *root, *rules, *ignore, *rule;
    ngx_uint_t                       code;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    rules = json_array();
    ignore = json_array();

    for (code = 0; rules != NULL && code < WJWT_LINT_COUNT; code++) {
        rule = json_pack("{s:s, s:s, s:s}",
                         "code", wjwt_lint_name(code),
                         "level",
                         ngx_http_workos_jwt_levels[wjwt_lint_level(code)],
                         "explain", wjwt_lint_explain(code));

        if (json_array_append_new(rules, rule) != 0) {
            json_decref(rules);
            rules = NULL;
        }

        if (ignore != NULL && (jlcf->lint_ignore & WJWT_LINT_BIT(code))) {
            json_array_append_new(ignore, json_string(wjwt_lint_name(code)));
        }
    }

    root = json_pack("{s:o, s:I, s:s, s:{s:b, s:o?, s:o?, s:I, s:I}, s:I}",
                     "view", view,
                     "now", (json_int_t) ngx_time(),
                     "version", WJWT_VERSION,
                     "lint",
                         "enabled", (int) jlcf->lint,
                         "rules", rules,
                         "ignore", ignore,
                         "max_lifetime",
                             (json_int_t) jlcf->lint_max_lifetime,
                         "leeway", (json_int_t) jlcf->leeway,
                     "max_token_size", (json_int_t) jlcf->max_token_size);

    return root;
}
