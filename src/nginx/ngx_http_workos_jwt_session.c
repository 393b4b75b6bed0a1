
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * AuthKit session cookies ("workos_jwt_session_cookie",
 * "workos_jwt_session_password"): the access token sealed in the cookie
 * of WorkOS's JavaScript SDKs.  The core opens it (src/core/
 * wjwt_session.c); here are the passwords, the cookie lookup and the
 * request's copy of the session.
 */


#include "ngx_http_workos_jwt_module.h"


#define NGX_HTTP_WORKOS_JWT_MIN_PASSWORD  32
#define NGX_HTTP_WORKOS_JWT_MAX_PASSWORDS 16


static ngx_int_t ngx_http_workos_jwt_session_find(ngx_http_request_t *r,
    ngx_str_t *name, ngx_str_t *value);
static ngx_int_t ngx_http_workos_jwt_session_scan(ngx_str_t *header,
    ngx_str_t *name, ngx_str_t *value);
static void ngx_http_workos_jwt_session_cleanup(void *data);
static void ngx_http_workos_jwt_passwords_cleanup(void *data);


char *
ngx_http_workos_jwt_session_password(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    ngx_http_workos_jwt_loc_conf_t *jlcf = conf;

    u_char              *buf, *p, *last, *eol;
    size_t               len;
    ssize_t              n;
    ngx_str_t           *value, file, *pw;
    ngx_array_t         *a;
    ngx_uint_t           line;
    ngx_file_info_t      fi;
    ngx_pool_cleanup_t  *cln;

    if (jlcf->session_passwords != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;
    file = value[1];

    /* in the configuration pool, wiped when the configuration goes */

    a = ngx_array_create(cf->pool, 2, sizeof(ngx_str_t));
    cln = ngx_pool_cleanup_add(cf->pool, 0);

    if (a == NULL || cln == NULL) {
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_workos_jwt_passwords_cleanup;
    cln->data = a;

    buf = ngx_http_workos_jwt_conf_file(cf, cmd, cf->pool, &file, 64 * 1024,
                                        &len, &fi);
    if (buf == NULL) {
        return NGX_CONF_ERROR;
    }

    if (fi.st_mode & S_IROTH) {
        ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                           "\"workos_jwt_session_password\" \"%s\" is "
                           "readable by others: it holds the cookie "
                           "password (chmod 0600 or 0640)", file.data);
    }

    /* one password a line; the first is the newest */

    p = buf;
    last = buf + len;

    for (line = 1; p < last; line++) {
        eol = ngx_strlchr(p, last, '\n');
        if (eol == NULL) {
            eol = last;
        }

        n = eol - p;

        if (n > 0 && p[n - 1] == '\r') {
            n--;
        }

        if (n == 0) {
            p = eol + 1;
            continue;
        }

        if (n < NGX_HTTP_WORKOS_JWT_MIN_PASSWORD) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"workos_jwt_session_password\" \"%s\": "
                               "the password on line %ui is shorter than "
                               "32 characters (WORKOS_COOKIE_PASSWORD "
                               "needs 32 or more)", file.data, line);
            return NGX_CONF_ERROR;
        }

        if (a->nelts == NGX_HTTP_WORKOS_JWT_MAX_PASSWORDS) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"workos_jwt_session_password\" \"%s\" has "
                               "more than %d passwords", file.data,
                               NGX_HTTP_WORKOS_JWT_MAX_PASSWORDS);
            return NGX_CONF_ERROR;
        }

        pw = ngx_array_push(a);
        if (pw == NULL) {
            return NGX_CONF_ERROR;
        }

        pw->data = p;
        pw->len = n;

        p = eol + 1;
    }

    if (a->nelts == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_session_password\" \"%s\" has no "
                           "password", file.data);
        return NGX_CONF_ERROR;
    }

    jlcf->session_passwords = a;

    return NGX_CONF_OK;
}


static void
ngx_http_workos_jwt_passwords_cleanup(void *data)
{
    ngx_array_t *a = data;

    ngx_str_t   *pw;
    ngx_uint_t   i;

    pw = a->elts;

    for (i = 0; i < a->nelts; i++) {
        ngx_explicit_memzero(pw[i].data, pw[i].len);
    }
}


