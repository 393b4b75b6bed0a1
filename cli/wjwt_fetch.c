
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include <wjwt.h>
#include "wjwt_fetch.h"


typedef struct {
    char                  *data;
    size_t                 len;
    size_t                 size;
    int                    too_big;
    int                    no_memory;
} wjwt_fetch_body_t;


static int wjwt_fetch_setup(CURL *curl, const char *url,
    wjwt_fetch_body_t *b, char *errbuf);
static size_t wjwt_fetch_write(char *ptr, size_t size, size_t nmemb,
    void *data);
static void wjwt_fetch_error(CURLcode rc, const wjwt_fetch_body_t *b,
    const char *errbuf, char *err, size_t err_size);


int
wjwt_fetch_is_url(const char *s)
{
    return strncasecmp(s, "https://", 8) == 0
           || strncasecmp(s, "http://", 7) == 0;
}


int
wjwt_fetch(const char *url, char **body, size_t *len, char *err,
    size_t err_size)
{
    int                 rc;
    long                status;
    CURL               *curl;
    CURLcode            crc;
    wjwt_fetch_body_t   b;
    char                errbuf[CURL_ERROR_SIZE];

    memset(&b, 0, sizeof(wjwt_fetch_body_t));
    errbuf[0] = '\0';
    rc = -1;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, err_size, "cannot initialize libcurl");
        return -1;
    }

    curl = curl_easy_init();

    if (curl == NULL || wjwt_fetch_setup(curl, url, &b, errbuf) != 0) {
        snprintf(err, err_size, "cannot set up the request");
        goto done;
    }

    crc = curl_easy_perform(curl);

    if (crc != CURLE_OK) {
        wjwt_fetch_error(crc, &b, errbuf, err, err_size);
        goto done;
    }

    status = 0;
    (void) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);

    if (status != 200) {
        snprintf(err, err_size, "the server answered HTTP %ld%s", status,
                 (status >= 300 && status < 400)
                 ? " (redirects are not followed: pass the final URL)" : "");
        goto done;
    }

    if (b.data == NULL) {
        b.data = malloc(1);

        if (b.data == NULL) {
            snprintf(err, err_size, "out of memory");
            goto done;
        }
    }

    b.data[b.len] = '\0';

    *body = b.data;
    *len = b.len;
    b.data = NULL;
    rc = 0;

done:

    free(b.data);
    curl_easy_cleanup(curl);
    curl_global_cleanup();

    return rc;
}


static int
wjwt_fetch_setup(CURL *curl, const char *url, wjwt_fetch_body_t *b,
    char *errbuf)
{
    const char  *ca;

    /* a bundle for tests or private CAs, as curl(1) and OpenSSL take it */

    ca = getenv("CURL_CA_BUNDLE");

    if (ca == NULL || *ca == '\0') {
        ca = getenv("SSL_CERT_FILE");
    }

    if (curl_easy_setopt(curl, CURLOPT_URL, url) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https")
           != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_NOPROXY, "*") != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK
        || (ca != NULL && *ca != '\0'
            && curl_easy_setopt(curl, CURLOPT_CAINFO, ca) != CURLE_OK)
        || curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                            (long) WJWT_FETCH_TIMEOUT_MS) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                            (curl_off_t) WJWT_FETCH_MAX) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_USERAGENT,
                            "workos-jwt/" WJWT_VERSION) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, wjwt_fetch_write)
           != CURLE_OK
        || curl_easy_setopt(curl, CURLOPT_WRITEDATA, b) != CURLE_OK)
    {
        return -1;
    }

    return 0;
}


/* the body, refused past WJWT_FETCH_MAX even without a Content-Length */

static size_t
wjwt_fetch_write(char *ptr, size_t size, size_t nmemb, void *data)
{
    char               *p;
    size_t              n, want;
    wjwt_fetch_body_t  *b = data;

    n = size * nmemb;

    if (n > WJWT_FETCH_MAX - b->len) {
        b->too_big = 1;
        return 0;
    }

    if (b->len + n + 1 > b->size) {
        want = b->size ? b->size : 16384;

        while (want < b->len + n + 1) {
            want *= 2;
        }

        p = realloc(b->data, want);
        if (p == NULL) {
            b->no_memory = 1;
            return 0;
        }

        b->data = p;
        b->size = want;
    }

    memcpy(b->data + b->len, ptr, n);
    b->len += n;

    return n;
}


static void
wjwt_fetch_error(CURLcode rc, const wjwt_fetch_body_t *b, const char *errbuf,
    char *err, size_t err_size)
{
    const char  *why;

    why = (errbuf[0] != '\0') ? errbuf : curl_easy_strerror(rc);

    switch (rc) {

    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        snprintf(err, err_size, "the server's TLS certificate is not "
                 "trusted (%s)", why);
        break;

    case CURLE_OPERATION_TIMEDOUT:
        snprintf(err, err_size, "no complete answer within %d s",
                 WJWT_FETCH_TIMEOUT_MS / 1000);
        break;

    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WRITE_ERROR:
        if (rc == CURLE_WRITE_ERROR && !b->too_big) {
            snprintf(err, err_size, "out of memory");
            break;
        }

        snprintf(err, err_size, "the answer is larger than %d bytes (1 MB)",
                 WJWT_FETCH_MAX);
        break;

    case CURLE_UNSUPPORTED_PROTOCOL:
        snprintf(err, err_size, "only http:// and https:// URLs are "
                 "fetched");
        break;

    default:
        snprintf(err, err_size, "%s", why);
        break;
    }
}
