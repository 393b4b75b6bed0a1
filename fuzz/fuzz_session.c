
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * AuthKit session cookies: the input is a cookie value, opened with two
 * fixed passwords.  Since random bytes never pass the MAC, the input is
 * also taken as the plaintext of a session: sealed here under the
 * second password (iron; bits 1 and 2 of the first byte give it an
 * expiration just valid or just expired), and when its first byte is
 * odd also wrapped in a React Router cookie signed with the first.
 *
 * Besides the sanitizers it aborts when a valid session breaks the API
 * (no token, a refreshToken member, an index out of range) and when a
 * block that Jansson frees during an open holds the refresh token of an
 * input whose top-level refreshToken is a plain word found once.
 */


#include "fuzz_common.h"
#include <wjwt_session.h>

#include "../t/unit/session_seal.h"
#include "../t/unit/watch_alloc.h"


#define WJWT_FUZZ_PW1  "fixture-password-one-0123456789abcdef"
#define WJWT_FUZZ_PW2  "fixture-password-two-Zyxwvutsrqponmlk"


static void wjwt_fuzz_open(const unsigned char *data, size_t len);
static void wjwt_fuzz_watch(const unsigned char *p, size_t len);
static size_t wjwt_fuzz_secret(const uint8_t *data, size_t size,
    char *out, size_t out_size);


static wjwt_str_t   wjwt_fuzz_pw[2];
static char         wjwt_fuzz_rt[256];
static size_t       wjwt_fuzz_rt_len;


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;

    wjwt_fuzz_pw[0].data = (const unsigned char *) WJWT_FUZZ_PW1;
    wjwt_fuzz_pw[0].len = sizeof(WJWT_FUZZ_PW1) - 1;
    wjwt_fuzz_pw[1].data = (const unsigned char *) WJWT_FUZZ_PW2;
    wjwt_fuzz_pw[1].len = sizeof(WJWT_FUZZ_PW2) - 1;

    wjwt_watch = wjwt_fuzz_watch;
    json_set_alloc_funcs(wjwt_watch_malloc, wjwt_watch_free);

    return 0;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char              *seal, *json, *cookie;
    size_t             n;
    wjwt_test_seal_t   o;

    if (wjwt_fuzz_pw[0].len == 0) {
        LLVMFuzzerInitialize(NULL, NULL);
    }

    wjwt_fuzz_rt_len = 0;
    wjwt_fuzz_open(data, size);

    if (size == 0 || size > 16384) {
        return 0;
    }

    wjwt_fuzz_rt_len = wjwt_fuzz_secret(data, size, wjwt_fuzz_rt,
                                        sizeof(wjwt_fuzz_rt));

    memset(&o, 0, sizeof(wjwt_test_seal_t));
    o.password = WJWT_FUZZ_PW2;
    o.expiration = (data[0] & 2) ? "1735689540001"
                   : (data[0] & 4) ? "1735689540000" : NULL;

    seal = wjwt_test_seal(&o, data, size);
    if (seal == NULL) {
        return 0;
    }

    wjwt_fuzz_open((unsigned char *) seal, strlen(seal));

    if (data[0] & 1) {
        n = strlen(seal);
        json = malloc(n + 16);

        if (json != NULL) {
            n = (size_t) sprintf(json, "{\"jwt\":\"%s\"}", seal);
            cookie = wjwt_test_remix(WJWT_FUZZ_PW1, (unsigned char *) json,
                                     n);
            if (cookie != NULL) {
                wjwt_fuzz_open((unsigned char *) cookie, strlen(cookie));
                free(cookie);
            }

            free(json);
        }
    }

    free(seal);
    wjwt_fuzz_rt_len = 0;

    return 0;
}


static void
wjwt_fuzz_open(const unsigned char *data, size_t len)
{
    int             rc;
    char            err[160], *dump;
    json_t         *v;
    wjwt_session_t  s;

    rc = wjwt_session_open(&s, data, len, wjwt_fuzz_pw, 2,
                           WJWT_FUZZ_NOW, err, sizeof(err));

    wjwt_fuzz_touch(err, strlen(err));

    if (rc != WJWT_VALID) {
        if (rc != WJWT_MALFORMED || err[0] == '\0' || s.session != NULL
            || s.access_token.len != 0 || s.password_index != -1)
        {
            abort();
        }

        wjwt_session_free(&s);
        return;
    }

    if (!json_is_object(s.session)
        || json_object_get(s.session, "refreshToken") != NULL
        || (s.format != WJWT_SESSION_IRON && s.format != WJWT_SESSION_REMIX)
        || s.password_index < 0 || s.password_index > 1
        || s.access_token.len == 0)
    {
        abort();
    }

    v = json_object_get(s.session, "accessToken");

    if (!json_is_string(v)
        || (const unsigned char *) json_string_value(v)
           != s.access_token.data
        || json_string_length(v) != s.access_token.len)
    {
        abort();
    }

    wjwt_fuzz_touch(s.access_token.data, s.access_token.len);
    wjwt_fuzz_touch(s.user_id.data, s.user_id.len);
    wjwt_fuzz_touch(s.email.data, s.email.len);
    wjwt_fuzz_sink += wjwt_session_user_matches(&s.user_id, s.user_id.data,
                                                s.user_id.len);

    if (wjwt_fuzz_rt_len > 0) {
        dump = json_dumps(s.session, JSON_COMPACT);

        if (dump != NULL) {
            if (memmem(dump, strlen(dump), wjwt_fuzz_rt, wjwt_fuzz_rt_len)
                != NULL)
            {
                abort();
            }

            wjwt_watch_free(dump);
        }
    }

    wjwt_session_free(&s);
}


/*
 * The input's top-level "refreshToken" when it is a string of 12 to 255
 * word characters that occurs once in the input; 0 otherwise.  Found
 * with Jansson before the watch starts.
 */

static size_t
wjwt_fuzz_secret(const uint8_t *data, size_t size, char *out,
    size_t out_size)
{
    size_t        i, n, count;
    json_t       *root, *v;
    const char   *s;
    const void   *p;

    root = json_loadb((const char *) data, size, 0, NULL);
    if (root == NULL) {
        return 0;
    }

    n = 0;
    v = json_object_get(root, "refreshToken");

    if (!json_is_string(v)) {
        goto done;
    }

    s = json_string_value(v);
    n = json_string_length(v);

    if (n < 12 || n >= out_size) {
        n = 0;
        goto done;
    }

    for (i = 0; i < n; i++) {
        if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9')
              || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
        {
            n = 0;
            goto done;
        }
    }

    count = 0;

    for (p = data; (p = memmem(p, size - ((const uint8_t *) p - data), s, n))
                   != NULL; p = (const uint8_t *) p + 1)
    {
        count++;
    }

    if (count != 1) {
        n = 0;
        goto done;
    }

    memcpy(out, s, n);

done:

    json_decref(root);

    return n;
}


/* a block that Jansson frees, whole */

static void
wjwt_fuzz_watch(const unsigned char *p, size_t len)
{
    if (wjwt_fuzz_rt_len > 0
        && memmem(p, len, wjwt_fuzz_rt, wjwt_fuzz_rt_len) != NULL)
    {
        abort();
    }
}
