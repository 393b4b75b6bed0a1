
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Revocation ("workos_jwt_revocation_request"): pages of WorkOS events
 * fetched through an internal location, one poll at a time for all
 * workers, with no client request (ngx_http_workos_jwt_fetch.c).  The
 * revoked sessions, users and memberships live in the shared zone, in a
 * tree for the lookups and a queue, oldest first, for expiry and for
 * dropping when the zone is full.  The cursor of each source and the
 * entries survive reloads.
 */


#include "ngx_http_workos_jwt_module.h"

#include "wjwt_events.h"


#define NGX_HTTP_WORKOS_JWT_POLL_TIMEOUT  120


typedef struct {
    ngx_uint_t                        kind;
    ngx_str_t                         id;
    ngx_str_t                         org;
} ngx_http_workos_jwt_revoke_key_t;


/* this worker's knowledge of when each source is next due */
static time_t      *ngx_http_workos_jwt_next_poll;
static ngx_uint_t   ngx_http_workos_jwt_npoll;


static ngx_http_workos_jwt_poll_sh_t *ngx_http_workos_jwt_poll_record(
    ngx_http_workos_jwt_sh_t *sh, ngx_str_t *name);
static ngx_int_t ngx_http_workos_jwt_revocation_fetch(
    ngx_http_workos_jwt_revocation_t *rev, ngx_log_t *log);
static void ngx_http_workos_jwt_revocation_fetched(
    ngx_http_workos_jwt_fetch_t *f);
static void ngx_http_workos_jwt_revocation_failed(
    ngx_http_workos_jwt_revocation_t *rev, ngx_log_t *log,
    const char *reason);
static ngx_uint_t ngx_http_workos_jwt_revocation_apply(
    ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_revocation_t *rev, wjwt_events_page_t *page,
    ngx_uint_t *dropped);
static ngx_int_t ngx_http_workos_jwt_revoked_add(
    ngx_http_workos_jwt_main_conf_t *jmcf, wjwt_revocation_t *e,
    time_t expires, ngx_uint_t *dropped);
static ngx_http_workos_jwt_revoked_t *ngx_http_workos_jwt_revoked_find(
    ngx_http_workos_jwt_sh_t *sh, ngx_http_workos_jwt_revoke_key_t *k);
static void ngx_http_workos_jwt_revoked_delete(
    ngx_http_workos_jwt_main_conf_t *jmcf, ngx_http_workos_jwt_revoked_t *e);
static void ngx_http_workos_jwt_revoked_changed(
    ngx_http_workos_jwt_sh_t *sh);
static void ngx_http_workos_jwt_revoked_expire(
    ngx_http_workos_jwt_main_conf_t *jmcf, time_t now);
static ngx_rbtree_key_t ngx_http_workos_jwt_revoked_hash(
    ngx_http_workos_jwt_revoke_key_t *k);
static ngx_int_t ngx_http_workos_jwt_revoked_cmp(
    ngx_http_workos_jwt_revoke_key_t *k, ngx_http_workos_jwt_revoked_t *e);


char *
ngx_http_workos_jwt_revocation_request(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    time_t     *times[3];
    ngx_str_t  *value;

    static ngx_str_t  names[] = {
        ngx_string("interval="), ngx_string("lookback="),
        ngx_string("retain=")
    };

    if (jlcf->revocation_request.data != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_http_workos_jwt_conf_uri(cf, cmd, &value[1], "/_workos_events")
        != NGX_CONF_OK)
    {
        return NGX_CONF_ERROR;
    }

    jlcf->revocation_request = value[1];
    jlcf->rev_interval = 10;
    jlcf->rev_lookback = 3600;
    jlcf->rev_retain = 3600;

    times[0] = &jlcf->rev_interval;
    times[1] = &jlcf->rev_lookback;
    times[2] = &jlcf->rev_retain;

    return ngx_http_workos_jwt_conf_times(cf, cmd, 2, names, times, 3);
}


/* a level with a revocation request gets its source in its server */

