
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * JWKS sources ("workos_jwt_key_request"): a URI in the server whose
 * locations it reaches.  Each is fetched by one worker for all (with no
 * client request, see ngx_http_workos_jwt_fetch.c), kept in the shared
 * zone, and parsed into keys once per worker and key set.  A new
 * configuration starts every source afresh: keys fetched under another
 * configuration are never trusted by it.
 */


#include "ngx_http_workos_jwt_module.h"


#define NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT  60
#define NGX_HTTP_WORKOS_JWT_POLL           50
#define NGX_HTTP_WORKOS_JWT_MIN_AGE        30
#define NGX_HTTP_WORKOS_JWT_MAX_AGE        86400


/* this worker's parsed copy of a source's keys */
typedef struct {
    ngx_http_workos_jwt_keys_t       keys;
    ngx_uint_t                       generation;     /* 0: none */
    time_t                           fresh_until;
    time_t                           stale_until;
} ngx_http_workos_jwt_jwks_local_t;


typedef struct {
    ngx_log_t                       *log;
    ngx_str_t                       *uri;
} ngx_http_workos_jwt_warn_t;


typedef enum {
    NGX_HTTP_WORKOS_JWT_JWKS_GO = 0,                 /* judge now */
    NGX_HTTP_WORKOS_JWT_JWKS_WAIT,                   /* for a fetch */
    NGX_HTTP_WORKOS_JWT_JWKS_FETCH,                  /* in the background */
    NGX_HTTP_WORKOS_JWT_JWKS_FETCH_WAIT,
    NGX_HTTP_WORKOS_JWT_JWKS_REJUDGE                 /* newer keys came */
} ngx_http_workos_jwt_jwks_action_e;


static ngx_http_workos_jwt_jwks_action_e ngx_http_workos_jwt_jwks_decide(
    ngx_http_workos_jwt_jwks_sh_t *rec, ngx_http_workos_jwt_jwks_t *jwks,
    ngx_http_workos_jwt_jwks_local_t *local, ngx_uint_t status, time_t now);
static ngx_int_t ngx_http_workos_jwt_jwks_fetch(
    ngx_http_workos_jwt_jwks_t *jwks, ngx_uint_t background, ngx_log_t *log);
static void ngx_http_workos_jwt_jwks_fetched(ngx_http_workos_jwt_fetch_t *f);
static void ngx_http_workos_jwt_jwks_failed(ngx_http_workos_jwt_jwks_t *jwks,
    ngx_log_t *log, const char *reason);
static ngx_http_workos_jwt_jwks_sh_t *ngx_http_workos_jwt_jwks_record(
    ngx_http_workos_jwt_main_conf_t *jmcf, ngx_http_workos_jwt_jwks_t *jwks);
static ngx_uint_t ngx_http_workos_jwt_jwks_newer(
    ngx_http_workos_jwt_jwks_t *jwks, ngx_http_workos_jwt_jwks_local_t *local);
static void ngx_http_workos_jwt_jwks_sync(ngx_http_workos_jwt_jwks_t *jwks,
    ngx_log_t *log);
static void ngx_http_workos_jwt_jwks_install(
    ngx_http_workos_jwt_jwks_local_t *local, ngx_http_workos_jwt_keys_t *fresh,
    ngx_http_workos_jwt_jwks_sh_t *rec);
static time_t ngx_http_workos_jwt_max_age(ngx_http_request_t *r,
    time_t dflt);
static ngx_int_t ngx_http_workos_jwt_wait(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx);
static void ngx_http_workos_jwt_wake(ngx_http_request_t *r);
static void ngx_http_workos_jwt_fetch_warning(void *data, const char *kid,
    const char *reason);


/* this worker's copies, one per source of its configuration */
static ngx_http_workos_jwt_jwks_local_t  *ngx_http_workos_jwt_local;
static ngx_uint_t                         ngx_http_workos_jwt_nlocal;


