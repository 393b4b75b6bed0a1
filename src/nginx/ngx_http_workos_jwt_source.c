
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Token sources: where a request's token comes from (the Authorization
 * header, or the variables of "workos_jwt_token").
 */


#include "ngx_http_workos_jwt_module.h"


static ngx_int_t ngx_http_workos_jwt_bearer(ngx_str_t *value, ngx_str_t *token);


char *
ngx_http_workos_jwt_token(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t                          *value;
    ngx_uint_t                          i;
    ngx_http_workos_jwt_token_source_t       *src;
    ngx_http_compile_complex_value_t    ccv;

    if (jlcf->sources != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    jlcf->sources = ngx_array_create(cf->pool, cf->args->nelts - 1,
                               sizeof(ngx_http_workos_jwt_token_source_t));
    if (jlcf->sources == NULL) {
        return NGX_CONF_ERROR;
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {

        if (value[i].len < 2 || value[i].data[0] != '$') {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid token source \"%V\" in "
                               "\"workos_jwt_token\", a variable such as "
                               "$cookie_name is expected", &value[i]);
            return NGX_CONF_ERROR;
        }

        src = ngx_array_push(jlcf->sources);
        if (src == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_memzero(src, sizeof(ngx_http_workos_jwt_token_source_t));

        if (value[i].len == sizeof("$http_authorization") - 1
            && ngx_strncasecmp(value[i].data, (u_char *) "$http_authorization",
                               value[i].len) == 0)
        {
            src->bearer = 1;
            src->header = 1;
            continue;
        }

        ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

        ccv.cf = cf;
        ccv.value = &value[i];
        ccv.complex_value = &src->value;

        if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


/*
 * The request's token into ctx->raw, and where it came from into
 * ctx->from: the session cookie when the request has one, else the token
 * sources in order.  NGX_OK: a token, NGX_DECLINED: none, NGX_ABORT: a
 * credential that is not well formed (malformed).
 */

ngx_int_t
ngx_http_workos_jwt_find_token(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    ngx_int_t                            rc;
    ngx_str_t                            value;
    ngx_uint_t                           i;
    ngx_http_workos_jwt_token_source_t  *src;

    ctx->from = NGX_HTTP_WORKOS_JWT_FROM_NONE;

    if (jlcf->session_cookie.len) {
        rc = ngx_http_workos_jwt_session_token(r, jlcf, ctx);

        if (rc != NGX_DECLINED) {
            return rc;
        }
    }

    if (jlcf->sources == NULL) {
        if (r->headers_in.authorization == NULL) {
            return NGX_DECLINED;
        }

        rc = ngx_http_workos_jwt_bearer(&r->headers_in.authorization->value,
                                        &ctx->raw);
        if (rc != NGX_DECLINED) {
            ctx->from = NGX_HTTP_WORKOS_JWT_FROM_BEARER;
        }

        return rc;
    }

    src = jlcf->sources->elts;

    for (i = 0; i < jlcf->sources->nelts; i++) {

        if (src[i].header) {
            if (r->headers_in.authorization == NULL) {
                continue;
            }

            value = r->headers_in.authorization->value;

        } else if (ngx_http_complex_value(r, &src[i].value, &value)
                   != NGX_OK)
        {
            return NGX_ERROR;
        }

        if (value.len == 0) {
            continue;
        }

        if (!src[i].bearer) {
            ctx->raw = value;
            ctx->from = NGX_HTTP_WORKOS_JWT_FROM_VARIABLE;
            return NGX_OK;
        }

        rc = ngx_http_workos_jwt_bearer(&value, &ctx->raw);
        if (rc != NGX_DECLINED) {
            ctx->from = NGX_HTTP_WORKOS_JWT_FROM_BEARER;
            return rc;
        }
    }

    return NGX_DECLINED;
}


/* $workos_jwt_token_source */

ngx_str_t
ngx_http_workos_jwt_source_word(ngx_uint_t from)
{
    static ngx_str_t  words[] = {
        ngx_null_string,
        ngx_string("session_cookie"),
        ngx_string("bearer"),
        ngx_string("variable")
    };

    return words[from];
}


static ngx_int_t
ngx_http_workos_jwt_bearer(ngx_str_t *value, ngx_str_t *token)
{
    u_char  *p, *last;

    p = value->data;
    last = p + value->len;

    if (value->len != 0 && *p == '\t') {
        /* nothing is trimmed: a tab in front is not another scheme */
        return NGX_ABORT;
    }

    if (value->len < sizeof("Bearer") - 1
        || ngx_strncasecmp(p, (u_char *) "Bearer", sizeof("Bearer") - 1)
           != 0)
    {
        return NGX_DECLINED;
    }

    p += sizeof("Bearer") - 1;

    if (p == last) {
        return NGX_ABORT;
    }

    if (*p != ' ') {
        /* "Bearerx ..." is another scheme; "Bearer\t..." is malformed */
        return (*p == '\t') ? NGX_ABORT : NGX_DECLINED;
    }

    while (p < last && *p == ' ') {
        p++;
    }

    if (p == last) {
        return NGX_ABORT;
    }

    token->data = p;
    token->len = last - p;

    return NGX_OK;
}
