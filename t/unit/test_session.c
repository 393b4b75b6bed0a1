
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * AuthKit session cookies: every cookie that the real libraries sealed
 * in t/session/fixtures.json (argv[1] names another file) opens to its
 * user, email and token; hostile cookies are malformed with the right
 * sentence.  Jansson's allocator is watched: no block it frees while a
 * session is opened or freed may hold a refresh token.
 */


#include <wjwt.h>
#include <wjwt_session.h>

#include "tap.h"
#include "session_seal.h"
#include "watch_alloc.h"


#define FIXTURES     "t/session/fixtures.json"
#define NOW          1767225600LL
#define PW1          "fixture-password-one-0123456789abcdef"
#define PW2          "fixture-password-two-Zyxwvutsrqponmlk"
#define PW_WRONG     "not-the-password-0123456789abcdefghij"
#define NO_MAC       "the session cookie's MAC does not verify with any " \
                     "configured password"


/* what Jansson frees is handed to watch_block() (watch_alloc.h) */

static char    prefix[128];
static int     watch_armed;
static size_t  watch_hits;
static size_t  watch_frees;


static int
watch_has_secret(const unsigned char *p, size_t len)
{
    static const char  *markers[] = { "rt_FIXTURE", "SECRETRT", NULL };
    const char        **m;

    for (m = markers; *m != NULL; m++) {
        if (memmem(p, len, *m, strlen(*m)) != NULL) {
            return 1;
        }
    }

    return 0;
}


static void
watch_block(const unsigned char *p, size_t len)
{
    if (watch_armed) {
        watch_frees++;
        watch_hits += watch_has_secret(p, len);
    }
}


static int
sopen(wjwt_session_t *s, const void *value, size_t len,
    const wjwt_str_t *pw, size_t npw, int64_t now, char *err, size_t size)
{
    int  rc;

    watch_armed = 1;
    rc = wjwt_session_open(s, value, len, pw, npw, now, err, size);
    watch_armed = 0;

    return rc;
}


static void
sfree(wjwt_session_t *s)
{
    watch_armed = 1;
    wjwt_session_free(s);
    watch_armed = 0;
}


static void *
xmalloc(size_t size)
{
    void  *p;

    p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }

    return p;
}


static char *
xstrdup(const char *s)
{
    return strcpy(xmalloc(strlen(s) + 1), s);
}


static char *
must(char *p)
{
    if (p == NULL) {
        fprintf(stderr, "sealing failed\n");
        exit(2);
    }

    return p;
}


static wjwt_str_t
str(const char *s)
{
    wjwt_str_t  r;

    r.data = (const unsigned char *) s;
    r.len = strlen(s);

    return r;
}


static int
str_is(wjwt_str_t got, const char *expected)
{
    return expected != NULL && got.len == strlen(expected)
           && (got.len == 0 || memcmp(got.data, expected, got.len) == 0);
}


/* what a valid session must not show: the refresh token, anywhere */

static int
session_clean(const wjwt_session_t *s)
{
    int    clean;
    char  *dump;

    if (s->session == NULL
        || json_object_get(s->session, "refreshToken") != NULL)
    {
        return 0;
    }

    dump = json_dumps(s->session, JSON_ENCODE_ANY);
    if (dump == NULL) {
        return 0;
    }

    clean = !watch_has_secret((unsigned char *) dump, strlen(dump));
    wjwt_watch_free(dump);

    return clean;
}


/* malformed, with err starting with reason; name the case */

static void
malformed(const void *value, size_t len, const wjwt_str_t *pw, size_t npw,
    int64_t now, const char *reason, const char *name)
{
    int             rc;
    char            err[256];
    wjwt_session_t  s;

    rc = sopen(&s, value, len, pw, npw, now, err, sizeof(err));

    if (!ok(rc == WJWT_MALFORMED && s.session == NULL
            && s.access_token.len == 0 && s.password_index == -1
            && strncmp(err, reason, strlen(reason)) == 0,
            "%s%s: malformed, \"%s\"", prefix, name, reason))
    {
        diag("    rc %d, err \"%s\"", rc, err);
    }

    sfree(&s);
}


