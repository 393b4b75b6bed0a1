
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#ifndef _NGX_HTTP_WORKOS_JWT_MODULE_H_INCLUDED_
#define _NGX_HTTP_WORKOS_JWT_MODULE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "wjwt.h"
#include "wjwt_session.h"


#define NGX_HTTP_WORKOS_JWT_OFF          0
#define NGX_HTTP_WORKOS_JWT_ON           1
#define NGX_HTTP_WORKOS_JWT_OPTIONAL     2

#define NGX_HTTP_WORKOS_JWT_SESSION      0
#define NGX_HTTP_WORKOS_JWT_ANY          1

/* where the request's token came from: $workos_jwt_token_source */
#define NGX_HTTP_WORKOS_JWT_FROM_NONE      0
#define NGX_HTTP_WORKOS_JWT_FROM_COOKIE    1    /* "session_cookie" */
#define NGX_HTTP_WORKOS_JWT_FROM_BEARER    2    /* "bearer" */
#define NGX_HTTP_WORKOS_JWT_FROM_VARIABLE  3    /* "variable" */

#define NGX_HTTP_WORKOS_JWT_STATUS_JSON  1
#define NGX_HTTP_WORKOS_JWT_STATUS_PROM  2

#define NGX_HTTP_WORKOS_JWT_MAX_URI      256
#define NGX_HTTP_WORKOS_JWT_MAX_NAME     384
#define NGX_HTTP_WORKOS_JWT_MAX_CURSOR   128
#define NGX_HTTP_WORKOS_JWT_MAX_JWKS     (256 * 1024)
#define NGX_HTTP_WORKOS_JWT_ERROR_LEN    128
#define NGX_HTTP_WORKOS_JWT_DIGEST_LEN   WJWT_DIGEST_LEN

#define ngx_http_workos_jwt_has_keys(jlcf)                                    \
    ((jlcf)->keys != NULL || (jlcf)->jwks != NULL)


/* one key set of this worker: from key files, or parsed from the zone */
typedef struct {
    wjwt_keyset_t                    ks;
    ngx_uint_t                       generation;     /* of the zone copy */
} ngx_http_workos_jwt_keys_t;


/*
 * A JWKS source: a "workos_jwt_key_request" URI in the server whose
 * locations it reaches, with the lifetimes of "workos_jwt_key_cache" given
 * with it.  The same URI in two servers is two sources.
 */
typedef struct {
    ngx_str_t                        uri;
    ngx_http_core_srv_conf_t        *cscf;           /* fetched in */
    time_t                           valid;
    time_t                           stale;
    time_t                           refetch;
    ngx_uint_t                       index;          /* in jmcf->jwks */
    ngx_uint_t                       used;           /* by on, optional */
} ngx_http_workos_jwt_jwks_t;


/* a JWKS source's state in the zone, for one configuration */
typedef struct {
    ngx_uint_t                       generation;     /* of the copy */
    u_char                          *text;           /* slab */
    size_t                           len;
    ngx_uint_t                       nkeys;
    time_t                           fetched_at;
    time_t                           fresh_until;
    time_t                           stale_until;
    time_t                           refetch_at;     /* unknown kid */
    time_t                           retry_at;       /* after a failure */
    time_t                           fetching;       /* started, or 0 */
} ngx_http_workos_jwt_jwks_sh_t;


/*
 * A revocation source: a "workos_jwt_revocation_request" URI in the
 * server whose locations it reaches.
 */
typedef struct {
    ngx_str_t                        uri;
    ngx_http_core_srv_conf_t        *cscf;           /* polled in */
    ngx_str_t                        name;           /* server and URI */
    time_t                           interval;
    time_t                           lookback;
    time_t                           retain;
    ngx_uint_t                       index;          /* in revocations */
    ngx_uint_t                       used;           /* by on, optional */
} ngx_http_workos_jwt_revocation_t;


