
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Headers for upstreams: inbound X-WorkOS-* headers removed, the verified
 * claims added ("workos_jwt_inject_headers").
 */


#include "ngx_http_workos_jwt_module.h"


typedef struct {
    ngx_str_t                  name;
    const char                *claim;
} ngx_http_workos_jwt_header_t;


static ngx_http_workos_jwt_header_t  ngx_http_workos_jwt_headers[] = {
    { ngx_string("X-WorkOS-User-Id"), "sub" },
    { ngx_string("X-WorkOS-Org-Id"), "org_id" },
    { ngx_string("X-WorkOS-Role"), "role" },
    { ngx_string("X-WorkOS-Roles"), NULL },
    { ngx_string("X-WorkOS-Permissions"), "permissions" },
    { ngx_string("X-WorkOS-Session-Id"), "sid" },
    { ngx_string("X-WorkOS-Impersonator"), NULL },
    { ngx_string("X-WorkOS-Entitlements"), "entitlements" },
    { ngx_string("X-WorkOS-Feature-Flags"), "feature_flags" },
    { ngx_null_string, NULL }
};


ngx_int_t
ngx_http_workos_jwt_inject_handler(ngx_http_request_t *r)
{
    u_char                          *p;
    size_t                           n;
    json_t                          *value;
    ngx_str_t                        text;
    ngx_uint_t                       i, j;
    ngx_list_t                       headers;
    ngx_list_part_t                 *part;
    ngx_table_elt_t                 *h, *nh;
    ngx_http_workos_jwt_ctx_t       *ctx;
    ngx_http_workos_jwt_header_t    *hdr;
    ngx_http_workos_jwt_loc_conf_t  *jlcf;

    jlcf = ngx_http_get_module_loc_conf(r, ngx_http_workos_jwt_module);

    if (!jlcf->inject_headers || r != r->main) {
        return NGX_DECLINED;
    }

    /* never let a client's own X-WorkOS-* headers through */

    headers = r->headers_in.headers;

    if (ngx_list_init(&r->headers_in.headers, r->pool, 20,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    part = &headers.part;
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

        if (h[i].key.len >= sizeof("X-WorkOS-") - 1
            && ngx_strncasecmp(h[i].key.data, (u_char *) "X-WorkOS-",
                               sizeof("X-WorkOS-") - 1) == 0)
        {
            continue;
        }

        nh = ngx_list_push(&r->headers_in.headers);
        if (nh == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        *nh = h[i];
    }

    ctx = ngx_http_workos_jwt_has_keys(jlcf)
          ? ngx_http_workos_jwt_evaluate(r) : NULL;

    if (ctx == NULL || ctx->status != WJWT_VALID) {
        return NGX_DECLINED;
    }

    for (hdr = ngx_http_workos_jwt_headers; hdr->name.len; hdr++) {

        if (hdr->claim != NULL) {
            value = json_object_get(ctx->token.claims, hdr->claim);

        } else if (hdr->name.len == sizeof("X-WorkOS-Roles") - 1) {
            value = json_object_get(ctx->token.claims, "roles");
            if (value == NULL) {
                value = json_object_get(ctx->token.claims, "role");
            }

        } else {
            value = json_object_get(json_object_get(ctx->token.claims, "act"),
                                    "sub");
        }

        if (ngx_http_workos_jwt_claim_text(r, value, &text) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (text.len == 0) {
            continue;
        }

        /* a claim value must not split the upstream request's headers */

        for (j = 0; j < text.len; j++) {
            if (text.data[j] < 0x20 || text.data[j] == 0x7f) {
                break;
            }
        }

        if (j < text.len) {
            ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                          "workos jwt \"%V\" not set: control character "
                          "in claim value", &hdr->name);
            continue;
        }

        nh = ngx_list_push(&r->headers_in.headers);
        if (nh == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        n = hdr->name.len;

        p = ngx_pnalloc(r->pool, n);
        if (p == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        nh->key = hdr->name;
        nh->value = text;
        nh->lowcase_key = p;
        ngx_strlow(p, hdr->name.data, n);
        nh->hash = ngx_hash_key(p, n);
    }

    return NGX_DECLINED;
}