/* valid, and its token is expected_token (NULL: any) */

static void
valid(const void *value, size_t len, const wjwt_str_t *pw, size_t npw,
    int64_t now, int index, const char *token, const char *name)
{
    int             rc;
    char            err[256];
    wjwt_session_t  s;

    rc = sopen(&s, value, len, pw, npw, now, err, sizeof(err));

    if (!ok(rc == WJWT_VALID && s.password_index == index
            && session_clean(&s)
            && (token == NULL || str_is(s.access_token, token)),
            "%s%s: opens with password %d", prefix, name, index))
    {
        diag("    rc %d, err \"%s\", index %d", rc, err, s.password_index);
    }

    sfree(&s);
}


static const char *
jstr(json_t *obj, const char *name)
{
    json_t  *v;

    v = json_object_get(obj, name);

    return json_is_string(v) ? json_string_value(v) : NULL;
}


/* every byte as %XX */

static char *
url_encode_all(const char *in)
{
    char    *out;
    size_t   i, n;

    n = strlen(in);
    out = xmalloc(3 * n + 1);

    for (i = 0; i < n; i++) {
        sprintf(out + 3 * i, "%%%02X", (unsigned char) in[i]);
    }

    return out;
}


/* %XX to bytes, for the Set-Cookie values of react-router */

static char *
url_decode(const char *in)
{
    char          *out;
    size_t         i, n;
    unsigned int   b;

    out = xmalloc(strlen(in) + 1);

    for (i = 0, n = 0; in[i] != '\0'; n++) {
        if (in[i] == '%' && sscanf(in + i + 1, "%2x", &b) == 1) {
            out[n] = (char) b;
            i += 3;

        } else {
            out[n] = in[i++];
        }
    }

    out[n] = '\0';

    return out;
}


/* the fixture cookie with one character changed at pos */

static char *
tamper(const char *in, size_t pos)
{
    char  *out;

    out = xstrdup(in);
    out[pos] = (out[pos] == 'A') ? 'B' : 'A';

    return out;
}


