
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The core: JWS compact parsing, JWKS, signature verification, WorkOS
 * claim checks, lint and permission matching, and the verdict that runs
 * them in order, wjwt_judge(), which the module, workos-jwt, the fuzzers
 * and the benchmark all call.  It never includes nginx headers, keeps no
 * global state and allocates with malloc(); callers release what they
 * get with the matching *_free() function.
 */


#ifndef _WJWT_H_INCLUDED_
#define _WJWT_H_INCLUDED_


#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <openssl/evp.h>


#define WJWT_VERSION            "0.1.0"

#define WJWT_MAX_JSON_DEPTH     32
#define WJWT_MAX_TIME           253402300799LL
#define WJWT_DEFAULT_MAX_TOKEN  16384


/* same layout as ngx_str_t, so the glue may pass arrays of ngx_str_t */
typedef struct {
    size_t                 len;
    const unsigned char   *data;
} wjwt_str_t;


/*
 * Verdicts, as the README's "Embedded Variables" lists them;
 * wjwt_status_word() gives the exact $workos_jwt_status word ("valid",
 * "missing", ...).  The order in which they are judged is wjwt_judge()'s.
 */
typedef enum {
    WJWT_VALID = 0,
    WJWT_MISSING,
    WJWT_MALFORMED,
    WJWT_ALG_NOT_ALLOWED,
    WJWT_UNKNOWN_KID,
    WJWT_BAD_SIGNATURE,
    WJWT_EXPIRED,
    WJWT_NOT_YET_VALID,
    WJWT_BAD_ISSUER,
    WJWT_BAD_AUDIENCE,
    WJWT_NOT_SESSION,
    WJWT_REVOKED,
    WJWT_STALE_AUTH,
    WJWT_LINT_REJECTED,
    WJWT_KEYS_UNAVAILABLE,
    WJWT_STATUS_COUNT
} wjwt_status_e;

const char *wjwt_status_word(int status);
/* one human sentence without a trailing period, for $workos_jwt_error */
const char *wjwt_status_sentence(int status);


typedef enum {
    WJWT_ALG_UNKNOWN = -1,
    WJWT_RS256 = 0,
    WJWT_RS384,
    WJWT_RS512,
    WJWT_PS256,
    WJWT_PS384,
    WJWT_PS512,
    WJWT_ES256,
    WJWT_ES384,
    WJWT_ES512,
    WJWT_EDDSA,
    WJWT_ALG_COUNT
} wjwt_alg_e;

#define WJWT_ALG_BIT(alg)       (1u << (alg))

typedef enum {
    WJWT_KTY_RSA = 1,
    WJWT_KTY_EC,
    WJWT_KTY_OKP
} wjwt_kty_e;

typedef enum {
    WJWT_PAD_NONE = 0,
    WJWT_PAD_PKCS1,
    WJWT_PAD_PSS                            /* salt = digest length */
} wjwt_pad_e;

/* what a JWS alg needs of a key and a signature: one table for all */
typedef struct {
    const char            *name;            /* JWS "alg" */
    int                    kty;             /* wjwt_kty_e */
    const char            *kty_name;        /* JWK "kty" */
    const char            *pkey_type;       /* EVP_PKEY_is_a() name */
    const char            *crv;             /* JWK "crv", NULL for RSA */
    const char            *group;           /* OpenSSL EC group, or NULL */
    int                    curve_nid;       /* 0 for RSA */
    const char            *digest;          /* NULL: EdDSA, no pre-hash */
    int                    padding;         /* wjwt_pad_e */
    size_t                 sig_len;         /* 0: the RSA modulus size */
} wjwt_alg_t;

/* NULL for WJWT_ALG_UNKNOWN or out of range */
const wjwt_alg_t *wjwt_alg(int alg);
/* exact, case-sensitive JWS names; "none" and HS* give WJWT_ALG_UNKNOWN */
int wjwt_alg_from_name(const unsigned char *name, size_t len);
const char *wjwt_alg_name(int alg);


/*
 * Base64url without padding.  Decoding is strict: no '=', no '+' or '/',
 * no whitespace, length mod 4 != 1, unused trailing bits zero.
 * out must hold wjwt_b64url_decoded_max(len) bytes; returns 0 or -1.
 */
