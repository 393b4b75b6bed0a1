
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The access phase: the verdict enforced, the require rules, and the
 * WWW-Authenticate challenge.
 */


#include "ngx_http_workos_jwt_module.h"


static ngx_int_t ngx_http_workos_jwt_judged(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t **pctx);
static ngx_int_t ngx_http_workos_jwt_authorize(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static ngx_int_t ngx_http_workos_jwt_require_permissions(
    ngx_http_request_t *r, ngx_http_workos_jwt_loc_conf_t *jlcf,
    ngx_http_workos_jwt_ctx_t *ctx);
static ngx_uint_t ngx_http_workos_jwt_in_list(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_array_t *list, ngx_uint_t roles);
static ngx_int_t ngx_http_workos_jwt_require_rules(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf);
static ngx_int_t ngx_http_workos_jwt_challenge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_int_t status,
    const char *error, const char *description, ngx_str_t *scope);


ngx_int_t
ngx_http_workos_jwt_access_handler(ngx_http_request_t *r)
{
    ngx_int_t                         rc;
    ngx_http_workos_jwt_ctx_t        *ctx;
    ngx_http_workos_jwt_loc_conf_t   *jlcf;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (jlcf->mode == NGX_HTTP_WORKOS_JWT_OFF || r != r->main) {
        return NGX_DECLINED;
    }

    ctx = ngx_http_workos_jwt_get_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->jlcf == jlcf && ctx->status == WJWT_KEYS_UNAVAILABLE) {
        /* judged by a variable before keys arrived: judge again */
        ctx->jlcf = NULL;
    }

    rc = ngx_http_workos_jwt_judged(r, jlcf, &ctx);

    if (rc != NGX_OK) {
        return (rc == NGX_AGAIN) ? NGX_AGAIN : NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);

    if (!ctx->counted) {
        ctx->counted = 1;
        (void) ngx_atomic_fetch_add(&jmcf->sh->requests[ctx->status], 1);
    }

    /* before auth_request and the other access handlers run */

    if (jlcf->inject_headers && ngx_http_workos_jwt_inject(r, ctx) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (jlcf->mode == NGX_HTTP_WORKOS_JWT_OPTIONAL) {
        return NGX_DECLINED;
    }

    switch (ctx->status) {

    case WJWT_VALID:
        rc = ngx_http_workos_jwt_authorize(r, jlcf, ctx);

        if (rc == NGX_HTTP_FORBIDDEN || rc == NGX_HTTP_UNAUTHORIZED) {
            (void) ngx_atomic_fetch_add(&jmcf->sh->forbidden, 1);
        }

        return rc;

    case WJWT_MISSING:
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "workos jwt no token was provided");
        return ngx_http_workos_jwt_challenge(r, jlcf,
                                             NGX_HTTP_UNAUTHORIZED,
                                             NULL, NULL, NULL);

    case WJWT_KEYS_UNAVAILABLE:
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "workos jwt no usable keys to verify the token");
        return NGX_HTTP_SERVICE_UNAVAILABLE;

    default:
        if (ctx->reason.len) {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "workos jwt token rejected: \"%s\", %V",
                          wjwt_status_word(ctx->status), &ctx->reason);

        } else {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "workos jwt token rejected: \"%s\", %s",
                          wjwt_status_word(ctx->status),
                          wjwt_status_sentence(ctx->status));
        }
        return ngx_http_workos_jwt_challenge(r, jlcf,
                                             NGX_HTTP_UNAUTHORIZED,
                                             "invalid_token",
                                             wjwt_status_word(ctx->status),
                                             NULL);
    }
}


/*
 * The verdict, with the keys it needs: fetched, or waited for (NGX_AGAIN:
 * the handler runs again when they came); an unknown kid may mean a key
 * rotated in, fetched once per refetch= window, or already fetched by
 * another worker.
 */

static ngx_int_t
ngx_http_workos_jwt_judged(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t **pctx)
{
    ngx_int_t                   rc;
    ngx_uint_t                  status;
    ngx_http_workos_jwt_ctx_t  *ctx;

    ctx = *pctx;
    status = WJWT_VALID;

    for ( ;; ) {
        if (jlcf->jwks != NULL) {
            rc = ngx_http_workos_jwt_fetch_keys(r, jlcf, ctx, status);
            if (rc != NGX_OK) {
                return rc;
            }
        }

        ctx = ngx_http_workos_jwt_evaluate(r);
        if (ctx == NULL) {
            return NGX_ERROR;
        }

        if (ctx->status != WJWT_UNKNOWN_KID || jlcf->jwks == NULL
            || ctx->kid_refetched)
        {
            break;
        }

        ctx->kid_refetched = 1;
        status = WJWT_UNKNOWN_KID;
    }

    *pctx = ctx;

    return NGX_OK;
}


/* the require rules, in config order: NGX_OK, or the status to answer */

