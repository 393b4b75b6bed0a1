
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * JWKS documents fetched through an internal location
 * ("workos_jwt_key_request"), kept in the shared zone for all workers and
 * parsed into keys once per worker and key set.
 */


#include "ngx_http_workos_jwt_module.h"


static ngx_http_workos_jwt_shsource_t *ngx_http_workos_jwt_shsource(
    ngx_http_request_t *r, ngx_uint_t index);


#define NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT  60
#define NGX_HTTP_WORKOS_JWT_POLL           50
#define NGX_HTTP_WORKOS_JWT_MIN_AGE        30
#define NGX_HTTP_WORKOS_JWT_MAX_AGE        86400


typedef struct {
    ngx_uint_t                       source;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;
    ngx_http_workos_jwt_ctx_t       *ctx;           /* NULL: background */
    ngx_uint_t                       done;
} ngx_http_workos_jwt_fetch_t;


typedef struct {
    ngx_log_t                       *log;
    ngx_str_t                       *uri;
} ngx_http_workos_jwt_warn_t;


static ngx_int_t ngx_http_workos_jwt_start_fetch(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
static ngx_int_t ngx_http_workos_jwt_fetch_done(ngx_http_request_t *r,
    void *data, ngx_int_t rc);
static void ngx_http_workos_jwt_fetch_failed(ngx_http_request_t *r,
    ngx_http_workos_jwt_fetch_t *f, const char *reason);
static time_t ngx_http_workos_jwt_max_age(ngx_http_request_t *r,
    time_t dflt);
static void ngx_http_workos_jwt_install(ngx_http_workos_jwt_keys_t *local,
    ngx_http_workos_jwt_keys_t *fresh, ngx_uint_t generation);
static ngx_int_t ngx_http_workos_jwt_wait(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx);
static void ngx_http_workos_jwt_wake(ngx_http_request_t *r);
static void ngx_http_workos_jwt_fetch_warning(void *data, const char *kid,
    const char *reason);
static ngx_http_core_loc_conf_t *ngx_http_workos_jwt_find_location(
    ngx_http_location_tree_node_t *node, ngx_str_t *uri);


/* this worker's parsed copies of the zone's key sets, by source index */
static ngx_http_workos_jwt_keys_t
    ngx_http_workos_jwt_local[NGX_HTTP_WORKOS_JWT_MAX_SOURCES];


ngx_int_t
ngx_http_workos_jwt_add_source(ngx_conf_t *cf,
    ngx_http_workos_jwt_main_conf_t *jmcf, ngx_str_t *uri)
{
    ngx_uint_t                     i;
    ngx_http_workos_jwt_source_t  *src;

    src = jmcf->sources.elts;

    for (i = 0; i < jmcf->sources.nelts; i++) {
        if (src[i].uri.len == uri->len
            && ngx_strncmp(src[i].uri.data, uri->data, uri->len) == 0)
        {
            return i;
        }
    }

    if (jmcf->sources.nelts == NGX_HTTP_WORKOS_JWT_MAX_SOURCES) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "too many different \"workos_jwt_key_request\" "
                           "URIs, at most %d",
                           NGX_HTTP_WORKOS_JWT_MAX_SOURCES);
        return NGX_ERROR;
    }

    src = ngx_array_push(&jmcf->sources);
    if (src == NULL) {
        return NGX_ERROR;
    }

    src->uri = *uri;
    src->slot = 0;

    return i;
}


/* every key request URI must lead to a location of its own */