static void
test_fixture(json_t *c, json_t *passwords)
{
    int              rc, index, i, all, iron;
    char             err[256], label[64], *v, *name_buf;
    size_t           n, k, len, npw, pos;
    json_t          *names, *item;
    int64_t          now;
    const char      *name, *cookie, *expect, *p, *token;
    wjwt_str_t       pw[8], rot[9];
    wjwt_session_t   s;

    name = jstr(c, "name");
    cookie = jstr(c, "cookie");
    expect = jstr(c, "expect");
    token = jstr(c, "access_token");
    names = json_object_get(c, "passwords");
    now = json_integer_value(json_object_get(c, "now"));
    index = (int) json_integer_value(json_object_get(c, "password_index"));

    if (!ok(name != NULL && cookie != NULL && expect != NULL && token != NULL
            && json_is_array(names) && json_array_size(names) > 0
            && json_array_size(names) <= 8,
            "fixture \"%s\" is complete", name ? name : "?"))
    {
        return;
    }

    npw = 0;

    json_array_foreach(names, k, item) {
        p = jstr(passwords, json_string_value(item));
        pw[npw++] = str(p ? p : "");
    }

    len = strlen(cookie);
    snprintf(prefix, sizeof(prefix), "%s, ", name);

    rc = sopen(&s, cookie, len, pw, npw, now, err, sizeof(err));

    if (strcmp(expect, "valid") != 0) {
        is_str(rc == WJWT_VALID ? "(valid)" : err, jstr(c, "error"),
               "%s: %s", name, expect);
        sfree(&s);

        /* the same seal, at a time it was valid */

        now = json_integer_value(json_object_get(c, "valid_at"));
        rc = sopen(&s, cookie, len, pw, npw, now, err, sizeof(err));
    }

    if (!is_int(rc, WJWT_VALID, "%s: opens", name)) {
        diag("    %s", err);
    }

    is_str(wjwt_session_format_name(s.format), jstr(c, "format"),
           "%s: format", name);
    is_int(s.password_index, index, "%s: password index", name);
    ok(str_is(s.access_token, token), "%s: access token", name);
    ok(str_is(s.user_id, jstr(c, "user_id")), "%s: user id", name);
    ok(str_is(s.email, jstr(c, "email")), "%s: email", name);
    ok(session_clean(&s), "%s: no refresh token in the session", name);
    ok(wjwt_session_user_matches(&s.user_id, (const unsigned char *)
                                 jstr(c, "user_id"),
                                 strlen(jstr(c, "user_id")))
       && !wjwt_session_user_matches(&s.user_id,
                                     (const unsigned char *) "user_", 5),
       "%s: user matches the sub of its token only", name);
    is_int(json_is_object(json_object_get(s.session, "impersonator")),
           json_is_true(json_object_get(c, "impersonated")),
           "%s: impersonator", name);
    sfree(&s);

    /* rotation: a wrong password first shifts the index */

    rot[0] = str(PW_WRONG);
    memcpy(rot + 1, pw, npw * sizeof(wjwt_str_t));
    valid(cookie, len, rot, npw + 1, now, index + 1, token,
          "after a wrong password");

    /* an empty password in the list is skipped */

    rot[0] = str("");
    valid(cookie, len, rot, npw + 1, now, index + 1, token,
          "after an empty password");

    malformed(cookie, len, rot, 1, now, NO_MAC, "an empty password only");
    rot[0] = str(PW_WRONG);
    malformed(cookie, len, rot, 1, now, NO_MAC, "a wrong password only");
    malformed(cookie, len, pw, 0, now, "no session password",
              "no password");

    /* raw and URL-encoded; quoted */

    v = url_decode(cookie);
    valid(v, strlen(v), pw, npw, now, index, token, "URL-decoded");

    name_buf = url_encode_all(v);
    valid(name_buf, strlen(name_buf), pw, npw, now, index, token,
          "every byte %XX");
    free(name_buf);

    name_buf = xmalloc(len + 3);
    sprintf(name_buf, "\"%s\"", cookie);
    valid(name_buf, len + 2, pw, npw, now, index, token, "in quotes");
    free(name_buf);

    /* tampered: MAC, ciphertext, salts, iv, payload */

    n = strlen(v);

    iron = (strncmp(v, "Fe26.2*", 7) == 0);

    if (iron) {
        static const int  fields[] = { 7, 4, 2, 3, 6, 1 };

        for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
            for (pos = 0, i = 0; v[pos] != '\0' && i < fields[k]; pos++) {
                i += (v[pos] == '*');
            }

            name_buf = tamper(v, pos + (fields[k] == 1 ? 0 : 2));
            snprintf(label, sizeof(label), "one character of field %d",
                     fields[k]);
            malformed(name_buf, n, pw, npw, now, NO_MAC, label);
            free(name_buf);
        }

        /* ~2 is optional; another suffix is not */

        v[n - 2] = '\0';
        valid(v, n - 2, pw, npw, now, index, token, "without ~2");
        v[n - 2] = '~';
        v[n - 1] = '3';
        malformed(v, n, pw, npw, now,
                  "the sealed session has an unsupported version suffix",
                  "~3");
        v[n - 1] = '2';

    } else {
        name_buf = tamper(v, n - 5);
        malformed(name_buf, n, pw, npw, now, NO_MAC, "Remix MAC changed");
        free(name_buf);

        name_buf = tamper(v, 10);
        malformed(name_buf, n, pw, npw, now, NO_MAC, "Remix data changed");
        free(name_buf);

        /* the signature with its '=' */

        name_buf = xmalloc(n + 2);
        sprintf(name_buf, "%s=", v);
        valid(name_buf, n + 1, pw, npw, now, index, token,
              "Remix MAC with '='");
        free(name_buf);
    }

    /* every truncation, every extension */

    all = 1;

    for (k = 0; k < n; k++) {
        if (iron && k == n - 2) {
            continue;
        }

        rc = sopen(&s, v, k, pw, npw, now, err, sizeof(err));
        all &= (rc == WJWT_MALFORMED && s.session == NULL);
        sfree(&s);
    }

    ok(all, "%s: all %zu truncations malformed", name, n);

    name_buf = xmalloc(n + 2);
    memcpy(name_buf, v, n);
    all = 1;

    for (k = 0; k < 256; k++) {
        name_buf[n] = (char) k;
        rc = sopen(&s, name_buf, n + 1, pw, npw, now, err, sizeof(err));
        all &= (rc == WJWT_MALFORMED
                || (k == '=' && s.format == WJWT_SESSION_REMIX));
        sfree(&s);
    }

    ok(all, "%s: one more byte of any value is malformed", name);
    free(name_buf);
    free(v);
    prefix[0] = '\0';
}