#define wjwt_b64url_decoded_max(len)  (((len) * 3) / 4 + 3)
#define wjwt_b64url_encoded_len(len)  (((len) * 4 + 2) / 3)

int wjwt_b64url_decode(const unsigned char *in, size_t len,
    unsigned char *out, size_t *out_len);
size_t wjwt_b64url_encode(const unsigned char *in, size_t len,
    unsigned char *out);


/*
 * Strict JSON: duplicate member names, nesting deeper than
 * WJWT_MAX_JSON_DEPTH, invalid UTF-8, lone surrogates and \u0000 are
 * errors.  Returns a new reference or NULL with a reason in err.
 */
json_t *wjwt_json_parse(const unsigned char *data, size_t len,
    char *err, size_t err_size);

/* v is a JSON string of exactly these bytes */
int wjwt_json_str_eq(const json_t *v, const unsigned char *data, size_t len);


/*
 * A parsed compact JWS.  raw and signing_input point into the caller's
 * buffer, which must outlive the token; header and claims are owned.
 */
typedef struct {
    wjwt_str_t             raw;
    wjwt_str_t             signing_input;   /* "header.payload" */
    json_t                *header;          /* NULL if undecodable */
    json_t                *claims;          /* NULL if undecodable */
    unsigned char         *sig;             /* owned */
    size_t                 sig_len;
    int                    alg;             /* wjwt_alg_e */
    const char            *alg_name;        /* header "alg", or NULL */
    const char            *kid;             /* header "kid", or NULL */
    size_t                 kid_len;
    const char            *typ;             /* header "typ", or NULL */
} wjwt_token_t;

/*
 * Syntax only: three segments, strict base64url, header and payload JSON
 * objects, header "alg" a string, "kid"/"typ" strings when present, no
 * "crit".  Returns WJWT_VALID or WJWT_MALFORMED; header and claims are
 * filled as far as they could be decoded even on failure (for inspect).
 * len > max_len is WJWT_MALFORMED.  Always call wjwt_token_free().
 * signing_input.len > 0 with claims NULL: a well-formed JWS whose payload
 * is not a JSON object (WJWT_MALFORMED, but the signature can be checked).
 */
int wjwt_token_parse(wjwt_token_t *t, const unsigned char *data, size_t len,
    size_t max_len);
void wjwt_token_free(wjwt_token_t *t);


/* keys */

typedef struct {
    char                  *kid;             /* owned, NUL-terminated */
    size_t                 kid_len;         /* kid NULL: no kid */
    int                    kty;             /* wjwt_kty_e */
    int                    alg;             /* JWK "alg", or UNKNOWN */
    int                    bits;
    int                    curve_nid;       /* EC/OKP curve, 0 for RSA */
    EVP_PKEY              *pkey;            /* owned */

    /*
     * the key's identity for caches: the first 8 bytes of the SHA-256 of
     * kid, a NUL byte and the DER SubjectPublicKeyInfo
     */
    uint64_t               fingerprint;

    /* owned, by JWS alg; NULL when not prepared, see wjwt_key_verify() */
    EVP_PKEY_CTX          *verify_ctx[WJWT_ALG_COUNT];
    EVP_MD                *verify_md[WJWT_ALG_COUNT];
} wjwt_key_t;

typedef struct {
    wjwt_key_t            *keys;
    size_t                 nkeys;
    size_t                 nalloc;
} wjwt_keyset_t;

/* called once for every skipped key; kid may be NULL */
typedef void (*wjwt_warn_pt)(void *data, const char *kid,
    const char *reason);

/*
 * Appends the usable keys of a JWKS ({"keys":[...]}) or a single JWK.
 * Skipped (warned): unsupported kty/crv, "use" other than "sig", "alg"
 * not a supported JWS alg or not fitting kty/crv, RSA under 2048 bits or
 * e < 3 or even, EC points off the curve, bad or missing members, private
 * or secret keys, a kid already in the set (both copies are dropped).
 * Returns the number of keys added (0 or more), or -1 with err set when
 * the text is not JSON or is neither a JWK nor a JWKS.
 */
