
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Fetches through an internal location with no client request: the
 * JWKS of "workos_jwt_key_request" and the event pages of
 * "workos_jwt_revocation_request".  A worker makes a request of its own,
 * on a connection of its own (one end of a socketpair, so that nginx's
 * usual close path applies), in the server that declared the location,
 * and runs the location as an in-memory subrequest of it.  No client
 * waits on it, no client can abort it, and a failure of the location
 * ends only this request.
 */


#include "ngx_http_workos_jwt_module.h"


typedef struct {
    ngx_http_log_ctx_t               log_ctx;        /* must be first */
    ngx_http_workos_jwt_fetch_t     *fetch;
} ngx_http_workos_jwt_fetch_log_t;


static ngx_int_t ngx_http_workos_jwt_fetch_done(ngx_http_request_t *r,
    void *data, ngx_int_t rc);
static void ngx_http_workos_jwt_fetch_finish(ngx_http_request_t *r);
static void ngx_http_workos_jwt_fetch_aborted(void *data);
static void ngx_http_workos_jwt_fetch_close_peer(void *data);
static void ngx_http_workos_jwt_fetch_event(ngx_event_t *ev);
static u_char *ngx_http_workos_jwt_fetch_log(ngx_log_t *log, u_char *buf,
    size_t len);
static ngx_connection_t *ngx_http_workos_jwt_fetch_connection(
    ngx_http_workos_jwt_fetch_t *tf, ngx_log_t *log);
static ngx_http_request_t *ngx_http_workos_jwt_fetch_request(
    ngx_connection_t *c, ngx_http_workos_jwt_fetch_t *f);
static ngx_http_core_loc_conf_t *ngx_http_workos_jwt_find_location(
    ngx_http_location_tree_node_t *node, ngx_str_t *uri);


/* the address a fetch comes from, as the location sees it */
static struct sockaddr_in  ngx_http_workos_jwt_fetch_addr;


/*
 * Starts a fetch described by tf (copied); tf->handler is called exactly
 * once, when the location has answered or failed, possibly before this
 * function returns.  NGX_ERROR: nothing was started, the handler is not
 * called.
 */

ngx_int_t
ngx_http_workos_jwt_fetch(ngx_http_workos_jwt_fetch_t *tf, ngx_log_t *log)
{
    ngx_connection_t              *c;
    ngx_pool_cleanup_t            *cln;
    ngx_http_request_t            *r, *sr;
    ngx_http_workos_jwt_fetch_t   *f;
    ngx_http_post_subrequest_t    *ps;

    c = ngx_http_workos_jwt_fetch_connection(tf, log);
    if (c == NULL) {
        return NGX_ERROR;
    }

    f = ((ngx_http_workos_jwt_fetch_log_t *) c->log->data)->fetch;

    r = ngx_http_workos_jwt_fetch_request(c, f);
    if (r == NULL) {
        ngx_http_close_connection(c);
        return NGX_ERROR;
    }

    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    if (ps == NULL) {
        goto failed;
    }

    ps->handler = ngx_http_workos_jwt_fetch_done;
    ps->data = f;

    if (ngx_http_subrequest(r, &f->uri, f->args.len ? &f->args : NULL, &sr,
                            ps, NGX_HTTP_SUBREQUEST_IN_MEMORY
                                |NGX_HTTP_SUBREQUEST_WAITED)
        != NGX_OK)
    {
        goto failed;
    }

    sr->header_only = 0;

    /* from here on, the handler is called in every case */

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        goto failed;
    }

    cln->handler = ngx_http_workos_jwt_fetch_aborted;
    cln->data = f;

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, c->log, 0,
                   "workos jwt fetch \"%V?%V\"", &f->uri, &f->args);

    ngx_http_run_posted_requests(c);

    return NGX_OK;

failed:

    ngx_http_free_request(r, 0);
    ngx_http_close_connection(c);

    return NGX_ERROR;
}


