
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Variables: $workos_* claims, $workos_claim_*, $workos_jwt_header_*, the
 * verdict ($workos_jwt_status, _error, _lint, _cache_status) and
 * workos_jwt_claim_set.  All are lazy: the first one read judges the
 * token under the current location's rules.
 */


#include "ngx_http_workos_jwt_module.h"


/* what the verdict variables say */
#define NGX_HTTP_WORKOS_JWT_VAR_STATUS  0    /* $workos_jwt_status */
#define NGX_HTTP_WORKOS_JWT_VAR_ERROR   1    /* $workos_jwt_error */
#define NGX_HTTP_WORKOS_JWT_VAR_LINT    2    /* $workos_jwt_lint */
#define NGX_HTTP_WORKOS_JWT_VAR_EMAIL   3    /* $workos_session_email */
#define NGX_HTTP_WORKOS_JWT_VAR_SOURCE  4    /* $workos_jwt_token_source */
#define NGX_HTTP_WORKOS_JWT_VAR_CACHE   5    /* $workos_jwt_cache_status */


typedef struct {
    ngx_array_t               *names;        /* of ngx_str_t */
} ngx_http_workos_jwt_claim_path_t;


static json_t *ngx_http_workos_jwt_claims(ngx_http_request_t *r);
static ngx_int_t ngx_http_workos_jwt_set_value(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, json_t *value);
static ngx_int_t ngx_http_workos_jwt_get_member(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, json_t *object, ngx_str_t *var,
    size_t prefix);
static ngx_http_workos_jwt_ctx_t *ngx_http_workos_jwt_var_ctx(
    ngx_http_request_t *r);