char *
ngx_http_workos_jwt_session_merge(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *prev, ngx_http_workos_jwt_loc_conf_t *conf)
{
    ngx_conf_merge_str_value(conf->session_cookie, prev->session_cookie, "");
    ngx_conf_merge_ptr_value(conf->session_passwords,
                             prev->session_passwords, NULL);

    if (conf->session_cookie.len && conf->session_passwords == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"workos_jwt_session_cookie\" \"%V\" has no "
                           "\"workos_jwt_session_password\" at its level",
                           &conf->session_cookie);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/*
 * The token sealed in the request's session cookie.  NGX_DECLINED: no
 * such cookie (the token sources are tried), NGX_OK: ctx->raw is the
 * access token, NGX_ABORT: the cookie cannot be opened (malformed, with
 * the reason in ctx->reason).
 */

ngx_int_t
ngx_http_workos_jwt_session_token(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx)
{
    int                               rc;
    char                              err[128];
    ngx_int_t                         found;
    ngx_str_t                         value;
    ngx_pool_cleanup_t               *cln;
    ngx_http_workos_jwt_session_t    *s;
    ngx_http_workos_jwt_main_conf_t  *jmcf;
    u_char                            digest[NGX_HTTP_WORKOS_JWT_DIGEST_LEN];

    found = ngx_http_workos_jwt_session_find(r, &jlcf->session_cookie,
                                             &value);
    if (found == NGX_DECLINED) {
        return NGX_DECLINED;
    }

    ctx->from = NGX_HTTP_WORKOS_JWT_FROM_COOKIE;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);

    if (found == NGX_ABORT) {
        ngx_str_set(&ctx->reason,
                    "the session cookie was sent twice with different "
                    "values");
        (void) ngx_atomic_fetch_add(&jmcf->sh->sessions_failed, 1);
        return NGX_ABORT;
    }

    /* opened once per request, whichever location judges */

    s = ctx->session;

    if (s != NULL && s->value.len == value.len
        && ngx_memcmp(s->value.data, value.data, value.len) == 0)
    {
        ctx->raw = s->token;
        return NGX_OK;
    }

    s = ngx_pcalloc(r->pool, sizeof(ngx_http_workos_jwt_session_t));
    if (s == NULL) {
        return NGX_ERROR;
    }

    /*
     * this worker's cache of opened cookies, by the SHA-256 of the value:
     * a hit runs no PBKDF2, HMAC, AES or JSON
     */

    if (jlcf->cache) {
        if (ngx_http_workos_jwt_digest(value.data, value.len, digest)
            != NGX_OK)
        {
            return NGX_ERROR;
        }

        rc = ngx_http_workos_jwt_opened_lookup(r, digest,
                                               jlcf->session_passwords, s);
        if (rc == NGX_ERROR) {
            return NGX_ERROR;
        }

        if (rc == NGX_OK) {
            goto opened;
        }
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    cln->handler = ngx_http_workos_jwt_session_cleanup;
    cln->data = s;

    rc = wjwt_session_open(&s->opened, value.data, value.len,
                           (wjwt_str_t *) jlcf->session_passwords->elts,
                           jlcf->session_passwords->nelts, ngx_time(),
                           err, sizeof(err));

    if (rc != WJWT_VALID) {
        (void) ngx_atomic_fetch_add(&jmcf->sh->sessions_failed, 1);

        ctx->reason.len = ngx_strlen(err);
        ctx->reason.data = ngx_pnalloc(r->pool, ctx->reason.len);
        if (ctx->reason.data == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(ctx->reason.data, err, ctx->reason.len);

        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "workos jwt session cookie \"%V\" not opened: %s",
                      &jlcf->session_cookie, err);

        return NGX_ABORT;
    }

    s->format = s->opened.format;
    s->token.data = (u_char *) s->opened.access_token.data;
    s->token.len = s->opened.access_token.len;
    s->user_id.data = (u_char *) s->opened.user_id.data;
    s->user_id.len = s->opened.user_id.len;
    s->email.data = (u_char *) s->opened.email.data;
    s->email.len = s->opened.email.len;

    if (jlcf->cache) {
        ngx_http_workos_jwt_opened_store(digest, jlcf->session_passwords,
                                         s->opened.expiration, s);
    }

opened:

    (void) ngx_atomic_fetch_add(&jmcf->sh->sessions_opened, 1);

    s->value = value;

    ctx->session = s;
    ctx->raw = s->token;

    return NGX_OK;
}


/* a valid token must be the session user's, as authkit-nextjs requires */

ngx_uint_t
ngx_http_workos_jwt_session_matches(ngx_http_workos_jwt_ctx_t *ctx)
{
    json_t                         *sub;
    wjwt_str_t                      user_id;
    ngx_http_workos_jwt_session_t  *s;

    s = ctx->session;

    if (s == NULL) {
        return 1;
    }

    sub = json_object_get(ctx->token.claims, "sub");

    /* opened, or from this worker's cache of opened cookies */

    user_id.data = s->user_id.data;
    user_id.len = s->user_id.len;

    return json_is_string(sub)
           && wjwt_session_user_matches(&user_id,
                                        (u_char *) json_string_value(sub),
                                        json_string_length(sub));
}


static void
ngx_http_workos_jwt_session_cleanup(void *data)
{
    ngx_http_workos_jwt_session_t *s = data;

    wjwt_session_free(&s->opened);
}


/*
 * The value of the named cookie: NGX_DECLINED when absent, NGX_ABORT
 * when sent twice with different values or longer than 64 KB.
 */

static ngx_int_t
ngx_http_workos_jwt_session_find(ngx_http_request_t *r, ngx_str_t *name,
    ngx_str_t *value)
{
    ngx_str_t         v, cur;
    ngx_uint_t        found;
    ngx_table_elt_t  *h;
#if (nginx_version < 1023000)
    ngx_uint_t        i;
    ngx_table_elt_t **hh;
#endif

    found = 0;

#if (nginx_version >= 1023000)
    for (h = r->headers_in.cookie; h != NULL; h = h->next) {
#else
    hh = r->headers_in.cookies.elts;

    for (i = 0; i < r->headers_in.cookies.nelts; i++) {
        h = hh[i];
#endif
        v = h->value;

        while (ngx_http_workos_jwt_session_scan(&v, name, &cur) == NGX_OK) {

            if (found && (cur.len != value->len
                          || ngx_memcmp(cur.data, value->data, cur.len) != 0))
            {
                return NGX_ABORT;
            }

            *value = cur;
            found = 1;
        }
    }

    if (!found) {
        return NGX_DECLINED;
    }

    return (value->len > WJWT_SESSION_MAX_COOKIE) ? NGX_ABORT : NGX_OK;
}


/*
 * The next "name=value" pair of a Cookie header with this name; the
 * header is advanced past it.
 */

static ngx_int_t
ngx_http_workos_jwt_session_scan(ngx_str_t *header, ngx_str_t *name,
    ngx_str_t *value)
{
    u_char  *p, *last, *start, *eq, *end;

    p = header->data;
    last = p + header->len;

    while (p < last) {
        while (p < last && (*p == ' ' || *p == '\t' || *p == ';')) {
            p++;
        }

        start = p;

        /* memchr(): a session cookie is some 2 KB */

        end = memchr(p, ';', last - p);
        if (end == NULL) {
            end = last;
        }

        p = end;

        eq = memchr(start, '=', end - start);
        if (eq == NULL) {
            continue;
        }

        if ((size_t) (eq - start) != name->len
            || ngx_strncmp(start, name->data, name->len) != 0)
        {
            continue;
        }

        value->data = eq + 1;
        value->len = end - (eq + 1);

        while (value->len && (value->data[value->len - 1] == ' '
                              || value->data[value->len - 1] == '\t'))
        {
            value->len--;
        }

        header->data = p;
        header->len = last - p;

        return NGX_OK;
    }

    return NGX_DECLINED;
}
