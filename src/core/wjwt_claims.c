
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <string.h>

#include "wjwt.h"


static const char  *wjwt_string_claims[] = {
    "sub", "sid", "jti", "org_id", "role", "iss", "client_id", NULL
};


static const char  *wjwt_array_claims[] = {
    "roles", "permissions", "entitlements", "feature_flags", NULL
};


static const char  *wjwt_time_claims[] = {
    "exp", "nbf", "iat", "auth_time", NULL
};


static int wjwt_claims_check_types(const json_t *claims);
static int wjwt_is_string_array(const json_t *v);
static void wjwt_claims_extract(const json_t *claims, wjwt_claims_t *c);
static int wjwt_permission_match(const json_t *granted,
    const unsigned char *req, size_t len, int wildcards);


void
wjwt_token_facts(const wjwt_token_t *t, wjwt_facts_t *f)
{
    memset(f, 0, sizeof(wjwt_facts_t));

    f->types = wjwt_claims_check_types(t->claims);

    if (f->types == WJWT_VALID) {
        wjwt_claims_extract(t->claims, &f->claims);
        f->lint = wjwt_lint_static(t);
    }
}


/*
 * exp and sub required, string and string-array claims, times
 * 0..WJWT_MAX_TIME; null is malformed
 */

static int
wjwt_claims_check_types(const json_t *claims)
{
    size_t       i;
    double       d;
    json_t      *v;
    json_int_t   n;

    if (!json_is_object(claims)) {
        return WJWT_MALFORMED;
    }

    if (json_object_get(claims, "exp") == NULL
        || json_object_get(claims, "sub") == NULL)
    {
        return WJWT_MALFORMED;
    }

    for (i = 0; wjwt_string_claims[i] != NULL; i++) {
        v = json_object_get(claims, wjwt_string_claims[i]);
        if (v != NULL && !json_is_string(v)) {
            return WJWT_MALFORMED;
        }
    }

    for (i = 0; wjwt_array_claims[i] != NULL; i++) {
        v = json_object_get(claims, wjwt_array_claims[i]);
        if (v != NULL && !wjwt_is_string_array(v)) {
            return WJWT_MALFORMED;
        }
    }

    v = json_object_get(claims, "aud");
    if (v != NULL && !json_is_string(v) && !wjwt_is_string_array(v)) {
        return WJWT_MALFORMED;
    }

    for (i = 0; wjwt_time_claims[i] != NULL; i++) {
        v = json_object_get(claims, wjwt_time_claims[i]);
        if (v == NULL) {
            continue;
        }

        if (json_is_integer(v)) {
            n = json_integer_value(v);
            if (n < 0 || n > WJWT_MAX_TIME) {
                return WJWT_MALFORMED;
            }

        } else if (json_is_real(v)) {
            d = json_real_value(v);
            if (!(d >= 0.0 && d <= (double) WJWT_MAX_TIME)) {
                return WJWT_MALFORMED;
            }

        } else {
            return WJWT_MALFORMED;
        }
    }

    v = json_object_get(claims, "act");
    if (v != NULL) {
        if (!json_is_object(v)) {
            return WJWT_MALFORMED;
        }

        v = json_object_get(v, "sub");
        if (v != NULL && !json_is_string(v)) {
            return WJWT_MALFORMED;
        }
    }

    return WJWT_VALID;
}


static int
wjwt_is_string_array(const json_t *v)
{
    size_t   i;
    json_t  *item;

    if (!json_is_array(v)) {
        return 0;
    }

    json_array_foreach(v, i, item) {
        if (!json_is_string(item)) {
            return 0;
        }
    }

    return 1;
}


int
wjwt_claim_time(const json_t *claims, const char *name, int64_t *out)
{
    double   d;
    json_t  *v;

    v = json_object_get(claims, name);

    if (json_is_integer(v)) {
        *out = (int64_t) json_integer_value(v);
        return 1;
    }

    if (json_is_real(v)) {
        d = json_real_value(v);

        if (!(d > -9.0e18)) {
            *out = -9000000000000000000LL;

        } else if (!(d < 9.0e18)) {
            *out = 9000000000000000000LL;

        } else {
            *out = (int64_t) d;
        }

        return 1;
    }

    return 0;
}


static void
wjwt_claims_extract(const json_t *claims, wjwt_claims_t *c)
{
    memset(c, 0, sizeof(wjwt_claims_t));

    c->has_exp = wjwt_claim_time(claims, "exp", &c->exp);
    c->has_nbf = wjwt_claim_time(claims, "nbf", &c->nbf);
    c->has_iat = wjwt_claim_time(claims, "iat", &c->iat);
    c->has_auth_time = wjwt_claim_time(claims, "auth_time", &c->auth_time);

    c->iss = json_object_get(claims, "iss");
    c->client_id = json_object_get(claims, "client_id");
    c->aud = json_object_get(claims, "aud");
    c->sid = json_object_get(claims, "sid");
}


int
wjwt_has_permission(const json_t *claims, const unsigned char *req,
    size_t len, int wildcards)
{
    size_t                i;
    json_t               *perms, *item;
    const unsigned char  *p, *end, *bar;

    perms = json_object_get(claims, "permissions");
    if (!json_is_array(perms)) {
        return 0;
    }

    p = req;
    end = req + len;

    /* "a|b": any alternative granted will do */

    for ( ;; ) {
        bar = memchr(p, '|', (size_t) (end - p));
        if (bar == NULL) {
            bar = end;
        }

        if (bar > p) {
            json_array_foreach(perms, i, item) {
                if (wjwt_permission_match(item, p, (size_t) (bar - p),
                                          wildcards))
                {
                    return 1;
                }
            }
        }

        if (bar == end) {
            return 0;
        }

        p = bar + 1;
    }
}


static int
wjwt_permission_match(const json_t *granted, const unsigned char *req,
    size_t len, int wildcards)
{
    size_t       n;
    const char  *g;

    if (!json_is_string(granted)) {
        return 0;
    }

    if (wjwt_json_str_eq(granted, req, len)) {
        return 1;
    }

    if (!wildcards) {
        return 0;
    }

    g = json_string_value(granted);
    n = json_string_length(granted);

    if (n == 1 && g[0] == '*') {
        return 1;
    }

    /* "res:*" grants "res:<anything non-empty>" */

    if (n >= 2 && g[n - 2] == ':' && g[n - 1] == '*'
        && len > n - 1 && memcmp(g, req, n - 1) == 0)
    {
        return 1;
    }

    return 0;
}


int
wjwt_has_role(const json_t *claims, const unsigned char *role, size_t len)
{
    size_t   i;
    json_t  *roles, *item;

    roles = json_object_get(claims, "roles");

    if (roles == NULL) {
        return wjwt_json_str_eq(json_object_get(claims, "role"), role, len);
    }

    if (!json_is_array(roles)) {
        return 0;
    }

    json_array_foreach(roles, i, item) {
        if (wjwt_json_str_eq(item, role, len)) {
            return 1;
        }
    }

    return 0;
}
