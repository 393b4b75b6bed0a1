
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The "workos_jwt_status" handler: counters of all workers as JSON or in
 * the Prometheus text format.
 */


#include "ngx_http_workos_jwt_module.h"


#define NGX_HTTP_WORKOS_JWT_MAX_SEEN  256


typedef struct {
    ngx_uint_t   count;
    json_t      *kids;
    uint64_t     seen[NGX_HTTP_WORKOS_JWT_MAX_SEEN];
    ngx_uint_t   nseen;
    time_t       fetched_at;
    time_t       fresh_until;
    ngx_uint_t   fetches;
    ngx_uint_t   failures;
    time_t       failed_at;
    u_char       error[NGX_HTTP_WORKOS_JWT_ERROR_LEN];
    size_t       error_len;
} ngx_http_workos_jwt_keys_info_t;


static ngx_int_t ngx_http_workos_jwt_keys_info(ngx_http_request_t *r,
    ngx_http_workos_jwt_keys_info_t *info);
static void ngx_http_workos_jwt_add_kids(
    ngx_http_workos_jwt_keys_info_t *info, ngx_http_workos_jwt_keys_t *keys);
static json_t *ngx_http_workos_jwt_status_json(ngx_http_request_t *r,
    ngx_http_workos_jwt_keys_info_t *info);
static u_char *ngx_http_workos_jwt_metric_head(u_char *p, const char *name,
    const char *help);
static u_char *ngx_http_workos_jwt_metric(u_char *p, const char *name,
    const char *help, uint64_t value);
static u_char *ngx_http_workos_jwt_metric_family(u_char *p, const char *name,
    const char *help, const char *label, const char *(*word)(int),
    ngx_atomic_t *values, ngx_uint_t n);
static ngx_int_t ngx_http_workos_jwt_status_prometheus(ngx_http_request_t *r,
    ngx_http_workos_jwt_keys_info_t *info, ngx_str_t *out);
static ngx_int_t ngx_http_workos_jwt_send(ngx_http_request_t *r,
    ngx_str_t *type, u_char *data, size_t len);


