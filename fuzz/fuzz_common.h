
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Helpers shared by the fuzz targets: the fixed key set, and the claim
 * checks every target runs on whatever JSON object it got hold of.
 */


#ifndef _WJWT_FUZZ_COMMON_H_INCLUDED_
#define _WJWT_FUZZ_COMMON_H_INCLUDED_


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wjwt.h>


#define WJWT_FUZZ_ALL_ALGS   ((1u << WJWT_ALG_COUNT) - 1)
#define WJWT_FUZZ_NOW        1735689600LL       /* 2025-01-01 */
#define WJWT_FUZZ_MAX_STRS   16


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);


/* every byte of a result is read, so that ASan sees any overrun */

static volatile unsigned  wjwt_fuzz_sink;


static inline void
wjwt_fuzz_touch(const void *p, size_t len)
{
    size_t                i;
    unsigned              h;
    const unsigned char  *c;

    h = 0;
    c = p;

    for (i = 0; i < len; i++) {
        h = h * 31 + c[i];
    }

    wjwt_fuzz_sink += h;
}


static inline void
wjwt_fuzz_warn(void *data, const char *kid, const char *reason)
{
    if (kid != NULL) {
        wjwt_fuzz_touch(kid, strlen(kid));
    }

    wjwt_fuzz_touch(reason, strlen(reason));
}


/*
 * wjwt_json_text() both ways: measured, then into an exact buffer, then
 * into a short one (the result must be cut, never overrun)
 */

static inline void
wjwt_fuzz_json_text(const json_t *v)
{
    size_t          n, m;
    unsigned char  *buf, small[8];

    n = wjwt_json_text(v, NULL, 0);

    buf = malloc(n + 1);
    if (buf == NULL) {
        return;
    }

    m = wjwt_json_text(v, buf, n + 1);
    if (m != n || buf[n] != '\0') {
        abort();
    }

    wjwt_fuzz_touch(buf, n + 1);
    free(buf);

    m = wjwt_json_text(v, small, sizeof(small));
    if (m != n) {
        abort();
    }

    wjwt_fuzz_touch(small, m < sizeof(small) ? m + 1 : sizeof(small));
}


static inline void
wjwt_fuzz_lint_detail(const wjwt_token_t *t, int code, int64_t now,
    int64_t max_lifetime)
{
    char    *buf, small[5];
    size_t   n, m;

    n = wjwt_lint_detail_at(t, code, now, max_lifetime, NULL, 0);

    buf = malloc(n + 1);
    if (buf == NULL) {
        return;
    }

    m = wjwt_lint_detail_at(t, code, now, max_lifetime, buf, n + 1);
    if (m != n || buf[n] != '\0') {
        abort();
    }

    wjwt_fuzz_touch(buf, n + 1);
    free(buf);

    m = wjwt_lint_detail_at(t, code, now, max_lifetime, small,
                            sizeof(small));
    if (m != n) {
        abort();
    }

    wjwt_fuzz_touch(small, m < sizeof(small) ? m + 1 : sizeof(small));
}


/*
 * What the module does after the signature step, on any claims object:
 * types, then (only when they pass, as the module does) validation under
 * a few policies built from strs, lint and every lint detail; the
 * permission and role matchers with each of strs.
 */

static inline void
wjwt_fuzz_claims(const wjwt_token_t *t, const wjwt_str_t *strs,
    size_t nstrs, int64_t now)
{
    int             code;
    size_t          i;
    json_t         *v;
    unsigned        lint;
    const char     *name;
    wjwt_policy_t   p;

    if (t->claims == NULL) {
        return;
    }

    json_object_foreach(t->claims, name, v) {
        wjwt_fuzz_json_text(v);
    }

    if (t->header != NULL) {
        json_object_foreach(t->header, name, v) {
            wjwt_fuzz_json_text(v);
        }
    }

    for (i = 0; i < nstrs; i++) {
        wjwt_fuzz_sink += wjwt_has_permission(t->claims, strs[i].data,
                                              strs[i].len, 0);
        wjwt_fuzz_sink += wjwt_has_permission(t->claims, strs[i].data,
                                              strs[i].len, 1);
        wjwt_fuzz_sink += wjwt_has_role(t->claims, strs[i].data,
                                        strs[i].len);
    }

    if (wjwt_claims_check_types(t->claims) != WJWT_VALID) {
        return;
    }

    memset(&p, 0, sizeof(wjwt_policy_t));
    p.now = now;
    p.max_auth_age = -1;

    wjwt_fuzz_sink += wjwt_claims_validate(t->claims, &p);

    p.issuers = strs;
    p.nissuers = nstrs;
    p.audiences = strs;
    p.naudiences = nstrs;

    if (nstrs > 0) {
        p.client_id = strs[nstrs - 1];
    }

    p.leeway = 60;
    p.session_only = 1;
    p.max_auth_age = 300;

    wjwt_fuzz_sink += wjwt_claims_validate(t->claims, &p);

    p.now = 0;
    p.leeway = 0;
    p.max_auth_age = 0;

    wjwt_fuzz_sink += wjwt_claims_validate(t->claims, &p);

    p.now = WJWT_MAX_TIME;
    p.leeway = 86400 * 365;
    p.max_auth_age = 86400 * 365;

    wjwt_fuzz_sink += wjwt_claims_validate(t->claims, &p);

    lint = wjwt_lint_run(t, now, 60, 86400);
    lint |= wjwt_lint_run(t, 0, 0, 0);
    lint |= wjwt_lint_run(t, WJWT_MAX_TIME, 86400 * 365, WJWT_MAX_TIME);
    wjwt_fuzz_sink += lint;

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        wjwt_fuzz_lint_detail(t, code, now, 86400);
        wjwt_fuzz_lint_detail(t, code, WJWT_MAX_TIME, 0);
    }
}


/* strings of a JSON object's members and of its arrays' items */

static inline size_t
wjwt_fuzz_strings(const json_t *obj, wjwt_str_t *strs, size_t max)
{
    size_t       n, i;
    json_t      *v, *item;
    const char  *name;

    n = 0;

    if (!json_is_object(obj)) {
        return 0;
    }

    json_object_foreach((json_t *) obj, name, v) {
        if (json_is_string(v) && n < max) {
            strs[n].data = (const unsigned char *) json_string_value(v);
            strs[n].len = json_string_length(v);
            n++;

        } else if (json_is_array(v)) {
            json_array_foreach(v, i, item) {
                if (json_is_string(item) && n < max) {
                    strs[n].data = (const unsigned char *)
                                   json_string_value(item);
                    strs[n].len = json_string_length(item);
                    n++;
                }
            }
        }
    }

    return n;
}


#endif /* _WJWT_FUZZ_COMMON_H_INCLUDED_ */