char *
ngx_http_workos_jwt_key_request(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    ngx_str_t  *value;

    if (jlcf->key_request.data != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_http_workos_jwt_conf_uri(cf, cmd, &value[1], "/_workos_jwks")
        != NGX_CONF_OK)
    {
        return NGX_CONF_ERROR;
    }

    jlcf->key_request = value[1];

    return NGX_CONF_OK;
}


char *
ngx_http_workos_jwt_key_cache(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    time_t  *times[3];

    static ngx_str_t  names[] = {
        ngx_string("valid="), ngx_string("stale="), ngx_string("refetch=")
    };

    if (jlcf->key_valid != NGX_CONF_UNSET) {
        return "is duplicate";
    }

    jlcf->key_valid = 600;
    jlcf->key_stale = 86400;
    jlcf->key_refetch = 30;

    times[0] = &jlcf->key_valid;
    times[1] = &jlcf->key_stale;
    times[2] = &jlcf->key_refetch;

    return ngx_http_workos_jwt_conf_times(cf, cmd, 1, names, times, 3);
}


/*
 * At merge time the server is known: a level with a key request gets the
 * source of that URI in its server, whose lifetimes must be the same
 * wherever the source is used.
 */

char *
ngx_http_workos_jwt_jwks_merge(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *prev, ngx_http_workos_jwt_loc_conf_t *conf)
{
    ngx_uint_t                        i;
    ngx_http_workos_jwt_jwks_t       *jwks, **jp;
    ngx_http_core_srv_conf_t         *cscf;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    ngx_conf_merge_str_value(conf->key_request, prev->key_request, "");
    ngx_conf_merge_sec_value(conf->key_valid, prev->key_valid, 600);
    ngx_conf_merge_sec_value(conf->key_stale, prev->key_stale, 86400);
    ngx_conf_merge_sec_value(conf->key_refetch, prev->key_refetch, 30);

    if (conf->key_request.len == 0) {
        return NGX_CONF_OK;
    }

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);
    cscf = ngx_http_conf_get_module_srv_conf(cf, ngx_http_core_module);

    jp = jmcf->jwks.elts;

    for (i = 0; i < jmcf->jwks.nelts; i++) {
        jwks = jp[i];

        if (jwks->cscf != cscf
            || jwks->uri.len != conf->key_request.len
            || ngx_strncmp(jwks->uri.data, conf->key_request.data,
                           jwks->uri.len) != 0)
        {
            continue;
        }

        if (jwks->valid != conf->key_valid || jwks->stale != conf->key_stale
            || jwks->refetch != conf->key_refetch)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"workos_jwt_key_cache\" differs between "
                               "levels that use the key request \"%V\" of "
                               "server \"%V\"; it belongs to the key "
                               "request: set it once, beside "
                               "\"workos_jwt_key_request\"",
                               &jwks->uri, &cscf->server_name);
            return NGX_CONF_ERROR;
        }

        conf->jwks = jwks;
        jwks->used |= (conf->mode != NGX_HTTP_WORKOS_JWT_OFF);
        return NGX_CONF_OK;
    }

    jwks = ngx_pcalloc(cf->pool, sizeof(ngx_http_workos_jwt_jwks_t));
    if (jwks == NULL) {
        return NGX_CONF_ERROR;
    }

    jp = ngx_array_push(&jmcf->jwks);
    if (jp == NULL) {
        return NGX_CONF_ERROR;
    }

    jwks->uri = conf->key_request;
    jwks->cscf = cscf;
    jwks->valid = conf->key_valid;
    jwks->stale = conf->key_stale;
    jwks->refetch = conf->key_refetch;
    jwks->index = jmcf->jwks.nelts - 1;

    *jp = jwks;
    conf->jwks = jwks;
    jwks->used = (conf->mode != NGX_HTTP_WORKOS_JWT_OFF);

    return NGX_CONF_OK;
}


/* every key request must lead to a location of its own server */

