
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <string.h>

#include "wjwt.h"


static const char  *wjwt_status_words[WJWT_STATUS_COUNT] = {
    "valid",
    "missing",
    "malformed",
    "alg_not_allowed",
    "unknown_kid",
    "bad_signature",
    "expired",
    "not_yet_valid",
    "bad_issuer",
    "bad_audience",
    "not_session",
    "revoked",
    "stale_auth",
    "lint_rejected",
    "keys_unavailable"
};


static const char  *wjwt_status_sentences[WJWT_STATUS_COUNT] = {
    "",
    "no token was provided",
    "the token is malformed",
    "the token's algorithm is not allowed",
    "no key matches the token's key id",
    "the token's signature is invalid",
    "the token has expired",
    "the token is not valid yet",
    "the token's issuer is not accepted",
    "the token's audience is not accepted",
    "the token is not a WorkOS session token",
    "the token's session was revoked",
    "the authentication is too old for this location",
    "the token was rejected by a lint rule",
    "no signing keys are available"
};


static const char  *wjwt_alg_names[WJWT_ALG_COUNT] = {
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA"
};


const char *
wjwt_status_word(int status)
{
    if (status < 0 || status >= WJWT_STATUS_COUNT) {
        return NULL;
    }

    return wjwt_status_words[status];
}


const char *
wjwt_status_sentence(int status)
{
    if (status < 0 || status >= WJWT_STATUS_COUNT) {
        return NULL;
    }

    return wjwt_status_sentences[status];
}


int
wjwt_alg_from_name(const unsigned char *name, size_t len)
{
    int  i;

    if (name == NULL) {
        return WJWT_ALG_UNKNOWN;
    }

    for (i = 0; i < WJWT_ALG_COUNT; i++) {
        if (strlen(wjwt_alg_names[i]) == len
            && memcmp(wjwt_alg_names[i], name, len) == 0)
        {
            return i;
        }
    }

    return WJWT_ALG_UNKNOWN;
}


const char *
wjwt_alg_name(int alg)
{
    if (alg < 0 || alg >= WJWT_ALG_COUNT) {
        return NULL;
    }

    return wjwt_alg_names[alg];
}
