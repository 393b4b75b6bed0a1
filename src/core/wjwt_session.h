
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * AuthKit session cookies (SPEC §9): the iron seal ("Fe26.2*...~2") of
 * @workos-inc/node, authkit-nextjs and authkit-session, and the signed
 * React Router / Remix cookie session whose "jwt" member holds such a
 * seal (authkit-remix, authkit-react-router).
 */


#ifndef _WJWT_SESSION_H_INCLUDED_
#define _WJWT_SESSION_H_INCLUDED_


#include "wjwt.h"


#define WJWT_SESSION_MAX_COOKIE  65536


typedef enum {
    WJWT_SESSION_IRON = 1,
    WJWT_SESSION_REMIX
} wjwt_session_format_e;


typedef struct {
    int                    format;          /* wjwt_session_format_e */
    json_t                *session;         /* refreshToken removed */
    wjwt_str_t             access_token;    /* points into session */
    wjwt_str_t             user_id;         /* user.id, len 0 if absent */
    wjwt_str_t             email;           /* user.email, len 0 if absent */
    int                    password_index;  /* which password opened it */
    int64_t                expiration;      /* the seal's, ms; 0: none */
} wjwt_session_t;


/*
 * value: the cookie value as sent, raw or URL-encoded (%XX), optionally
 * in double quotes.  passwords: tried in order, empty ones skipped; a
 * seal opens with the first whose MAC verifies, whatever its password id
 * (for a Remix cookie, password_index is the one that opened the inner
 * seal).  now: epoch seconds; a seal whose expiration (ms) is at or
 * before now - 60 s has expired, as in iron.  Returns WJWT_VALID, or
 * WJWT_MALFORMED with one sentence in err (no trailing period, never
 * secret bytes; also for allocation or OpenSSL failures); format is
 * then still set when the shape was recognised, and nothing else.  The
 * refresh token is wiped with the decrypted text and never reaches
 * Jansson.  Always call wjwt_session_free(), whatever the result.
 */
int wjwt_session_open(wjwt_session_t *s, const unsigned char *value,
    size_t len, const wjwt_str_t *passwords, size_t npasswords, int64_t now,
    char *err, size_t err_size);
void wjwt_session_free(wjwt_session_t *s);

/*
 * 1 when a seal with this expiration (wjwt_session_t's, ms, 0: none) no
 * longer opens at now (epoch seconds): wjwt_session_open()'s own rule,
 * for caches of opened sessions
 */
int wjwt_session_expired(int64_t expiration, int64_t now);

/* "iron", "remix", or "" */
const char *wjwt_session_format_name(int format);

/*
 * 1 when a session's user id (user.id; of an opened session, or as a
 * cache of opened sessions kept it) is non-empty and exactly the len
 * bytes of sub, the verified token's "sub"; 0 otherwise
 */
int wjwt_session_user_matches(const wjwt_str_t *user_id,
    const unsigned char *sub, size_t len);


#endif /* _WJWT_SESSION_H_INCLUDED_ */
