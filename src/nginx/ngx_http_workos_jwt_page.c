
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The debugger page of "workos_jwt_inspect": which answer a request
 * prefers (Accept), and the page itself, built from src/inspect/ into
 * ngx_http_workos_jwt_page.h at build time, with its data as a JSON island.
 */


#include "ngx_http_workos_jwt_module.h"
#include "ngx_http_workos_jwt_page.h"


#define NGX_HTTP_WORKOS_JWT_CSP_LEN  512


typedef struct {
    ngx_uint_t                 specificity;    /* 0: no range matched */
    ngx_uint_t                 q;              /* thousandths */
} ngx_http_workos_jwt_weight_t;


static void ngx_http_workos_jwt_accept(ngx_str_t *value,
    ngx_http_workos_jwt_weight_t *html, ngx_http_workos_jwt_weight_t *json);
static ngx_int_t ngx_http_workos_jwt_qvalue(u_char *p, u_char *last);
static void ngx_http_workos_jwt_weigh(ngx_http_workos_jwt_weight_t *w,
    ngx_uint_t specificity, ngx_uint_t q);
static ngx_int_t ngx_http_workos_jwt_page_header(ngx_http_request_t *r,
    char *name, u_char *value, size_t len);
static size_t ngx_http_workos_jwt_hash(const u_char *data, size_t len,
    u_char *out);


/* the same for every page: a property of the build, not of a cycle */
static u_char  ngx_http_workos_jwt_csp[NGX_HTTP_WORKOS_JWT_CSP_LEN];
static size_t  ngx_http_workos_jwt_csp_len;


/*
 * The CSP names the page's inline style and script by their SHA-256,
 * computed once from the embedded page.
 */

ngx_int_t
ngx_http_workos_jwt_page_init(ngx_cycle_t *cycle)
{
    u_char  *p;
    u_char   style[64], script[64];

    if (ngx_http_workos_jwt_hash(ngx_http_workos_jwt_page_head
                                 + NGX_HTTP_WORKOS_JWT_PAGE_STYLE_OFF,
                                 NGX_HTTP_WORKOS_JWT_PAGE_STYLE_LEN, style)
            == 0
        || ngx_http_workos_jwt_hash(ngx_http_workos_jwt_page_tail
                                    + NGX_HTTP_WORKOS_JWT_PAGE_SCRIPT_OFF,
                                    NGX_HTTP_WORKOS_JWT_PAGE_SCRIPT_LEN,
                                    script)
           == 0)
    {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "workos_jwt: SHA-256 of the inspect page failed");
        return NGX_ERROR;
    }

    p = ngx_snprintf(ngx_http_workos_jwt_csp, NGX_HTTP_WORKOS_JWT_CSP_LEN,
                     "default-src 'none'; script-src 'sha256-%s'; "
                     "style-src 'sha256-%s'; img-src data:; "
                     "connect-src 'self'; "
                     "base-uri 'none'; form-action 'none'; "
                     "frame-ancestors 'none'; "
                     "require-trusted-types-for 'script'; "
                     "trusted-types 'none'",
                     script, style);

    ngx_http_workos_jwt_csp_len = p - ngx_http_workos_jwt_csp;

    return NGX_OK;
}


/* base64 of the SHA-256 of data, NUL-terminated; 0 on failure */

static size_t
ngx_http_workos_jwt_hash(const u_char *data, size_t len, u_char *out)
{
    u_char        md[EVP_MAX_MD_SIZE];
    unsigned int  n;

    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1) {
        return 0;
    }

    return EVP_EncodeBlock(out, md, n);
}


/*
 * A browser: an Accept that gives text/html a higher weight than
 * application/json (RFC 9110 12.5.1, the most specific range decides).
 * No Accept, "*" "/" "*", or a tie: JSON.
 */

ngx_uint_t
ngx_http_workos_jwt_page_wanted(ngx_http_request_t *r)
{
    ngx_uint_t                     i;
    ngx_list_part_t               *part;
    ngx_table_elt_t               *h;
    ngx_http_workos_jwt_weight_t   html, json;

    ngx_memzero(&html, sizeof(ngx_http_workos_jwt_weight_t));
    ngx_memzero(&json, sizeof(ngx_http_workos_jwt_weight_t));

    part = &r->headers_in.headers.part;
    i = 0;

    while ((h = ngx_http_workos_jwt_next_header(&part, &i)) != NULL) {
        if (h->key.len == sizeof("Accept") - 1
            && ngx_strncasecmp(h->key.data, (u_char *) "Accept",
                               sizeof("Accept") - 1)
               == 0)
        {
            ngx_http_workos_jwt_accept(&h->value, &html, &json);
        }
    }

    return html.q > json.q;
}


