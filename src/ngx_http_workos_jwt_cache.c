
/*
 * Copyright (C) ngx_http_workos_jwt_module authors
 *
 * The verified-token cache in the shared zone: "the token with this
 * SHA-256 digest verified under the key with this fingerprint", kept no
 * longer than the token's exp, least recently used entries evicted first.
 * It never holds a per-location decision.
 */


#include "ngx_http_workos_jwt_module.h"


static ngx_http_workos_jwt_cache_node_t *ngx_http_workos_jwt_cache_find(
    ngx_http_workos_jwt_sh_t *sh, u_char *digest);
static void ngx_http_workos_jwt_cache_delete(
    ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_cache_node_t *cn);


static ngx_http_workos_jwt_cache_node_t *
ngx_http_workos_jwt_cache_find(ngx_http_workos_jwt_sh_t *sh, u_char *digest)
{
    ngx_int_t                          rc;
    ngx_rbtree_key_t                   key;
    ngx_rbtree_node_t                 *node, *sentinel;
    ngx_http_workos_jwt_cache_node_t  *cn;

    ngx_memcpy(&key, digest, sizeof(ngx_rbtree_key_t));

    node = sh->cache.root;
    sentinel = sh->cache.sentinel;

    while (node != sentinel) {

        if (key != node->key) {
            node = (key < node->key) ? node->left : node->right;
            continue;
        }

        cn = (ngx_http_workos_jwt_cache_node_t *) node;

        rc = ngx_memcmp(digest, cn->digest, NGX_HTTP_WORKOS_JWT_DIGEST_LEN);

        if (rc == 0) {
            return cn;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


static void
ngx_http_workos_jwt_cache_delete(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_cache_node_t *cn)
{
    ngx_queue_remove(&cn->queue);
    ngx_rbtree_delete(&jmcf->sh->cache, &cn->node);
    ngx_slab_free_locked(jmcf->shpool, cn);
    jmcf->sh->cache_entries--;
}


/* NGX_OK: a hit, fingerprint of the key that verified it is returned */

ngx_int_t
ngx_http_workos_jwt_cache_lookup(ngx_http_request_t *r, u_char *digest,
    uint64_t *fingerprint)
{
    time_t                             now;
    ngx_int_t                          rc;
    ngx_http_workos_jwt_cache_node_t  *cn;
    ngx_http_workos_jwt_main_conf_t   *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    now = ngx_time();
    rc = NGX_DECLINED;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    cn = ngx_http_workos_jwt_cache_find(jmcf->sh, digest);

    if (cn != NULL) {
        if (cn->exp > now) {
            ngx_queue_remove(&cn->queue);
            ngx_queue_insert_head(&jmcf->sh->cache_lru, &cn->queue);
            *fingerprint = cn->fingerprint;
            rc = NGX_OK;

        } else {
            ngx_http_workos_jwt_cache_delete(jmcf, cn);
        }
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    return rc;
}


/* drops up to n entries, expired and least recently used first */

ngx_uint_t
ngx_http_workos_jwt_cache_evict(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_uint_t n)
{
    ngx_uint_t                         i;
    ngx_queue_t                       *q;
    ngx_http_workos_jwt_cache_node_t  *cn;

    for (i = 0; i < n; i++) {
        if (ngx_queue_empty(&jmcf->sh->cache_lru)) {
            break;
        }

        q = ngx_queue_last(&jmcf->sh->cache_lru);
        cn = ngx_queue_data(q, ngx_http_workos_jwt_cache_node_t, queue);

        ngx_http_workos_jwt_cache_delete(jmcf, cn);
    }

    return i;
}


void
ngx_http_workos_jwt_cache_store(ngx_http_request_t *r, u_char *digest,
    time_t exp, uint64_t fingerprint)
{
    time_t                             now;
    ngx_queue_t                       *q;
    ngx_http_workos_jwt_cache_node_t  *cn;
    ngx_http_workos_jwt_main_conf_t   *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    now = ngx_time();

    if (exp <= now) {
        return;
    }

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    cn = ngx_http_workos_jwt_cache_find(jmcf->sh, digest);

    if (cn != NULL) {
        cn->fingerprint = fingerprint;
        cn->exp = exp;
        ngx_queue_remove(&cn->queue);
        ngx_queue_insert_head(&jmcf->sh->cache_lru, &cn->queue);
        goto done;
    }

    /* the oldest entry goes when it has expired or the cache is full */

    if (!ngx_queue_empty(&jmcf->sh->cache_lru)) {
        q = ngx_queue_last(&jmcf->sh->cache_lru);
        cn = ngx_queue_data(q, ngx_http_workos_jwt_cache_node_t, queue);

        if (cn->exp <= now
            || (jmcf->cache_max && jmcf->sh->cache_entries >= jmcf->cache_max))
        {
            ngx_http_workos_jwt_cache_delete(jmcf, cn);
        }
    }

    cn = ngx_slab_alloc_locked(jmcf->shpool,
                               sizeof(ngx_http_workos_jwt_cache_node_t));

    if (cn == NULL) {
        if (ngx_http_workos_jwt_cache_evict(jmcf, 8) == 0) {
            goto done;
        }

        cn = ngx_slab_alloc_locked(jmcf->shpool,
                                   sizeof(ngx_http_workos_jwt_cache_node_t));
        if (cn == NULL) {
            goto done;
        }
    }

    ngx_memcpy(&cn->node.key, digest, sizeof(ngx_rbtree_key_t));
    ngx_memcpy(cn->digest, digest, NGX_HTTP_WORKOS_JWT_DIGEST_LEN);
    cn->exp = exp;
    cn->fingerprint = fingerprint;

    ngx_rbtree_insert(&jmcf->sh->cache, &cn->node);
    ngx_queue_insert_head(&jmcf->sh->cache_lru, &cn->queue);
    jmcf->sh->cache_entries++;

done:

    ngx_shmtx_unlock(&jmcf->shpool->mutex);
}
