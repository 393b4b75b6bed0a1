
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Headers for upstreams ("workos_jwt_inject_headers"): inbound X-WorkOS-*
 * headers are removed in the rewrite phase, before anything (auth_request,
 * mirror, a proxied upstream) can see them; the verified claims are added
 * as soon as the token is judged, by the access handler or at the latest
 * in the precontent phase.
 */


#include "ngx_http_workos_jwt_module.h"


typedef struct {
    ngx_str_t                  name;
    const char                *claim;
} ngx_http_workos_jwt_header_t;


static ngx_uint_t ngx_http_workos_jwt_is_workos_header(ngx_str_t *name);
static ngx_int_t ngx_http_workos_jwt_add_header(ngx_http_request_t *r,
    ngx_str_t *name, ngx_str_t *value);


static ngx_http_workos_jwt_header_t  ngx_http_workos_jwt_headers[] = {
    { ngx_string("X-WorkOS-User-Id"), "sub" },
    { ngx_string("X-WorkOS-Org-Id"), "org_id" },
    { ngx_string("X-WorkOS-Role"), "role" },
    { ngx_string("X-WorkOS-Roles"), "roles|role" },
    { ngx_string("X-WorkOS-Permissions"), "permissions" },
    { ngx_string("X-WorkOS-Session-Id"), "sid" },
    { ngx_string("X-WorkOS-Impersonator"), "act.sub" },
    { ngx_string("X-WorkOS-Entitlements"), "entitlements" },
    { ngx_string("X-WorkOS-Feature-Flags"), "feature_flags" },
    { ngx_null_string, NULL }
};


/*
 * "X-WorkOS-", in any case, with "-" and "_" as equals: FastCGI, SCGI,
 * uwsgi and most WSGI/Rack servers map both spellings to one name.
 */

static ngx_uint_t
ngx_http_workos_jwt_is_workos_header(ngx_str_t *name)
{
    u_char      c;
    ngx_uint_t  i;

    static u_char  prefix[] = "x-workos-";

    if (name->len < sizeof(prefix) - 1) {
        return 0;
    }

    for (i = 0; i < sizeof(prefix) - 1; i++) {
        c = ngx_tolower(name->data[i]);

        if (c == '_') {
            c = '-';
        }

        if (c != prefix[i]) {
            return 0;
        }
    }

    return 1;
}


ngx_int_t
ngx_http_workos_jwt_strip_handler(ngx_http_request_t *r)
{
    ngx_uint_t                       i, found;
    ngx_list_t                       headers;
    ngx_list_part_t                 *part;
    ngx_table_elt_t                 *h, *nh;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (!jlcf->inject_headers || r != r->main) {
        return NGX_DECLINED;
    }

    found = 0;
    part = &r->headers_in.headers.part;
    i = 0;

    while ((h = ngx_http_workos_jwt_next_header(&part, &i)) != NULL) {
        if (ngx_http_workos_jwt_is_workos_header(&h->key)) {
            found = 1;
            break;
        }
    }

    if (!found) {
        return NGX_DECLINED;
    }

    /*
     * A new list without them.  The old elements stay in the pool
     * unchanged: known headers (r->headers_in.cookie, ...) and their
     * "next" chains keep pointing at valid, equal copies.
     */

    headers = r->headers_in.headers;

    if (ngx_list_init(&r->headers_in.headers, r->pool, 20,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    part = &headers.part;
    i = 0;

    while ((h = ngx_http_workos_jwt_next_header(&part, &i)) != NULL) {

        if (ngx_http_workos_jwt_is_workos_header(&h->key)) {
            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                           "workos jwt inbound \"%V\" removed", &h->key);
            continue;
        }

        nh = ngx_list_push(&r->headers_in.headers);
        if (nh == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        *nh = *h;
    }

    return NGX_DECLINED;
}


/* the precontent phase: for locations that did not judge in the access */

ngx_int_t
ngx_http_workos_jwt_inject_handler(ngx_http_request_t *r)
{
    ngx_http_workos_jwt_ctx_t       *ctx;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (!jlcf->inject_headers || r != r->main
        || !ngx_http_workos_jwt_has_keys(jlcf))
    {
        return NGX_DECLINED;
    }

    ctx = ngx_http_workos_jwt_evaluate(r);

    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_workos_jwt_inject(r, ctx) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_DECLINED;
}


/* the verified claims as request headers, once per request */

ngx_int_t
ngx_http_workos_jwt_inject(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx)
{
    json_t                        *value;
    ngx_str_t                      text;
    ngx_http_workos_jwt_header_t  *hdr;

    static ngx_str_t  email = ngx_string("X-WorkOS-User-Email");

    if (ctx->injected || ctx->status != WJWT_VALID) {
        return NGX_OK;
    }

    ctx->injected = 1;

    for (hdr = ngx_http_workos_jwt_headers; hdr->name.len; hdr++) {

        value = ngx_http_workos_jwt_claim(ctx->token.claims, hdr->claim);

        if (ngx_http_workos_jwt_claim_text(r, value, &text) != NGX_OK) {
            return NGX_ERROR;
        }

        if (ngx_http_workos_jwt_add_header(r, &hdr->name, &text) != NGX_OK) {
            return NGX_ERROR;
        }
    }

    if (ctx->session != NULL
        && ngx_http_workos_jwt_add_header(r, &email, &ctx->session->email)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* value, unless it could split the upstream request's headers */

static ngx_int_t
ngx_http_workos_jwt_add_header(ngx_http_request_t *r, ngx_str_t *name,
    ngx_str_t *value)
{
    ngx_uint_t  i;

    if (value->len == 0) {
        return NGX_OK;
    }

    for (i = 0; i < value->len; i++) {
        if (value->data[i] < 0x20 || value->data[i] == 0x7f) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "workos jwt \"%V\" not set: control character "
                          "in claim value", name);
            return NGX_OK;
        }
    }

    if (ngx_http_workos_jwt_push_header(r, &r->headers_in.headers, name,
                                        value)
        == NULL)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* a header added to a request's or a response's list */

ngx_table_elt_t *
ngx_http_workos_jwt_push_header(ngx_http_request_t *r, ngx_list_t *list,
    ngx_str_t *name, ngx_str_t *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(list);
    if (h == NULL) {
        return NULL;
    }

    h->lowcase_key = ngx_pnalloc(r->pool, name->len);
    if (h->lowcase_key == NULL) {
        return NULL;
    }

    h->key = *name;
    h->value = *value;
    ngx_strlow(h->lowcase_key, name->data, name->len);

    /* a response header is there when its hash is not 0 */

    h->hash = (list == &r->headers_in.headers)
              ? ngx_hash_key(h->lowcase_key, name->len) : 1;

#if (nginx_version >= 1023000)
    /* header chains: nginx walks them, e.g. to hide WWW-Authenticate */
    h->next = NULL;
#endif

    return h;
}


/*
 * The next header of a list: part = &list->part, i = 0 to begin with;
 * NULL at the end.
 */

ngx_table_elt_t *
ngx_http_workos_jwt_next_header(ngx_list_part_t **part, ngx_uint_t *i)
{
    ngx_table_elt_t  *h;

    while (*i >= (*part)->nelts) {
        if ((*part)->next == NULL) {
            return NULL;
        }

        *part = (*part)->next;
        *i = 0;
    }

    h = (*part)->elts;

    return &h[(*i)++];
}