ngx_int_t
ngx_http_workos_jwt_jwks_check(ngx_conf_t *cf)
{
    ngx_uint_t                        i;
    ngx_http_workos_jwt_jwks_t      **jp;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);
    jp = jmcf->jwks.elts;

    for (i = 0; i < jmcf->jwks.nelts; i++) {
        if (ngx_http_workos_jwt_fetch_check(cf, jp[i]->cscf, &jp[i]->uri,
                                            "workos_jwt_key_request",
                                            jp[i]->used)
            != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/*
 * Called by init_zone with the zone locked: the records of the previous
 * configuration (and their key sets) are freed, this one's are made.
 * Workers of the previous configuration notice sh->config changed and
 * keep to the keys they hold.
 */

ngx_int_t
ngx_http_workos_jwt_jwks_init_zone(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_log_t *log)
{
    ngx_uint_t                  i;
    ngx_slab_pool_t            *shpool;
    ngx_http_workos_jwt_sh_t   *sh;

    sh = jmcf->sh;
    shpool = jmcf->shpool;

    for (i = 0; i < sh->njwks; i++) {
        if (sh->jwks[i].text != NULL) {
            ngx_slab_free_locked(shpool, sh->jwks[i].text);
        }
    }

    if (sh->jwks != NULL) {
        ngx_slab_free_locked(shpool, sh->jwks);
    }

    sh->jwks = NULL;
    sh->njwks = 0;
    sh->config++;
    jmcf->config = sh->config;

    if (jmcf->jwks.nelts == 0) {
        return NGX_OK;
    }

    sh->jwks = ngx_slab_calloc_locked(shpool, jmcf->jwks.nelts
                                      * sizeof(ngx_http_workos_jwt_jwks_sh_t));
    if (sh->jwks == NULL) {
        ngx_log_error(NGX_LOG_EMERG, log, 0,
                      "workos_jwt_zone is too small for %ui key requests",
                      jmcf->jwks.nelts);
        return NGX_ERROR;
    }

    sh->njwks = jmcf->jwks.nelts;

    return NGX_OK;
}


ngx_int_t
ngx_http_workos_jwt_jwks_init_process(ngx_cycle_t *cycle)
{
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_cycle_get_module_main_conf(cycle,
                                               ngx_http_workos_jwt_module);
    if (jmcf == NULL || jmcf->jwks.nelts == 0) {
        return NGX_OK;
    }

    ngx_http_workos_jwt_local = ngx_calloc(jmcf->jwks.nelts
                                       * sizeof(ngx_http_workos_jwt_jwks_local_t),
                                       cycle->log);
    if (ngx_http_workos_jwt_local == NULL) {
        return NGX_ERROR;
    }

    ngx_http_workos_jwt_nlocal = jmcf->jwks.nelts;

    return NGX_OK;
}


void
ngx_http_workos_jwt_jwks_exit_process(ngx_cycle_t *cycle)
{
    ngx_uint_t  i;

    for (i = 0; i < ngx_http_workos_jwt_nlocal; i++) {
        ngx_http_workos_jwt_keys_free(&ngx_http_workos_jwt_local[i].keys);
    }

    ngx_free(ngx_http_workos_jwt_local);
    ngx_http_workos_jwt_local = NULL;
    ngx_http_workos_jwt_nlocal = 0;
}


ngx_http_workos_jwt_keys_t *
ngx_http_workos_jwt_remote_keys(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf)
{
    return ngx_http_workos_jwt_jwks_keys(r, jlcf->jwks);
}


/* this worker's keys of a source, or NULL when none are usable */

ngx_http_workos_jwt_keys_t *
ngx_http_workos_jwt_jwks_keys(ngx_http_request_t *r,
    ngx_http_workos_jwt_jwks_t *jwks)
{
    time_t                             now;
    ngx_http_workos_jwt_jwks_local_t  *local;

    if (jwks->index >= ngx_http_workos_jwt_nlocal) {
        return NULL;
    }

    local = &ngx_http_workos_jwt_local[jwks->index];
    now = ngx_time();

    if (local->generation == 0 || now >= local->fresh_until
        || ngx_http_workos_jwt_jwks_newer(jwks, local))
    {
        ngx_http_workos_jwt_jwks_sync(jwks, r->connection->log);
    }

    if (local->generation == 0 || now >= local->stale_until) {
        return NULL;
    }

    return &local->keys;
}


/* the zone's record of a source, NULL for an older configuration */

static ngx_http_workos_jwt_jwks_sh_t *
ngx_http_workos_jwt_jwks_record(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_jwks_t *jwks)
{
    if (jmcf->sh->config != jmcf->config || jwks->index >= jmcf->sh->njwks) {
        return NULL;
    }

    return &jmcf->sh->jwks[jwks->index];
}


/*
 * Another worker fetched a newer set.  Read without the lock: a record of
 * an older configuration stays mapped, at worst the answer is stale and
 * the locked sync finds out.
 */

static ngx_uint_t
ngx_http_workos_jwt_jwks_newer(ngx_http_workos_jwt_jwks_t *jwks,
    ngx_http_workos_jwt_jwks_local_t *local)
{
    ngx_http_workos_jwt_jwks_sh_t    *rec;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_workos_jwt_module);

    rec = ngx_http_workos_jwt_jwks_record(jmcf, jwks);

    return (rec != NULL && rec->generation != local->generation);
}


/* takes a set another worker fetched, and the record's lifetimes */

static void
ngx_http_workos_jwt_jwks_sync(ngx_http_workos_jwt_jwks_t *jwks,
    ngx_log_t *log)
{
    char                               err[128];
    u_char                            *text;
    size_t                             len;
    ngx_http_workos_jwt_jwks_sh_t     *rec, copy;
    ngx_http_workos_jwt_keys_t         fresh;
    ngx_http_workos_jwt_warn_t         w;
    ngx_http_workos_jwt_main_conf_t   *jmcf;
    ngx_http_workos_jwt_jwks_local_t  *local;

    jmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_workos_jwt_module);
    local = &ngx_http_workos_jwt_local[jwks->index];
    text = NULL;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    rec = ngx_http_workos_jwt_jwks_record(jmcf, jwks);

    if (rec == NULL || rec->generation == 0) {
        ngx_shmtx_unlock(&jmcf->shpool->mutex);
        return;
    }

    copy = *rec;

    if (rec->generation != local->generation) {
        len = rec->len;
        text = ngx_alloc(len, log);

        if (text != NULL) {
            ngx_memcpy(text, rec->text, len);
        }
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (copy.generation == local->generation) {
        local->fresh_until = copy.fresh_until;
        local->stale_until = copy.stale_until;
        return;
    }

    if (text == NULL) {
        return;
    }

    ngx_memzero(&fresh, sizeof(ngx_http_workos_jwt_keys_t));

    w.log = log;
    w.uri = &jwks->uri;

    if (ngx_http_workos_jwt_keys_load(&fresh, text, copy.len,
                                      ngx_http_workos_jwt_fetch_warning, &w,
                                      err, sizeof(err))
        != NGX_OK)
    {
        ngx_log_error(NGX_LOG_ERR, log, 0,
                      "workos jwt cannot load keys of \"%V\": %s",
                      &jwks->uri, err);
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_free(text);
        return;
    }

    ngx_free(text);

    ngx_http_workos_jwt_jwks_install(local, &fresh, &copy);
}


/*
 * Replaces this worker's key set with a fresh one; an unchanged set is
 * kept as it is.
 */

static void
ngx_http_workos_jwt_jwks_install(ngx_http_workos_jwt_jwks_local_t *local,
    ngx_http_workos_jwt_keys_t *fresh, ngx_http_workos_jwt_jwks_sh_t *rec)
{
    size_t  i;

    local->generation = rec->generation;
    local->fresh_until = rec->fresh_until;
    local->stale_until = rec->stale_until;

    if (local->keys.ks.nkeys == fresh->ks.nkeys && fresh->ks.nkeys != 0) {
        for (i = 0; i < fresh->ks.nkeys; i++) {
            if (local->keys.ks.keys[i].fingerprint
                != fresh->ks.keys[i].fingerprint)
            {
                break;
            }
        }

        if (i == fresh->ks.nkeys) {
            ngx_http_workos_jwt_keys_free(fresh);
            return;
        }
    }

    ngx_http_workos_jwt_keys_free(&local->keys);
    local->keys = *fresh;
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
    time_t                              now, fetching;
    ngx_http_workos_jwt_jwks_t         *jwks;
    ngx_http_workos_jwt_jwks_sh_t      *rec;
    ngx_http_workos_jwt_main_conf_t    *jmcf;
    ngx_http_workos_jwt_jwks_local_t   *local;
    ngx_http_workos_jwt_jwks_action_e   action;

    jwks = jlcf->jwks;

    if (jwks->index >= ngx_http_workos_jwt_nlocal) {
        return NGX_OK;
    }

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    local = &ngx_http_workos_jwt_local[jwks->index];
    now = ngx_time();

    if (ctx->waiting) {
        ngx_shmtx_lock(&jmcf->shpool->mutex);
        rec = ngx_http_workos_jwt_jwks_record(jmcf, jwks);
        fetching = (rec != NULL) ? rec->fetching : 0;
        ngx_shmtx_unlock(&jmcf->shpool->mutex);

        if (fetching != 0 && now - fetching < NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT
            && now < ctx->wait_until)
        {
            return ngx_http_workos_jwt_wait(r, ctx);
        }

        /* the fetch is over: judge again, with whatever it brought */

        ctx->waiting = 0;
        ctx->jlcf = NULL;
        ngx_http_workos_jwt_jwks_sync(jwks, r->connection->log);

        return NGX_OK;
    }

    if (status != WJWT_UNKNOWN_KID && local->generation != 0
        && now < local->fresh_until
        && !ngx_http_workos_jwt_jwks_newer(jwks, local))
    {
        return NGX_OK;
    }

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    rec = ngx_http_workos_jwt_jwks_record(jmcf, jwks);

    action = (rec == NULL) ? NGX_HTTP_WORKOS_JWT_JWKS_GO
                           : ngx_http_workos_jwt_jwks_decide(rec, jwks, local,
                                                             status, now);

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    ngx_http_workos_jwt_jwks_sync(jwks, r->connection->log);

    switch (action) {

    case NGX_HTTP_WORKOS_JWT_JWKS_REJUDGE:
        ctx->jlcf = NULL;
        return NGX_OK;

    case NGX_HTTP_WORKOS_JWT_JWKS_FETCH:
        (void) ngx_http_workos_jwt_jwks_fetch(jwks, 1, r->connection->log);
        return NGX_OK;

    case NGX_HTTP_WORKOS_JWT_JWKS_FETCH_WAIT:
        if (ngx_http_workos_jwt_jwks_fetch(jwks, 0, r->connection->log)
            != NGX_OK)
        {
            return NGX_OK;
        }

        /* fall through */

    case NGX_HTTP_WORKOS_JWT_JWKS_WAIT:
        ctx->wait_until = now + NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT;
        return ngx_http_workos_jwt_wait(r, ctx);

    default:
        return NGX_OK;
    }
}


/* with the zone locked: what a request does about its source's keys */

static ngx_http_workos_jwt_jwks_action_e
ngx_http_workos_jwt_jwks_decide(ngx_http_workos_jwt_jwks_sh_t *rec,
    ngx_http_workos_jwt_jwks_t *jwks, ngx_http_workos_jwt_jwks_local_t *local,
    ngx_uint_t status, time_t now)
{
    ngx_uint_t  usable, fetching;

    usable = (rec->generation != 0 && now < rec->stale_until);
    fetching = (rec->fetching != 0
                && now - rec->fetching < NGX_HTTP_WORKOS_JWT_FETCH_TIMEOUT);

    if (status == WJWT_UNKNOWN_KID) {

        /* maybe a key rotated in: one refetch per refetch= window */

        if (rec->generation != local->generation) {
            return NGX_HTTP_WORKOS_JWT_JWKS_REJUDGE;
        }

        if (fetching) {
            return NGX_HTTP_WORKOS_JWT_JWKS_WAIT;
        }

        if (now < rec->refetch_at) {
            return NGX_HTTP_WORKOS_JWT_JWKS_GO;
        }

        rec->refetch_at = now + jwks->refetch;
        rec->fetching = now;

        return NGX_HTTP_WORKOS_JWT_JWKS_FETCH_WAIT;
    }

    if (usable && now < rec->fresh_until) {
        return NGX_HTTP_WORKOS_JWT_JWKS_GO;
    }

    if (fetching) {
        return usable ? NGX_HTTP_WORKOS_JWT_JWKS_GO
                      : NGX_HTTP_WORKOS_JWT_JWKS_WAIT;
    }

    if (now < rec->retry_at) {
        return NGX_HTTP_WORKOS_JWT_JWKS_GO;
    }

    rec->fetching = now;

    return usable ? NGX_HTTP_WORKOS_JWT_JWKS_FETCH
                  : NGX_HTTP_WORKOS_JWT_JWKS_FETCH_WAIT;
}


static ngx_int_t
ngx_http_workos_jwt_jwks_fetch(ngx_http_workos_jwt_jwks_t *jwks,
    ngx_uint_t background, ngx_log_t *log)
{
    ngx_http_workos_jwt_fetch_t  f;

    ngx_memzero(&f, sizeof(ngx_http_workos_jwt_fetch_t));

    f.uri = jwks->uri;
    f.cscf = jwks->cscf;
    f.handler = ngx_http_workos_jwt_jwks_fetched;
    f.data = jwks;
    f.action = "fetching JWKS";
    f.what = "key request";

    ngx_log_error(NGX_LOG_INFO, log, 0,
                  "workos jwt fetching JWKS from \"%V\"%s", &jwks->uri,
                  background ? " in the background" : "");

    if (ngx_http_workos_jwt_fetch(&f, log) != NGX_OK) {
        ngx_http_workos_jwt_jwks_failed(jwks, log, "cannot start the fetch");
        return NGX_ERROR;
    }

    return NGX_OK;
}


static void
ngx_http_workos_jwt_jwks_fetched(ngx_http_workos_jwt_fetch_t *f)
{
    ngx_http_workos_jwt_jwks_t *jwks = f->data;

    char                               err[128], reason[160];
    u_char                            *copy;
    time_t                             now, ttl;
    ngx_uint_t                         nkeys;
    ngx_http_workos_jwt_keys_t         fresh;
    ngx_http_workos_jwt_warn_t         w;
    ngx_http_workos_jwt_jwks_sh_t     *rec, snapshot;
    ngx_http_workos_jwt_main_conf_t   *jmcf;

    if (f->error != NULL) {
        if (f->status != NGX_HTTP_OK) {
            ngx_snprintf((u_char *) reason, sizeof(reason), "status %ui%Z",
                         f->status);
            ngx_http_workos_jwt_jwks_failed(jwks, f->log, reason);

        } else {
            ngx_http_workos_jwt_jwks_failed(jwks, f->log, f->error);
        }

        return;
    }

    if (f->body.len == 0) {
        ngx_http_workos_jwt_jwks_failed(jwks, f->log, "empty response");
        return;
    }

    if (f->body.len > NGX_HTTP_WORKOS_JWT_MAX_JWKS) {
        ngx_http_workos_jwt_jwks_failed(jwks, f->log, "response too big");
        return;
    }

    ngx_memzero(&fresh, sizeof(ngx_http_workos_jwt_keys_t));

    w.log = f->log;
    w.uri = &jwks->uri;

    if (ngx_http_workos_jwt_keys_load(&fresh, f->body.data, f->body.len,
                                      ngx_http_workos_jwt_fetch_warning, &w,
                                      err, sizeof(err))
        != NGX_OK)
    {
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_snprintf((u_char *) reason, sizeof(reason), "not a JWKS: %s%Z",
                     err);
        ngx_http_workos_jwt_jwks_failed(jwks, f->log, reason);
        return;
    }

    nkeys = fresh.ks.nkeys;

    if (nkeys == 0) {
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_http_workos_jwt_jwks_failed(jwks, f->log, "no usable key");
        return;
    }

    now = ngx_time();
    ttl = ngx_http_workos_jwt_max_age(f->sr, jwks->valid);

    jmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_workos_jwt_module);

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    rec = ngx_http_workos_jwt_jwks_record(jmcf, jwks);

    if (rec == NULL) {
        ngx_shmtx_unlock(&jmcf->shpool->mutex);
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_log_error(NGX_LOG_INFO, f->log, 0,
                      "workos jwt keys from \"%V\" not kept: the "
                      "configuration was reloaded", &jwks->uri);
        return;
    }

    copy = ngx_http_workos_jwt_zone_alloc(jmcf, f->body.len);

    if (copy == NULL) {
        ngx_shmtx_unlock(&jmcf->shpool->mutex);
        ngx_http_workos_jwt_keys_free(&fresh);
        ngx_http_workos_jwt_jwks_failed(jwks, f->log,
                                        "workos_jwt_zone is too small for "
                                        "the key set");
        return;
    }

    ngx_memcpy(copy, f->body.data, f->body.len);

    if (rec->text != NULL) {
        ngx_slab_free_locked(jmcf->shpool, rec->text);
    }

    rec->text = copy;
    rec->len = f->body.len;
    rec->nkeys = nkeys;
    rec->generation++;
    rec->fetched_at = now;
    rec->fresh_until = now + ttl;
    rec->stale_until = now + ttl + jwks->stale;
    rec->fetching = 0;
    rec->retry_at = 0;
    jmcf->sh->jwks_fetches++;

    snapshot = *rec;

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (jwks->index < ngx_http_workos_jwt_nlocal) {
        ngx_http_workos_jwt_jwks_install(
                                &ngx_http_workos_jwt_local[jwks->index],
                                &fresh, &snapshot);
    } else {
        ngx_http_workos_jwt_keys_free(&fresh);
    }

    ngx_log_error(NGX_LOG_INFO, f->log, 0,
                  "workos jwt fetched %ui keys from \"%V\", fresh for %Ts",
                  nkeys, &jwks->uri, ttl);
}