/* a revocation source's poll in the zone, kept across reloads */
typedef struct {
    ngx_queue_t                      queue;          /* in sh->polls */
    u_char                           name[NGX_HTTP_WORKOS_JWT_MAX_NAME];
    size_t                           name_len;
    u_char                           cursor[NGX_HTTP_WORKOS_JWT_MAX_CURSOR];
    size_t                           cursor_len;     /* 0: range_start */
    time_t                           range_start;
    time_t                           next_poll_at;
    time_t                           polling;        /* started, or 0 */
    ngx_uint_t                       config;         /* last used by */
} ngx_http_workos_jwt_poll_sh_t;


/* a revoked session, user or membership */
typedef struct {
    ngx_rbtree_node_t                node;           /* key: a hash */
    ngx_queue_t                      queue;          /* oldest first */
    time_t                           at;             /* the newest event */
    time_t                           expires;        /* at + retain */
    u_char                           kind;           /* WJWT_REVOKE_* */
    u_char                           id_len;
    u_char                           org_len;
    u_char                           data[1];        /* id, then org */
} ngx_http_workos_jwt_revoked_t;


/*
 * A node of a tree of SHA-256 digests (the zone's verified tokens, this
 * worker's opened cookies), ordered by the digest's first bits (the
 * node's key), then by the whole digest.
 */
typedef struct {
    ngx_rbtree_node_t                node;
    u_char                           digest[NGX_HTTP_WORKOS_JWT_DIGEST_LEN];
} ngx_http_workos_jwt_digest_node_t;


/*
 * A verified token in the zone.  stamp is unique to this entry (never
 * 0): a worker's parsed-token cache checks it, with the digest, without
 * the lock; used: a hit since the entry was stored (for admission).
 */
typedef struct {
    ngx_http_workos_jwt_digest_node_t  dn;
    ngx_queue_t                      queue;
    time_t                           exp;
    uint64_t                         fingerprint;
    ngx_atomic_uint_t                stamp;
    ngx_uint_t                       used;
} ngx_http_workos_jwt_cache_node_t;


typedef struct {
    ngx_atomic_t                     requests[WJWT_STATUS_COUNT];
    ngx_atomic_t                     forbidden;
    ngx_atomic_t                     lint[WJWT_LINT_COUNT];
    ngx_atomic_t                     cache_hits;
    ngx_atomic_t                     cache_misses;
    ngx_atomic_t                     sessions_opened;
    ngx_atomic_t                     sessions_failed;

    ngx_rbtree_t                     cache;
    ngx_rbtree_node_t                cache_sentinel;
    ngx_queue_t                      cache_lru;
    ngx_uint_t                       cache_entries;
    ngx_atomic_uint_t                cache_stamp;    /* the last given */
    ngx_uint_t                       cache_wasted;   /* evicted unused */

    /* the JWKS sources of the newest configuration */
    ngx_uint_t                       config;         /* its number */
    ngx_http_workos_jwt_jwks_sh_t   *jwks;           /* slab, njwks */
    ngx_uint_t                       njwks;
    ngx_uint_t                       jwks_fetches;
    ngx_uint_t                       jwks_failures;
    time_t                           jwks_failed_at;
    u_char                           jwks_error[NGX_HTTP_WORKOS_JWT_ERROR_LEN];
    size_t                           jwks_error_len;

    /* revocations, and the polls that bring them */
    ngx_rbtree_t                     revoked;
    ngx_rbtree_node_t                revoked_sentinel;
    ngx_queue_t                      revoked_age;
    ngx_uint_t                       revoked_n;
    ngx_atomic_t                     revoked_gen;    /* bumped by changes */
    ngx_queue_t                      polls;
    ngx_uint_t                       rev_polls;
    ngx_uint_t                       rev_failures;
    ngx_uint_t                       rev_dropped;
    time_t                           rev_polled_at;
    u_char                           rev_error[NGX_HTTP_WORKOS_JWT_ERROR_LEN];
    size_t                           rev_error_len;
} ngx_http_workos_jwt_sh_t;