static void
ngx_http_workos_jwt_accept(ngx_str_t *value,
    ngx_http_workos_jwt_weight_t *html, ngx_http_workos_jwt_weight_t *json)
{
    u_char     *p, *last, *type, *slash, *end, *name, *val;
    size_t      tlen, slen;
    ngx_int_t   q;
    ngx_uint_t  ok, in_quotes;

    p = value->data;
    last = p + value->len;

    while (p < last) {

        /* one media range: type "/" subtype *( OWS ";" OWS parameter ) */

        while (p < last && (*p == ' ' || *p == '\t' || *p == ',')) {
            p++;
        }

        type = p;
        slash = NULL;

        while (p < last && *p != ',' && *p != ';' && *p != ' '
               && *p != '\t')
        {
            if (*p == '/' && slash == NULL) {
                slash = p;
            }

            p++;
        }

        end = p;
        q = 1000;
        ok = (slash != NULL && slash > type && end > slash + 1);

        while (p < last && *p != ',') {

            if (*p != ';') {
                if (*p != ' ' && *p != '\t') {
                    ok = 0;
                }

                p++;
                continue;
            }

            p++;

            while (p < last && (*p == ' ' || *p == '\t')) {
                p++;
            }

            name = p;

            while (p < last && *p != '=' && *p != ';' && *p != ',') {
                p++;
            }

            if (p == last || *p != '=') {
                ok = 0;
                continue;
            }

            val = ++p;
            in_quotes = 0;

            while (p < last && (in_quotes || (*p != ';' && *p != ','))) {
                if (*p == '"') {
                    in_quotes = !in_quotes;

                } else if (*p == '\\' && in_quotes && p + 1 < last) {
                    p++;
                }

                p++;
            }

            if (val - name == 2 && (name[0] | 0x20) == 'q') {
                q = ngx_http_workos_jwt_qvalue(val, p);

                if (q == NGX_ERROR) {
                    ok = 0;
                }
            }
        }

        if (!ok) {
            continue;
        }

        tlen = slash - type;
        slen = end - slash - 1;

        if (tlen == 1 && type[0] == '*') {
            if (slen == 1 && slash[1] == '*') {
                ngx_http_workos_jwt_weigh(html, 1, q);
                ngx_http_workos_jwt_weigh(json, 1, q);
            }

            continue;
        }

        if (tlen == 4 && ngx_strncasecmp(type, (u_char *) "text", 4) == 0) {
            if (slen == 1 && slash[1] == '*') {
                ngx_http_workos_jwt_weigh(html, 2, q);

            } else if (slen == 4
                       && ngx_strncasecmp(slash + 1, (u_char *) "html", 4)
                          == 0)
            {
                ngx_http_workos_jwt_weigh(html, 3, q);
            }

        } else if (tlen == 11
                   && ngx_strncasecmp(type, (u_char *) "application", 11)
                      == 0)
        {
            if (slen == 1 && slash[1] == '*') {
                ngx_http_workos_jwt_weigh(json, 2, q);

            } else if (slen == 4
                       && ngx_strncasecmp(slash + 1, (u_char *) "json", 4)
                          == 0)
            {
                ngx_http_workos_jwt_weigh(json, 3, q);
            }
        }
    }
}


/* weight = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */

static ngx_int_t
ngx_http_workos_jwt_qvalue(u_char *p, u_char *last)
{
    ngx_int_t   q, scale;

    while (last > p && (last[-1] == ' ' || last[-1] == '\t')) {
        last--;
    }

    if (p == last || (*p != '0' && *p != '1')) {
        return NGX_ERROR;
    }

    q = (*p++ - '0') * 1000;

    if (p == last) {
        return q;
    }

    if (*p++ != '.' || last - p > 3) {
        return NGX_ERROR;
    }

    for (scale = 100; p < last; p++, scale /= 10) {
        if (*p < '0' || *p > '9') {
            return NGX_ERROR;
        }

        q += (*p - '0') * scale;
    }

    return (q > 1000) ? NGX_ERROR : q;
}


