
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Claims on arbitrary JSON: wjwt_json_parse(), then the facts, the
 * verdict's claim checks (a verdict resumed under a fixed key), lint
 * details, permission and role matching with strings taken from the
 * input, and wjwt_json_text() on every member.
 *
 * The JSON object serves as both claims and header (its "alg" and "kid"
 * feed lint); its string values, and the first input line, are the
 * required permissions, roles, issuers and audiences.
 */


#define WJWT_FUZZ_WITH_KEYS  1

#include "fuzz_common.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char           err[160], small[3];
    json_t        *root, *v;
    size_t         nstrs, line;
    wjwt_str_t     strs[WJWT_FUZZ_MAX_STRS + 2];
    wjwt_token_t   t;
    const uint8_t  *nl;

    root = wjwt_json_parse(data, size, err, sizeof(err));

    if (root == NULL) {
        if (strlen(err) >= sizeof(err)) {
            abort();
        }

        wjwt_fuzz_touch(err, strlen(err));

        if (wjwt_json_parse(data, size, small, sizeof(small)) != NULL) {
            abort();
        }

        if (wjwt_json_parse(data, size, NULL, 0) != NULL) {
            abort();
        }

        return 0;
    }

    wjwt_fuzz_json_text(root);

    if (!json_is_object(root)) {
        json_decref(root);
        return 0;
    }

    memset(&t, 0, sizeof(wjwt_token_t));
    t.alg = WJWT_ALG_UNKNOWN;
    t.claims = root;
    t.header = root;

    v = json_object_get(root, "alg");
    if (json_is_string(v)) {
        t.alg_name = json_string_value(v);
        t.alg = wjwt_alg_from_name((const unsigned char *) t.alg_name,
                                   json_string_length(v));
    }

    v = json_object_get(root, "kid");
    if (json_is_string(v)) {
        t.kid = json_string_value(v);
        t.kid_len = json_string_length(v);
    }

    nstrs = wjwt_fuzz_strings(root, strs, WJWT_FUZZ_MAX_STRS);

    /* the raw first line, e.g. a "a|b|res:*" requirement */

    nl = memchr(data, '\n', size);
    line = (nl != NULL) ? (size_t) (nl - data) : size;

    strs[nstrs].data = data;
    strs[nstrs].len = line > 256 ? 256 : line;
    nstrs++;

    strs[nstrs].data = (const unsigned char *) "";
    strs[nstrs].len = 0;
    nstrs++;

    wjwt_fuzz_claims(&t, strs, nstrs, WJWT_FUZZ_NOW, &wjwt_fuzz_keys,
                     wjwt_fuzz_rsa);

    json_decref(root);

    return 0;
}
