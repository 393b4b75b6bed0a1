
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The one network use of workos-jwt: "verify --jwks URL" fetches that
 * JWKS, and nothing else is ever sent anywhere.
 */


#ifndef _WJWT_FETCH_H_INCLUDED_
#define _WJWT_FETCH_H_INCLUDED_


#include <stddef.h>


#define WJWT_FETCH_MAX          (1024 * 1024)
#define WJWT_FETCH_TIMEOUT_MS   5000


/* "http://..." or "https://..." (any case): a URL, not a file name */
int wjwt_fetch_is_url(const char *s);

/*
 * A GET of url and of nothing else: TLS verified against the system CA
 * store ($CURL_CA_BUNDLE or $SSL_CERT_FILE name another bundle), no
 * proxy, no redirect, at most WJWT_FETCH_MAX bytes within
 * WJWT_FETCH_TIMEOUT_MS in all, a 200 answer.  0 with a malloc()ed,
 * NUL-terminated body, or -1 with the reason in err.
 */
int wjwt_fetch(const char *url, char **body, size_t *len, char *err,
    size_t err_size);


#endif /* _WJWT_FETCH_H_INCLUDED_ */