static void
test_fixtures(const char *path)
{
    size_t         i;
    json_t        *root, *cases, *c, *passwords;
    json_error_t   error;

    root = json_load_file(path, 0, &error);

    if (!ok(root != NULL, "fixtures %s load", path)) {
        diag("    %s", error.text);
        return;
    }

    cases = json_object_get(root, "cases");
    passwords = json_object_get(root, "passwords");

    ok(json_is_array(cases) && json_array_size(cases) >= 8
       && json_is_object(passwords),
       "fixtures have cases and passwords");

    json_array_foreach(cases, i, c) {
        test_fixture(c, passwords);
    }

    /* the expired seal, around the 60 s skew */

    json_array_foreach(cases, i, c) {
        json_int_t   exp;
        const char  *cookie;
        wjwt_str_t   pw;

        exp = json_integer_value(json_object_get(c, "expiration"));
        cookie = jstr(c, "cookie");

        if (exp == 0 || cookie == NULL) {
            continue;
        }

        pw = str(PW1);
        valid(cookie, strlen(cookie), &pw, 1, (exp + 60000) / 1000 - 1, 0,
              NULL, "expiration + 59 s");
        malformed(cookie, strlen(cookie), &pw, 1, (exp + 60000) / 1000,
                  "the sealed session has expired", "expiration + 60 s");
        malformed(cookie, strlen(cookie), &pw, 1, NOW,
                  "the sealed session has expired", "expired now");
    }

    json_decref(root);
}


/* plaintext sealed here, to reach what lies behind the MAC */