typedef struct {
    ngx_shm_zone_t                  *shm_zone;
    ngx_http_workos_jwt_sh_t        *sh;
    ngx_slab_pool_t                 *shpool;
    ngx_uint_t                       config;         /* in the zone */
    ngx_array_t                      jwks;           /* of jwks_t * */
    ngx_array_t                      revocations;    /* of revocation_t * */
    ngx_array_t                      key_files;      /* of keys_t * */
    ngx_uint_t                       cache_max;      /* 0: zone-sized */
} ngx_http_workos_jwt_main_conf_t;


typedef struct {
    ngx_http_complex_value_t         value;
    ngx_uint_t                       bearer;         /* "Bearer <token>" */
    ngx_uint_t                       header;         /* Authorization */
} ngx_http_workos_jwt_token_source_t;


typedef struct {
    ngx_http_complex_value_t         value;
    ngx_uint_t                       status;         /* 401 or 403 */
} ngx_http_workos_jwt_rule_t;


typedef struct {
    ngx_uint_t                       mode;
    ngx_array_t                     *sources;        /* of token_source_t */
    ngx_str_t                        session_cookie;
    ngx_array_t                     *session_passwords; /* of ngx_str_t */
    ngx_str_t                        realm;

    ngx_http_workos_jwt_keys_t      *keys;           /* key files */
    ngx_str_t                        key_request;    /* this level's */
    ngx_http_workos_jwt_jwks_t      *jwks;           /* set at merge */
    ngx_str_t                        revocation_request;
    time_t                           rev_interval;
    time_t                           rev_lookback;
    time_t                           rev_retain;
    ngx_http_workos_jwt_revocation_t *revocation;    /* set at merge */
    time_t                           key_valid;
    time_t                           key_stale;
    time_t                           key_refetch;

    ngx_array_t                     *issuers;        /* of ngx_str_t */
    ngx_array_t                     *audiences;      /* of ngx_str_t */
    ngx_str_t                        client_id;
    ngx_uint_t                       algorithms;
    time_t                           leeway;
    ngx_uint_t                       token_type;
    time_t                           max_auth_age;
    size_t                           max_token_size;

    ngx_array_t                     *permissions;    /* of ngx_str_t */
    ngx_array_t                     *roles;          /* of ngx_str_t */
    ngx_array_t                     *orgs;           /* of ngx_str_t */
    ngx_array_t                     *rules;          /* of rule_t */
    ngx_flag_t                       wildcards;
    ngx_flag_t                       inject_headers;
    ngx_flag_t                       cache;

    ngx_flag_t                       lint;
    time_t                           lint_max_lifetime;
    ngx_uint_t                       lint_reject;
    ngx_uint_t                       lint_ignore;

    ngx_uint_t                       status_format;  /* handler */
    ngx_uint_t                       inspect;        /* handler */

    /* the effective issuer list, computed at merge time */
    ngx_array_t                     *accepted_issuers;

    unsigned                         merged:1;
    unsigned                         require_set:1;
    unsigned                         lint_reject_set:1;
    unsigned                         lint_ignore_set:1;
} ngx_http_workos_jwt_loc_conf_t;


typedef enum {
    NGX_HTTP_WORKOS_JWT_CACHE_NONE = WJWT_CACHE_NONE,
    NGX_HTTP_WORKOS_JWT_CACHE_HIT = WJWT_CACHE_HIT,
    NGX_HTTP_WORKOS_JWT_CACHE_MISS = WJWT_CACHE_MISS
} ngx_http_workos_jwt_cache_e;


typedef struct ngx_http_workos_jwt_fetch_s  ngx_http_workos_jwt_fetch_t;

typedef void (*ngx_http_workos_jwt_fetch_pt)(ngx_http_workos_jwt_fetch_t *f);

/* a request to an internal location made with no client request */
struct ngx_http_workos_jwt_fetch_s {
    ngx_str_t                        uri;
    ngx_str_t                        args;
    ngx_http_core_srv_conf_t        *cscf;           /* runs in */
    ngx_http_workos_jwt_fetch_pt     handler;
    void                            *data;
    char                            *action;         /* for the log */
    const char                      *what;           /* for the log */

