
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The module: its directives, configuration and phase handlers.  Each
 * concern lives in a file of its own in src/nginx/ (see README, "How the
 * code is organized"); tokens, keys and claims are judged by the core in
 * src/core/.
 */


#include "ngx_http_workos_jwt_module.h"


static void *ngx_http_workos_jwt_create_main_conf(ngx_conf_t *cf);
static ngx_int_t ngx_http_workos_jwt_init_module(ngx_cycle_t *cycle);
static ngx_int_t ngx_http_workos_jwt_init_process(ngx_cycle_t *cycle);
static void ngx_http_workos_jwt_exit_process(ngx_cycle_t *cycle);
static void *ngx_http_workos_jwt_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_workos_jwt_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static void ngx_http_workos_jwt_merge_require(
    ngx_http_workos_jwt_loc_conf_t *prev,
    ngx_http_workos_jwt_loc_conf_t *conf);
static ngx_int_t ngx_http_workos_jwt_merge_issuers(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *conf);
static ngx_int_t ngx_http_workos_jwt_init(ngx_conf_t *cf);


static ngx_conf_enum_t  ngx_http_workos_jwt_modes[] = {
    { ngx_string("on"), NGX_HTTP_WORKOS_JWT_ON },
    { ngx_string("off"), NGX_HTTP_WORKOS_JWT_OFF },
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

    { ngx_string("workos_jwt_session_cookie"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_workos_jwt_loc_conf_t, session_cookie),
      NULL },

    { ngx_string("workos_jwt_session_password"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_workos_jwt_session_password,
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

    { ngx_string("workos_jwt_revocation_request"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_CONF_TAKE1234,
      ngx_http_workos_jwt_revocation_request,
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
      ngx_http_workos_jwt_cache_conf,
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

    if (ngx_array_init(&jmcf->jwks, cf->pool, 2,
                       sizeof(ngx_http_workos_jwt_jwks_t *))
        != NGX_OK)
    {
        return NULL;
    }

    if (ngx_array_init(&jmcf->revocations, cf->pool, 1,
                       sizeof(ngx_http_workos_jwt_revocation_t *))
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

    return ngx_http_workos_jwt_page_init(cycle);
}


static ngx_int_t
ngx_http_workos_jwt_init_process(ngx_cycle_t *cycle)
{
    if (ngx_http_workos_jwt_verdict_init(cycle) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_workos_jwt_jwks_init_process(cycle) != NGX_OK) {
        return NGX_ERROR;
    }

    return ngx_http_workos_jwt_revocation_init_process(cycle);
}


static void
ngx_http_workos_jwt_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_workos_jwt_jwks_exit_process(cycle);
    ngx_http_workos_jwt_revocation_exit_process(cycle);
    ngx_http_workos_jwt_parsed_free();
    ngx_http_workos_jwt_verdict_exit(cycle);
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
    conf->session_passwords = NGX_CONF_UNSET_PTR;
    conf->keys = NGX_CONF_UNSET_PTR;
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

    ngx_uint_t  explicit;

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
    ngx_conf_merge_value(conf->cache, prev->cache, 1);

    if (ngx_http_workos_jwt_jwks_merge(cf, prev, conf) != NGX_CONF_OK
        || ngx_http_workos_jwt_session_merge(cf, prev, conf) != NGX_CONF_OK
        || ngx_http_workos_jwt_revocation_merge(cf, prev, conf)
           != NGX_CONF_OK)
    {
        return NGX_CONF_ERROR;
    }
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

    ngx_http_workos_jwt_merge_require(prev, conf);

    if (ngx_http_workos_jwt_merge_issuers(cf, conf) != NGX_OK) {
        return NGX_CONF_ERROR;
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


/* the require lines of a level replace all inherited ones */

static void
ngx_http_workos_jwt_merge_require(ngx_http_workos_jwt_loc_conf_t *prev,
    ngx_http_workos_jwt_loc_conf_t *conf)
{
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
}


/* "workos_jwt_issuer", or the WorkOS issuers of "workos_jwt_client_id" */

static ngx_int_t
ngx_http_workos_jwt_merge_issuers(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *conf)
{
    u_char     *buf;
    ngx_str_t  *s;

    if (conf->issuers != NULL) {
        conf->accepted_issuers = conf->issuers;
        return NGX_OK;
    }

    if (conf->client_id.len == 0) {
        return NGX_OK;
    }

    conf->accepted_issuers = ngx_array_create(cf->pool, WJWT_DEFAULT_ISSUERS,
                                              sizeof(ngx_str_t));
    if (conf->accepted_issuers == NULL) {
        return NGX_ERROR;
    }

    s = ngx_array_push_n(conf->accepted_issuers, WJWT_DEFAULT_ISSUERS);
    buf = ngx_pnalloc(cf->pool,
                      wjwt_default_issuers_size(conf->client_id.len));

    if (s == NULL || buf == NULL) {
        return NGX_ERROR;
    }

    /* ngx_str_t and wjwt_str_t have the same layout */

    wjwt_default_issuers((wjwt_str_t *) s, conf->client_id.data,
                         conf->client_id.len, buf);

    return NGX_OK;
}


static ngx_int_t
ngx_http_workos_jwt_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt              *h;
    ngx_http_core_main_conf_t        *cmcf;

    if (ngx_http_workos_jwt_zone_add(cf) != NGX_OK) {
        return NGX_ERROR;
    }

    if (ngx_http_workos_jwt_jwks_check(cf) != NGX_OK
        || ngx_http_workos_jwt_revocation_check(cf) != NGX_OK)
    {
        return NGX_ERROR;
    }

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_REWRITE_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_workos_jwt_strip_handler;

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