static ngx_int_t ngx_http_workos_jwt_claim_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_workos_jwt_time_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_workos_jwt_prefix_claim_variable(
    ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_workos_jwt_header_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_workos_jwt_verdict_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_workos_jwt_lint_text(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx, ngx_str_t *text);
static ngx_int_t ngx_http_workos_jwt_claim_set_variable(
    ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data);



static ngx_http_variable_t  ngx_http_workos_jwt_vars[] = {

    { ngx_string("workos_sub"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "sub", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_user_id"), NULL,
      ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "sub", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_sid"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "sid", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_org_id"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "org_id", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_role"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "role", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_roles"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "roles|role", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_permissions"), NULL,
      ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "permissions", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_entitlements"), NULL,
      ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "entitlements", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_feature_flags"), NULL,
      ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "feature_flags", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_jti"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "jti", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_iss"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "iss", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_aud"), NULL, ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "aud", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_exp"), NULL, ngx_http_workos_jwt_time_variable,
      (uintptr_t) "exp", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_iat"), NULL, ngx_http_workos_jwt_time_variable,
      (uintptr_t) "iat", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_auth_time"), NULL,
      ngx_http_workos_jwt_time_variable,
      (uintptr_t) "auth_time", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_impersonator"), NULL,
      ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "act.sub", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_connection_id"), NULL,
      ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "connection_id", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_directory_id"), NULL,
      ngx_http_workos_jwt_claim_variable,
      (uintptr_t) "directory_id", NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_claim_"), NULL,
      ngx_http_workos_jwt_prefix_claim_variable,
      0, NGX_HTTP_VAR_NOCACHEABLE|NGX_HTTP_VAR_PREFIX, 0 },

    { ngx_string("workos_jwt_header_"), NULL,
      ngx_http_workos_jwt_header_variable,
      0, NGX_HTTP_VAR_NOCACHEABLE|NGX_HTTP_VAR_PREFIX, 0 },

    { ngx_string("workos_jwt_status"), NULL,
      ngx_http_workos_jwt_verdict_variable,
      NGX_HTTP_WORKOS_JWT_VAR_STATUS, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_jwt_error"), NULL,
      ngx_http_workos_jwt_verdict_variable,
      NGX_HTTP_WORKOS_JWT_VAR_ERROR, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_jwt_lint"), NULL,
      ngx_http_workos_jwt_verdict_variable,
      NGX_HTTP_WORKOS_JWT_VAR_LINT, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_session_email"), NULL,
      ngx_http_workos_jwt_verdict_variable,
      NGX_HTTP_WORKOS_JWT_VAR_EMAIL, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_jwt_token_source"), NULL,
      ngx_http_workos_jwt_verdict_variable,
      NGX_HTTP_WORKOS_JWT_VAR_SOURCE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("workos_jwt_cache_status"), NULL,
      ngx_http_workos_jwt_verdict_variable,
      NGX_HTTP_WORKOS_JWT_VAR_CACHE, NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


/* claims of a valid token, or NULL */

static json_t *
ngx_http_workos_jwt_claims(ngx_http_request_t *r)
{
    ngx_http_workos_jwt_ctx_t       *ctx;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (!ngx_http_workos_jwt_has_keys(jlcf)) {
        return NULL;
    }

    ctx = ngx_http_workos_jwt_evaluate(r);

    if (ctx == NULL || ctx->status != WJWT_VALID) {
        return NULL;
    }

    return ctx->token.claims;
}


ngx_int_t
ngx_http_workos_jwt_claim_text(ngx_http_request_t *r, json_t *value,
    ngx_str_t *text)
{
    size_t  n;

    text->len = 0;
    text->data = NULL;

    if (value == NULL) {
        return NGX_OK;
    }

    n = wjwt_json_text(value, NULL, 0);
    if (n == 0) {
        return NGX_OK;
    }

    text->data = ngx_pnalloc(r->pool, n);
    if (text->data == NULL) {
        return NGX_ERROR;
    }

    text->len = wjwt_json_text(value, text->data, n);

    return NGX_OK;
}


static ngx_int_t
ngx_http_workos_jwt_set_value(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, json_t *value)
{
    ngx_str_t  text;

    if (ngx_http_workos_jwt_claim_text(r, value, &text) != NGX_OK) {
        return NGX_ERROR;
    }

    if (value == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->len = text.len;
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;
    v->data = text.data;

    return NGX_OK;
}


static ngx_int_t
ngx_http_workos_jwt_claim_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    json_t  *claims;

    claims = ngx_http_workos_jwt_claims(r);

    if (claims == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    return ngx_http_workos_jwt_set_value(r, v,
                            ngx_http_workos_jwt_claim(claims, (char *) data));
}


/*
 * A claim of the WorkOS view, as variables and injected headers show it:
 * "roles|role" is roles, else role; "act.sub" is the impersonator.
 */

json_t *
ngx_http_workos_jwt_claim(json_t *claims, const char *name)
{
    json_t  *value;

    if (ngx_strcmp(name, "roles|role") == 0) {
        value = json_object_get(claims, "roles");
        return (value != NULL) ? value : json_object_get(claims, "role");
    }

    if (ngx_strcmp(name, "act.sub") == 0) {
        return json_object_get(json_object_get(claims, "act"), "sub");
    }

    return json_object_get(claims, name);
}


static ngx_int_t
ngx_http_workos_jwt_time_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    json_t   *claims;
    int64_t   t;

    claims = ngx_http_workos_jwt_claims(r);

    if (claims == NULL || !wjwt_claim_time(claims, (char *) data, &t)) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->data = ngx_pnalloc(r->pool, NGX_INT64_LEN);
    if (v->data == NULL) {
        return NGX_ERROR;
    }

    v->len = ngx_sprintf(v->data, "%L", t) - v->data;
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    return NGX_OK;
}


static ngx_int_t
ngx_http_workos_jwt_get_member(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, json_t *object, ngx_str_t *var,
    size_t prefix)
{
    u_char  *name;
    size_t   len;

    if (object == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    len = var->len - prefix;

    name = ngx_pnalloc(r->pool, len + 1);
    if (name == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(name, var->data + prefix, len);
    name[len] = '\0';

    return ngx_http_workos_jwt_set_value(r, v,
                                    json_object_get(object, (char *) name));
}


static ngx_int_t
ngx_http_workos_jwt_prefix_claim_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t  *var = (ngx_str_t *) data;

    return ngx_http_workos_jwt_get_member(r, v, ngx_http_workos_jwt_claims(r),
                                          var,
                                          sizeof("workos_claim_") - 1);
}


static ngx_int_t
ngx_http_workos_jwt_header_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t                  *var = (ngx_str_t *) data;
    json_t                     *header;
    ngx_http_workos_jwt_ctx_t  *ctx;

    /* set whenever the header decodes: logs name the kid of a rejection */

    ctx = ngx_http_workos_jwt_var_ctx(r);
    header = (ctx != NULL) ? ctx->token.header : NULL;

    return ngx_http_workos_jwt_get_member(r, v, header, var,
                                          sizeof("workos_jwt_header_") - 1);
}


static ngx_http_workos_jwt_ctx_t *
ngx_http_workos_jwt_var_ctx(ngx_http_request_t *r)
{
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (!ngx_http_workos_jwt_has_keys(jlcf)) {
        return NULL;
    }

    return ngx_http_workos_jwt_evaluate(r);
}


/* the verdict itself, rather than a claim */

static ngx_int_t
ngx_http_workos_jwt_verdict_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t                   text;
    ngx_http_workos_jwt_ctx_t  *ctx;

    ctx = ngx_http_workos_jwt_var_ctx(r);

    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    switch (data) {

    case NGX_HTTP_WORKOS_JWT_VAR_STATUS:
        text.data = (u_char *) wjwt_status_word(ctx->status);
        text.len = ngx_strlen(text.data);
        break;

    case NGX_HTTP_WORKOS_JWT_VAR_ERROR:
        text = ctx->reason;

        if (text.len == 0 && ctx->status != WJWT_VALID) {
            text.data = (u_char *) wjwt_status_sentence(ctx->status);
            text.len = ngx_strlen(text.data);
        }

        break;

    case NGX_HTTP_WORKOS_JWT_VAR_LINT:
        if (ngx_http_workos_jwt_lint_text(r, ctx, &text) != NGX_OK) {
            return NGX_ERROR;
        }

        break;

    case NGX_HTTP_WORKOS_JWT_VAR_EMAIL:

        /* the session's user.email, once its token is valid */

        if (ctx->status != WJWT_VALID || ctx->session == NULL) {
            v->not_found = 1;
            return NGX_OK;
        }

        text = ctx->session->email;
        break;

    case NGX_HTTP_WORKOS_JWT_VAR_SOURCE:
        text = ngx_http_workos_jwt_source_word(ctx->from);
        break;

    default: /* NGX_HTTP_WORKOS_JWT_VAR_CACHE */

        if (ctx->cache == NGX_HTTP_WORKOS_JWT_CACHE_NONE) {
            v->not_found = 1;
            return NGX_OK;
        }

        if (ctx->cache == NGX_HTTP_WORKOS_JWT_CACHE_HIT) {
            ngx_str_set(&text, "HIT");

        } else {
            ngx_str_set(&text, "MISS");
        }
    }

    v->data = text.data;
    v->len = text.len;
    v->valid = 1;
    v->no_cacheable = 1;
    v->not_found = 0;

    return NGX_OK;
}


/* the lint codes found, joined with "," */

static ngx_int_t
ngx_http_workos_jwt_lint_text(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx, ngx_str_t *text)
{
    u_char      *p;
    size_t       len;
    ngx_uint_t   code;

    len = 0;

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (ctx->lint & WJWT_LINT_BIT(code)) {
            len += ngx_strlen(wjwt_lint_name(code)) + 1;
        }
    }

    p = ngx_pnalloc(r->pool, len + 1);
    if (p == NULL) {
        return NGX_ERROR;
    }

    text->data = p;

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (ctx->lint & WJWT_LINT_BIT(code)) {
            if (p != text->data) {
                *p++ = ',';
            }

            p = ngx_sprintf(p, "%s", wjwt_lint_name(code));
        }
    }

    text->len = p - text->data;

    return NGX_OK;
}