char *
ngx_http_workos_jwt_revocation_merge(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *prev, ngx_http_workos_jwt_loc_conf_t *conf)
{
    u_char                             *p;
    ngx_uint_t                          i;
    ngx_http_core_srv_conf_t           *cscf;
    ngx_http_workos_jwt_main_conf_t    *jmcf;
    ngx_http_workos_jwt_revocation_t   *rev, **rp;

    if (conf->revocation_request.data == NULL) {
        conf->revocation_request = prev->revocation_request;
        conf->rev_interval = prev->rev_interval;
        conf->rev_lookback = prev->rev_lookback;
        conf->rev_retain = prev->rev_retain;
    }

    if (conf->revocation_request.len == 0) {
        return NGX_CONF_OK;
    }

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);
    cscf = ngx_http_conf_get_module_srv_conf(cf, ngx_http_core_module);

    rp = jmcf->revocations.elts;

    for (i = 0; i < jmcf->revocations.nelts; i++) {
        if (rp[i]->cscf == cscf
            && rp[i]->uri.len == conf->revocation_request.len
            && ngx_strncmp(rp[i]->uri.data, conf->revocation_request.data,
                           rp[i]->uri.len) == 0)
        {
            conf->revocation = rp[i];
            rp[i]->used |= (conf->mode != NGX_HTTP_WORKOS_JWT_OFF);
            return NGX_CONF_OK;
        }
    }

    rev = ngx_pcalloc(cf->pool, sizeof(ngx_http_workos_jwt_revocation_t));
    if (rev == NULL) {
        return NGX_CONF_ERROR;
    }

    rp = ngx_array_push(&jmcf->revocations);
    if (rp == NULL) {
        return NGX_CONF_ERROR;
    }

    rev->uri = conf->revocation_request;
    rev->cscf = cscf;
    rev->index = jmcf->revocations.nelts - 1;
    rev->interval = conf->rev_interval;
    rev->lookback = conf->rev_lookback;
    rev->retain = conf->rev_retain;

    /* the zone knows a source by its server and URI, across reloads */

    rev->name.len = cscf->server_name.len + 1 + rev->uri.len;
    rev->name.data = ngx_pnalloc(cf->pool, rev->name.len);
    if (rev->name.data == NULL) {
        return NGX_CONF_ERROR;
    }

    p = ngx_cpymem(rev->name.data, cscf->server_name.data,
                   cscf->server_name.len);
    *p++ = ' ';
    ngx_memcpy(p, rev->uri.data, rev->uri.len);

    if (rev->name.len > NGX_HTTP_WORKOS_JWT_MAX_NAME) {
        rev->name.len = NGX_HTTP_WORKOS_JWT_MAX_NAME;
    }

    *rp = rev;
    conf->revocation = rev;
    rev->used = (conf->mode != NGX_HTTP_WORKOS_JWT_OFF);

    return NGX_CONF_OK;
}