static void
test_plaintext(void)
{
    char              *seal, *cookie, err[256];
    size_t             i, n;
    wjwt_str_t         pw[2];
    wjwt_session_t     s;
    wjwt_test_seal_t   o;

    static const char  tok[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";

    static const struct {
        const char  *text;
        const char  *reason;            /* NULL: valid */
        const char  *user_id;
        const char  *name;
    } cases[] = {
        { "{\"accessToken\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln\","
          "\"refreshToken\":\"SECRETRT_plain\",\"user\":{\"id\":\"u\"}}",
          NULL, "u", "plain session" },
        { " \t\r\n{ \"refresh\\u0054oken\" : \"SECRETRT_escaped_name\" , "
          "\"accessToken\" : \"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln\" }"
          " \n",
          NULL, "", "escaped member name, whitespace everywhere" },
        { "{\"user\":{\"id\":\"u\",\"refreshToken\":\"x\",\"a\":[1,{\"b\":"
          "\"}]\\\"\"}]},\"refreshToken\":{\"nested\":[\"SECRETRT_obj\"]},"
          "\"accessToken\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln\"}",
          NULL, "u", "refreshToken an object, after nested brackets" },
        { "{\"refreshToken\":123456789,\"accessToken\":"
          "\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln\",\"user\":null}",
          NULL, "", "refreshToken a number, user null" },
        { "{\"refreshToken\":\"SECRETRT_\\\"q\\\\\\u00e9\","
          "\"accessToken\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln\","
          "\"user\":{\"id\":\"u\",\"email\":7}}",
          NULL, "u", "escapes in the refresh token, email not a string" },
        { "{\"refreshToken\":\"SECRETRT_dup1\",\"refreshToken\":"
          "\"SECRETRT_dup2\",\"accessToken\":\"a\"}",
          "the sealed session is not JSON", NULL, "two refreshTokens" },
        { "{\"refreshToken\":\"SECRETRT_bad\",\"accessToken\":tru}",
          "the sealed session is not JSON", NULL, "bad literal" },
        { "{\"refreshToken\":\"SECRETRT_ctl\x01\",\"accessToken\":\"a\"}",
          NULL, "", "control character in the refresh token" },
        { "{\"accessToken\":\"a\x01\",\"refreshToken\":\"SECRETRT_c\"}",
          "the sealed session is not JSON", NULL,
          "control character elsewhere" },
        { "{\"accessToken\":\"a\",\"x\":\"\xff\",\"refreshToken\":"
          "\"SECRETRT_utf8\"}",
          "the sealed session is not JSON", NULL, "invalid UTF-8" },
        { "{\"accessToken\":\"a\",\"refreshToken\":\"SECRETRT_t\"} {}",
          "the sealed session is not a JSON object", NULL,
          "two values" },
        { "{\"accessToken\":\"a\",\"refreshToken\":\"SECRETRT_u\"",
          "the sealed session is not a JSON object", NULL, "unterminated" },
        { "[\"SECRETRT_array\"]",
          "the sealed session is not a JSON object", NULL, "an array" },
        { "not json at all SECRETRT",
          "the sealed session is not a JSON object", NULL, "not JSON" },
        { "",
          "the sealed session is not a JSON object", NULL, "empty" },
        { "{}",
          "the sealed session has no accessToken", NULL, "empty object" },
        { "{\"refreshToken\":\"SECRETRT_n\",\"accessToken\":5}",
          "the sealed session has no accessToken", NULL,
          "accessToken a number" },
        { "{\"accessToken\":\"\"}",
          "the sealed session has no accessToken", NULL,
          "accessToken empty" },
        { "{\"accessToken\":\"a\",\"user\":[]}",
          "the sealed session's user is not an object", NULL,
          "user an array" },
        { "{\"accessToken\":\"a\",\"user\":{\"id\":1}}",
          "the sealed session's user id is not a string", NULL,
          "user id a number" },
        { "{\"accessToken\":\"a\",\"x\":\"\\u0000\"}",
          "the sealed session is not JSON", NULL, "\\u0000" },
    };

    pw[0] = str(PW1);
    pw[1] = str(PW2);
    memset(&o, 0, sizeof(o));
    o.password = PW1;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seal = must(wjwt_test_seal(&o, (const unsigned char *) cases[i].text,
                                   strlen(cases[i].text)));

        if (cases[i].reason != NULL) {
            malformed(seal, strlen(seal), pw, 2, NOW, cases[i].reason,
                      cases[i].name);
            free(seal);
            continue;
        }

        if (!is_int(sopen(&s, seal, strlen(seal), pw, 2, NOW, err,
                          sizeof(err)),
                    WJWT_VALID, "%s: opens", cases[i].name))
        {
            diag("    %s", err);
        }

        ok(session_clean(&s) && str_is(s.user_id, cases[i].user_id)
           && s.email.len == 0 && s.password_index == 0,
           "%s: no refresh token, user \"%s\", no email", cases[i].name,
           cases[i].user_id);
        sfree(&s);

        /* the same inside a Remix cookie, the seal under the 2nd password */

        free(seal);
        o.password = PW2;
        seal = must(wjwt_test_seal(&o, (const unsigned char *) cases[i].text,
                                   strlen(cases[i].text)));
        o.password = PW1;
        n = strlen(seal) + 16;
        cookie = xmalloc(n);
        snprintf(cookie, n, "{\"jwt\":\"%s\"}", seal);
        free(seal);
        seal = must(wjwt_test_remix(PW1, (unsigned char *) cookie,
                                    strlen(cookie)));
        valid(seal, strlen(seal), pw, 2, NOW, 1, NULL, cases[i].name);
        free(cookie);
        free(seal);
    }

    /* the user matches its token's sub exactly, never when absent */

    seal = must(wjwt_test_seal(&o, (const unsigned char *) cases[1].text,
                               strlen(cases[1].text)));
    sopen(&s, seal, strlen(seal), pw, 2, NOW, err, sizeof(err));
    ok(str_is(s.access_token, tok) && s.user_id.len == 0
       && !wjwt_session_user_matches(&s.user_id, (const unsigned char *) "",
                                     0)
       && !wjwt_session_user_matches(&s.user_id, (const unsigned char *) "u",
                                     1),
       "no user: matches no sub");
    sfree(&s);
    free(seal);
}