static ngx_connection_t *
ngx_http_workos_jwt_fetch_connection(ngx_http_workos_jwt_fetch_t *tf,
    ngx_log_t *log)
{
    int                               fds[2];
    ngx_log_t                        *clog;
    ngx_pool_t                       *pool;
    ngx_connection_t                 *c;
    ngx_pool_cleanup_t               *cln;
    ngx_http_core_loc_conf_t         *clcf;
    ngx_http_workos_jwt_fetch_t      *f;
    ngx_http_workos_jwt_fetch_log_t  *lctx;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == -1) {
        ngx_log_error(NGX_LOG_ALERT, log, ngx_socket_errno,
                      "socketpair() failed");
        return NULL;
    }

    if (ngx_nonblocking(fds[0]) == -1 || ngx_nonblocking(fds[1]) == -1) {
        ngx_log_error(NGX_LOG_ALERT, log, ngx_socket_errno,
                      ngx_nonblocking_n " failed");
        goto failed;
    }

    /* the fetch outlives the request that started it, and its log */

    pool = ngx_create_pool(1024, ngx_cycle->log);
    if (pool == NULL) {
        goto failed;
    }

    clog = ngx_palloc(pool, sizeof(ngx_log_t));
    lctx = ngx_pcalloc(pool, sizeof(ngx_http_workos_jwt_fetch_log_t));
    f = ngx_palloc(pool, sizeof(ngx_http_workos_jwt_fetch_t));
    cln = ngx_pool_cleanup_add(pool, 0);

    if (clog == NULL || lctx == NULL || f == NULL || cln == NULL) {
        ngx_destroy_pool(pool);
        goto failed;
    }

    *f = *tf;

    if (tf->args.len) {
        f->args.data = ngx_pstrdup(pool, &tf->args);
        if (f->args.data == NULL) {
            ngx_destroy_pool(pool);
            goto failed;
        }
    }

    /* the peer end lives as long as the connection's pool */

    cln->handler = ngx_http_workos_jwt_fetch_close_peer;
    cln->data = (void *) (intptr_t) fds[1];

    c = ngx_get_connection(fds[0], log);
    if (c == NULL) {
        ngx_destroy_pool(pool);
        ngx_close_socket(fds[0]);
        return NULL;
    }

#if (NGX_STAT_STUB)
    (void) ngx_atomic_fetch_add(ngx_stat_active, 1);
#endif

    f->log = clog;
    f->status = 0;
    f->error = NULL;
    f->done = 0;
    f->sr = NULL;
    ngx_str_null(&f->body);

    *clog = *ngx_cycle->log;
    pool->log = clog;
    clog->handler = ngx_http_workos_jwt_fetch_log;
    clog->data = lctx;
    clog->action = f->action;
    lctx->log_ctx.connection = c;
    lctx->fetch = f;

    clcf = ngx_http_get_module_loc_conf(f->cscf->ctx, ngx_http_core_module);

    c->pool = pool;
    c->log = clog;
    ngx_set_connection_log(c, clcf->error_log);
    c->log_error = NGX_ERROR_INFO;

    c->number = ngx_atomic_fetch_add(ngx_connection_counter, 1);
    c->log->connection = c->number;
    c->start_time = ngx_current_msec;

    c->recv = ngx_recv;
    c->send = ngx_send;
    c->recv_chain = ngx_recv_chain;
    c->send_chain = ngx_send_chain;

    c->read->log = c->log;
    c->write->log = c->log;
    c->read->handler = ngx_http_workos_jwt_fetch_event;
    c->write->handler = ngx_http_workos_jwt_fetch_event;

    ngx_http_workos_jwt_fetch_addr.sin_family = AF_INET;
    ngx_http_workos_jwt_fetch_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    c->sockaddr = (struct sockaddr *) &ngx_http_workos_jwt_fetch_addr;
    c->socklen = sizeof(struct sockaddr_in);
    c->local_sockaddr = c->sockaddr;
    c->local_socklen = c->socklen;
    ngx_str_set(&c->addr_text, "127.0.0.1");
    c->type = SOCK_STREAM;

    return c;

failed:

    ngx_close_socket(fds[0]);
    ngx_close_socket(fds[1]);

    return NULL;
}


/* a main request that is never run itself: the parent of the fetch */