ngx_int_t
ngx_http_workos_jwt_revocation_check(ngx_conf_t *cf)
{
    ngx_uint_t                          i;
    ngx_http_workos_jwt_main_conf_t    *jmcf;
    ngx_http_workos_jwt_revocation_t  **rp;

    jmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_workos_jwt_module);
    rp = jmcf->revocations.elts;

    for (i = 0; i < jmcf->revocations.nelts; i++) {
        if (ngx_http_workos_jwt_fetch_check(cf, rp[i]->cscf, &rp[i]->uri,
                                            "workos_jwt_revocation_request",
                                            rp[i]->used)
            != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/*
 * Called by init_zone with the zone locked: each source of this
 * configuration finds the poll record it had, or gets a new one.  The
 * records of sources no longer configured go, unless a poll is in flight.
 */

ngx_int_t
ngx_http_workos_jwt_revocation_init_zone(
    ngx_http_workos_jwt_main_conf_t *jmcf, ngx_log_t *log)
{
    ngx_uint_t                          i;
    ngx_queue_t                        *q, *next;
    ngx_http_workos_jwt_sh_t           *sh;
    ngx_http_workos_jwt_poll_sh_t      *ps;
    ngx_http_workos_jwt_revocation_t  **rp;

    sh = jmcf->sh;

    if (sh->polls.next == NULL) {
        ngx_queue_init(&sh->polls);
        ngx_queue_init(&sh->revoked_age);
        ngx_rbtree_init(&sh->revoked, &sh->revoked_sentinel,
                        ngx_http_workos_jwt_revoked_insert);
        sh->revoked_gen = 1;
    }

    rp = jmcf->revocations.elts;

    for (i = 0; i < jmcf->revocations.nelts; i++) {
        ps = ngx_http_workos_jwt_poll_record(sh, &rp[i]->name);

        if (ps == NULL) {
            ps = ngx_slab_calloc_locked(jmcf->shpool,
                                        sizeof(ngx_http_workos_jwt_poll_sh_t));
            if (ps == NULL) {
                ngx_log_error(NGX_LOG_EMERG, log, 0,
                              "workos_jwt_zone is too small for the "
                              "revocation requests");
                return NGX_ERROR;
            }

            ngx_memcpy(ps->name, rp[i]->name.data, rp[i]->name.len);
            ps->name_len = rp[i]->name.len;
            ngx_queue_insert_tail(&sh->polls, &ps->queue);
        }

        /* a new configuration polls at once */
        ps->next_poll_at = 0;
        ps->config = jmcf->config;
    }

    for (q = ngx_queue_head(&sh->polls);
         q != ngx_queue_sentinel(&sh->polls);
         q = next)
    {
        next = ngx_queue_next(q);
        ps = ngx_queue_data(q, ngx_http_workos_jwt_poll_sh_t, queue);

        if (ps->config != jmcf->config && ps->polling == 0) {
            ngx_queue_remove(q);
            ngx_slab_free_locked(jmcf->shpool, ps);
        }
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_workos_jwt_revocation_init_process(ngx_cycle_t *cycle)
{
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_cycle_get_module_main_conf(cycle,
                                               ngx_http_workos_jwt_module);
    if (jmcf == NULL || jmcf->revocations.nelts == 0) {
        return NGX_OK;
    }

    ngx_http_workos_jwt_next_poll = ngx_calloc(jmcf->revocations.nelts
                                               * sizeof(time_t), cycle->log);
    if (ngx_http_workos_jwt_next_poll == NULL) {
        return NGX_ERROR;
    }

    ngx_http_workos_jwt_npoll = jmcf->revocations.nelts;

    return NGX_OK;
}


void
ngx_http_workos_jwt_revocation_exit_process(ngx_cycle_t *cycle)
{
    ngx_free(ngx_http_workos_jwt_next_poll);
    ngx_http_workos_jwt_next_poll = NULL;
    ngx_http_workos_jwt_npoll = 0;
}


static ngx_http_workos_jwt_poll_sh_t *
ngx_http_workos_jwt_poll_record(ngx_http_workos_jwt_sh_t *sh, ngx_str_t *name)
{
    ngx_queue_t                    *q;
    ngx_http_workos_jwt_poll_sh_t  *ps;

    for (q = ngx_queue_head(&sh->polls);
         q != ngx_queue_sentinel(&sh->polls);
         q = ngx_queue_next(q))
    {
        ps = ngx_queue_data(q, ngx_http_workos_jwt_poll_sh_t, queue);

        if (ps->name_len == name->len
            && ngx_memcmp(ps->name, name->data, name->len) == 0)
        {
            return ps;
        }
    }

    return NULL;
}


/*
 * Called as requests are judged: starts a poll when one is due and none
 * is under way in any worker.  The request never waits for it.
 */

void
ngx_http_workos_jwt_revocation_poll(ngx_http_request_t *r,
    ngx_http_workos_jwt_revocation_t *rev)
{
    time_t                           *next, now;
    ngx_uint_t                        start;
    ngx_http_workos_jwt_poll_sh_t    *ps;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    if (rev->index >= ngx_http_workos_jwt_npoll) {
        return;
    }

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    now = ngx_time();

    next = &ngx_http_workos_jwt_next_poll[rev->index];

    if (now < *next) {
        /* this worker knows no poll is due yet */
        return;
    }

    start = 0;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    ps = ngx_http_workos_jwt_poll_record(jmcf->sh, &rev->name);

    if (ps != NULL) {
        if (ps->polling != 0
            && now - ps->polling < NGX_HTTP_WORKOS_JWT_POLL_TIMEOUT)
        {
            *next = now + 1;

        } else if (now < ps->next_poll_at) {
            *next = ps->next_poll_at;

        } else {
            ps->polling = now;
            start = 1;
        }
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (start) {
        *next = now + rev->interval;
        (void) ngx_http_workos_jwt_revocation_fetch(rev, r->connection->log);
    }
}


/* one page: after the cursor, or from range_start until the first event */

static ngx_int_t
ngx_http_workos_jwt_revocation_fetch(ngx_http_workos_jwt_revocation_t *rev,
    ngx_log_t *log)
{
    u_char                           *p;
    ngx_http_workos_jwt_fetch_t       f;
    ngx_http_workos_jwt_poll_sh_t    *ps;
    ngx_http_workos_jwt_main_conf_t  *jmcf;
    u_char                            args[WJWT_EVENTS_ID_SIZE + 32];

    jmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_workos_jwt_module);

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    ps = ngx_http_workos_jwt_poll_record(jmcf->sh, &rev->name);

    if (ps == NULL) {
        ngx_shmtx_unlock(&jmcf->shpool->mutex);
        return NGX_DECLINED;
    }

    if (ps->cursor_len) {
        p = ngx_sprintf(args, "after=%*s", ps->cursor_len, ps->cursor);

    } else {
        if (ps->range_start == 0) {
            ps->range_start = ngx_time() - rev->lookback;
        }

        p = ngx_cpymem(args, "range_start=", sizeof("range_start=") - 1);
        p += wjwt_iso8601(ps->range_start, (char *) p, WJWT_ISO8601_LEN + 1);
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    ngx_memzero(&f, sizeof(ngx_http_workos_jwt_fetch_t));

    f.uri = rev->uri;
    f.args.data = args;
    f.args.len = p - args;
    f.cscf = rev->cscf;
    f.handler = ngx_http_workos_jwt_revocation_fetched;
    f.data = rev;
    f.action = "polling WorkOS events";
    f.what = "revocation request";

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, log, 0,
                   "workos jwt polling events \"%V\"", &rev->uri);

    if (ngx_http_workos_jwt_fetch(&f, log) != NGX_OK) {
        ngx_http_workos_jwt_revocation_failed(rev, log,
                                              "cannot start the poll");
        return NGX_ERROR;
    }

    return NGX_OK;
}


static void
ngx_http_workos_jwt_revocation_fetched(ngx_http_workos_jwt_fetch_t *f)
{
    ngx_http_workos_jwt_revocation_t *rev = f->data;

    char                              err[128], reason[160];
    time_t                            now;
    ngx_uint_t                        more, applied, dropped;
    wjwt_events_page_t                page;
    ngx_http_workos_jwt_sh_t         *sh;
    ngx_http_workos_jwt_poll_sh_t    *ps;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    if (f->error != NULL) {
        if (f->status != NGX_HTTP_OK) {
            ngx_snprintf((u_char *) reason, sizeof(reason), "status %ui%Z",
                         f->status);
            ngx_http_workos_jwt_revocation_failed(rev, f->log, reason);

        } else {
            ngx_http_workos_jwt_revocation_failed(rev, f->log, f->error);
        }

        return;
    }

    if (wjwt_events_parse(&page, f->body.data, f->body.len, err, sizeof(err))
        != 0)
    {
        ngx_snprintf((u_char *) reason, sizeof(reason),
                     "not a page of events: %s%Z", err);
        ngx_http_workos_jwt_revocation_failed(rev, f->log, reason);
        return;
    }

    jmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_workos_jwt_module);
    sh = jmcf->sh;
    now = ngx_time();
    more = 0;
    applied = 0;
    dropped = 0;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    ps = ngx_http_workos_jwt_poll_record(sh, &rev->name);

    if (ps != NULL) {
        ngx_http_workos_jwt_revoked_expire(jmcf, now);

        applied = ngx_http_workos_jwt_revocation_apply(jmcf, rev, &page,
                                                       &dropped);

        if (page.last_id_len) {
            ngx_memcpy(ps->cursor, page.last_id, page.last_id_len);
            ps->cursor_len = page.last_id_len;
        }

        sh->rev_polls++;
        sh->rev_polled_at = now;
        sh->rev_dropped += dropped;

        /* the next page at once while there is one, else after interval */

        more = (page.after_len != 0 && page.last_id_len != 0);

        if (!more) {
            ps->polling = 0;
            ps->next_poll_at = now + rev->interval;
        }
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (dropped) {
        ngx_log_error(NGX_LOG_ERR, f->log, 0,
                      "workos jwt revocation list full: the %ui oldest "
                      "entries dropped; make workos_jwt_zone bigger or "
                      "retain= shorter", dropped);
    }

    if (applied) {
        ngx_log_error(NGX_LOG_INFO, f->log, 0,
                      "workos jwt %ui revocations from %uz events",
                      applied, page.nevents);
    }

    wjwt_events_free(&page);

    if (more) {
        (void) ngx_http_workos_jwt_revocation_fetch(rev, f->log);
    }
}


static void
ngx_http_workos_jwt_revocation_failed(ngx_http_workos_jwt_revocation_t *rev,
    ngx_log_t *log, const char *reason)
{
    size_t                            len;
    time_t                            now;
    ngx_http_workos_jwt_sh_t         *sh;
    ngx_http_workos_jwt_poll_sh_t    *ps;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_cycle_get_module_main_conf(ngx_cycle,
                                               ngx_http_workos_jwt_module);
    sh = jmcf->sh;
    now = ngx_time();
    len = ngx_min(ngx_strlen(reason), NGX_HTTP_WORKOS_JWT_ERROR_LEN);

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    ps = ngx_http_workos_jwt_poll_record(sh, &rev->name);

    if (ps != NULL) {
        ps->polling = 0;
        ps->next_poll_at = now + rev->interval;
    }

    sh->rev_polls++;
    sh->rev_failures++;
    ngx_memcpy(sh->rev_error, reason, len);
    sh->rev_error_len = len;

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    ngx_log_error(NGX_LOG_ERR, log, 0,
                  "workos jwt revocation poll of \"%V\" failed: %s, the "
                  "revocations already held keep applying",
                  &rev->uri, reason);
}


/* with the zone locked: the page's revocations, in order */

static ngx_uint_t
ngx_http_workos_jwt_revocation_apply(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_revocation_t *rev, wjwt_events_page_t *page,
    ngx_uint_t *dropped)
{
    size_t      i;
    ngx_uint_t  n;

    n = 0;

    for (i = 0; i < page->n; i++) {
        if (ngx_http_workos_jwt_revoked_add(jmcf, &page->entries[i],
                                            page->entries[i].at + rev->retain,
                                            dropped)
            == NGX_OK)
        {
            n++;
        }
    }

    return n;
}


static ngx_int_t
ngx_http_workos_jwt_revoked_add(ngx_http_workos_jwt_main_conf_t *jmcf,
    wjwt_revocation_t *e, time_t expires, ngx_uint_t *dropped)
{
    size_t                             size;
    ngx_queue_t                       *q;
    ngx_http_workos_jwt_sh_t          *sh;
    ngx_http_workos_jwt_revoked_t     *rv, *old;
    ngx_http_workos_jwt_revoke_key_t   k;

    sh = jmcf->sh;

    k.kind = e->kind;
    k.id.data = (u_char *) e->id;
    k.id.len = e->id_len;
    k.org.data = (u_char *) e->org;
    k.org.len = e->org_len;

    if (expires <= ngx_time()) {
        return NGX_DECLINED;
    }

    rv = ngx_http_workos_jwt_revoked_find(sh, &k);

    if (rv != NULL) {
        /* the newest event counts: tokens issued before it are refused */

        if (e->at > rv->at) {
            rv->at = e->at;
            rv->expires = expires;
            ngx_queue_remove(&rv->queue);
            ngx_queue_insert_tail(&sh->revoked_age, &rv->queue);
            ngx_http_workos_jwt_revoked_changed(sh);
        }

        return NGX_OK;
    }

    size = offsetof(ngx_http_workos_jwt_revoked_t, data)
           + k.id.len + k.org.len;

    for ( ;; ) {
        rv = ngx_http_workos_jwt_zone_alloc(jmcf, size);

        if (rv != NULL || ngx_queue_empty(&sh->revoked_age)) {
            break;
        }

        /* the zone is full: the oldest revocations go */

        q = ngx_queue_head(&sh->revoked_age);
        old = ngx_queue_data(q, ngx_http_workos_jwt_revoked_t, queue);
        ngx_http_workos_jwt_revoked_delete(jmcf, old);
        (*dropped)++;
    }

    if (rv == NULL) {
        (*dropped)++;
        return NGX_DECLINED;
    }

    rv->node.key = ngx_http_workos_jwt_revoked_hash(&k);
    rv->kind = (u_char) k.kind;
    rv->id_len = (u_char) k.id.len;
    rv->org_len = (u_char) k.org.len;
    rv->at = e->at;
    rv->expires = expires;
    ngx_memcpy(ngx_cpymem(rv->data, k.id.data, k.id.len), k.org.data,
               k.org.len);

    ngx_rbtree_insert(&sh->revoked, &rv->node);
    ngx_queue_insert_tail(&sh->revoked_age, &rv->queue);
    sh->revoked_n++;
    ngx_http_workos_jwt_revoked_changed(sh);

    return NGX_OK;
}


static void
ngx_http_workos_jwt_revoked_delete(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_revoked_t *e)
{
    ngx_queue_remove(&e->queue);
    ngx_rbtree_delete(&jmcf->sh->revoked, &e->node);
    ngx_slab_free_locked(jmcf->shpool, e);
    jmcf->sh->revoked_n--;
    ngx_http_workos_jwt_revoked_changed(jmcf->sh);
}


/* with the zone locked, after a change of the list; never 0 */

static void
ngx_http_workos_jwt_revoked_changed(ngx_http_workos_jwt_sh_t *sh)
{
    ngx_memory_barrier();

    if (++sh->revoked_gen == 0) {
        sh->revoked_gen = 1;
    }
}


/* entries are queued in event order: the expired ones are at the head */

static void
ngx_http_workos_jwt_revoked_expire(ngx_http_workos_jwt_main_conf_t *jmcf,
    time_t now)
{
    ngx_queue_t                    *q;
    ngx_http_workos_jwt_revoked_t  *e;

    while (!ngx_queue_empty(&jmcf->sh->revoked_age)) {
        q = ngx_queue_head(&jmcf->sh->revoked_age);
        e = ngx_queue_data(q, ngx_http_workos_jwt_revoked_t, queue);

        if (e->expires > now) {
            break;
        }

        ngx_http_workos_jwt_revoked_delete(jmcf, e);
    }
}


/*
 * A valid token is revoked when its session, its user, or its membership
 * of its organization was revoked at or after the token was issued.
 * checked (a parsed-token cache entry's, or NULL): the generation of the
 * list under which the token was last found not revoked.  Every change
 * of the list bumps the generation after it is made, and an entry only
 * stops revoking as time passes, so an unchanged generation answers
 * without the lock or a lookup.
 */

ngx_uint_t
ngx_http_workos_jwt_revoked(ngx_http_request_t *r, json_t *claims,
    ngx_uint_t *checked)
{
    int64_t                            iat;
    json_t                            *sub, *sid, *org;
    ngx_uint_t                         i, n, gen, revoked;
    ngx_http_workos_jwt_sh_t          *sh;
    ngx_http_workos_jwt_revoked_t     *e;
    ngx_http_workos_jwt_main_conf_t   *jmcf;
    ngx_http_workos_jwt_revoke_key_t   k[3];

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    sh = jmcf->sh;

    gen = sh->revoked_gen;

    if (checked != NULL && *checked == gen) {
        return 0;
    }

    ngx_memory_barrier();

    if (sh->revoked_n == 0) {
        if (checked != NULL) {
            *checked = gen;
        }

        return 0;
    }

    sub = json_object_get(claims, "sub");
    sid = json_object_get(claims, "sid");
    org = json_object_get(claims, "org_id");

    n = 0;

    if (json_is_string(sid)) {
        k[n].kind = WJWT_REVOKE_SESSION;
        k[n].id.data = (u_char *) json_string_value(sid);
        k[n].id.len = json_string_length(sid);
        ngx_str_null(&k[n].org);
        n++;
    }

    if (json_is_string(sub)) {
        k[n].kind = WJWT_REVOKE_USER;
        k[n].id.data = (u_char *) json_string_value(sub);
        k[n].id.len = json_string_length(sub);
        ngx_str_null(&k[n].org);
        n++;

        if (json_is_string(org)) {
            k[n].kind = WJWT_REVOKE_MEMBERSHIP;
            k[n].id = k[n - 1].id;
            k[n].org.data = (u_char *) json_string_value(org);
            k[n].org.len = json_string_length(org);
            n++;
        }
    }

    /* a token without iat was issued at an unknown time: before any */

    if (!wjwt_claim_time(claims, "iat", &iat)) {
        iat = 0;
    }

    revoked = 0;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    gen = sh->revoked_gen;

    for (i = 0; i < n && !revoked; i++) {
        e = ngx_http_workos_jwt_revoked_find(sh, &k[i]);

        if (e != NULL && e->expires > ngx_time() && iat <= e->at) {
            revoked = 1;
        }
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (!revoked && checked != NULL) {
        *checked = gen;
    }

    return revoked;
}


static ngx_rbtree_key_t
ngx_http_workos_jwt_revoked_hash(ngx_http_workos_jwt_revoke_key_t *k)
{
    uint32_t  h;

    h = ngx_murmur_hash2(k->id.data, k->id.len);
    h ^= ngx_murmur_hash2(k->org.data, k->org.len) * 31;

    return (ngx_rbtree_key_t) (h + k->kind);
}


/* the order of the tree: hash, then kind, id and org */

static ngx_int_t
ngx_http_workos_jwt_revoked_cmp(ngx_http_workos_jwt_revoke_key_t *k,
    ngx_http_workos_jwt_revoked_t *e)
{
    ngx_int_t  rc;

    if (k->kind != e->kind) {
        return (k->kind < e->kind) ? -1 : 1;
    }

    if (k->id.len != e->id_len) {
        return (k->id.len < e->id_len) ? -1 : 1;
    }

    if (k->org.len != e->org_len) {
        return (k->org.len < e->org_len) ? -1 : 1;
    }

    rc = ngx_memcmp(k->id.data, e->data, k->id.len);

    if (rc != 0) {
        return rc;
    }

    return ngx_memcmp(k->org.data, e->data + e->id_len, k->org.len);
}


static ngx_http_workos_jwt_revoked_t *
ngx_http_workos_jwt_revoked_find(ngx_http_workos_jwt_sh_t *sh,
    ngx_http_workos_jwt_revoke_key_t *k)
{
    ngx_int_t                       rc;
    ngx_rbtree_key_t                key;
    ngx_rbtree_node_t              *node, *sentinel;
    ngx_http_workos_jwt_revoked_t  *e;

    key = ngx_http_workos_jwt_revoked_hash(k);
    node = sh->revoked.root;
    sentinel = sh->revoked.sentinel;

    while (node != sentinel) {

        if (key != node->key) {
            node = (key < node->key) ? node->left : node->right;
            continue;
        }

        e = (ngx_http_workos_jwt_revoked_t *) node;
        rc = ngx_http_workos_jwt_revoked_cmp(k, e);

        if (rc == 0) {
            return e;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


void
ngx_http_workos_jwt_revoked_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t                 **p;
    ngx_http_workos_jwt_revoked_t      *e;
    ngx_http_workos_jwt_revoke_key_t    k;

    e = (ngx_http_workos_jwt_revoked_t *) node;

    k.kind = e->kind;
    k.id.data = e->data;
    k.id.len = e->id_len;
    k.org.data = e->data + e->id_len;
    k.org.len = e->org_len;

    for ( ;; ) {

        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            p = (ngx_http_workos_jwt_revoked_cmp(&k,
                     (ngx_http_workos_jwt_revoked_t *) temp) < 0)
                ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}
