
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The shared zone ("workos_jwt_zone"): counters, the token cache and the
 * fetched key sets of all workers.
 */


#include "ngx_http_workos_jwt_module.h"


ngx_int_t
ngx_http_workos_jwt_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_http_workos_jwt_main_conf_t  *ojmcf = data;

    size_t                            len;
    ngx_uint_t                        i, j;
    ngx_slab_pool_t                  *shpool;
    ngx_http_workos_jwt_sh_t         *sh;
    ngx_http_workos_jwt_source_t     *src;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = shm_zone->data;

    if (ojmcf != NULL) {
        jmcf->sh = ojmcf->sh;
        jmcf->shpool = ojmcf->shpool;
        goto sources;
    }

    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;
    jmcf->shpool = shpool;

    if (shm_zone->shm.exists) {
        jmcf->sh = shpool->data;
        goto sources;
    }

    sh = ngx_slab_alloc(shpool, sizeof(ngx_http_workos_jwt_sh_t));
    if (sh == NULL) {
        return NGX_ERROR;
    }

    ngx_memzero(sh, sizeof(ngx_http_workos_jwt_sh_t));

    ngx_rbtree_init(&sh->cache, &sh->cache_sentinel, ngx_rbtree_insert_value);
    ngx_queue_init(&sh->cache_lru);

    shpool->data = sh;
    jmcf->sh = sh;

    len = sizeof(" in workos_jwt_zone \"\"") + shm_zone->shm.name.len;

    shpool->log_ctx = ngx_slab_alloc(shpool, len);
    if (shpool->log_ctx == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(shpool->log_ctx, " in workos_jwt_zone \"%V\"%Z",
                &shm_zone->shm.name);

sources:

    /* a source keeps its slot, and so its keys, across reloads */

    sh = jmcf->sh;
    src = jmcf->sources.elts;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    for (i = 0; i < jmcf->sources.nelts; i++) {

        for (j = 0; j < NGX_HTTP_WORKOS_JWT_MAX_SOURCES; j++) {
            if (sh->sources[j].uri_len == src[i].uri.len
                && ngx_memcmp(sh->sources[j].uri, src[i].uri.data,
                              src[i].uri.len) == 0)
            {
                break;
            }
        }

        if (j == NGX_HTTP_WORKOS_JWT_MAX_SOURCES) {
            for (j = 0; j < NGX_HTTP_WORKOS_JWT_MAX_SOURCES; j++) {
                if (sh->sources[j].uri_len == 0) {
                    break;
                }
            }

            if (j == NGX_HTTP_WORKOS_JWT_MAX_SOURCES) {
                ngx_shmtx_unlock(&jmcf->shpool->mutex);
                ngx_log_error(NGX_LOG_EMERG, shm_zone->shm.log, 0,
                              "too many \"workos_jwt_key_request\" URIs "
                              "in workos_jwt_zone \"%V\"",
                              &shm_zone->shm.name);
                return NGX_ERROR;
            }

            ngx_memzero(&sh->sources[j],
                        sizeof(ngx_http_workos_jwt_shsource_t));
            ngx_memcpy(sh->sources[j].uri, src[i].uri.data, src[i].uri.len);
            sh->sources[j].uri_len = src[i].uri.len;
        }

        /* a new configuration may fetch at once, e.g. after a failure */
        sh->sources[j].retry_at = 0;
        sh->sources[j].refetch_at = 0;

        src[i].slot = j;
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    return NGX_OK;
}


char *
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


/* the default zone, when "workos_jwt_zone" is not given */

ngx_int_t
ngx_http_workos_jwt_zone_add(ngx_conf_t *cf)
{
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    static ngx_str_t  zone = ngx_string("workos_jwt");

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);

    if (jmcf->shm_zone != NULL) {
        return NGX_OK;
    }

    jmcf->shm_zone = ngx_shared_memory_add(cf, &zone, 1024 * 1024,
                                           &ngx_http_workos_jwt_module);
    if (jmcf->shm_zone == NULL) {
        return NGX_ERROR;
    }

    jmcf->shm_zone->init = ngx_http_workos_jwt_init_zone;
    jmcf->shm_zone->data = jmcf;

    return NGX_OK;
}