static ngx_http_request_t *
ngx_http_workos_jwt_fetch_request(ngx_connection_t *c,
    ngx_http_workos_jwt_fetch_t *f)
{
    ngx_pool_t                 *pool;
    ngx_time_t                 *tp;
    ngx_http_request_t         *r;
    ngx_http_connection_t      *hc;
    ngx_http_core_srv_conf_t   *cscf;
    ngx_http_core_main_conf_t  *cmcf;

    cscf = f->cscf;

    hc = ngx_pcalloc(c->pool, sizeof(ngx_http_connection_t));
    if (hc == NULL) {
        return NULL;
    }

    hc->conf_ctx = cscf->ctx;

    pool = ngx_create_pool(cscf->request_pool_size, c->log);
    if (pool == NULL) {
        return NULL;
    }

    r = ngx_pcalloc(pool, sizeof(ngx_http_request_t));
    if (r == NULL) {
        ngx_destroy_pool(pool);
        return NULL;
    }

    r->pool = pool;
    r->http_connection = hc;
    r->signature = NGX_HTTP_MODULE;
    r->connection = c;

    r->main_conf = cscf->ctx->main_conf;
    r->srv_conf = cscf->ctx->srv_conf;
    r->loc_conf = cscf->ctx->loc_conf;

    r->header_in = ngx_calloc_buf(pool);
    r->ctx = ngx_pcalloc(pool, sizeof(void *) * ngx_http_max_module);
    r->request_body = ngx_pcalloc(pool, sizeof(ngx_http_request_body_t));

    cmcf = ngx_http_get_module_main_conf(r, ngx_http_core_module);

    r->variables = ngx_pcalloc(pool, cmcf->variables.nelts
                                     * sizeof(ngx_http_variable_value_t));

    if (r->header_in == NULL || r->ctx == NULL || r->request_body == NULL
        || r->variables == NULL
        || ngx_list_init(&r->headers_out.headers, pool, 1,
                         sizeof(ngx_table_elt_t)) != NGX_OK
        || ngx_list_init(&r->headers_out.trailers, pool, 1,
                         sizeof(ngx_table_elt_t)) != NGX_OK
        || ngx_list_init(&r->headers_in.headers, pool, 1,
                         sizeof(ngx_table_elt_t)) != NGX_OK)
    {
        ngx_destroy_pool(pool);
        return NULL;
    }

    r->main = r;
    r->count = 1;

    tp = ngx_timeofday();
    r->start_sec = tp->sec;
    r->start_msec = tp->msec;

    r->method = NGX_HTTP_GET;
    ngx_str_set(&r->method_name, "GET");
    r->http_version = NGX_HTTP_VERSION_10;
    ngx_str_set(&r->http_protocol, "HTTP/1.0");
    ngx_str_set(&r->schema, "http");

    r->uri = f->uri;
    r->unparsed_uri = f->uri;
    r->request_line = f->uri;

    r->headers_in.content_length_n = -1;
    r->headers_in.keep_alive_n = -1;
    r->headers_out.content_length_n = -1;
    r->headers_out.last_modified_time = -1;

    r->uri_changes = NGX_HTTP_MAX_URI_CHANGES + 1;
    r->subrequests = NGX_HTTP_MAX_SUBREQUESTS + 1;
    r->http_state = NGX_HTTP_PROCESS_REQUEST_STATE;

    /* nothing to log: the location logs its subrequest if it wants to */
    r->logged = 1;

    r->read_event_handler = ngx_http_block_reading;
    r->write_event_handler = ngx_http_workos_jwt_fetch_finish;

    c->data = r;
    c->requests++;

    return r;
}


