
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
    ngx_int_t                         rc;
    ngx_slab_pool_t                  *shpool;
    ngx_http_workos_jwt_sh_t         *sh;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = shm_zone->data;
    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;
    jmcf->shpool = shpool;

    if (ojmcf != NULL) {
        jmcf->sh = ojmcf->sh;
        goto config;
    }

    if (shm_zone->shm.exists) {
        jmcf->sh = shpool->data;
        goto config;
    }

    sh = ngx_slab_alloc(shpool, sizeof(ngx_http_workos_jwt_sh_t));
    if (sh == NULL) {
        return NGX_ERROR;
    }

    ngx_memzero(sh, sizeof(ngx_http_workos_jwt_sh_t));

    ngx_rbtree_init(&sh->cache, &sh->cache_sentinel,
                    ngx_http_workos_jwt_digest_insert);
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

config:

    /* a full zone is normal (the token cache fills it): not logged */
    shpool->log_nomem = 0;

    ngx_shmtx_lock(&shpool->mutex);
    rc = ngx_http_workos_jwt_jwks_init_zone(jmcf, shm_zone->shm.log);

    if (rc == NGX_OK) {
        rc = ngx_http_workos_jwt_revocation_init_zone(jmcf,
                                                      shm_zone->shm.log);
    }
    ngx_shmtx_unlock(&shpool->mutex);

    return rc;
}


/*
 * Memory for what the zone must hold (key sets, revocations): token cache
 * entries, least recently used first, make room.  The zone is locked.
 */

void *
ngx_http_workos_jwt_zone_alloc(ngx_http_workos_jwt_main_conf_t *jmcf,
    size_t size)
{
    void  *p;

    for ( ;; ) {
        p = ngx_slab_alloc_locked(jmcf->shpool, size);

        if (p != NULL
            || ngx_http_workos_jwt_cache_evict(jmcf, 256) == 0)
        {
            return p;
        }
    }
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