static ngx_int_t
ngx_http_workos_jwt_authorize(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    ngx_int_t  rc;

    if (jlcf->permissions != NULL) {
        /* refused with the scope of the unmet permissions */

        rc = ngx_http_workos_jwt_require_permissions(r, jlcf, ctx);
        if (rc != NGX_OK) {
            return rc;
        }
    }

    rc = NGX_OK;

    if (jlcf->roles != NULL
        && !ngx_http_workos_jwt_in_list(ctx, jlcf->roles, 1))
    {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "workos jwt no required role");
        rc = NGX_HTTP_FORBIDDEN;
    }

    if (rc == NGX_OK && jlcf->orgs != NULL
        && !ngx_http_workos_jwt_in_list(ctx, jlcf->orgs, 0))
    {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "workos jwt organization not allowed");
        rc = NGX_HTTP_FORBIDDEN;
    }

    if (rc == NGX_OK && jlcf->rules != NULL) {
        rc = ngx_http_workos_jwt_require_rules(r, jlcf);
    }

    if (rc == NGX_HTTP_FORBIDDEN) {
        return ngx_http_workos_jwt_challenge(r, jlcf, NGX_HTTP_FORBIDDEN,
                                             "insufficient_scope", NULL,
                                             NULL);
    }

    if (rc == NGX_HTTP_UNAUTHORIZED) {
        return ngx_http_workos_jwt_challenge(r, jlcf, NGX_HTTP_UNAUTHORIZED,
                                             "invalid_token", NULL, NULL);
    }

    return rc;
}


/*
 * Every permission argument must be granted; the unmet ones, as written
 * in the config, are the challenge's scope (built on refusal only).
 */

static ngx_int_t
ngx_http_workos_jwt_require_permissions(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    u_char      *p;
    size_t       len;
    ngx_str_t   *s, scope;
    ngx_uint_t   i, n;

    s = jlcf->permissions->elts;
    scope.data = NULL;
    p = NULL;

    for (i = 0; i < jlcf->permissions->nelts; i++) {
        if (wjwt_has_permission(ctx->token.claims, s[i].data, s[i].len,
                                jlcf->wildcards))
        {
            continue;
        }

        if (scope.data == NULL) {
            for (n = i, len = 0; n < jlcf->permissions->nelts; n++) {
                len += s[n].len + 1;
            }

            scope.data = ngx_pnalloc(r->pool, len);
            if (scope.data == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            p = scope.data;

        } else {
            *p++ = ' ';
        }

        p = ngx_cpymem(p, s[i].data, s[i].len);
    }

    if (scope.data == NULL) {
        return NGX_OK;
    }

    scope.len = p - scope.data;

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "workos jwt permission not granted: \"%V\"", &scope);

    return ngx_http_workos_jwt_challenge(r, jlcf, NGX_HTTP_FORBIDDEN,
                                         "insufficient_scope", NULL, &scope);
}


/* one of the roles is the token's, or its org_id is one of the orgs */

static ngx_uint_t
ngx_http_workos_jwt_in_list(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_array_t *list, ngx_uint_t roles)
{
    json_t      *org;
    ngx_str_t   *s;
    ngx_uint_t   i;

    s = list->elts;
    org = roles ? NULL : json_object_get(ctx->token.claims, "org_id");

    for (i = 0; i < list->nelts; i++) {

        if (roles) {
            if (wjwt_has_role(ctx->token.claims, s[i].data, s[i].len)) {
                return 1;
            }

            continue;
        }

        if (json_is_string(org)
            && (size_t) json_string_length(org) == s[i].len
            && ngx_memcmp(json_string_value(org), s[i].data, s[i].len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


/* "workos_jwt_require $value ... [error=401]" */

static ngx_int_t
ngx_http_workos_jwt_require_rules(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf)
{
    ngx_str_t                    value;
    ngx_uint_t                   i;
    ngx_http_workos_jwt_rule_t  *rule;

    rule = jlcf->rules->elts;

    for (i = 0; i < jlcf->rules->nelts; i++) {
        if (ngx_http_complex_value(r, &rule[i].value, &value) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (value.len == 0 || (value.len == 1 && value.data[0] == '0')) {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "workos jwt require rule \"%V\" not met",
                          &rule[i].value.value);

            return rule[i].status;
        }
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_workos_jwt_challenge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_int_t status,
    const char *error, const char *description, ngx_str_t *scope)
{
    u_char           *p;
    size_t            len;
    ngx_str_t         value;
    ngx_uint_t        i;
    ngx_table_elt_t  *h;

    static ngx_str_t  name = ngx_string("WWW-Authenticate");

    len = sizeof("Bearer") - 1;

    if (jlcf->realm.len) {
        len += sizeof(" realm=\"\"") - 1 + jlcf->realm.len * 2;
    }

    if (error != NULL) {
        len += sizeof(", error=\"\"") - 1 + ngx_strlen(error);
    }

    if (description != NULL) {
        len += sizeof(", error_description=\"\"") - 1 + ngx_strlen(description);
    }

    if (scope != NULL) {
        len += sizeof(", scope=\"\"") - 1 + scope->len;
    }

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    value.data = p;

    p = ngx_cpymem(p, "Bearer", sizeof("Bearer") - 1);

    if (jlcf->realm.len) {
        p = ngx_cpymem(p, " realm=\"", sizeof(" realm=\"") - 1);

        for (i = 0; i < jlcf->realm.len; i++) {
            if (jlcf->realm.data[i] == '"' || jlcf->realm.data[i] == '\\') {
                *p++ = '\\';
            }

            *p++ = jlcf->realm.data[i];
        }

        *p++ = '"';
    }

    if (error != NULL) {
        p = ngx_sprintf(p, "%s error=\"%s\"",
                        jlcf->realm.len ? "," : "", error);
    }

    if (description != NULL) {
        p = ngx_sprintf(p, ", error_description=\"%s\"", description);
    }

    if (scope != NULL) {
        p = ngx_sprintf(p, ", scope=\"%V\"", scope);
    }

    value.len = p - value.data;

    h = ngx_http_workos_jwt_push_header(r, &r->headers_out.headers, &name,
                                        &value);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.www_authenticate = h;

    return status;
}