ngx_int_t
ngx_http_workos_jwt_check_sources(ngx_conf_t *cf)
{
    ngx_uint_t                        i, s, regex;
    ngx_http_core_loc_conf_t         *clcf;
    ngx_http_core_srv_conf_t        **cscfp;
    ngx_http_core_main_conf_t        *cmcf;
    ngx_http_workos_jwt_source_t     *src;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);
    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    src = jmcf->sources.elts;
    cscfp = cmcf->servers.elts;

    for (i = 0; i < jmcf->sources.nelts; i++) {
        regex = 0;

        for (s = 0; s < cmcf->servers.nelts; s++) {
            clcf = cscfp[s]->ctx->loc_conf[ngx_http_core_module.ctx_index];

#if (NGX_PCRE)
            if (clcf->regex_locations != NULL) {
                regex = 1;
            }
#endif

            clcf = ngx_http_workos_jwt_find_location(clcf->static_locations,
                                                     &src[i].uri);
            if (clcf != NULL && clcf->name.len > 1) {
                break;
            }
        }

        if (s == cmcf->servers.nelts && !regex) {
            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "\"workos_jwt_key_request\" \"%V\" matches no "
                          "location; define one, e.g. "
                          "\"location = %V { internal; proxy_pass ...; }\"",
                          &src[i].uri, &src[i].uri);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* the prefix or exact location a URI falls in, without regex locations */

static ngx_http_core_loc_conf_t *
ngx_http_workos_jwt_find_location(ngx_http_location_tree_node_t *node,
    ngx_str_t *uri)
{
    u_char                    *p;
    size_t                     len, n;
    ngx_int_t                  rc;
    ngx_http_core_loc_conf_t  *found;

    p = uri->data;
    len = uri->len;
    found = NULL;

    while (node != NULL) {
        n = (len <= (size_t) node->len) ? len : node->len;

        rc = ngx_filename_cmp(p, node->name, n);

        if (rc != 0) {
            node = (rc < 0) ? node->left : node->right;
            continue;
        }

        if (len > (size_t) node->len) {
            if (node->inclusive) {
                found = node->inclusive;
                node = node->tree;
                p += n;
                len -= n;
                continue;
            }

            node = node->right;
            continue;
        }

        if (len == (size_t) node->len) {
            return node->exact ? node->exact : node->inclusive;
        }

        node = node->left;
    }

    return found;
}


static ngx_http_workos_jwt_shsource_t *
ngx_http_workos_jwt_shsource(ngx_http_request_t *r, ngx_uint_t index)
{
    ngx_http_workos_jwt_source_t     *src;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    src = jmcf->sources.elts;

    return &jmcf->sh->sources[src[index].slot];
}


/* this worker's copy of the fetched keys, or NULL when none are usable */

ngx_http_workos_jwt_keys_t *
ngx_http_workos_jwt_remote_keys(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf)
{
    return ngx_http_workos_jwt_source_keys(r, jlcf->key_source);
}


ngx_http_workos_jwt_keys_t *
ngx_http_workos_jwt_source_keys(ngx_http_request_t *r, ngx_uint_t index)
{
    char                              err[128];
    u_char                           *buf;
    size_t                            len;
    ngx_str_t                         uri;
    ngx_uint_t                        generation;
    ngx_http_workos_jwt_warn_t        w;
    ngx_http_workos_jwt_keys_t       *local, fresh;
    ngx_http_workos_jwt_shsource_t   *shs;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    shs = ngx_http_workos_jwt_shsource(r, index);
    local = &ngx_http_workos_jwt_local[index];

    if (shs->generation == 0 || ngx_time() >= shs->stale_until) {
        return NULL;
    }

    if (shs->generation == local->generation) {
        return local;
    }

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    generation = shs->generation;
    len = shs->jwks_len;
    buf = ngx_alloc(len, r->connection->log);

    if (buf != NULL) {
        ngx_memcpy(buf, shs->jwks, len);
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (buf == NULL) {
        return NULL;
    }

    ngx_memzero(&fresh, sizeof(ngx_http_workos_jwt_keys_t));

    uri.data = shs->uri;
    uri.len = shs->uri_len;
    w.log = r->connection->log;
    w.uri = &uri;

    if (ngx_http_workos_jwt_keys_load(&fresh, buf, len,
                                      ngx_http_workos_jwt_fetch_warning, &w,
                                      err, sizeof(err))
        != NGX_OK)
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "workos jwt cannot load keys of \"%V\": %s", &uri, err);
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_free(buf);
        return (local->ks.nkeys != 0) ? local : NULL;
    }

    ngx_free(buf);

    ngx_http_workos_jwt_install(local, &fresh, generation);

    return local;
}


/*
 * Replaces this worker's key set with a fresh one; an unchanged set is
 * kept as it is, so that key pointers stay valid.
 */

static void
ngx_http_workos_jwt_install(ngx_http_workos_jwt_keys_t *local,
    ngx_http_workos_jwt_keys_t *fresh, ngx_uint_t generation)
{
    size_t  i;

    if (local->ks.nkeys == fresh->ks.nkeys && local->ks.nkeys != 0) {
        for (i = 0; i < fresh->ks.nkeys; i++) {
            if (local->ks.keys[i].fingerprint
                != fresh->ks.keys[i].fingerprint)
            {
                break;
            }
        }

        if (i == fresh->ks.nkeys) {
            ngx_http_workos_jwt_keys_free(fresh);
            local->generation = generation;
            return;
        }
    }

    ngx_http_workos_jwt_keys_free(local);
    *local = *fresh;
    local->generation = generation;
}


/*
 * Called by the access handler of a location with a key request: makes
 * sure there are keys, waiting for a fetch when there are none, and
 * refreshes stale keys in the background.  NGX_OK: go on and judge,
 * NGX_AGAIN: wait.
 */