int wjwt_keyset_add_json(wjwt_keyset_t *ks, const unsigned char *data,
    size_t len, wjwt_warn_pt warn, void *warn_data, char *err,
    size_t err_size);
void wjwt_keyset_free(wjwt_keyset_t *ks);

const wjwt_key_t *wjwt_keyset_find(const wjwt_keyset_t *ks,
    const char *kid, size_t kid_len);
/* kty, crv and the JWK's own alg fit the JWS alg */
int wjwt_key_fits(const wjwt_key_t *key, int alg);

/*
 * The signature primitive: 1 when sig verifies over msg under pkey with
 * alg (PS*: salt = digest length, MGF1 same hash; ES*: raw r||s of exact
 * length; EdDSA: Ed25519 one-shot), 0 otherwise.
 */
int wjwt_verify_signature(int alg, EVP_PKEY *pkey, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len);

/*
 * The same under a key of a keyset: wjwt_keyset_add_json() prepares, for
 * every alg the key fits (RSA: RS*, PS*; EC: its ES*), an EVP_PKEY_CTX
 * set up for EVP_PKEY_verify() and the fetched EVP_MD, so that a verify
 * is one digest and the public-key operation.  EdDSA, and algs without a
 * prepared context, go through wjwt_verify_signature().  A prepared
 * context is modified by each verify: one keyset must not be used from
 * two threads at once (nginx workers are single-threaded).
 * wjwt_key_prepare() returns the number of algs prepared;
 * wjwt_key_unprepare() frees them (wjwt_keyset_free() does).
 */
int wjwt_key_verify(const wjwt_key_t *key, int alg, const unsigned char *msg,
    size_t msg_len, const unsigned char *sig, size_t sig_len);
int wjwt_key_prepare(wjwt_key_t *key);
void wjwt_key_unprepare(wjwt_key_t *key);


/* digests */

#define WJWT_DIGEST_LEN         32

/*
 * The SHA-256 of a token's bytes, the key of verified-token caches.
 * sha256 is a fetched "SHA256" (faster in a loop) or NULL.  0 or -1.
 */
int wjwt_token_digest(const unsigned char *data, size_t len,
    const EVP_MD *sha256, unsigned char *digest);


/* claims */

/* the claims the verdict needs, looked up once (json_t borrowed) */
typedef struct {
    const json_t          *iss;
    const json_t          *client_id;
    const json_t          *aud;
    const json_t          *sid;
    int64_t                exp;
    int64_t                nbf;
    int64_t                iat;
    int64_t                auth_time;
    unsigned               has_exp:1;
    unsigned               has_nbf:1;
    unsigned               has_iat:1;
    unsigned               has_auth_time:1;
} wjwt_claims_t;

/*
 * What a token's bytes alone say, kept with a parsed token by caches:
 * the claim types (README "Lint codes", validation before lint: exp and
 * sub required, string and string-array claims, times 0..WJWT_MAX_TIME;
 * null is malformed), then, when they pass, the claims and the lint
 * findings that need no clock.  json_t pointers are borrowed from the
 * token's claims.
 */
typedef struct {
    int                    types;           /* WJWT_VALID, WJWT_MALFORMED */
    unsigned               lint;            /* WJWT_LINT_BIT()s */
    wjwt_claims_t          claims;
} wjwt_facts_t;

void wjwt_token_facts(const wjwt_token_t *t, wjwt_facts_t *f);

/* a time claim truncated to an integer; 1 when present and a number */
int wjwt_claim_time(const json_t *claims, const char *name, int64_t *out);

/*
 * The variable rendering of the README's "Embedded Variables": strings
 * as is, numbers and booleans as JSON text, arrays of strings joined
 * with ',', null and [] empty, anything else compact JSON.  Writes at
 * most size bytes, returns the full length (call with size 0 first to
 * measure).
 */
size_t wjwt_json_text(const json_t *v, unsigned char *buf, size_t size);


/* permissions, roles */

/*
 * req is one configured argument; "a|b" means either.  wildcards: a
 * granted "res:*" satisfies "res:<anything>", a granted "*" everything.
 */
