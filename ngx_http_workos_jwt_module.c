
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * nginx glue: directives, the access-phase check, header injection and
 * variables.  Everything about tokens and keys lives in src/wjwt_*.c.
 */


#include "ngx_http_workos_jwt_module.h"


#define NGX_HTTP_WORKOS_JWT_LINT_SILENCE  60


typedef struct {
    ngx_str_t                  name;
    const char                *claim;
} ngx_http_workos_jwt_header_t;


typedef struct {
    ngx_conf_t                *cf;
    ngx_str_t                 *file;
} ngx_http_workos_jwt_key_file_t;


typedef struct {
    time_t                     logged;
    ngx_uint_t                 suppressed;
} ngx_http_workos_jwt_lint_log_t;


static ngx_int_t ngx_http_workos_jwt_access_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_workos_jwt_inject_handler(ngx_http_request_t *r);
static ngx_http_workos_jwt_ctx_t *ngx_http_workos_jwt_get_ctx(
    ngx_http_request_t *r);
static void ngx_http_workos_jwt_facts(wjwt_token_t *t,
    ngx_http_workos_jwt_facts_t *f);
static int ngx_http_workos_jwt_verify(ngx_http_workos_jwt_ctx_t *ctx,
    ngx_http_workos_jwt_keys_t *remote, ngx_http_workos_jwt_keys_t *files,
    ngx_uint_t algorithms, ngx_http_workos_jwt_keys_t **used);
static const wjwt_key_t *ngx_http_workos_jwt_cached_key(
    ngx_http_workos_jwt_ctx_t *ctx, ngx_http_workos_jwt_keys_t *remote,
    ngx_http_workos_jwt_keys_t *files, uint64_t fp);
static ngx_uint_t ngx_http_workos_jwt_judge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static ngx_int_t ngx_http_workos_jwt_find_token(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_str_t *token);
static ngx_int_t ngx_http_workos_jwt_bearer(ngx_str_t *value,
    ngx_str_t *token);