static void
test_iron_fields(void)
{
    char              *seal, *p, label[256];
    size_t             i;
    wjwt_str_t         pw;
    wjwt_test_seal_t   o;

    static const char  text[] = "{\"accessToken\":\"a\"}";
    static const char  block[] = "{\"accessToken\":\"a\",\"x\":\"123\"}   ";

    static const struct {
        const char  *id;
        const char  *enc_salt;
        const char  *mac_salt;
        const char  *expiration;
        const char  *suffix;
        int          no_padding;
        const char  *reason;            /* NULL: valid */
    } cases[] = {
        { "", NULL, NULL, NULL, NULL, 0, NULL },
        { "rotation_2", NULL, NULL, NULL, "", 0, NULL },
        { "a-b", NULL, NULL, NULL, NULL, 0,
          "the sealed session has an invalid password id" },
        { NULL, "x", "y", NULL, NULL, 0, NULL },
        { NULL, "", NULL, NULL, NULL, 0,
          "the sealed session has an empty salt" },
        { NULL, NULL, "", NULL, NULL, 0,
          "the sealed session has an empty salt" },
        { NULL, NULL, NULL, "4070908800000", NULL, 0, NULL },
        { NULL, NULL, NULL, "99999999999999999999999999", NULL, 0, NULL },
        { NULL, NULL, NULL, "1767225540001", NULL, 0, NULL },
        { NULL, NULL, NULL, "1767225540000", NULL, 0,
          "the sealed session has expired" },
        { NULL, NULL, NULL, "0", NULL, 0, "the sealed session has expired" },
        { NULL, NULL, NULL, "-1", NULL, 0,
          "the sealed session has an invalid expiration" },
        { NULL, NULL, NULL, "1e99", NULL, 0,
          "the sealed session has an invalid expiration" },
        { NULL, NULL, NULL, NULL, "~1", 0,
          "the sealed session has an unsupported version suffix" },
        { NULL, NULL, NULL, NULL, "~", 0,
          "the sealed session has an unsupported version suffix" },
        { NULL, NULL, NULL, NULL, "~2~2", 0,
          "the sealed session has an unsupported version suffix" },
        { NULL, NULL, NULL, NULL, "~22", 0,
          "the sealed session has an unsupported version suffix" },
        { NULL, NULL, NULL, NULL, "*", 0,
          "the sealed session does not have 8 fields" },
        { NULL, NULL, NULL, NULL, NULL, 1,
          "the sealed session does not decrypt (bad padding)" },
    };

    pw = str(PW1);
    memset(&o, 0, sizeof(o));
    o.password = PW1;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        o.id = cases[i].id;
        o.enc_salt = cases[i].enc_salt;
        o.mac_salt = cases[i].mac_salt;
        o.expiration = cases[i].expiration;
        o.suffix = cases[i].suffix;
        o.no_padding = cases[i].no_padding;

        /* 32 bytes sealed without padding: the last byte ' ' is none */

        if (o.no_padding) {
            seal = must(wjwt_test_seal(&o, (const unsigned char *) block, 32));

        } else {
            seal = must(wjwt_test_seal(&o, (const unsigned char *) text,
                                       sizeof(text) - 1));
        }

        if (cases[i].reason == NULL) {
            snprintf(label, sizeof(label), "id \"%s\", salts %s/%s, "
                     "expiration \"%s\", suffix \"%s\"",
                     o.id ? o.id : "1", o.enc_salt ? o.enc_salt : "-",
                     o.mac_salt ? o.mac_salt : "-",
                     o.expiration ? o.expiration : "",
                     o.suffix ? o.suffix : "~2");
            valid(seal, strlen(seal), &pw, 1, NOW, 0, "a", label);

        } else {
            malformed(seal, strlen(seal), &pw, 1, NOW, cases[i].reason,
                      cases[i].reason);
        }

        free(seal);
    }

    memset(&o, 0, sizeof(o));
    o.password = PW1;
    seal = must(wjwt_test_seal(&o, (const unsigned char *) text,
                               sizeof(text) - 1));

    /* the iv field one character short, the MAC one long */

    p = xstrdup(seal);
    memmove(strstr(p, "*EDJU") + 1, strstr(p, "*EDJU") + 2,
            strlen(strstr(p, "*EDJU") + 1));
    malformed(p, strlen(p), &pw, 1, NOW,
              "the sealed session has an invalid iv", "iv 21 characters");
    free(p);

    p = xmalloc(strlen(seal) + 2);
    strcpy(p, seal);
    strcpy(strrchr(p, '~'), "A~2");
    malformed(p, strlen(p), &pw, 1, NOW,
              "the sealed session's MAC is not 32 bytes", "MAC 44 characters");
    free(p);

    /* a Remix cookie whose jwt is not a seal, or missing */

    p = must(wjwt_test_remix(PW1, (unsigned char *) "{\"jwt\":\"Fe26.1*x\"}",
                             18));
    malformed(p, strlen(p), &pw, 1, NOW,
              "the session cookie's \"jwt\" is not an iron seal",
              "Remix jwt not a seal");
    free(p);

    p = must(wjwt_test_remix(PW1, (unsigned char *) "{\"jwt\":1}", 9));
    malformed(p, strlen(p), &pw, 1, NOW,
              "the session cookie holds no sealed session", "Remix no jwt");
    free(p);

    p = must(wjwt_test_remix(PW1, (unsigned char *) "[1]", 3));
    malformed(p, strlen(p), &pw, 1, NOW,
              "the session cookie's data is not a JSON object",
              "Remix data an array");
    free(p);

    p = xmalloc(strlen(seal) + 16);
    snprintf(p, strlen(seal) + 16, "{\"jwt\":\"%s\"}", seal);
    free(seal);
    seal = must(wjwt_test_remix(PW1, (unsigned char *) p, strlen(p)));
    free(p);
    valid(seal, strlen(seal), &pw, 1, NOW, 0, "a", "Remix of a test seal");

    /* a '=' in the middle of the data, correctly signed */

    p = xmalloc(strlen(seal) + 64);
    strcpy(p, "ab=c");
    {
        unsigned int   mlen;
        unsigned char  mac[EVP_MAX_MD_SIZE];

        HMAC(EVP_sha256(), PW1, (int) strlen(PW1), (unsigned char *) p, 4,
             mac, &mlen);
        p[4] = '.';
        wjwt_test_b64(mac, mlen, p + 5, 0);
    }
    malformed(p, strlen(p), &pw, 1, NOW,
              "the session cookie's data is not base64", "Remix data '='");
    free(p);
    free(seal);
}