int wjwt_has_permission(const json_t *claims, const unsigned char *req,
    size_t len, int wildcards);
/* in "roles", or equal to "role" when "roles" is absent */
int wjwt_has_role(const json_t *claims, const unsigned char *role,
    size_t len);


/* lint */

typedef enum {
    WJWT_LINT_WILDCARD_PERMISSION = 0,
    WJWT_LINT_LONG_LIFETIME,
    WJWT_LINT_MISSING_AUD,
    WJWT_LINT_MISSING_IAT,
    WJWT_LINT_IAT_IN_FUTURE,
    WJWT_LINT_MISSING_KID,
    WJWT_LINT_NON_RS256,
    WJWT_LINT_MISSING_ORG,
    WJWT_LINT_IMPERSONATED,
    WJWT_LINT_SSO_SESSION,
    WJWT_LINT_COUNT
} wjwt_lint_e;

#define WJWT_LINT_BIT(code)     (1u << (code))

typedef enum {
    WJWT_LEVEL_WARN = 0,
    WJWT_LEVEL_NOTICE,
    WJWT_LEVEL_INFO
} wjwt_level_e;

const char *wjwt_lint_name(int code);
int wjwt_lint_from_name(const unsigned char *name, size_t len); /* -1 */
int wjwt_lint_level(int code);
const char *wjwt_lint_explain(int code);

/* the findings of a token alone (wjwt_token_facts() keeps them) */
unsigned wjwt_lint_static(const wjwt_token_t *t);

/*
 * Every finding of a token whose facts passed the types: the kept ones
 * and those of the clock and thresholds (long_lifetime, iat_in_future).
 */
unsigned wjwt_lint_run(const wjwt_facts_t *f, int64_t now, int64_t leeway,
    int64_t max_lifetime);

/*
 * The <detail> of a lint log line, e.g. "permission \"posts:*\"" or
 * "lifetime 172800s exceeds 86400s"; never contains token bytes other
 * than claim values.  Same return convention as wjwt_json_text().
 */
size_t wjwt_lint_detail(const wjwt_token_t *t, int code, int64_t now,
    int64_t max_lifetime, char *buf, size_t size);


/* the verdict */

/* what one location (or one workos-jwt run) accepts */
typedef struct {
    unsigned               alg_mask;        /* WJWT_ALG_BIT()s */
    const wjwt_str_t      *issuers;         /* nissuers 0: not checked */
    size_t                 nissuers;
    const wjwt_str_t      *audiences;       /* naudiences 0: not checked */
    size_t                 naudiences;
    wjwt_str_t             client_id;       /* len 0: not checked */
    int64_t                leeway;
    int                    session_only;    /* require "sid" */
    int64_t                max_auth_age;    /* < 0: off */
    size_t                 max_token_size;
    int                    lint;            /* list the findings */
    int64_t                lint_max_lifetime;
    unsigned               lint_ignore;     /* WJWT_LINT_BIT()s */
    unsigned               lint_reject;     /* judged even without lint */
} wjwt_rules_t;

/*
 * The defaults of the directives and of workos-jwt: RS256, no claim rule
 * but the session type off and max_auth_age off, 16k, lint off with a
 * 24h maximum lifetime
 */
#define WJWT_DEFAULT_MAX_LIFETIME  86400

void wjwt_rules_init(wjwt_rules_t *r);

typedef enum {
    WJWT_CACHE_NONE = 0,
    WJWT_CACHE_HIT,
    WJWT_CACHE_MISS
} wjwt_cache_e;

/*
 * One token judged.  Before wjwt_judge(): zeroed, or resumed from a
 * cache of parsed tokens (token without signature, facts, and the
 * fingerprint of the key that verified it, resumed set).  After it:
 * wjwt_verdict_free().
 */
typedef struct {
    wjwt_token_t           token;           /* owned */
    wjwt_facts_t           facts;
    const wjwt_key_t      *key;             /* valid while the key sets are */
    uint64_t               fingerprint;     /* of key */
    int                    status;          /* wjwt_status_e */
    int                    cache;           /* wjwt_cache_e */
    unsigned               lint;            /* findings, with rules->lint */
    unsigned               lint_rejecting;  /* findings in lint_reject */
    unsigned               resumed:1;
    unsigned               verified:1;      /* the signature verified */
} wjwt_verdict_t;

