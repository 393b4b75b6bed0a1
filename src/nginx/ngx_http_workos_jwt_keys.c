
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


static void
ngx_http_workos_jwt_key_warning(void *data, const char *kid,
    const char *reason)
{
    ngx_http_workos_jwt_key_file_t *kf = data;

    ngx_conf_log_error(NGX_LOG_WARN, kf->cf, 0,
                       "\"workos_jwt_key_file\" \"%V\": key \"%s\" skipped: "
                       "%s", kf->file, kid ? kid : "(no kid)", reason);
}
