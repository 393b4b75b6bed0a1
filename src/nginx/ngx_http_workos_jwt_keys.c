
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Key sets: loading a JWKS into this worker's keys, and the key files of
 * "workos_jwt_key_file", read at configuration time.
 */


#include "ngx_http_workos_jwt_module.h"


typedef struct {
    ngx_conf_t                *cf;
    ngx_str_t                 *file;
} ngx_http_workos_jwt_key_file_t;


static void ngx_http_workos_jwt_keys_cleanup(void *data);
static ngx_http_workos_jwt_keys_t *ngx_http_workos_jwt_key_files_add(
    ngx_conf_t *cf);
static void ngx_http_workos_jwt_key_warning(void *data, const char *kid,
    const char *reason);


ngx_int_t
ngx_http_workos_jwt_keys_load(ngx_http_workos_jwt_keys_t *keys,
    const u_char *data, size_t len, wjwt_warn_pt warn, void *warn_data,
    char *err, size_t err_size)
{
    if (wjwt_keyset_add_json(&keys->ks, data, len, warn, warn_data, err,
                             err_size)
        < 0)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


void
ngx_http_workos_jwt_keys_free(ngx_http_workos_jwt_keys_t *keys)
{
    wjwt_keyset_free(&keys->ks);
    ngx_memzero(keys, sizeof(ngx_http_workos_jwt_keys_t));
}


static void
ngx_http_workos_jwt_keys_cleanup(void *data)
{
    ngx_http_workos_jwt_keys_t  *keys = data;

    ngx_http_workos_jwt_keys_free(keys);
}


char *
ngx_http_workos_jwt_key_file(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    char                              err[256];
    u_char                           *buf;
    size_t                            before, len;
    ngx_str_t                        *value, file;
    ngx_file_info_t                   fi;
    ngx_http_workos_jwt_key_file_t    kf;

    value = cf->args->elts;
    file = value[1];

    if (jlcf->keys == NGX_CONF_UNSET_PTR) {
        jlcf->keys = ngx_http_workos_jwt_key_files_add(cf);
        if (jlcf->keys == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    buf = ngx_http_workos_jwt_conf_file(cf, cmd, cf->temp_pool, &file,
                                        NGX_HTTP_WORKOS_JWT_MAX_JWKS, &len,
                                        &fi);
    if (buf == NULL) {
        return NGX_CONF_ERROR;
    }

    kf.cf = cf;
    kf.file = &file;
    before = jlcf->keys->ks.nkeys;

    if (ngx_http_workos_jwt_keys_load(jlcf->keys, buf, len,
                                      ngx_http_workos_jwt_key_warning, &kf,
                                      err, sizeof(err))
        != NGX_OK)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_key_file\" \"%s\" is not a JWKS: %s",
                           file.data, err);
        return NGX_CONF_ERROR;
    }

    if (jlcf->keys->ks.nkeys <= before) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_key_file\" \"%s\" has no usable key",
                           file.data);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* a level's key set, freed with the configuration, listed for status */

static ngx_http_workos_jwt_keys_t *
ngx_http_workos_jwt_key_files_add(ngx_conf_t *cf)
{
    ngx_pool_cleanup_t               *cln;
    ngx_http_workos_jwt_keys_t      **kp;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    cln = ngx_pool_cleanup_add(cf->pool, sizeof(ngx_http_workos_jwt_keys_t));
    if (cln == NULL) {
        return NULL;
    }

    ngx_memzero(cln->data, sizeof(ngx_http_workos_jwt_keys_t));
    cln->handler = ngx_http_workos_jwt_keys_cleanup;

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);

    kp = ngx_array_push(&jmcf->key_files);
    if (kp == NULL) {
        return NULL;
    }

    *kp = cln->data;

    return cln->data;
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