ngx_int_t
ngx_http_workos_jwt_fetch_keys(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx,
    ngx_uint_t status)
{
    time_t                            now;
    ngx_int_t                         rc;
    ngx_uint_t                        fetch, usable;
    ngx_http_workos_jwt_shsource_t   *shs;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    if (ctx->fetch_started) {
        if (!ctx->fetch_done) {
            return NGX_AGAIN;
        }

        ctx->fetch_started = 0;
        ctx->fetch_done = 0;
        ctx->jlcf = NULL;
        return NGX_OK;
    }

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    shs = ngx_http_workos_jwt_shsource(r, jlcf->key_source);
    now = ngx_time();

    if (ctx->waiting) {
        if (shs->fetching != 0
            && now - shs->fetching < NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT
            && now < ctx->wait_until)
        {
            return ngx_http_workos_jwt_wait(r, ctx);
        }

        ctx->waiting = 0;
        ctx->jlcf = NULL;

        if (status == WJWT_UNKNOWN_KID) {
            return NGX_OK;
        }
    }

    usable = (shs->generation != 0 && now < shs->stale_until);

    if (usable && now < shs->fresh_until && status != WJWT_UNKNOWN_KID) {
        return NGX_OK;
    }

    fetch = 0;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    if (shs->fetching != 0
        && now - shs->fetching < NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT)
    {
        /* another request, maybe in another worker, is fetching */
        fetch = usable ? 0 : 2;

        if (status == WJWT_UNKNOWN_KID) {
            fetch = 2;
        }

    } else if (status == WJWT_UNKNOWN_KID) {
        if (now >= shs->refetch_at) {
            shs->refetch_at = now + jlcf->key_refetch;
            fetch = 1;
        }

    } else if (now >= shs->retry_at) {
        fetch = 1;
    }

    if (fetch == 1) {
        shs->fetching = now;
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (fetch == 2) {
        ctx->wait_until = now + NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT;
        return ngx_http_workos_jwt_wait(r, ctx);
    }

    if (fetch == 0) {
        return NGX_OK;
    }

    rc = ngx_http_workos_jwt_start_fetch(r, jlcf,
                                         (usable
                                          && status != WJWT_UNKNOWN_KID)
                                         ? NULL : ctx);
    if (rc == NGX_ERROR) {
        ngx_shmtx_lock(&jmcf->shpool->mutex);
        shs->fetching = 0;
        ngx_shmtx_unlock(&jmcf->shpool->mutex);
        return NGX_ERROR;
    }

    return rc;
}


static ngx_int_t
ngx_http_workos_jwt_start_fetch(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    ngx_str_t                         uri;
    ngx_uint_t                        flags;
    ngx_http_request_t               *sr;
    ngx_http_workos_jwt_fetch_t      *f;
    ngx_http_post_subrequest_t       *ps;
    ngx_http_workos_jwt_source_t     *src;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    src = jmcf->sources.elts;
    uri = src[jlcf->key_source].uri;

    f = ngx_palloc(r->pool, sizeof(ngx_http_workos_jwt_fetch_t));
    if (f == NULL) {
        return NGX_ERROR;
    }

    f->source = jlcf->key_source;
    f->jlcf = jlcf;
    f->ctx = ctx;
    f->done = 0;

    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    if (ps == NULL) {
        return NGX_ERROR;
    }

    ps->handler = ngx_http_workos_jwt_fetch_done;
    ps->data = f;

    flags = NGX_HTTP_SUBREQUEST_IN_MEMORY
            | (ctx ? NGX_HTTP_SUBREQUEST_WAITED
                   : NGX_HTTP_SUBREQUEST_BACKGROUND);

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "workos jwt fetching JWKS from \"%V\"%s", &uri,
                  ctx ? "" : " in the background");

    if (ngx_http_subrequest(r, &uri, NULL, &sr, ps, flags) != NGX_OK) {
        return NGX_ERROR;
    }

    /* the client's credentials, cookies and body never go to the JWKS URL */

    sr->request_body = ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t));
    if (sr->request_body == NULL) {
        return NGX_ERROR;
    }

    if (ngx_list_init(&sr->headers_in.headers, r->pool, 1,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    sr->headers_in.authorization = NULL;
    sr->headers_in.content_length = NULL;
    sr->headers_in.content_length_n = -1;
    sr->headers_in.cookies.nelts = 0;
    sr->header_only = 0;

    if (ctx == NULL) {
        return NGX_OK;
    }

    ctx->fetch_started = 1;
    ctx->fetch_done = 0;

    return NGX_AGAIN;
}


static ngx_int_t
ngx_http_workos_jwt_fetch_done(ngx_http_request_t *r, void *data,
    ngx_int_t rc)
{
    ngx_http_workos_jwt_fetch_t *f = data;

    char                              err[128], reason[160];
    u_char                           *body, *copy;
    size_t                            len;
    time_t                            now, ttl;
    ngx_str_t                         uri;
    ngx_http_workos_jwt_warn_t        w;
    ngx_http_workos_jwt_keys_t        fresh;
    ngx_http_core_loc_conf_t         *clcf;
    ngx_http_workos_jwt_shsource_t   *shs;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    /* an error page of the subrequest finalizes it, and calls us, again */

    if (f->done) {
        return rc;
    }

    f->done = 1;

    if (f->ctx != NULL) {
        f->ctx->fetch_done = 1;
    }

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    shs = ngx_http_workos_jwt_shsource(r, f->source);

    if (r->headers_out.status != NGX_HTTP_OK) {
        ngx_snprintf((u_char *) reason, sizeof(reason), "status %ui%Z",
                     r->headers_out.status ? r->headers_out.status
                     : (rc >= NGX_HTTP_SPECIAL_RESPONSE) ? (ngx_uint_t) rc
                     : (ngx_uint_t) NGX_HTTP_BAD_GATEWAY);
        ngx_http_workos_jwt_fetch_failed(r, f, reason);
        return rc;
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    if (r->headers_out.content_length_n
        > (off_t) clcf->subrequest_output_buffer_size)
    {
        ngx_http_workos_jwt_fetch_failed(r, f,
                                         "too big for "
                                         "subrequest_output_buffer_size");
        return rc;
    }

    if ((rc != NGX_OK && rc != NGX_DONE && rc != NGX_HTTP_OK)
        || r->out == NULL || r->out->buf == NULL
        || (r->headers_out.content_length_n >= 0
            && r->out->buf->last - r->out->buf->pos
               != r->headers_out.content_length_n))
    {
        ngx_http_workos_jwt_fetch_failed(r, f,
                                         (r->out == NULL
                                          && r->headers_out.content_length_n
                                             < 0)
                                         ? "response not complete or too big "
                                           "for subrequest_output_buffer_size"
                                         : "response not complete");
        return rc;
    }

    if (r->out->buf->last == r->out->buf->pos) {
        ngx_http_workos_jwt_fetch_failed(r, f, "empty response");
        return rc;
    }

    body = r->out->buf->pos;
    len = r->out->buf->last - body;

    if (len > NGX_HTTP_WORKOS_JWT_MAX_JWKS) {
        ngx_http_workos_jwt_fetch_failed(r, f, "response too big");
        return rc;
    }

    ngx_memzero(&fresh, sizeof(ngx_http_workos_jwt_keys_t));

    uri.data = shs->uri;
    uri.len = shs->uri_len;
    w.log = r->connection->log;
    w.uri = &uri;

    if (ngx_http_workos_jwt_keys_load(&fresh, body, len,
                                      ngx_http_workos_jwt_fetch_warning, &w,
                                      err, sizeof(err))
        != NGX_OK)
    {
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_snprintf((u_char *) reason, sizeof(reason), "not a JWKS: %s%Z",
                     err);
        ngx_http_workos_jwt_fetch_failed(r, f, reason);
        return rc;
    }

    if (fresh.ks.nkeys == 0) {
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_http_workos_jwt_fetch_failed(r, f, "no usable key");
        return rc;
    }

    now = ngx_time();
    ttl = ngx_http_workos_jwt_max_age(r, f->jlcf->key_valid);

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    copy = ngx_slab_alloc_locked(jmcf->shpool, len);

    if (copy == NULL) {
        ngx_shmtx_unlock(&jmcf->shpool->mutex);
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_http_workos_jwt_fetch_failed(r, f,
                                         "workos_jwt_zone is too small for "
                                         "the key set");
        return rc;
    }

    ngx_memcpy(copy, body, len);

    if (shs->jwks != NULL) {
        ngx_slab_free_locked(jmcf->shpool, shs->jwks);
    }

    shs->jwks = copy;
    shs->jwks_len = len;
    shs->nkeys = fresh.ks.nkeys;
    shs->generation++;
    shs->fetched_at = now;
    shs->fresh_until = now + ttl;
    shs->stale_until = now + ttl + f->jlcf->key_stale;
    shs->fetching = 0;
    shs->retry_at = 0;
    shs->fetches++;

    ngx_http_workos_jwt_install(&ngx_http_workos_jwt_local[f->source],
                                &fresh, shs->generation);

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                  "workos jwt fetched %ui keys from \"%V\", fresh for %Ts",
                  shs->nkeys, &uri, ttl);

    return rc;
}


static void
ngx_http_workos_jwt_fetch_failed(ngx_http_request_t *r,
    ngx_http_workos_jwt_fetch_t *f, const char *reason)
{
    size_t                            len;
    time_t                            now;
    ngx_str_t                         uri;
    ngx_http_workos_jwt_shsource_t   *shs;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    shs = ngx_http_workos_jwt_shsource(r, f->source);
    now = ngx_time();

    len = ngx_min(ngx_strlen(reason), NGX_HTTP_WORKOS_JWT_ERROR_LEN);

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    shs->fetching = 0;
    shs->fetches++;
    shs->failures++;
    shs->failed_at = now;
    shs->retry_at = now + f->jlcf->key_refetch;
    ngx_memcpy(shs->error, reason, len);
    shs->error_len = len;

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    uri.data = shs->uri;
    uri.len = shs->uri_len;

    ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                  "workos jwt JWKS fetch from \"%V\" failed: %s%s", &uri,
                  reason,
                  (shs->generation && now < shs->stale_until)
                  ? ", serving the previous keys" : "");
}


