
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The "workos_jwt_inspect" handler: the request's own token as nginx
 * judged it.
 */


#include "ngx_http_workos_jwt_module.h"


ngx_int_t
ngx_http_workos_jwt_inspect_handler(ngx_http_request_t *r)
{
    int                          alg;
    json_t                      *root, *lint, *key;
    ngx_int_t                    rc;
    ngx_uint_t                   code;
    const char                  *cache;
    ngx_http_workos_jwt_ctx_t   *ctx;

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

    lint = json_array();

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (ctx->lint & WJWT_LINT_BIT(code)) {
            json_array_append_new(lint, json_string(wjwt_lint_name(code)));
        }
    }

    key = json_null();

    if (ctx->keyed && ctx->verified) {
        alg = ctx->key_alg;

        if (alg == WJWT_ALG_UNKNOWN) {
            alg = ctx->token.alg;
        }

        key = json_pack("{s:s%, s:s}",
                        "kid", ctx->key_kid.len ? (char *) ctx->key_kid.data
                                                : "", ctx->key_kid.len,
                        "alg", wjwt_alg_name(alg) ? wjwt_alg_name(alg) : "");
    }

    cache = (ctx->cache == NGX_HTTP_WORKOS_JWT_CACHE_HIT) ? "HIT"
            : (ctx->cache == NGX_HTTP_WORKOS_JWT_CACHE_MISS) ? "MISS" : "";

    root = json_pack("{s:O?, s:O?, s:{s:s, s:s, s:b}, s:o, s:o, s:s}",
                     "header", ctx->token.header,
                     "claims", ctx->token.claims,
                     "verdict",
                         "status", wjwt_status_word(ctx->status),
                         "error", ctx->status == WJWT_VALID
                                  ? "" : wjwt_status_sentence(ctx->status),
                         "verified", (int) ctx->verified,
                     "lint", lint,
                     "key", key,
                     "cache", cache);

    if (root == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_workos_jwt_send_json(r, root);
}