typedef struct wjwt_judge_s  wjwt_judge_t;

struct wjwt_judge_s {
    const wjwt_rules_t    *rules;
    const wjwt_keyset_t  **keys;            /* in order; NULL or empty: none */
    size_t                 nkeys;
    int64_t                now;

    /*
     * The caller's caches and lists, all optional.  lookup: after the
     * key step, before the signature; 1 with *fingerprint when a cache
     * knows the key this token verified under, 0 when not, -1 on error
     * (wjwt_judge() returns -1).  verified: the signature step passed,
     * from lookup's answer (v->cache is HIT) or by a verify (MISS or
     * NONE).  revoked: between not_session and stale_auth, WJWT_VALID or
     * the token's status.
     */
    int                  (*lookup)(const wjwt_judge_t *j, wjwt_verdict_t *v,
                                   uint64_t *fingerprint);
    void                 (*verified)(const wjwt_judge_t *j,
                                     wjwt_verdict_t *v);
    int                  (*revoked)(const wjwt_judge_t *j,
                                    const wjwt_verdict_t *v);
    void                  *data;
};

/* rules, key sets and time of a judge without hooks */
void wjwt_judge_init(wjwt_judge_t *j, const wjwt_rules_t *rules,
    const wjwt_keyset_t **keys, size_t nkeys, int64_t now);

/*
 * The verdict, in the order of the README's "Responses" (the first
 * failure is the status): size and syntax (malformed), alg
 * (alg_not_allowed), key (keys_unavailable, unknown_kid), signature
 * (bad_signature), claim types (malformed), expired, not_yet_valid,
 * bad_issuer (iss list; client_id claim present and different),
 * bad_audience, not_session, the revoked hook, stale_auth,
 * lint_rejected.  No claim is judged before the signature verified.
 * The key sets are tried in order: a kid unknown to one set may be in
 * the next, and a token without kid may fit any.  data must outlive v.
 * Returns v->status, or -1 when a hook failed.
 */
int wjwt_judge(const wjwt_judge_t *j, const unsigned char *data, size_t len,
    wjwt_verdict_t *v);
void wjwt_verdict_free(wjwt_verdict_t *v);

/*
 * The signature step on one key set: alg allowed by alg_mask
 * (WJWT_ALG_NOT_ALLOWED), a key (WJWT_KEYS_UNAVAILABLE when ks has no
 * keys, WJWT_UNKNOWN_KID when the kid is not in ks or no key fits),
 * signature (WJWT_BAD_SIGNATURE).  A token with a kid is checked against
 * that key only; without kid, against every key that fits its alg.
 * On WJWT_VALID, *used (if not NULL) is the key that verified.
 */
int wjwt_token_verify(const wjwt_token_t *t, const wjwt_keyset_t *ks,
    unsigned alg_mask, const wjwt_key_t **used);

/* the time step: WJWT_EXPIRED, WJWT_NOT_YET_VALID or WJWT_VALID */
int wjwt_claims_times(const wjwt_claims_t *c, int64_t now, int64_t leeway);


/*
 * The issuers a WorkOS client's tokens carry: https://api.workos.com,
 * the same with a trailing slash, and .../user_management/<client_id>,
 * whose text is written into buf (wjwt_default_issuers_size() bytes).
 */
#define WJWT_WORKOS_ISSUER      "https://api.workos.com"
#define WJWT_WORKOS_UM_ISSUER   WJWT_WORKOS_ISSUER "/user_management/"
#define WJWT_DEFAULT_ISSUERS    3

#define wjwt_default_issuers_size(client_id_len)                              \
    (sizeof(WJWT_WORKOS_UM_ISSUER) - 1 + (client_id_len))

void wjwt_default_issuers(wjwt_str_t *issuers, const unsigned char *client_id,
    size_t len, unsigned char *buf);


#endif /* _WJWT_H_INCLUDED_ */