/* Cache-Control: max-age of the JWKS response, clamped to 30s..24h */

static time_t
ngx_http_workos_jwt_max_age(ngx_http_request_t *r, time_t dflt)
{
    u_char           *p, *last;
    time_t            age;
    ngx_int_t         n;
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    age = -1;
    part = &r->headers_out.headers.part;
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

        if (h[i].hash == 0
            || h[i].key.len != sizeof("Cache-Control") - 1
            || ngx_strncasecmp(h[i].key.data, (u_char *) "Cache-Control",
                               sizeof("Cache-Control") - 1) != 0)
        {
            continue;
        }

        p = h[i].value.data;
        last = p + h[i].value.len;

        if (ngx_strlcasestrn(p, last, (u_char *) "no-store", 8 - 1) != NULL
            || ngx_strlcasestrn(p, last, (u_char *) "no-cache", 8 - 1)
               != NULL)
        {
            age = 0;
            continue;
        }

        p = ngx_strlcasestrn(p, last, (u_char *) "max-age=", 8 - 1);
        if (p == NULL) {
            continue;
        }

        p += 8;

        for (n = 0; p < last && *p >= '0' && *p <= '9'; p++) {
            if (n < NGX_HTTP_WORKOS_JWT_MAX_AGE * 10) {
                n = n * 10 + (*p - '0');
            }
        }

        if (age != 0) {
            age = n;
        }
    }

    if (age < 0) {
        return dflt;
    }

    return ngx_max(ngx_min(age, NGX_HTTP_WORKOS_JWT_MAX_AGE),
                   NGX_HTTP_WORKOS_JWT_MIN_AGE);
}