    ngx_uint_t                       status;
    ngx_str_t                        body;
    const char                      *error;          /* NULL: answered */
    ngx_http_request_t              *sr;             /* in the handler */
    ngx_log_t                       *log;            /* the fetch's */
    unsigned                         done:1;
};


/*
 * the request's AuthKit session cookie, opened, or copied from this
 * worker's cache of opened cookies (opened then stays empty); freed with
 * r->pool
 */
typedef struct {
    ngx_uint_t                       format;         /* WJWT_SESSION_* */
    ngx_str_t                        token;          /* the access token */
    ngx_str_t                        user_id;
    ngx_str_t                        email;
    ngx_str_t                        value;          /* the cookie */
    wjwt_session_t                   opened;
} ngx_http_workos_jwt_session_t;


typedef struct {
    ngx_http_workos_jwt_loc_conf_t  *jlcf;           /* judged by */
    ngx_uint_t                       status;
    ngx_uint_t                       from;           /* FROM_* */
    ngx_str_t                        raw;
    ngx_str_t                        reason;         /* why malformed */
    ngx_http_workos_jwt_session_t   *session;        /* session cookie */
    wjwt_token_t                     token;
    ngx_str_t                        key_kid;        /* r->pool copy */
    ngx_int_t                        key_alg;        /* the JWK's alg */
    ngx_uint_t                       lint;
    ngx_uint_t                       cache;          /* cache_e */
    time_t                           wait_until;     /* key fetch wait */
    unsigned                         verified:1;
    unsigned                         keyed:1;        /* key_kid, key_alg */
    unsigned                         counted:1;
    unsigned                         injected:1;
    unsigned                         fetch_started:1;
    unsigned                         fetch_done:1;
    unsigned                         kid_refetched:1;
    unsigned                         waiting:1;
} ngx_http_workos_jwt_ctx_t;


extern ngx_module_t  ngx_http_workos_jwt_module;


