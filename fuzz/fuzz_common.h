
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Helpers shared by the fuzz targets: the fixed key set, and the verdict
 * (wjwt_judge()) every target runs on whatever it got hold of.
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

#ifndef WJWT_FUZZ_JWKS
#define WJWT_FUZZ_JWKS       "fuzz/keys/jwks.json"
#endif


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

    n = wjwt_lint_detail(t, code, now, max_lifetime, NULL, 0);

    buf = malloc(n + 1);
    if (buf == NULL) {
        return;
    }

    m = wjwt_lint_detail(t, code, now, max_lifetime, buf, n + 1);
    if (m != n || buf[n] != '\0') {
        abort();
    }

    wjwt_fuzz_touch(buf, n + 1);
    free(buf);

    m = wjwt_lint_detail(t, code, now, max_lifetime, small, sizeof(small));
    if (m != n) {
        abort();
    }

    wjwt_fuzz_touch(small, m < sizeof(small) ? m + 1 : sizeof(small));
}


/* fuzz/keys/jwks.json (or $WJWT_FUZZ_JWKS), with at least 7 keys */

static inline void
wjwt_fuzz_load_keys(wjwt_keyset_t *ks, const char *target)
{
    int          n;
    char         err[256];
    FILE        *f;
    size_t       len;
    const char  *path;
    static char  buf[65536];

    path = getenv("WJWT_FUZZ_JWKS");
    if (path == NULL) {
        path = WJWT_FUZZ_JWKS;
    }

    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s\n", target, path);
        exit(1);
    }

    len = fread(buf, 1, sizeof(buf), f);
    fclose(f);

    err[0] = '\0';
    n = wjwt_keyset_add_json(ks, (unsigned char *) buf, len, NULL, NULL, err,
                             sizeof(err));
    if (n < 7) {
        fprintf(stderr, "%s: %s: %d keys (%s)\n", target, path, n, err);
        exit(1);
    }
}


static inline int
wjwt_fuzz_revoked(const wjwt_judge_t *j, const wjwt_verdict_t *v)
{
    (void) j;

    wjwt_fuzz_sink += (v->facts.claims.sid != NULL);

    return WJWT_VALID;
}


/*
 * The claims part of the verdict under the rules r: the token resumed
 * as if a cache knew that its signature verified under key (the glue's
 * per-worker cache does exactly this), so any claims reach every claim
 * check.  The verdict must then be a claims verdict.
 */

static inline void
wjwt_fuzz_judge_claims(const wjwt_token_t *t, const wjwt_facts_t *f,
    const wjwt_rules_t *r, int64_t now, const wjwt_keyset_t *ks,
    const wjwt_key_t *key)
{
    int                   rc;
    wjwt_judge_t          j;
    wjwt_verdict_t        v;
    const wjwt_keyset_t  *sets[1];

    memset(&v, 0, sizeof(wjwt_verdict_t));
    v.token.header = json_incref(t->header);
    v.token.claims = json_incref(t->claims);
    v.token.alg = WJWT_RS256;
    v.facts = *f;
    v.fingerprint = key->fingerprint;
    v.resumed = 1;

    sets[0] = ks;
    wjwt_judge_init(&j, r, sets, 1, now);
    j.revoked = wjwt_fuzz_revoked;

    rc = wjwt_judge(&j, NULL, 0, &v);

    if (rc < WJWT_EXPIRED && rc != WJWT_VALID && rc != WJWT_MALFORMED) {
        abort();
    }

    if (!v.verified || v.cache != WJWT_CACHE_HIT || v.key != key
        || (v.lint & r->lint_ignore) || (!r->lint && v.lint)
        || ((rc == WJWT_LINT_REJECTED) != (v.lint_rejecting != 0)))
    {
        abort();
    }

    wjwt_fuzz_sink += rc + v.lint;

    wjwt_verdict_free(&v);
}


/*
 * What the module does after the signature step, on any claims object:
 * the facts, then (only when the types pass, as the module does) the
 * verdict under a few rule sets built from strs, and every lint detail;
 * the permission and role matchers with each of strs.  key: an RSA key
 * of ks without kid or alg, to resume verdicts under.
 */

static inline void
wjwt_fuzz_claims(const wjwt_token_t *t, const wjwt_str_t *strs,
    size_t nstrs, int64_t now, const wjwt_keyset_t *ks,
    const wjwt_key_t *key)
{
    int            code;
    size_t         i;
    json_t        *v;
    const char    *name;
    wjwt_facts_t   f;
    wjwt_rules_t   r;

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

    wjwt_token_facts(t, &f);

    if (f.types != WJWT_VALID) {
        return;
    }

    wjwt_rules_init(&r);
    r.lint = 1;

    wjwt_fuzz_judge_claims(t, &f, &r, now, ks, key);

    r.issuers = strs;
    r.nissuers = nstrs;
    r.audiences = strs;
    r.naudiences = nstrs;

    if (nstrs > 0) {
        r.client_id = strs[nstrs - 1];
    }

    r.leeway = 60;
    r.session_only = 1;
    r.max_auth_age = 300;
    r.lint_ignore = WJWT_LINT_BIT(WJWT_LINT_MISSING_AUD);

    wjwt_fuzz_judge_claims(t, &f, &r, now, ks, key);

    /* lint off: the reject rules still run */

    r.lint = 0;
    r.lint_reject = ~0u;
    r.lint_max_lifetime = 0;

    wjwt_fuzz_judge_claims(t, &f, &r, 0, ks, key);

    r.leeway = 86400 * 365;
    r.max_auth_age = 86400 * 365;
    r.lint_max_lifetime = WJWT_MAX_TIME;

    wjwt_fuzz_judge_claims(t, &f, &r, WJWT_MAX_TIME, ks, key);

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        wjwt_fuzz_lint_detail(t, code, now, 86400);
        wjwt_fuzz_lint_detail(t, code, WJWT_MAX_TIME, 0);
    }
}


/* an RSA key of ks that fits RS256 and has no kid, for resumed verdicts */

static inline const wjwt_key_t *
wjwt_fuzz_rsa_key(const wjwt_keyset_t *ks)
{
    size_t  i;

    for (i = 0; i < ks->nkeys; i++) {
        if (ks->keys[i].kid == NULL
            && wjwt_key_fits(&ks->keys[i], WJWT_RS256))
        {
            return &ks->keys[i];
        }
    }

    fprintf(stderr, "fuzz: no RSA key without kid in the fuzz keys\n");
    exit(1);
}


#ifdef WJWT_FUZZ_WITH_KEYS

/* the targets that judge tokens: the fuzz keys, and their RSA key */

static wjwt_keyset_t      wjwt_fuzz_keys;
static const wjwt_key_t  *wjwt_fuzz_rsa;


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;

    wjwt_fuzz_load_keys(&wjwt_fuzz_keys, (*argv)[0]);
    wjwt_fuzz_rsa = wjwt_fuzz_rsa_key(&wjwt_fuzz_keys);

    return 0;
}

#endif


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