static ngx_int_t
ngx_http_workos_jwt_claim_set_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_http_workos_jwt_claim_path_t *path = (void *) data;

    json_t      *value;
    ngx_str_t   *name;
    ngx_uint_t   i;

    value = ngx_http_workos_jwt_claims(r);
    name = path->names->elts;

    for (i = 0; value != NULL && i < path->names->nelts; i++) {
        value = json_object_get(value, (char *) name[i].data);
    }

    if (value == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    return ngx_http_workos_jwt_set_value(r, v, value);
}


ngx_int_t
ngx_http_workos_jwt_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_workos_jwt_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;

        if (v->flags & NGX_HTTP_VAR_PREFIX) {
            /* prefix handlers get the full variable name as data */
            var->data = 0;
        }
    }

    return NGX_OK;
}


char *
ngx_http_workos_jwt_claim_set(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t                         *value, *name;
    ngx_uint_t                         i;
    ngx_http_variable_t               *var;
    ngx_http_workos_jwt_claim_path_t  *path;

    value = cf->args->elts;

    if (value[1].len < 2 || value[1].data[0] != '$') {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid variable name \"%V\" in "
                           "\"workos_jwt_claim_set\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    value[1].len--;
    value[1].data++;

    var = ngx_http_add_variable(cf, &value[1], NGX_HTTP_VAR_NOCACHEABLE);
    if (var == NULL) {
        return NGX_CONF_ERROR;
    }

    if (var->get_handler != NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "variable \"%V\" is already defined", &value[1]);
        return NGX_CONF_ERROR;
    }

    path = ngx_palloc(cf->pool, sizeof(ngx_http_workos_jwt_claim_path_t));
    if (path == NULL) {
        return NGX_CONF_ERROR;
    }

    path->names = ngx_array_create(cf->pool, cf->args->nelts - 2,
                                   sizeof(ngx_str_t));
    if (path->names == NULL) {
        return NGX_CONF_ERROR;
    }

    for (i = 2; i < cf->args->nelts; i++) {
        if (value[i].len == 0) {
            return "has an empty claim name";
        }

        name = ngx_array_push(path->names);
        if (name == NULL) {
            return NGX_CONF_ERROR;
        }

        /* configuration strings are null-terminated */
        *name = value[i];
    }

    var->get_handler = ngx_http_workos_jwt_claim_set_variable;
    var->data = (uintptr_t) path;

    return NGX_CONF_OK;
}