static void
test_garbage(void)
{
    int             all;
    char            err[256];
    size_t          i, k, n;
    uint32_t        x;
    wjwt_str_t      pw[2];
    unsigned char  *big;
    wjwt_session_t  s;

    static const char  *unsupported[] = {
        "garbage", "Fe26.2", "Fe26.1*1*a*b*c**d*e~2", "fe26.2*", "a.b.c",
        ".abc", "abc.", ".", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln",
        "abc-def.ghi", "abc def.ghi", "%", "%zz", "%2", "\"\"\"",
        "Fe26.2%2", NULL
    };

    pw[0] = str(PW1);
    pw[1] = str(PW2);

    for (i = 0; unsupported[i] != NULL; i++) {
        malformed(unsupported[i], strlen(unsupported[i]), pw, 2, NOW,
                  "unsupported session cookie format", unsupported[i]);
    }

    malformed("", 0, pw, 2, NOW, "the session cookie is empty", "empty");
    malformed("\"\"", 2, pw, 2, NOW, "the session cookie is empty",
              "empty quotes");
    malformed(NULL, 5, pw, 2, NOW, "the session cookie is empty", "NULL");
    malformed("Fe26.2*", 7, pw, 2, NOW, "unsupported session cookie format",
              "prefix only");
    malformed("Fe26.2**", 8, pw, 2, NOW,
              "the sealed session does not have 8 fields", "two fields");
    malformed("Fe26.2*1*s*AAAAAAAAAAAAAAAAAAAAAA*AAAA**s*"
              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 85, pw, 2, NOW,
              NO_MAC, "a well-formed seal under no password");
    malformed("Zm9v.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 48, pw, 2,
              NOW, NO_MAC, "a well-formed Remix cookie under no password");
    malformed("Zm9v.AAAA", 9, pw, 2, NOW, "unsupported session cookie "
              "format", "a short Remix MAC");
    malformed("Zm9v.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 49, pw, 2,
              NOW, NO_MAC, "a Remix MAC with '='");
    malformed("Zm9v.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", 49, pw, 2,
              NOW, "unsupported session cookie format",
              "a Remix MAC with '=='");

    big = xmalloc(WJWT_SESSION_MAX_COOKIE + 1);
    memset(big, 'A', WJWT_SESSION_MAX_COOKIE + 1);
    malformed(big, WJWT_SESSION_MAX_COOKIE + 1, pw, 2, NOW,
              "the session cookie is longer than 65536 bytes", "oversize");
    malformed(big, WJWT_SESSION_MAX_COOKIE, pw, 2, NOW,
              "unsupported session cookie format", "65536 bytes");
    memcpy(big, "Fe26.2*", 7);
    malformed(big, WJWT_SESSION_MAX_COOKIE, pw, 2, NOW,
              "the sealed session does not have 8 fields", "65536, iron");
    big[WJWT_SESSION_MAX_COOKIE - 44] = '.';
    memcpy(big, "AAAAAAA", 7);
    malformed(big, WJWT_SESSION_MAX_COOKIE, pw, 2, NOW, NO_MAC,
              "65536, Remix");
    free(big);

    /* pseudo-random bytes and cookie-like alphabets */

    big = xmalloc(4096);
    x = 2463534242u;
    all = 1;

    for (i = 0; i < 3000; i++) {
        n = (i * 7) % 4096;

        for (k = 0; k < n; k++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            big[k] = (i % 3 == 0) ? (unsigned char) x
                     : (unsigned char) "Fe26.2*~%0123456789abcdefABC.=+/-_\""
                       [x % 35];
        }

        if (i % 5 == 0 && n > 7) {
            memcpy(big, "Fe26.2*", 7);
        }

        all &= (sopen(&s, big, n, pw, 2, NOW, err, sizeof(err))
                == WJWT_MALFORMED && err[0] != '\0' && s.session == NULL);
        sfree(&s);
    }

    ok(all, "3000 random cookies are malformed with a reason");
    free(big);

    /* err may be short or absent */

    sopen(&s, "garbage", 7, pw, 2, NOW, err, 8);
    is_str(err, "unsuppo", "err is cut to its size");
    sfree(&s);
    is_int(sopen(&s, "garbage", 7, pw, 2, NOW, NULL, 0), WJWT_MALFORMED,
           "err NULL");
    sfree(&s);
}


int
main(int argc, char **argv)
{
    wjwt_watch = watch_block;
    json_set_alloc_funcs(wjwt_watch_malloc, wjwt_watch_free);

    test_fixtures(argc > 1 ? argv[1] : FIXTURES);
    test_plaintext();
    test_iron_fields();
    test_garbage();

    ok(watch_frees > 1000 && watch_hits == 0,
       "no block Jansson freed held a refresh token (%zu of %zu)",
       watch_hits, watch_frees);

    return done_testing();
}