static ngx_int_t
ngx_http_workos_jwt_fetch_done(ngx_http_request_t *r, void *data,
    ngx_int_t rc)
{
    ngx_http_workos_jwt_fetch_t *f = data;

    ngx_http_core_loc_conf_t  *clcf;

    /* an error page of the subrequest finalizes it, and calls us, again */

    if (f->done) {
        return rc;
    }

    f->done = 1;
    f->sr = r;
    f->status = r->headers_out.status;

    if (f->status == 0) {
        f->status = (rc >= NGX_HTTP_SPECIAL_RESPONSE) ? (ngx_uint_t) rc
                                                      : NGX_HTTP_BAD_GATEWAY;
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    if (f->status != NGX_HTTP_OK) {
        f->error = "status";

    } else if (r->headers_out.content_length_n
               > (off_t) clcf->subrequest_output_buffer_size)
    {
        f->error = "too big for subrequest_output_buffer_size";

    } else if ((rc != NGX_OK && rc != NGX_DONE && rc != NGX_HTTP_OK)
               || r->out == NULL || r->out->buf == NULL)
    {
        f->error = (r->headers_out.content_length_n < 0)
                   ? "response not complete or too big for "
                     "subrequest_output_buffer_size"
                   : "response not complete";

    } else {
        f->body.data = r->out->buf->pos;
        f->body.len = r->out->buf->last - r->out->buf->pos;

        if (r->headers_out.content_length_n >= 0
            && (off_t) f->body.len != r->headers_out.content_length_n)
        {
            f->error = "response not complete";
            ngx_str_null(&f->body);
        }
    }

    f->log->action = f->action;

    f->handler(f);

    f->sr = NULL;

    return rc;
}


/*
 * The subrequest is over: the fetch's request and connection go, through
 * nginx's own path, once anything else the location started (a mirror's
 * background subrequest) is over too.
 */

static void
ngx_http_workos_jwt_fetch_finish(ngx_http_request_t *r)
{
    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "workos jwt fetch done");

    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_http_finalize_request(r, NGX_DONE);
}


/* the request went without an answer: it was terminated */

static void
ngx_http_workos_jwt_fetch_aborted(void *data)
{
    ngx_http_workos_jwt_fetch_t *f = data;

    if (f->done) {
        return;
    }

    f->done = 1;
    f->error = "request terminated (see the error log for the reason)";

    f->handler(f);
}


static void
ngx_http_workos_jwt_fetch_close_peer(void *data)
{
    ngx_socket_t  s = (ngx_socket_t) (intptr_t) data;

    ngx_close_socket(s);
}


static void
ngx_http_workos_jwt_fetch_event(ngx_event_t *ev)
{
    ngx_connection_t    *c;
    ngx_http_request_t  *r;

    c = ev->data;
    r = c->data;

    ngx_http_set_log_request(c->log, r);

    if (ev->write) {
        r->write_event_handler(r);

    } else {
        r->read_event_handler(r);
    }

    ngx_http_run_posted_requests(c);
}


static u_char *
ngx_http_workos_jwt_fetch_log(ngx_log_t *log, u_char *buf, size_t len)
{
    u_char                           *p;
    ngx_http_workos_jwt_fetch_log_t  *lctx;

    p = buf;

    if (log->action) {
        p = ngx_snprintf(p, len, " while %s", log->action);
        len -= p - buf;
    }

    lctx = log->data;

    return ngx_snprintf(p, len, ", %s: \"%V\"", lctx->fetch->what,
                        &lctx->fetch->uri);
}


/*
 * A fetch URI must lead to a location of its own in its server, where the
 * server judges tokens; elsewhere (a server that only inherits the
 * directive) a warning will do.
 */

ngx_int_t
ngx_http_workos_jwt_fetch_check(ngx_conf_t *cf,
    ngx_http_core_srv_conf_t *cscf, ngx_str_t *uri, const char *directive,
    ngx_uint_t used)
{
    ngx_uint_t                 level;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = cscf->ctx->loc_conf[ngx_http_core_module.ctx_index];

#if (NGX_PCRE)
    if (clcf->regex_locations != NULL) {
        /* a regex location may match it: not checked */
        return NGX_OK;
    }
#endif

    clcf = ngx_http_workos_jwt_find_location(clcf->static_locations, uri);
    if (clcf != NULL && clcf->name.len > 1) {
        return NGX_OK;
    }

    level = used ? NGX_LOG_EMERG : NGX_LOG_WARN;

    ngx_log_error(level, cf->log, 0,
                  "\"%s\" \"%V\" matches no location of server \"%V\"; "
                  "define one, e.g. \"location = %V { internal; "
                  "proxy_pass ...; }\"", directive, uri, &cscf->server_name,
                  uri);

    return used ? NGX_ERROR : NGX_OK;
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