ngx_int_t
ngx_http_workos_jwt_status_handler(ngx_http_request_t *r)
{
    json_t                           *json;
    ngx_int_t                         rc;
    ngx_str_t                         text, type;
    ngx_http_workos_jwt_keys_info_t   info;
    ngx_http_workos_jwt_loc_conf_t   *jlcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (ngx_http_workos_jwt_keys_info(r, &info) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (jlcf->status_format == NGX_HTTP_WORKOS_JWT_STATUS_PROM) {
        rc = ngx_http_workos_jwt_status_prometheus(r, &info, &text);
        json_decref(info.kids);

        if (rc != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_str_set(&type, "text/plain; version=0.0.4");

        return ngx_http_workos_jwt_send(r, &type, text.data, text.len);
    }

    json = ngx_http_workos_jwt_status_json(r, &info);
    if (json == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_workos_jwt_send_json(r, json);
}


static ngx_int_t
ngx_http_workos_jwt_keys_info(ngx_http_request_t *r,
    ngx_http_workos_jwt_keys_info_t *info)
{
    ngx_uint_t                         i;
    ngx_http_workos_jwt_sh_t          *sh;
    ngx_http_workos_jwt_jwks_t       **jp;
    ngx_http_workos_jwt_keys_t       **files, *keys;
    ngx_http_workos_jwt_main_conf_t   *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);

    ngx_memzero(info, sizeof(ngx_http_workos_jwt_keys_info_t));

    info->kids = json_array();
    if (info->kids == NULL) {
        return NGX_ERROR;
    }

    files = jmcf->key_files.elts;

    for (i = 0; i < jmcf->key_files.nelts; i++) {
        ngx_http_workos_jwt_add_kids(info, files[i]);
    }

    jp = jmcf->jwks.elts;

    for (i = 0; i < jmcf->jwks.nelts; i++) {
        keys = ngx_http_workos_jwt_jwks_keys(r, jp[i]);

        if (keys != NULL) {
            ngx_http_workos_jwt_add_kids(info, keys);
        }
    }

    sh = jmcf->sh;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    if (sh->config == jmcf->config) {
        for (i = 0; i < sh->njwks; i++) {
            info->fetched_at = ngx_max(info->fetched_at,
                                       sh->jwks[i].fetched_at);
            info->fresh_until = ngx_max(info->fresh_until,
                                        sh->jwks[i].fresh_until);
        }
    }

    info->fetches = sh->jwks_fetches;
    info->failures = sh->jwks_failures;
    info->failed_at = sh->jwks_failed_at;
    info->error_len = sh->jwks_error_len;
    ngx_memcpy(info->error, sh->jwks_error, sh->jwks_error_len);

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    return NGX_OK;
}


/*
 * The same key may be loaded by several locations: keys are counted, and
 * kids listed, once per fingerprint.
 */

static void
ngx_http_workos_jwt_add_kids(ngx_http_workos_jwt_keys_info_t *info,
    ngx_http_workos_jwt_keys_t *keys)
{
    size_t   i, j;
    json_t  *kid, *kids;

    kids = info->kids;

    for (i = 0; i < keys->ks.nkeys; i++) {

        for (j = 0; j < info->nseen; j++) {
            if (info->seen[j] == keys->ks.keys[i].fingerprint) {
                break;
            }
        }

        if (j < info->nseen) {
            continue;
        }

        if (info->nseen < NGX_HTTP_WORKOS_JWT_MAX_SEEN) {
            info->seen[info->nseen++] = keys->ks.keys[i].fingerprint;
        }

        info->count++;

        if (keys->ks.keys[i].kid == NULL) {
            continue;
        }

        for (j = 0; j < json_array_size(kids); j++) {
            kid = json_array_get(kids, j);

            if (json_string_length(kid) == keys->ks.keys[i].kid_len
                && ngx_memcmp(json_string_value(kid), keys->ks.keys[i].kid,
                              keys->ks.keys[i].kid_len) == 0)
            {
                break;
            }
        }

        if (j == json_array_size(kids)) {
            json_array_append_new(kids,
                                  json_stringn(keys->ks.keys[i].kid,
                                               keys->ks.keys[i].kid_len));
        }
    }
}


static json_t *
ngx_http_workos_jwt_status_json(ngx_http_request_t *r,
    ngx_http_workos_jwt_keys_info_t *info)
{
    json_t                           *root, *requests, *lint, *revocations;
    ngx_uint_t                        i;
    ngx_http_workos_jwt_sh_t         *sh;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    sh = jmcf->sh;

    requests = json_object();
    lint = json_object();

    for (i = 0; i < WJWT_STATUS_COUNT; i++) {
        json_object_set_new(requests, wjwt_status_word(i),
                            json_integer(sh->requests[i]));
    }

    for (i = 0; i < WJWT_LINT_COUNT; i++) {
        json_object_set_new(lint, wjwt_lint_name(i),
                            json_integer(sh->lint[i]));
    }

    root = json_pack("{s:o, s:I, s:o, s:{s:I, s:I, s:I}, "
                     "s:{s:I, s:o, s:I, s:I, s:I, s:I, s:s%}, "
                     "s:{s:I, s:I}}",
                     "requests", requests,
                     "forbidden", (json_int_t) sh->forbidden,
                     "lint", lint,
                     "cache",
                         "hits", (json_int_t) sh->cache_hits,
                         "misses", (json_int_t) sh->cache_misses,
                         "entries", (json_int_t) sh->cache_entries,
                     "keys",
                         "count", (json_int_t) info->count,
                         "kids", info->kids,
                         "fetched_at", (json_int_t) info->fetched_at,
                         "fresh_until", (json_int_t) info->fresh_until,
                         "fetches", (json_int_t) info->fetches,
                         "fetch_failures", (json_int_t) info->failures,
                         "last_error", (char *) info->error,
                         info->error_len,
                     "sessions",
                         "opened", (json_int_t) sh->sessions_opened,
                         "failed", (json_int_t) sh->sessions_failed);

    if (root == NULL || jmcf->revocations.nelts == 0) {
        return root;
    }

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    revocations = json_pack("{s:I, s:I, s:I, s:I, s:s%, s:I}",
                            "entries", (json_int_t) sh->revoked_n,
                            "polls", (json_int_t) sh->rev_polls,
                            "poll_failures", (json_int_t) sh->rev_failures,
                            "polled_at", (json_int_t) sh->rev_polled_at,
                            "last_error", (char *) sh->rev_error,
                            sh->rev_error_len,
                            "dropped", (json_int_t) sh->rev_dropped);

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    if (revocations == NULL
        || json_object_set_new(root, "revocations", revocations) != 0)
    {
        json_decref(root);
        return NULL;
    }

    return root;
}


/* HELP and TYPE lines: "_total" names are counters, the others gauges */

static u_char *
ngx_http_workos_jwt_metric_head(u_char *p, const char *name,
    const char *help)
{
    size_t  n;

    n = ngx_strlen(name);

    return ngx_sprintf(p, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                       (n > 6 && ngx_strcmp(name + n - 6, "_total") == 0)
                       ? "counter" : "gauge");
}


static u_char *
ngx_http_workos_jwt_metric(u_char *p, const char *name, const char *help,
    uint64_t value)
{
    p = ngx_http_workos_jwt_metric_head(p, name, help);

    return ngx_sprintf(p, "%s %uL\n", name, value);
}


/* one sample a status word or lint code, labelled */

static u_char *
ngx_http_workos_jwt_metric_family(u_char *p, const char *name,
    const char *help, const char *label, const char *(*word)(int),
    ngx_atomic_t *values, ngx_uint_t n)
{
    ngx_uint_t  i;

    p = ngx_http_workos_jwt_metric_head(p, name, help);

    for (i = 0; i < n; i++) {
        p = ngx_sprintf(p, "%s{%s=\"%s\"} %uA\n", name, label, word(i),
                        values[i]);
    }

    return p;
}


static ngx_int_t
ngx_http_workos_jwt_status_prometheus(ngx_http_request_t *r,
    ngx_http_workos_jwt_keys_info_t *info, ngx_str_t *out)
{
    u_char                           *p;
    size_t                            len;
    ngx_http_workos_jwt_sh_t         *sh;
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    sh = jmcf->sh;

    len = 4096 + (WJWT_STATUS_COUNT + WJWT_LINT_COUNT) * 128;

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    out->data = p;

    p = ngx_http_workos_jwt_metric_family(p, "workos_jwt_requests_total",
                                          "Requests judged, by status.",
                                          "status", wjwt_status_word,
                                          sh->requests, WJWT_STATUS_COUNT);

    p = ngx_http_workos_jwt_metric(p, "workos_jwt_forbidden_total",
                                   "Valid tokens refused by a require rule.",
                                   sh->forbidden);

    p = ngx_http_workos_jwt_metric_family(p, "workos_jwt_lint_total",
                                          "Lint findings, by code.",
                                          "code", wjwt_lint_name,
                                          sh->lint, WJWT_LINT_COUNT);

    p = ngx_http_workos_jwt_metric(p, "workos_jwt_cache_hits_total",
                                   "Verified-token cache hits.",
                                   sh->cache_hits);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_cache_misses_total",
                                   "Verified-token cache misses.",
                                   sh->cache_misses);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_cache_entries",
                                   "Entries in the verified-token cache.",
                                   sh->cache_entries);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_keys",
                                   "Usable signing keys.", info->count);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_key_fetches_total",
                                   "JWKS fetches.", info->fetches);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_key_fetch_failures_total",
                                   "Failed JWKS fetches.", info->failures);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_keys_fetched_at_seconds",
                                   "When the JWKS was last fetched.",
                                   info->fetched_at);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_keys_fresh_until_seconds",
                                   "When the JWKS becomes stale.",
                                   info->fresh_until);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_sessions_opened_total",
                                   "Session cookies opened.",
                                   sh->sessions_opened);
    p = ngx_http_workos_jwt_metric(p, "workos_jwt_sessions_failed_total",
                                   "Session cookies that could not be "
                                   "opened.", sh->sessions_failed);

    if (jmcf->revocations.nelts) {
        p = ngx_http_workos_jwt_metric(p, "workos_jwt_revocations",
                                       "Revoked sessions, users and "
                                       "memberships held.", sh->revoked_n);
        p = ngx_http_workos_jwt_metric(p,
                                       "workos_jwt_revocation_polls_total",
                                       "Pages of events requested.",
                                       sh->rev_polls);
        p = ngx_http_workos_jwt_metric(p,
                                 "workos_jwt_revocation_poll_failures_total",
                                 "Failed event polls.", sh->rev_failures);
        p = ngx_http_workos_jwt_metric(p,
                                     "workos_jwt_revocations_polled_at_seconds",
                                     "When events were last polled.",
                                     sh->rev_polled_at);
        p = ngx_http_workos_jwt_metric(p,
                                       "workos_jwt_revocations_dropped_total",
                                       "Revocations dropped, the zone being "
                                       "full.", sh->rev_dropped);
    }

    out->len = p - out->data;

    return NGX_OK;
}