static void ngx_http_workos_jwt_log_safe(ngx_str_t *s);
static void ngx_http_workos_jwt_log_lint(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static ngx_int_t ngx_http_workos_jwt_authorize(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static ngx_int_t ngx_http_workos_jwt_challenge(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_int_t status,
    const char *error, const char *description, ngx_str_t *scope);
static void ngx_http_workos_jwt_cleanup(void *data);

static void *ngx_http_workos_jwt_create_main_conf(ngx_conf_t *cf);
static ngx_int_t ngx_http_workos_jwt_init_module(ngx_cycle_t *cycle);
static ngx_int_t ngx_http_workos_jwt_init_process(ngx_cycle_t *cycle);
static void ngx_http_workos_jwt_exit_process(ngx_cycle_t *cycle);
static char *ngx_http_workos_jwt_key_request(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_workos_jwt_key_cache(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_workos_jwt_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_workos_jwt_cache_size(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_workos_jwt_status(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_workos_jwt_inspect(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_workos_jwt_enum(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static void *ngx_http_workos_jwt_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_workos_jwt_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static ngx_int_t ngx_http_workos_jwt_init(ngx_conf_t *cf);

static char *ngx_http_workos_jwt_token(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_workos_jwt_key_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static void ngx_http_workos_jwt_key_warning(void *data, const char *kid,
    const char *reason);
static char *ngx_http_workos_jwt_str_list(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_workos_jwt_algorithms(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_workos_jwt_max_auth_age(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_workos_jwt_require_list(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_workos_jwt_require(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_workos_jwt_lint_codes(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_workos_jwt_check_time(ngx_conf_t *cf, void *post,
    void *data);
static char *ngx_http_workos_jwt_check_size(ngx_conf_t *cf, void *post,
    void *data);


static ngx_conf_enum_t  ngx_http_workos_jwt_modes[] = {
    { ngx_string("off"), NGX_HTTP_WORKOS_JWT_OFF },
    { ngx_string("on"), NGX_HTTP_WORKOS_JWT_ON },
    { ngx_string("optional"), NGX_HTTP_WORKOS_JWT_OPTIONAL },
    { ngx_null_string, 0 }
};


static ngx_conf_enum_t  ngx_http_workos_jwt_token_types[] = {
    { ngx_string("session"), NGX_HTTP_WORKOS_JWT_SESSION },
    { ngx_string("any"), NGX_HTTP_WORKOS_JWT_ANY },
    { ngx_null_string, 0 }
};


static ngx_conf_post_t  ngx_http_workos_jwt_time_post = {
    ngx_http_workos_jwt_check_time
};

static ngx_conf_post_t  ngx_http_workos_jwt_size_post = {
    ngx_http_workos_jwt_check_size
};


static ngx_command_t  ngx_http_workos_jwt_commands[] = {

    { ngx_string("workos_jwt"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_enum,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, mode),
      &ngx_http_workos_jwt_modes },

    { ngx_string("workos_jwt_token"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_token,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_realm"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, realm),
      NULL },

    { ngx_string("workos_jwt_key_file"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_key_file,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_client_id"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, client_id),
      NULL },

    { ngx_string("workos_jwt_issuer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_str_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, issuers),
      NULL },

    { ngx_string("workos_jwt_audience"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_str_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, audiences),
      NULL },

    { ngx_string("workos_jwt_algorithms"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_algorithms,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_leeway"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, leeway),
      NULL },

    { ngx_string("workos_jwt_token_type"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_enum,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, token_type),
      &ngx_http_workos_jwt_token_types },

    { ngx_string("workos_jwt_max_auth_age"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_max_auth_age,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_require_permission"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_require_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, permissions),
      NULL },

    { ngx_string("workos_jwt_require_role"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_require_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, roles),
      NULL },

    { ngx_string("workos_jwt_require_org"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_require_list,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, orgs),
      NULL },

    { ngx_string("workos_jwt_require"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_require,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_permission_wildcards"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, wildcards),
      NULL },

    { ngx_string("workos_jwt_inject_headers"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, inject_headers),
      NULL },

    { ngx_string("workos_jwt_claim_set"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_2MORE,
      ngx_http_workos_jwt_claim_set,
      0,
      0,
      NULL },

    { ngx_string("workos_jwt_lint"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, lint),
      NULL },

    { ngx_string("workos_jwt_lint_max_lifetime"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, lint_max_lifetime),
      &ngx_http_workos_jwt_time_post },

    { ngx_string("workos_jwt_lint_reject"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_lint_codes,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, lint_reject),
      NULL },

    { ngx_string("workos_jwt_lint_ignore"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_lint_codes,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, lint_ignore),
      NULL },

    { ngx_string("workos_jwt_max_token_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, max_token_size),
      &ngx_http_workos_jwt_size_post },

    { ngx_string("workos_jwt_key_request"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_key_request,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_key_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_workos_jwt_key_cache,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_zone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_zone,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_cache_size,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_status"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_status,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("workos_jwt_inspect"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_workos_jwt_inspect,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_workos_jwt_module_ctx = {
    ngx_http_workos_jwt_add_variables,      /* preconfiguration */
    ngx_http_workos_jwt_init,               /* postconfiguration */

    ngx_http_workos_jwt_create_main_conf,   /* create main configuration */
    NULL,                                   /* init main configuration */

    NULL,                                   /* create server configuration */
    NULL,                                   /* merge server configuration */

    ngx_http_workos_jwt_create_loc_conf,    /* create location configuration */
    ngx_http_workos_jwt_merge_loc_conf      /* merge location configuration */
};


ngx_module_t  ngx_http_workos_jwt_module = {
    NGX_MODULE_V1,
    &ngx_http_workos_jwt_module_ctx,        /* module context */
    ngx_http_workos_jwt_commands,           /* module directives */
    NGX_HTTP_MODULE,                        /* module type */
    NULL,                                   /* init master */
    ngx_http_workos_jwt_init_module,        /* init module */
    ngx_http_workos_jwt_init_process,       /* init process */
    NULL,                                   /* init thread */
    NULL,                                   /* exit thread */
    ngx_http_workos_jwt_exit_process,       /* exit process */
    NULL,                                   /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_http_workos_jwt_header_t  ngx_http_workos_jwt_headers[] = {
    { ngx_string("X-WorkOS-User-Id"), "sub" },
    { ngx_string("X-WorkOS-Org-Id"), "org_id" },
    { ngx_string("X-WorkOS-Role"), "role" },
    { ngx_string("X-WorkOS-Roles"), NULL },
    { ngx_string("X-WorkOS-Permissions"), "permissions" },
    { ngx_string("X-WorkOS-Session-Id"), "sid" },
    { ngx_string("X-WorkOS-Impersonator"), NULL },
    { ngx_string("X-WorkOS-Entitlements"), "entitlements" },
    { ngx_string("X-WorkOS-Feature-Flags"), "feature_flags" },
    { ngx_null_string, NULL }
};


static EVP_MD  *ngx_http_workos_jwt_sha256;


/* per worker process: when each lint code was last logged */
static ngx_http_workos_jwt_lint_log_t
    ngx_http_workos_jwt_lint_log[WJWT_LINT_COUNT];


static ngx_int_t
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

    if (jlcf->key_source >= 0) {
        rc = ngx_http_workos_jwt_fetch_keys(r, jlcf, ctx, WJWT_VALID);

        if (rc != NGX_OK) {
            return (rc == NGX_AGAIN) ? NGX_AGAIN
                                     : NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    ctx = ngx_http_workos_jwt_evaluate(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->status == WJWT_UNKNOWN_KID && jlcf->key_source >= 0
        && !ctx->kid_refetched)
    {
        /* maybe a key rotated in: one refetch per refetch= window */

        ctx->kid_refetched = 1;

        rc = ngx_http_workos_jwt_fetch_keys(r, jlcf, ctx, WJWT_UNKNOWN_KID);

        if (rc != NGX_OK) {
            return (rc == NGX_AGAIN) ? NGX_AGAIN
                                     : NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);

    if (!ctx->counted) {
        ctx->counted = 1;
        (void) ngx_atomic_fetch_add(&jmcf->sh->requests[ctx->status], 1);
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
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "workos jwt token rejected: \"%s\", %s",
                      wjwt_status_word(ctx->status),
                      wjwt_status_sentence(ctx->status));
        return ngx_http_workos_jwt_challenge(r, jlcf,
                                             NGX_HTTP_UNAUTHORIZED,
                                             "invalid_token",
                                             wjwt_status_word(ctx->status),
                                             NULL);
    }
}


static ngx_int_t
ngx_http_workos_jwt_authorize(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    u_char                      *p;
    size_t                       len;
    json_t                      *org;
    ngx_str_t                   *s, scope, value;
    ngx_uint_t                   i, n;
    ngx_http_workos_jwt_rule_t  *rule;

    if (jlcf->permissions != NULL) {
        s = jlcf->permissions->elts;
        scope.len = 0;
        scope.data = NULL;
        p = NULL;

        for (i = 0; i < jlcf->permissions->nelts; i++) {
            if (wjwt_has_permission(ctx->token.claims, s[i].data, s[i].len,
                                    jlcf->wildcards))
            {
                continue;
            }

            if (scope.data == NULL) {
                /* room for every argument: allocated on refusal only */

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

        if (scope.data != NULL) {
            scope.len = p - scope.data;

            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "workos jwt permission not granted: \"%V\"",
                          &scope);

            return ngx_http_workos_jwt_challenge(r, jlcf,
                                                 NGX_HTTP_FORBIDDEN,
                                                 "insufficient_scope", NULL,
                                                 &scope);
        }
    }

    if (jlcf->roles != NULL) {
        s = jlcf->roles->elts;

        for (i = 0; i < jlcf->roles->nelts; i++) {
            if (wjwt_has_role(ctx->token.claims, s[i].data, s[i].len)) {
                break;
            }
        }

        if (i == jlcf->roles->nelts) {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "workos jwt no required role");
            return ngx_http_workos_jwt_challenge(r, jlcf,
                                                 NGX_HTTP_FORBIDDEN,
                                                 "insufficient_scope", NULL,
                                                 NULL);
        }
    }

    if (jlcf->orgs != NULL) {
        org = json_object_get(ctx->token.claims, "org_id");
        s = jlcf->orgs->elts;

        for (i = 0; org != NULL && i < jlcf->orgs->nelts; i++) {
            if ((size_t) json_string_length(org) == s[i].len
                && ngx_memcmp(json_string_value(org), s[i].data, s[i].len)
                   == 0)
            {
                break;
            }
        }

        if (org == NULL || i == jlcf->orgs->nelts) {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "workos jwt organization not allowed");
            return ngx_http_workos_jwt_challenge(r, jlcf,
                                                 NGX_HTTP_FORBIDDEN,
                                                 "insufficient_scope", NULL,
                                                 NULL);
        }
    }

    if (jlcf->rules != NULL) {
        rule = jlcf->rules->elts;

        for (i = 0; i < jlcf->rules->nelts; i++) {
            if (ngx_http_complex_value(r, &rule[i].value, &value) != NGX_OK) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            if (value.len == 0 || (value.len == 1 && value.data[0] == '0')) {
                ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                              "workos jwt require rule \"%V\" not met",
                              &rule[i].value.value);

                if (rule[i].status == NGX_HTTP_UNAUTHORIZED) {
                    return ngx_http_workos_jwt_challenge(r, jlcf,
                                                   NGX_HTTP_UNAUTHORIZED,
                                                   "invalid_token", NULL,
                                                   NULL);
                }

                return ngx_http_workos_jwt_challenge(r, jlcf,
                                                     NGX_HTTP_FORBIDDEN,
                                                     "insufficient_scope",
                                                     NULL, NULL);
            }
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
    ngx_uint_t        i;
    ngx_table_elt_t  *h;

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

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif
    ngx_str_set(&h->key, "WWW-Authenticate");
    h->value.data = p;

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

    h->value.len = p - h->value.data;

    r->headers_out.www_authenticate = h;

    return status;
}


static ngx_http_workos_jwt_ctx_t *
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

    ctx->status = ngx_http_workos_jwt_judge(r, jlcf, ctx);

    if (ctx->status == (ngx_uint_t) NGX_ERROR) {
        return NULL;
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

    found = ngx_http_workos_jwt_find_token(r, jlcf, &ctx->raw);

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

    remote = (jlcf->key_source >= 0)
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

    used = NULL;

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


/*
 * NGX_OK: a token, NGX_DECLINED: none, NGX_ABORT: a "Bearer" credential
 * that is not well formed.
 */

static ngx_int_t
ngx_http_workos_jwt_find_token(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_str_t *token)
{
    ngx_int_t                      rc;
    ngx_str_t                      value;
    ngx_uint_t                     i;
    ngx_http_workos_jwt_token_source_t  *src;

    if (jlcf->sources == NULL) {
        if (r->headers_in.authorization == NULL) {
            return NGX_DECLINED;
        }

        return ngx_http_workos_jwt_bearer(
                                        &r->headers_in.authorization->value,
                                        token);
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
            *token = value;
            return NGX_OK;
        }

        rc = ngx_http_workos_jwt_bearer(&value, token);
        if (rc != NGX_DECLINED) {
            return rc;
        }
    }

    return NGX_DECLINED;
}


static ngx_int_t
ngx_http_workos_jwt_bearer(ngx_str_t *value, ngx_str_t *token)
{
    u_char  *p, *last;

    p = value->data;
    last = p + value->len;

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


static ngx_int_t
ngx_http_workos_jwt_inject_handler(ngx_http_request_t *r)
{
    u_char                          *p;
    size_t                           n;
    json_t                          *value;
    ngx_str_t                        text;
    ngx_uint_t                       i, j;
    ngx_list_t                       headers;
    ngx_list_part_t                 *part;
    ngx_table_elt_t                 *h, *nh;
    ngx_http_workos_jwt_ctx_t       *ctx;
    ngx_http_workos_jwt_header_t    *hdr;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (!jlcf->inject_headers || r != r->main) {
        return NGX_DECLINED;
    }

    /* never let a client's own X-WorkOS-* headers through */

    headers = r->headers_in.headers;

    if (ngx_list_init(&r->headers_in.headers, r->pool, 20,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    part = &headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                break;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].key.len >= sizeof("X-WorkOS-") - 1
            && ngx_strncasecmp(h[i].key.data, (u_char *) "X-WorkOS-",
                               sizeof("X-WorkOS-") - 1) == 0)
        {
            continue;
        }

        nh = ngx_list_push(&r->headers_in.headers);
        if (nh == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        *nh = h[i];
    }

    ctx = ngx_http_workos_jwt_has_keys(jlcf)
          ? ngx_http_workos_jwt_evaluate(r) : NULL;

    if (ctx == NULL || ctx->status != WJWT_VALID) {
        return NGX_DECLINED;
    }

    for (hdr = ngx_http_workos_jwt_headers; hdr->name.len; hdr++) {

        if (hdr->claim != NULL) {
            value = json_object_get(ctx->token.claims, hdr->claim);

        } else if (hdr->name.len == sizeof("X-WorkOS-Roles") - 1) {
            value = json_object_get(ctx->token.claims, "roles");
            if (value == NULL) {
                value = json_object_get(ctx->token.claims, "role");
            }

        } else {
            value = json_object_get(json_object_get(ctx->token.claims, "act"),
                                    "sub");
        }

        if (ngx_http_workos_jwt_claim_text(r, value, &text) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (text.len == 0) {
            continue;
        }

        /* a claim value must not split the upstream request's headers */

        for (j = 0; j < text.len; j++) {
            if (text.data[j] < 0x20 || text.data[j] == 0x7f) {
                break;
            }
        }

        if (j < text.len) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "workos jwt \"%V\" not set: control character "
                          "in claim value", &hdr->name);
            continue;
        }

        nh = ngx_list_push(&r->headers_in.headers);
        if (nh == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        n = hdr->name.len;

        p = ngx_pnalloc(r->pool, n);
        if (p == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        nh->key = hdr->name;
        nh->value = text;
        nh->lowcase_key = p;
        ngx_strlow(p, hdr->name.data, n);
        nh->hash = ngx_hash_key(p, n);
#if (nginx_version >= 1023000)
        nh->next = NULL;
#endif
    }

    return NGX_DECLINED;
}


static void
ngx_http_workos_jwt_cleanup(void *data)
{
    ngx_http_workos_jwt_ctx_t  *ctx = data;

    wjwt_token_free(&ctx->token);
}


static void *
ngx_http_workos_jwt_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_workos_jwt_main_conf_t));
    if (jmcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     jmcf->shm_zone = NULL;
     *     jmcf->cache_max = 0;
     */

    if (ngx_array_init(&jmcf->sources, cf->pool, 2,
                       sizeof(ngx_http_workos_jwt_source_t))
        != NGX_OK)
    {
        return NULL;
    }

    if (ngx_array_init(&jmcf->key_files, cf->pool, 2,
                       sizeof(ngx_http_workos_jwt_keys_t *))
        != NGX_OK)
    {
        return NULL;
    }

    return jmcf;
}


static ngx_int_t
ngx_http_workos_jwt_init_module(ngx_cycle_t *cycle)
{
    ngx_log_debug1(NGX_LOG_DEBUG_CORE, cycle->log, 0,
                   "workos jwt module version " WJWT_VERSION " (%s)",
                   OpenSSL_version(OPENSSL_VERSION));

    return NGX_OK;
}


static ngx_int_t
ngx_http_workos_jwt_init_process(ngx_cycle_t *cycle)
{
    ngx_http_workos_jwt_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);

    if (ngx_http_workos_jwt_sha256 == NULL) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "EVP_MD_fetch(\"SHA256\") failed");
        return NGX_ERROR;
    }

    return NGX_OK;
}


static void
ngx_http_workos_jwt_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_workos_jwt_keys_exit();
    ngx_http_workos_jwt_l1_free();

    EVP_MD_free(ngx_http_workos_jwt_sha256);
    ngx_http_workos_jwt_sha256 = NULL;
}


static void *
ngx_http_workos_jwt_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_workos_jwt_loc_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_workos_jwt_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     conf->realm = { 0, NULL };
     *     conf->client_id = { 0, NULL };
     *     conf->lint_reject = 0;
     *     conf->lint_ignore = 0;
     *     conf->accepted_issuers = NULL;
     *     conf->require_set = 0;
     */

    conf->mode = NGX_CONF_UNSET_UINT;
    conf->sources = NGX_CONF_UNSET_PTR;
    conf->keys = NGX_CONF_UNSET_PTR;
    conf->key_source = NGX_CONF_UNSET;
    conf->key_valid = NGX_CONF_UNSET;
    conf->key_stale = NGX_CONF_UNSET;
    conf->key_refetch = NGX_CONF_UNSET;
    conf->cache = NGX_CONF_UNSET;
    conf->issuers = NGX_CONF_UNSET_PTR;
    conf->audiences = NGX_CONF_UNSET_PTR;
    conf->algorithms = NGX_CONF_UNSET_UINT;
    conf->leeway = NGX_CONF_UNSET;
    conf->token_type = NGX_CONF_UNSET_UINT;
    conf->max_auth_age = NGX_CONF_UNSET;
    conf->max_token_size = NGX_CONF_UNSET_SIZE;
    conf->permissions = NGX_CONF_UNSET_PTR;
    conf->roles = NGX_CONF_UNSET_PTR;
    conf->orgs = NGX_CONF_UNSET_PTR;
    conf->rules = NGX_CONF_UNSET_PTR;
    conf->wildcards = NGX_CONF_UNSET;
    conf->inject_headers = NGX_CONF_UNSET;
    conf->lint = NGX_CONF_UNSET;
    conf->lint_max_lifetime = NGX_CONF_UNSET;

    return conf;
}


static char *
ngx_http_workos_jwt_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_workos_jwt_loc_conf_t *prev = parent;
    ngx_http_workos_jwt_loc_conf_t *conf = child;

    ngx_str_t   *s;
    ngx_uint_t   explicit;

    static ngx_str_t  defaults[] = {
        ngx_string("https://api.workos.com"),
        ngx_string("https://api.workos.com/"),
        ngx_string("https://api.workos.com/user_management/")
    };

    /*
     * checked where "workos_jwt" is set, and for the http level (never
     * merged itself) in each server
     */
    explicit = (conf->mode != NGX_CONF_UNSET_UINT
                || (!prev->merged && prev->mode != NGX_CONF_UNSET_UINT));

    conf->merged = 1;

    ngx_conf_merge_uint_value(conf->mode, prev->mode,
                              NGX_HTTP_WORKOS_JWT_OFF);
    ngx_conf_merge_ptr_value(conf->sources, prev->sources, NULL);
    ngx_conf_merge_str_value(conf->realm, prev->realm, "");
    ngx_conf_merge_ptr_value(conf->keys, prev->keys, NULL);
    ngx_conf_merge_value(conf->key_source, prev->key_source, -1);
    ngx_conf_merge_sec_value(conf->key_valid, prev->key_valid, 600);
    ngx_conf_merge_sec_value(conf->key_stale, prev->key_stale, 86400);
    ngx_conf_merge_sec_value(conf->key_refetch, prev->key_refetch, 30);
    ngx_conf_merge_value(conf->cache, prev->cache, 1);
    ngx_conf_merge_ptr_value(conf->issuers, prev->issuers, NULL);
    ngx_conf_merge_ptr_value(conf->audiences, prev->audiences, NULL);
    ngx_conf_merge_str_value(conf->client_id, prev->client_id, "");
    ngx_conf_merge_uint_value(conf->algorithms, prev->algorithms,
                              WJWT_ALG_BIT(WJWT_RS256));
    ngx_conf_merge_sec_value(conf->leeway, prev->leeway, 0);
    ngx_conf_merge_uint_value(conf->token_type, prev->token_type,
                              NGX_HTTP_WORKOS_JWT_SESSION);
    ngx_conf_merge_sec_value(conf->max_auth_age, prev->max_auth_age, -1);
    ngx_conf_merge_size_value(conf->max_token_size, prev->max_token_size,
                              WJWT_DEFAULT_MAX_TOKEN);
    ngx_conf_merge_value(conf->wildcards, prev->wildcards, 0);
    ngx_conf_merge_value(conf->inject_headers, prev->inject_headers, 0);
    ngx_conf_merge_value(conf->lint, prev->lint, 1);
    ngx_conf_merge_sec_value(conf->lint_max_lifetime,
                             prev->lint_max_lifetime, 86400);

    if (!conf->lint_reject_set) {
        conf->lint_reject = prev->lint_reject;
        conf->lint_reject_set = prev->lint_reject_set;
    }

    if (!conf->lint_ignore_set) {
        conf->lint_ignore = prev->lint_ignore;
        conf->lint_ignore_set = prev->lint_ignore_set;
    }

    /* the require lines of a level replace all inherited ones */

    if (!conf->require_set) {
        conf->permissions = prev->permissions;
        conf->roles = prev->roles;
        conf->orgs = prev->orgs;
        conf->rules = prev->rules;
        conf->require_set = prev->require_set;
    }

    if (conf->permissions == NGX_CONF_UNSET_PTR) {
        conf->permissions = NULL;
    }

    if (conf->roles == NGX_CONF_UNSET_PTR) {
        conf->roles = NULL;
    }

    if (conf->orgs == NGX_CONF_UNSET_PTR) {
        conf->orgs = NULL;
    }

    if (conf->rules == NGX_CONF_UNSET_PTR) {
        conf->rules = NULL;
    }

    if (conf->issuers != NULL) {
        conf->accepted_issuers = conf->issuers;

    } else if (conf->client_id.len) {
        conf->accepted_issuers = ngx_array_create(cf->pool, 3,
                                                  sizeof(ngx_str_t));
        if (conf->accepted_issuers == NULL) {
            return NGX_CONF_ERROR;
        }

        s = ngx_array_push_n(conf->accepted_issuers, 3);
        if (s == NULL) {
            return NGX_CONF_ERROR;
        }

        s[0] = defaults[0];
        s[1] = defaults[1];
        s[2].len = defaults[2].len + conf->client_id.len;
        s[2].data = ngx_pnalloc(cf->pool, s[2].len);
        if (s[2].data == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_memcpy(ngx_cpymem(s[2].data, defaults[2].data, defaults[2].len),
                   conf->client_id.data, conf->client_id.len);
    }

    if (conf->mode == NGX_HTTP_WORKOS_JWT_OFF || !explicit) {
        return NGX_CONF_OK;
    }

    if (!ngx_http_workos_jwt_has_keys(conf)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt\" needs a key source: "
                           "\"workos_jwt_key_file\" or "
                           "\"workos_jwt_key_request\"");
        return NGX_CONF_ERROR;
    }

    if (conf->accepted_issuers == NULL) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "\"workos_jwt\" has no issuer configured "
                           "(\"workos_jwt_issuer\" or "
                           "\"workos_jwt_client_id\"), \"iss\" is not "
                           "checked");
    }

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_workos_jwt_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt              *h;
    ngx_http_core_main_conf_t        *cmcf;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    static ngx_str_t  zone = ngx_string("workos_jwt");

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);

    if (jmcf->shm_zone == NULL) {
        jmcf->shm_zone = ngx_shared_memory_add(cf, &zone, 1024 * 1024,
                                               &ngx_http_workos_jwt_module);
        if (jmcf->shm_zone == NULL) {
            return NGX_ERROR;
        }

        jmcf->shm_zone->init = ngx_http_workos_jwt_init_zone;
        jmcf->shm_zone->data = jmcf;
    }

    if (ngx_http_workos_jwt_check_sources(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_workos_jwt_access_handler;

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_PRECONTENT_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_workos_jwt_inject_handler;

    return NGX_OK;
}


static char *
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


static void
ngx_http_workos_jwt_keys_cleanup(void *data)
{
    ngx_http_workos_jwt_keys_t  *keys = data;

    ngx_http_workos_jwt_keys_free(keys);
}


static char *
ngx_http_workos_jwt_key_file(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    char                              err[256];
    u_char                           *buf;
    size_t                            before;
    ssize_t                           size;
    ngx_fd_t                          fd;
    ngx_str_t                        *value, file;
    ngx_file_info_t                   fi;
    ngx_pool_cleanup_t               *cln;
    ngx_http_workos_jwt_keys_t      **kp;
    ngx_http_workos_jwt_key_file_t    kf;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    value = cf->args->elts;
    file = value[1];

    if (ngx_conf_full_name(cf->cycle, &file, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    if (jlcf->keys == NGX_CONF_UNSET_PTR) {
        cln = ngx_pool_cleanup_add(cf->pool,
                                   sizeof(ngx_http_workos_jwt_keys_t));
        if (cln == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_memzero(cln->data, sizeof(ngx_http_workos_jwt_keys_t));
        cln->handler = ngx_http_workos_jwt_keys_cleanup;
        jlcf->keys = cln->data;

        jmcf = ngx_http_conf_get_module_main_conf(cf,
                                                  ngx_http_workos_jwt_module);
        kp = ngx_array_push(&jmcf->key_files);
        if (kp == NULL) {
            return NGX_CONF_ERROR;
        }

        *kp = jlcf->keys;
    }

    fd = ngx_open_file(file.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "\"workos_jwt_key_file\" cannot open \"%s\"",
                           file.data);
        return NGX_CONF_ERROR;
    }

    buf = NULL;

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "\"workos_jwt_key_file\" cannot stat \"%s\"",
                           file.data);
        goto failed;
    }

    size = ngx_file_size(&fi);

    if (size <= 0 || size > NGX_HTTP_WORKOS_JWT_MAX_JWKS) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_key_file\" \"%s\" is %s", file.data,
                           size <= 0 ? "empty" : "too big");
        goto failed;
    }

    buf = ngx_alloc(size, cf->log);
    if (buf == NULL) {
        goto failed;
    }

    if (ngx_read_fd(fd, buf, size) != size) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "\"workos_jwt_key_file\" cannot read \"%s\"",
                           file.data);
        goto failed;
    }

    kf.cf = cf;
    kf.file = &file;
    before = jlcf->keys->ks.nkeys;

    if (ngx_http_workos_jwt_keys_load(jlcf->keys, buf, size,
                                      ngx_http_workos_jwt_key_warning, &kf,
                                      err, sizeof(err))
        != NGX_OK)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_key_file\" \"%s\" is not a JWKS: %s",
                           file.data, err);
        goto failed;
    }

    if (jlcf->keys->ks.nkeys <= before) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_key_file\" \"%s\" has no usable key",
                           file.data);
        goto failed;
    }

    ngx_free(buf);
    ngx_close_file(fd);

    return NGX_CONF_OK;

failed:

    if (buf != NULL) {
        ngx_free(buf);
    }

    ngx_close_file(fd);

    return NGX_CONF_ERROR;
}


static char *
ngx_http_workos_jwt_key_request(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_int_t                         n;
    ngx_str_t                        *value;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    if (jlcf->key_source != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (value[1].len == 0 || value[1].data[0] != '/'
        || value[1].len >= NGX_HTTP_WORKOS_JWT_MAX_URI)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid URI \"%V\" in \"workos_jwt_key_request\" "
                           "directive, an internal location such as "
                           "\"/_workos_jwks\" is expected", &value[1]);
        return NGX_CONF_ERROR;
    }

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);

    n = ngx_http_workos_jwt_add_source(cf, jmcf, &value[1]);
    if (n == NGX_ERROR) {
        return NGX_CONF_ERROR;
    }

    jlcf->key_source = n;

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_key_cache(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    time_t      *tp;
    ngx_str_t   *value, s;
    ngx_uint_t   i;

    if (jlcf->key_valid != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    jlcf->key_valid = 600;
    jlcf->key_stale = 86400;
    jlcf->key_refetch = 30;

    for (i = 1; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "valid=", 6) == 0) {
            tp = &jlcf->key_valid;
            s.data = value[i].data + 6;
            s.len = value[i].len - 6;

        } else if (ngx_strncmp(value[i].data, "stale=", 6) == 0) {
            tp = &jlcf->key_stale;
            s.data = value[i].data + 6;
            s.len = value[i].len - 6;

        } else if (ngx_strncmp(value[i].data, "refetch=", 8) == 0) {
            tp = &jlcf->key_refetch;
            s.data = value[i].data + 8;
            s.len = value[i].len - 8;

        } else {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\" in "
                               "\"workos_jwt_key_cache\" directive",
                               &value[i]);
            return NGX_CONF_ERROR;
        }

        *tp = ngx_parse_time(&s, 1);

        if (*tp == (time_t) NGX_ERROR || *tp < 1) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid time \"%V\" in "
                               "\"workos_jwt_key_cache\" directive, "
                               "1s or more is expected", &value[i]);
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_zone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_main_conf_t *jmcf = conf;

    u_char     *p;
    ssize_t     size;
    ngx_str_t  *value, name, s;

    if (jmcf->shm_zone != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    p = (u_char *) ngx_strchr(value[1].data, ':');

    if (p == NULL || p == value[1].data) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid zone \"%V\" in \"workos_jwt_zone\" "
                           "directive, \"name:size\" is expected", &value[1]);
        return NGX_CONF_ERROR;
    }

    name.data = value[1].data;
    name.len = p - value[1].data;

    s.data = p + 1;
    s.len = value[1].data + value[1].len - s.data;

    size = ngx_parse_size(&s);

    if (size == NGX_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid zone size \"%V\" in \"workos_jwt_zone\" "
                           "directive", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (size < (ssize_t) (8 * ngx_pagesize)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "zone \"%V\" is too small in \"workos_jwt_zone\" "
                           "directive", &value[1]);
        return NGX_CONF_ERROR;
    }

    jmcf->shm_zone = ngx_shared_memory_add(cf, &name, size,
                                           &ngx_http_workos_jwt_module);
    if (jmcf->shm_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (jmcf->shm_zone->data) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "workos_jwt_zone \"%V\" is already used",
                           &name);
        return NGX_CONF_ERROR;
    }

    jmcf->shm_zone->init = ngx_http_workos_jwt_init_zone;
    jmcf->shm_zone->data = jmcf;

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_cache_size(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_int_t                         n;
    ngx_str_t                        *value;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    if (jlcf->cache != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        jlcf->cache = 0;
        return NGX_CONF_OK;
    }

    jlcf->cache = 1;

    if (ngx_strcmp(value[1].data, "on") == 0) {
        return NGX_CONF_OK;
    }

    n = ngx_atoi(value[1].data, value[1].len);

    if (n == NGX_ERROR || n == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid value \"%V\" in \"workos_jwt_cache\" "
                           "directive, a number of entries, \"on\" or "
                           "\"off\" is expected", &value[1]);
        return NGX_CONF_ERROR;
    }

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);
    jmcf->cache_max = n;

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_status(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t                 *value;
    ngx_http_core_loc_conf_t  *clcf;

    if (jlcf->status_format) {
        return "is duplicate";
    }

    value = cf->args->elts;
    jlcf->status_format = NGX_HTTP_WORKOS_JWT_STATUS_JSON;

    if (cf->args->nelts == 2) {
        if (ngx_strcmp(value[1].data, "prometheus") == 0) {
            jlcf->status_format = NGX_HTTP_WORKOS_JWT_STATUS_PROM;

        } else if (ngx_strcmp(value[1].data, "json") != 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid value \"%V\" in "
                               "\"workos_jwt_status\" directive, \"json\" or "
                               "\"prometheus\" is expected", &value[1]);
            return NGX_CONF_ERROR;
        }
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_workos_jwt_status_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_inspect(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (jlcf->inspect) {
        return "is duplicate";
    }

    jlcf->inspect = 1;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_workos_jwt_inspect_handler;

    return NGX_CONF_OK;
}


/* ngx_conf_set_enum_slot() with the directive named in the error */

static char *
ngx_http_workos_jwt_enum(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t        *value;
    ngx_conf_enum_t  *e;

    value = cf->args->elts;

    for (e = cmd->post; e->name.len; e++) {
        if (e->name.len == value[1].len
            && ngx_strcasecmp(e->name.data, value[1].data) == 0)
        {
            return ngx_conf_set_enum_slot(cf, cmd, conf);
        }
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid value \"%V\" in \"%V\" directive, it must be "
                       "%s", &value[1], &cmd->name,
                       (cmd->post == ngx_http_workos_jwt_modes)
                       ? "\"on\", \"off\" or \"optional\""
                       : "\"session\" or \"any\"");

    return NGX_CONF_ERROR;
}


static void
ngx_http_workos_jwt_key_warning(void *data, const char *kid,
    const char *reason)
{
    ngx_http_workos_jwt_key_file_t *kf = data;

    ngx_conf_log_error(NGX_LOG_WARN, kf->cf, 0,
                       "\"workos_jwt_key_file\" \"%V\": key \"%s\" skipped: "
                       "%s", kf->file, kid ? kid : "(no kid)", reason);
}


static char *
ngx_http_workos_jwt_str_list(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *p = conf;

    ngx_str_t     *value, *s;
    ngx_uint_t     i;
    ngx_array_t  **a;

    a = (ngx_array_t **) (p + cmd->offset);

    if (*a == NGX_CONF_UNSET_PTR) {
        *a = ngx_array_create(cf->pool, 4, sizeof(ngx_str_t));
        if (*a == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        if (value[i].len == 0) {
            return "has an empty value";
        }

        s = ngx_array_push(*a);
        if (s == NULL) {
            return NGX_CONF_ERROR;
        }

        *s = value[i];
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_algorithms(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    int          alg;
    ngx_str_t   *value;
    ngx_uint_t   i;

    if (jlcf->algorithms != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    jlcf->algorithms = 0;
    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        alg = wjwt_alg_from_name(value[i].data, value[i].len);

        if (alg == WJWT_ALG_UNKNOWN) {
            if ((value[i].len == 4
                 && ngx_strncasecmp(value[i].data, (u_char *) "none", 4) == 0)
                || (value[i].len >= 2
                    && ngx_strncasecmp(value[i].data, (u_char *) "HS", 2)
                       == 0))
            {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "\"workos_jwt_algorithms\": algorithm "
                                   "\"%V\" is never accepted", &value[i]);
                return NGX_CONF_ERROR;
            }

            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"workos_jwt_algorithms\": unknown algorithm "
                               "\"%V\"", &value[i]);
            return NGX_CONF_ERROR;
        }

        jlcf->algorithms |= WJWT_ALG_BIT(alg);
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_max_auth_age(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t  *value;

    if (jlcf->max_auth_age != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        jlcf->max_auth_age = -1;
        return NGX_CONF_OK;
    }

    jlcf->max_auth_age = ngx_parse_time(&value[1], 1);

    if (jlcf->max_auth_age == (time_t) NGX_ERROR || jlcf->max_auth_age <= 0) {
        return "has an invalid time value";
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_require_list(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    u_char     *p, *last;
    ngx_str_t  *value;
    ngx_uint_t  i, empty;

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {

        /* "a|b" alternatives: none of them may be empty */

        empty = (value[i].len == 0);
        p = value[i].data;
        last = p + value[i].len;

        while (!empty && p < last) {
            if (*p == '|' && (p == value[i].data || p + 1 == last
                              || p[1] == '|'))
            {
                empty = 1;
            }

            p++;
        }

        if (empty) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid value \"%V\" in \"%V\" directive",
                               &value[i], &cmd->name);
            return NGX_CONF_ERROR;
        }
    }

    jlcf->require_set = 1;

    return ngx_http_workos_jwt_str_list(cf, cmd, conf);
}


static char *
ngx_http_workos_jwt_require(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t                         *value;
    ngx_uint_t                         i, n, status;
    ngx_http_workos_jwt_rule_t        *rule;
    ngx_http_compile_complex_value_t   ccv;

    value = cf->args->elts;
    n = cf->args->nelts;
    status = NGX_HTTP_FORBIDDEN;

    if (ngx_strncmp(value[n - 1].data, "error=", 6) == 0) {
        if (ngx_strcmp(value[n - 1].data, "error=401") == 0) {
            status = NGX_HTTP_UNAUTHORIZED;

        } else if (ngx_strcmp(value[n - 1].data, "error=403") != 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid value \"%V\" in "
                               "\"workos_jwt_require\" directive, "
                               "\"error=401\" or \"error=403\" expected",
                               &value[n - 1]);
            return NGX_CONF_ERROR;
        }

        n--;

        if (n < 2) {
            return "needs at least one value";
        }
    }

    if (jlcf->rules == NGX_CONF_UNSET_PTR) {
        jlcf->rules = ngx_array_create(cf->pool, 2,
                                       sizeof(ngx_http_workos_jwt_rule_t));
        if (jlcf->rules == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    for (i = 1; i < n; i++) {
        rule = ngx_array_push(jlcf->rules);
        if (rule == NULL) {
            return NGX_CONF_ERROR;
        }

        rule->status = status;

        ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));

        ccv.cf = cf;
        ccv.value = &value[i];
        ccv.complex_value = &rule->value;

        if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
    }

    jlcf->require_set = 1;

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_lint_codes(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    int          code;
    ngx_str_t   *value;
    ngx_uint_t   i, *mask;

    mask = (ngx_uint_t *) ((char *) conf + cmd->offset);
    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        code = wjwt_lint_from_name(value[i].data, value[i].len);

        if (code < 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "unknown lint code \"%V\" in \"%V\" directive",
                               &value[i], &cmd->name);
            return NGX_CONF_ERROR;
        }

        *mask |= WJWT_LINT_BIT(code);
    }

    if (cmd->offset == offsetof(ngx_http_workos_jwt_loc_conf_t, lint_reject))
    {
        jlcf->lint_reject_set = 1;

    } else {
        jlcf->lint_ignore_set = 1;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_check_time(ngx_conf_t *cf, void *post, void *data)
{
    time_t  *t = data;

    if (*t <= 0) {
        return "must be at least 1s";
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_workos_jwt_check_size(ngx_conf_t *cf, void *post, void *data)
{
    size_t  *sp = data;

    if (*sp == 0) {
        return "must not be zero";
    }

    return NGX_CONF_OK;
}