static void
ngx_http_workos_jwt_jwks_failed(ngx_http_workos_jwt_jwks_t *jwks,
    ngx_log_t *log, const char *reason)
{
    size_t                            len;
    time_t                            now;
    ngx_uint_t                        usable;
    ngx_http_workos_jwt_sh_t         *sh;
    ngx_http_workos_jwt_jwks_sh_t    *rec;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_workos_jwt_module);
    sh = jmcf->sh;
    now = ngx_time();
    len = ngx_min(ngx_strlen(reason), NGX_HTTP_WORKOS_JWT_ERROR_LEN);
    usable = 0;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    rec = ngx_http_workos_jwt_jwks_record(jmcf, jwks);

    if (rec != NULL) {
        rec->fetching = 0;
        rec->retry_at = now + jwks->refetch;
        usable = (rec->generation != 0 && now < rec->stale_until);
    }

    sh->jwks_fetches++;
    sh->jwks_failures++;
    sh->jwks_failed_at = now;
    ngx_memcpy(sh->jwks_error, reason, len);
    sh->jwks_error_len = len;

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    ngx_log_error(NGX_LOG_ERR, log, 0,
                  "workos jwt JWKS fetch from \"%V\" failed: %s%s",
                  &jwks->uri, reason,
                  usable ? ", serving the previous keys" : "");
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
    i = 0;

    while ((h = ngx_http_workos_jwt_next_header(&part, &i)) != NULL) {

        if (h->hash == 0
            || h->key.len != sizeof("Cache-Control") - 1
            || ngx_strncasecmp(h->key.data, (u_char *) "Cache-Control",
                               sizeof("Cache-Control") - 1) != 0)
        {
            continue;
        }

        p = h->value.data;
        last = p + h->value.len;

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