/* ngx_http_workos_jwt_conf.c: directive parsers */
char *ngx_http_workos_jwt_enum(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_str_list(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_algorithms(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_max_auth_age(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_require_list(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_require(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_lint_codes(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_check_time(ngx_conf_t *cf, void *post,
    void *data);
char *ngx_http_workos_jwt_check_size(ngx_conf_t *cf, void *post,
    void *data);
char *ngx_http_workos_jwt_status(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_inspect(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_cache_conf(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_conf_times(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_uint_t from, ngx_str_t *names, time_t **times, ngx_uint_t n);
char *ngx_http_workos_jwt_conf_uri(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_str_t *uri, const char *example);
u_char *ngx_http_workos_jwt_conf_file(ngx_conf_t *cf, ngx_command_t *cmd,
    ngx_pool_t *pool, ngx_str_t *file, size_t max, size_t *len,
    ngx_file_info_t *fi);

/* ngx_http_workos_jwt_source.c: where the token comes from */
char *ngx_http_workos_jwt_token(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_workos_jwt_find_token(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
ngx_str_t ngx_http_workos_jwt_source_word(ngx_uint_t from);

/* ngx_http_workos_jwt_session.c: AuthKit session cookies */
char *ngx_http_workos_jwt_session_password(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
char *ngx_http_workos_jwt_session_merge(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *prev,
    ngx_http_workos_jwt_loc_conf_t *conf);
ngx_int_t ngx_http_workos_jwt_session_token(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx);
ngx_uint_t ngx_http_workos_jwt_session_matches(
    ngx_http_workos_jwt_ctx_t *ctx);

/* ngx_http_workos_jwt_verdict.c: the request's verdict */
ngx_http_workos_jwt_ctx_t *ngx_http_workos_jwt_get_ctx(
    ngx_http_request_t *r);
ngx_http_workos_jwt_ctx_t *ngx_http_workos_jwt_evaluate(
    ngx_http_request_t *r);
ngx_int_t ngx_http_workos_jwt_judge_token(ngx_http_request_t *r,
    ngx_str_t *raw, ngx_http_workos_jwt_ctx_t *ctx);
ngx_int_t ngx_http_workos_jwt_digest(const u_char *data, size_t len,
    u_char *digest);
ngx_int_t ngx_http_workos_jwt_verdict_init(ngx_cycle_t *cycle);
void ngx_http_workos_jwt_verdict_exit(ngx_cycle_t *cycle);

/* ngx_http_workos_jwt_access.c: enforcement */
ngx_int_t ngx_http_workos_jwt_access_handler(ngx_http_request_t *r);

/* ngx_http_workos_jwt_headers.c: X-WorkOS-* for upstreams */
ngx_int_t ngx_http_workos_jwt_strip_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_workos_jwt_inject_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_workos_jwt_inject(ngx_http_request_t *r,
    ngx_http_workos_jwt_ctx_t *ctx);
ngx_table_elt_t *ngx_http_workos_jwt_push_header(ngx_http_request_t *r,
    ngx_list_t *list, ngx_str_t *name, ngx_str_t *value);
ngx_table_elt_t *ngx_http_workos_jwt_next_header(ngx_list_part_t **part,
    ngx_uint_t *i);

/* ngx_http_workos_jwt_keys.c: key sets and key files */
ngx_int_t ngx_http_workos_jwt_keys_load(ngx_http_workos_jwt_keys_t *keys,
    const u_char *data, size_t len, wjwt_warn_pt warn, void *warn_data,
    char *err, size_t err_size);
void ngx_http_workos_jwt_keys_free(ngx_http_workos_jwt_keys_t *keys);
char *ngx_http_workos_jwt_key_file(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);

/* ngx_http_workos_jwt_jwks.c: fetched key sets */
char *ngx_http_workos_jwt_key_request(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_key_cache(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_workos_jwt_jwks_merge(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *prev,
    ngx_http_workos_jwt_loc_conf_t *conf);
ngx_int_t ngx_http_workos_jwt_jwks_check(ngx_conf_t *cf);
ngx_int_t ngx_http_workos_jwt_jwks_init_zone(
    ngx_http_workos_jwt_main_conf_t *jmcf, ngx_log_t *log);
ngx_int_t ngx_http_workos_jwt_jwks_init_process(ngx_cycle_t *cycle);
void ngx_http_workos_jwt_jwks_exit_process(ngx_cycle_t *cycle);
ngx_http_workos_jwt_keys_t *ngx_http_workos_jwt_remote_keys(
    ngx_http_request_t *r, ngx_http_workos_jwt_loc_conf_t *jlcf);
ngx_http_workos_jwt_keys_t *ngx_http_workos_jwt_jwks_keys(
    ngx_http_request_t *r, ngx_http_workos_jwt_jwks_t *jwks);
ngx_int_t ngx_http_workos_jwt_fetch_keys(ngx_http_request_t *r,
    ngx_http_workos_jwt_loc_conf_t *jlcf, ngx_http_workos_jwt_ctx_t *ctx,
    ngx_uint_t status);

/* ngx_http_workos_jwt_fetch.c: requests with no client */
ngx_int_t ngx_http_workos_jwt_fetch(ngx_http_workos_jwt_fetch_t *tf,
    ngx_log_t *log);
ngx_int_t ngx_http_workos_jwt_fetch_check(ngx_conf_t *cf,
    ngx_http_core_srv_conf_t *cscf, ngx_str_t *uri, const char *directive,
    ngx_uint_t used);

/* ngx_http_workos_jwt_revocation.c: revoked sessions */
char *ngx_http_workos_jwt_revocation_request(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
char *ngx_http_workos_jwt_revocation_merge(ngx_conf_t *cf,
    ngx_http_workos_jwt_loc_conf_t *prev,
    ngx_http_workos_jwt_loc_conf_t *conf);
ngx_int_t ngx_http_workos_jwt_revocation_check(ngx_conf_t *cf);
ngx_int_t ngx_http_workos_jwt_revocation_init_zone(
    ngx_http_workos_jwt_main_conf_t *jmcf, ngx_log_t *log);
ngx_int_t ngx_http_workos_jwt_revocation_init_process(ngx_cycle_t *cycle);
void ngx_http_workos_jwt_revocation_exit_process(ngx_cycle_t *cycle);
void ngx_http_workos_jwt_revocation_poll(ngx_http_request_t *r,
    ngx_http_workos_jwt_revocation_t *rev);
ngx_uint_t ngx_http_workos_jwt_revoked(ngx_http_request_t *r,
    json_t *claims, ngx_uint_t *checked);
void ngx_http_workos_jwt_revoked_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel);

/* ngx_http_workos_jwt_zone.c: the shared zone */
char *ngx_http_workos_jwt_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_workos_jwt_zone_add(ngx_conf_t *cf);
ngx_int_t ngx_http_workos_jwt_init_zone(ngx_shm_zone_t *shm_zone,
    void *data);
void *ngx_http_workos_jwt_zone_alloc(ngx_http_workos_jwt_main_conf_t *jmcf,
    size_t size);

/* ngx_http_workos_jwt_cache.c: the verified-token cache */
ngx_int_t ngx_http_workos_jwt_cache_lookup(ngx_http_request_t *r,
    u_char *digest, uint64_t *fingerprint,
    ngx_http_workos_jwt_cache_node_t **node);
ngx_http_workos_jwt_cache_node_t *ngx_http_workos_jwt_cache_store(
    ngx_http_request_t *r, u_char *digest, time_t exp, uint64_t fingerprint);
ngx_int_t ngx_http_workos_jwt_parsed_lookup(ngx_http_request_t *r,
    ngx_str_t *raw, wjwt_verdict_t *v, ngx_uint_t **revoked_gen);
ngx_uint_t *ngx_http_workos_jwt_parsed_store(ngx_str_t *raw,
    const wjwt_verdict_t *v, time_t exp,
    ngx_http_workos_jwt_cache_node_t *shared, u_char *digest);
void ngx_http_workos_jwt_parsed_free(void);
ngx_int_t ngx_http_workos_jwt_opened_lookup(ngx_http_request_t *r,
    u_char *digest, ngx_array_t *passwords, ngx_http_workos_jwt_session_t *s);
void ngx_http_workos_jwt_opened_store(u_char *digest, ngx_array_t *passwords,
    int64_t expiration, ngx_http_workos_jwt_session_t *s);
ngx_uint_t ngx_http_workos_jwt_cache_evict(
    ngx_http_workos_jwt_main_conf_t *jmcf, ngx_uint_t n);
ngx_http_workos_jwt_digest_node_t *ngx_http_workos_jwt_digest_find(
    ngx_rbtree_t *tree, u_char *digest);
void ngx_http_workos_jwt_digest_set(ngx_http_workos_jwt_digest_node_t *dn,
    u_char *digest);
void ngx_http_workos_jwt_digest_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel);

/* ngx_http_workos_jwt_status.c, ngx_http_workos_jwt_inspect.c */
ngx_int_t ngx_http_workos_jwt_status_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_workos_jwt_inspect_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_workos_jwt_send_json(ngx_http_request_t *r,
    json_t *json);

/* ngx_http_workos_jwt_page.c: the debugger page of workos_jwt_inspect */
ngx_int_t ngx_http_workos_jwt_page_init(ngx_cycle_t *cycle);
ngx_uint_t ngx_http_workos_jwt_page_wanted(ngx_http_request_t *r);
ngx_int_t ngx_http_workos_jwt_page_send(ngx_http_request_t *r,
    json_t *data);
ngx_int_t ngx_http_workos_jwt_page_vary(ngx_http_request_t *r);

/* ngx_http_workos_jwt_variables.c */
ngx_int_t ngx_http_workos_jwt_add_variables(ngx_conf_t *cf);
char *ngx_http_workos_jwt_claim_set(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_workos_jwt_claim_text(ngx_http_request_t *r,
    json_t *value, ngx_str_t *text);
json_t *ngx_http_workos_jwt_claim(json_t *claims, const char *name);


#endif /* _NGX_HTTP_WORKOS_JWT_MODULE_H_INCLUDED_ */