static void
ngx_http_workos_jwt_weigh(ngx_http_workos_jwt_weight_t *w,
    ngx_uint_t specificity, ngx_uint_t q)
{
    if (specificity > w->specificity) {
        w->specificity = specificity;
        w->q = q;
    }
}


/*
 * The page: its head, the data as a JSON island in which "<", ">", "&"
 * and every non-ASCII character are \u escapes (so that no claim can
 * close the element or start a comment), its tail.  Takes data.
 */

ngx_int_t
ngx_http_workos_jwt_page_send(ngx_http_request_t *r, json_t *data)
{
    char         *text;
    size_t        len, n;
    u_char       *p, *s;
    ngx_buf_t    *b[3];
    ngx_int_t     rc;
    ngx_uint_t    i;
    ngx_chain_t   out[3];

    static u_char  hex[] = "0123456789abcdef";

    text = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(data);

    if (text == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    len = 0;

    for (s = (u_char *) text; *s; s++) {
        len += (*s == '<' || *s == '>' || *s == '&') ? 6 : 1;
    }

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        free(text);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    n = 0;

    for (s = (u_char *) text; *s; s++) {
        if (*s == '<' || *s == '>' || *s == '&') {
            p[n++] = '\\';
            p[n++] = 'u';
            p[n++] = '0';
            p[n++] = '0';
            p[n++] = hex[*s >> 4];
            p[n++] = hex[*s & 0xf];

        } else {
            p[n++] = *s;
        }
    }

    free(text);

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = sizeof(ngx_http_workos_jwt_page_head)
                                      + len
                                      + sizeof(ngx_http_workos_jwt_page_tail);
    ngx_str_set(&r->headers_out.content_type, "text/html; charset=utf-8");
    r->headers_out.content_type_len = sizeof("text/html") - 1;
    r->headers_out.content_type_lowcase = NULL;

    if (ngx_http_workos_jwt_page_header(r, "Content-Security-Policy",
                                        ngx_http_workos_jwt_csp,
                                        ngx_http_workos_jwt_csp_len)
            != NGX_OK
        || ngx_http_workos_jwt_page_header(r, "Cache-Control",
                                           (u_char *) "no-store", 8)
           != NGX_OK
        || ngx_http_workos_jwt_page_header(r, "Referrer-Policy",
                                           (u_char *) "no-referrer", 11)
           != NGX_OK
        || ngx_http_workos_jwt_page_header(r, "X-Frame-Options",
                                           (u_char *) "DENY", 4)
           != NGX_OK
        || ngx_http_workos_jwt_page_header(r, "X-Content-Type-Options",
                                           (u_char *) "nosniff", 7)
           != NGX_OK
        || ngx_http_workos_jwt_page_header(r, "Vary",
                                           (u_char *) "Accept", 6)
           != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    for (i = 0; i < 3; i++) {
        b[i] = ngx_calloc_buf(r->pool);
        if (b[i] == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        b[i]->memory = 1;
        out[i].buf = b[i];
        out[i].next = (i < 2) ? &out[i + 1] : NULL;
    }

    b[0]->pos = (u_char *) ngx_http_workos_jwt_page_head;
    b[0]->last = b[0]->pos + sizeof(ngx_http_workos_jwt_page_head);
    b[1]->pos = p;
    b[1]->last = p + len;
    b[2]->pos = (u_char *) ngx_http_workos_jwt_page_tail;
    b[2]->last = b[2]->pos + sizeof(ngx_http_workos_jwt_page_tail);
    b[2]->last_buf = (r == r->main) ? 1 : 0;
    b[2]->last_in_chain = 1;

    return ngx_http_output_filter(r, &out[0]);
}


static ngx_int_t
ngx_http_workos_jwt_page_header(ngx_http_request_t *r, char *name,
    u_char *value, size_t len)
{
    ngx_str_t  n, v;

    n.data = (u_char *) name;
    n.len = ngx_strlen(name);
    v.data = value;
    v.len = len;

    if (ngx_http_workos_jwt_push_header(r, &r->headers_out.headers, &n, &v)
        == NULL)
    {
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* "Vary: Accept" on the JSON answers of a location that also has a page */

ngx_int_t
ngx_http_workos_jwt_page_vary(ngx_http_request_t *r)
{
    return ngx_http_workos_jwt_page_header(r, "Vary", (u_char *) "Accept",
                                           6);
}