static ngx_int_t
ngx_http_workos_jwt_wait(ngx_http_request_t *r, ngx_http_workos_jwt_ctx_t *ctx)
{
    ctx->waiting = 1;

    r->read_event_handler = ngx_http_test_reading;
    r->write_event_handler = ngx_http_workos_jwt_wake;

    r->connection->write->delayed = 1;
    ngx_add_timer(r->connection->write, NGX_HTTP_WORKOS_JWT_POLL);

    return NGX_AGAIN;
}


static void
ngx_http_workos_jwt_wake(ngx_http_request_t *r)
{
    ngx_event_t  *wev;

    wev = r->connection->write;

    if (wev->delayed) {
        if (ngx_handle_write_event(wev, 0) != NGX_OK) {
            ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        }

        return;
    }

    if (ngx_handle_read_event(r->connection->read, 0) != NGX_OK) {
        ngx_http_finalize_request(r, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    r->read_event_handler = ngx_http_block_reading;
    r->write_event_handler = ngx_http_core_run_phases;

    ngx_http_core_run_phases(r);
}


static void
ngx_http_workos_jwt_fetch_warning(void *data, const char *kid,
    const char *reason)
{
    ngx_http_workos_jwt_warn_t *w = data;

    ngx_log_error(NGX_LOG_WARN, w->log, 0,
                  "workos jwt key \"%s\" from \"%V\" skipped: %s",
                  kid ? kid : "(no kid)", w->uri, reason);
}


void
ngx_http_workos_jwt_keys_exit(void)
{
    ngx_uint_t  i;

    for (i = 0; i < NGX_HTTP_WORKOS_JWT_MAX_SOURCES; i++) {
        ngx_http_workos_jwt_keys_free(&ngx_http_workos_jwt_local[i]);
    }
}


char *
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


char *
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