ngx_int_t
ngx_http_workos_jwt_send_json(ngx_http_request_t *r, json_t *json)
{
    char       *text;
    size_t      len;
    u_char     *p;
    ngx_str_t   type;

    text = json_dumps(json, JSON_COMPACT);
    json_decref(json);

    if (text == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    len = ngx_strlen(text);

    p = ngx_pnalloc(r->pool, len + 1);
    if (p == NULL) {
        free(text);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memcpy(p, text, len);
    p[len] = '\n';
    free(text);

    ngx_str_set(&type, "application/json");

    return ngx_http_workos_jwt_send(r, &type, p, len + 1);
}


static ngx_int_t
ngx_http_workos_jwt_send(ngx_http_request_t *r, ngx_str_t *type,
    u_char *data, size_t len)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    static ngx_str_t  name = ngx_string("Cache-Control");
    static ngx_str_t  no_store = ngx_string("no-store");

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = len;
    r->headers_out.content_type = *type;
    r->headers_out.content_type_len = type->len;
    r->headers_out.content_type_lowcase = NULL;

    /* counters and tokens are never to be cached by anyone */

    if (ngx_http_workos_jwt_push_header(r, &r->headers_out.headers, &name,
                                        &no_store)
        == NULL)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = data;
    b->last = data + len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}
