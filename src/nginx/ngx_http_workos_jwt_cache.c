
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * The verified-token cache in the shared zone: "the token with this
 * SHA-256 digest verified under the key with this fingerprint", kept no
 * longer than the token's exp, least recently used entries evicted first.
 * It never holds a per-location decision.
 */


#include "ngx_http_workos_jwt_module.h"


/*
 * Admission: after this many entries in a row left the zone unused (a
 * working set larger than the cache), one new entry in
 * NGX_HTTP_WORKOS_JWT_ADMIT is stored; an entry used before it goes
 * ends this.  Storing what would be evicted before its next use only
 * costs: the slab, the tree, and this worker's copy of the parsed token.
 */
#define NGX_HTTP_WORKOS_JWT_WASTED      32
#define NGX_HTTP_WORKOS_JWT_ADMIT       16


static void ngx_http_workos_jwt_cache_delete(
    ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_cache_node_t *cn);
static void ngx_http_workos_jwt_cache_drop(
    ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_cache_node_t *cn);
static void ngx_http_workos_jwt_cache_touch(ngx_http_request_t *r,
    ngx_http_workos_jwt_cache_node_t *cn, ngx_atomic_uint_t stamp,
    u_char *digest);


/*
 * The trees of digests: the zone's verified tokens, this worker's opened
 * cookies
 */

ngx_http_workos_jwt_digest_node_t *
ngx_http_workos_jwt_digest_find(ngx_rbtree_t *tree, u_char *digest)
{
    ngx_int_t                           rc;
    ngx_rbtree_key_t                    key;
    ngx_rbtree_node_t                  *node, *sentinel;
    ngx_http_workos_jwt_digest_node_t  *dn;

    ngx_memcpy(&key, digest, sizeof(ngx_rbtree_key_t));

    node = tree->root;
    sentinel = tree->sentinel;

    while (node != sentinel) {

        if (key != node->key) {
            node = (key < node->key) ? node->left : node->right;
            continue;
        }

        dn = (ngx_http_workos_jwt_digest_node_t *) node;

        rc = ngx_memcmp(digest, dn->digest, NGX_HTTP_WORKOS_JWT_DIGEST_LEN);

        if (rc == 0) {
            return dn;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


void
ngx_http_workos_jwt_digest_set(ngx_http_workos_jwt_digest_node_t *dn,
    u_char *digest)
{
    ngx_memcpy(&dn->node.key, digest, sizeof(ngx_rbtree_key_t));
    ngx_memcpy(dn->digest, digest, NGX_HTTP_WORKOS_JWT_DIGEST_LEN);
}


/* ordered as ngx_http_workos_jwt_digest_find() searches */

void
ngx_http_workos_jwt_digest_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t                  **p;
    ngx_http_workos_jwt_digest_node_t   *dn, *dnt;

    for ( ;; ) {

        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            dn = (ngx_http_workos_jwt_digest_node_t *) node;
            dnt = (ngx_http_workos_jwt_digest_node_t *) temp;

            p = (ngx_memcmp(dn->digest, dnt->digest,
                            NGX_HTTP_WORKOS_JWT_DIGEST_LEN) < 0)
                ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}


/* stamp 0 first: a worker reading the entry without the lock misses */

static void
ngx_http_workos_jwt_cache_delete(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_cache_node_t *cn)
{
    cn->stamp = 0;
    ngx_memory_barrier();

    ngx_queue_remove(&cn->queue);
    ngx_rbtree_delete(&jmcf->sh->cache, &cn->dn.node);
    ngx_slab_free_locked(jmcf->shpool, cn);
    jmcf->sh->cache_entries--;
}


/* evicted for room: counted when it was never used */

static void
ngx_http_workos_jwt_cache_drop(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_http_workos_jwt_cache_node_t *cn)
{
    if (cn->used) {
        jmcf->sh->cache_wasted = 0;

    } else if (jmcf->sh->cache_wasted < NGX_HTTP_WORKOS_JWT_WASTED) {
        jmcf->sh->cache_wasted++;
    }

    ngx_http_workos_jwt_cache_delete(jmcf, cn);
}


/* NGX_OK: a hit, fingerprint of the key that verified it is returned */

ngx_int_t
ngx_http_workos_jwt_cache_lookup(ngx_http_request_t *r, u_char *digest,
    uint64_t *fingerprint, ngx_http_workos_jwt_cache_node_t **node)
{
    time_t                             now;
    ngx_int_t                          rc;
    ngx_http_workos_jwt_cache_node_t  *cn;
    ngx_http_workos_jwt_main_conf_t   *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    now = ngx_time();
    rc = NGX_DECLINED;

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    cn = (ngx_http_workos_jwt_cache_node_t *)
             ngx_http_workos_jwt_digest_find(&jmcf->sh->cache, digest);

    if (cn != NULL) {
        if (cn->exp > now) {
            ngx_queue_remove(&cn->queue);
            ngx_queue_insert_head(&jmcf->sh->cache_lru, &cn->queue);
            cn->used = 1;
            jmcf->sh->cache_wasted = 0;
            *fingerprint = cn->fingerprint;
            *node = cn;
            rc = NGX_OK;

        } else {
            ngx_http_workos_jwt_cache_delete(jmcf, cn);
        }
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    return rc;
}


/* drops up to n entries, expired and least recently used first */

ngx_uint_t
ngx_http_workos_jwt_cache_evict(ngx_http_workos_jwt_main_conf_t *jmcf,
    ngx_uint_t n)
{
    ngx_uint_t                         i;
    ngx_queue_t                       *q;
    ngx_http_workos_jwt_cache_node_t  *cn;

    for (i = 0; i < n; i++) {
        if (ngx_queue_empty(&jmcf->sh->cache_lru)) {
            break;
        }

        q = ngx_queue_last(&jmcf->sh->cache_lru);
        cn = ngx_queue_data(q, ngx_http_workos_jwt_cache_node_t, queue);

        ngx_http_workos_jwt_cache_drop(jmcf, cn);
    }

    return i;
}


ngx_http_workos_jwt_cache_node_t *
ngx_http_workos_jwt_cache_store(ngx_http_request_t *r, u_char *digest,
    time_t exp, uint64_t fingerprint)
{
    time_t                             now;
    ngx_queue_t                       *q;
    ngx_http_workos_jwt_sh_t          *sh;
    ngx_http_workos_jwt_cache_node_t  *cn;
    ngx_http_workos_jwt_main_conf_t   *jmcf;

    static ngx_uint_t  admit;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);
    sh = jmcf->sh;
    now = ngx_time();

    if (exp <= now) {
        return NULL;
    }

    /* a thrashing cache: most new entries are not stored (read unlocked) */

    if (sh->cache_wasted >= NGX_HTTP_WORKOS_JWT_WASTED
        && admit++ % NGX_HTTP_WORKOS_JWT_ADMIT != 0)
    {
        return NULL;
    }

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    cn = (ngx_http_workos_jwt_cache_node_t *)
             ngx_http_workos_jwt_digest_find(&sh->cache, digest);

    if (cn != NULL) {
        cn->fingerprint = fingerprint;
        cn->exp = exp;
        ngx_queue_remove(&cn->queue);
        ngx_queue_insert_head(&sh->cache_lru, &cn->queue);
        goto done;
    }

    /* the oldest entry goes when it has expired or the cache is full */

    if (!ngx_queue_empty(&sh->cache_lru)) {
        q = ngx_queue_last(&sh->cache_lru);
        cn = ngx_queue_data(q, ngx_http_workos_jwt_cache_node_t, queue);

        if (cn->exp <= now) {
            ngx_http_workos_jwt_cache_delete(jmcf, cn);

        } else if (jmcf->cache_max && sh->cache_entries >= jmcf->cache_max) {
            ngx_http_workos_jwt_cache_drop(jmcf, cn);
        }
    }

    cn = ngx_slab_alloc_locked(jmcf->shpool,
                               sizeof(ngx_http_workos_jwt_cache_node_t));

    if (cn == NULL) {
        if (ngx_http_workos_jwt_cache_evict(jmcf, 8) == 0) {
            goto done;
        }

        cn = ngx_slab_alloc_locked(jmcf->shpool,
                                   sizeof(ngx_http_workos_jwt_cache_node_t));
        if (cn == NULL) {
            goto done;
        }
    }

    ngx_http_workos_jwt_digest_set(&cn->dn, digest);
    cn->exp = exp;
    cn->fingerprint = fingerprint;
    cn->used = 0;
    ngx_memory_barrier();
    cn->stamp = ++sh->cache_stamp;

    ngx_rbtree_insert(&sh->cache, &cn->dn.node);
    ngx_queue_insert_head(&sh->cache_lru, &cn->queue);
    sh->cache_entries++;

done:

    ngx_shmtx_unlock(&jmcf->shpool->mutex);

    return cn;
}


/*
 * The parsed-token cache of this worker: the exact token bytes, its
 * decoded header and claims, and the fingerprint of the key that
 * verified it.  A hit skips base64url, JSON, SHA-256 and the zone lock;
 * the claims are still judged by every location.  Entries never outlive
 * exp; the zone cache above stays the shared record of verifications: a
 * hit counts only while the zone holds the entry it was stored with,
 * which is read without the lock (its stamp and digest; a node freed and
 * reused never matches both).  The zone's LRU order learns of an entry's
 * hits once a second: the first hit of each second moves it to the head
 * (under the lock), the others take no lock.
 */

#define NGX_HTTP_WORKOS_JWT_PARSED_MAX  1024

/*
 * A count of the entries by 16 bits of their hash: a token no entry
 * shares them with is a miss without the walk of a tree of 1024 nodes,
 * each a cache miss of its own (some 1 us a miss, measured)
 */
#define NGX_HTTP_WORKOS_JWT_PARSED_SEEN  65536


typedef struct {
    ngx_rbtree_node_t                  node;       /* key: token hash */
    ngx_queue_t                        queue;
    json_t                            *header;
    json_t                            *claims;
    const char                        *alg_name;   /* in header */
    const char                        *kid;        /* in header */
    size_t                             kid_len;
    const char                        *typ;        /* in header */
    int                                alg;
    time_t                             exp;
    uint64_t                           fingerprint;
    wjwt_facts_t                       facts;
    ngx_http_workos_jwt_cache_node_t  *shared;
    ngx_atomic_uint_t                  stamp;      /* of shared */
    ngx_uint_t                         revoked_gen; /* not revoked as of */
    time_t                             told;       /* the zone's LRU */
    u_char                             digest[NGX_HTTP_WORKOS_JWT_DIGEST_LEN];
    size_t                             len;
    u_char                             token[1];
} ngx_http_workos_jwt_parsed_node_t;


typedef struct {
    ngx_rbtree_t                       tree;
    ngx_rbtree_node_t                  sentinel;
    ngx_queue_t                        lru;
    uint16_t                          *seen;       /* SEEN counts */
    ngx_uint_t                         entries;
    ngx_uint_t                         ready;
} ngx_http_workos_jwt_parsed_t;


static ngx_http_workos_jwt_parsed_t  ngx_http_workos_jwt_parsed;


static ngx_rbtree_key_t
ngx_http_workos_jwt_parsed_hash(ngx_str_t *raw)
{
    size_t  n;

    /* the tail is the signature: enough entropy, and cheap */
    n = ngx_min(raw->len, 32);

    return ngx_murmur_hash2(raw->data + raw->len - n, n) ^ raw->len;
}


static ngx_http_workos_jwt_parsed_node_t *
ngx_http_workos_jwt_parsed_find(ngx_str_t *raw)
{
    ngx_int_t                       rc;
    ngx_rbtree_key_t                key;
    ngx_rbtree_node_t              *node, *sentinel;
    ngx_http_workos_jwt_parsed_node_t  *ln;

    if (!ngx_http_workos_jwt_parsed.ready) {
        return NULL;
    }

    key = ngx_http_workos_jwt_parsed_hash(raw);

    if (ngx_http_workos_jwt_parsed.seen[key & 0xffff] == 0) {
        return NULL;
    }

    node = ngx_http_workos_jwt_parsed.tree.root;
    sentinel = ngx_http_workos_jwt_parsed.tree.sentinel;

    while (node != sentinel) {

        if (key != node->key) {
            node = (key < node->key) ? node->left : node->right;
            continue;
        }

        ln = (ngx_http_workos_jwt_parsed_node_t *) node;

        rc = ngx_memn2cmp(raw->data, ln->token, raw->len, ln->len);

        if (rc == 0) {
            return ln;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


static void
ngx_http_workos_jwt_parsed_delete(ngx_http_workos_jwt_parsed_node_t *ln)
{
    ngx_queue_remove(&ln->queue);
    ngx_rbtree_delete(&ngx_http_workos_jwt_parsed.tree, &ln->node);
    ngx_http_workos_jwt_parsed.seen[ln->node.key & 0xffff]--;
    json_decref(ln->header);
    json_decref(ln->claims);
    ngx_free(ln);
    ngx_http_workos_jwt_parsed.entries--;
}


/* the rbtree insert of limit_req: same keys ordered by token bytes */

static void
ngx_http_workos_jwt_parsed_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t              **p;
    ngx_http_workos_jwt_parsed_node_t   *ln, *lnt;

    for ( ;; ) {

        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            ln = (ngx_http_workos_jwt_parsed_node_t *) node;
            lnt = (ngx_http_workos_jwt_parsed_node_t *) temp;

            p = (ngx_memn2cmp(ln->token, lnt->token, ln->len, lnt->len) < 0)
                ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}


/*
 * NGX_OK: v is resumed from the entry: the token's header and claims
 * (references taken), its facts, the fingerprint of the key that
 * verified it
 */

ngx_int_t
ngx_http_workos_jwt_parsed_lookup(ngx_http_request_t *r, ngx_str_t *raw,
    wjwt_verdict_t *v, ngx_uint_t **revoked_gen)
{
    time_t                              now;
    wjwt_token_t                       *t;
    ngx_http_workos_jwt_cache_node_t   *cn;
    ngx_http_workos_jwt_parsed_node_t  *ln;

    ln = ngx_http_workos_jwt_parsed_find(raw);

    if (ln == NULL) {
        return NGX_DECLINED;
    }

    now = ngx_time();
    cn = ln->shared;

    if (ln->exp <= now
        || cn->stamp != ln->stamp
        || ngx_memcmp(cn->dn.digest, ln->digest,
                      NGX_HTTP_WORKOS_JWT_DIGEST_LEN) != 0)
    {
        ngx_http_workos_jwt_parsed_delete(ln);
        return NGX_DECLINED;
    }

    ngx_queue_remove(&ln->queue);
    ngx_queue_insert_head(&ngx_http_workos_jwt_parsed.lru, &ln->queue);

    if (ln->told != now) {
        ln->told = now;
        ngx_http_workos_jwt_cache_touch(r, cn, ln->stamp, ln->digest);
    }

    t = &v->token;
    ngx_memzero(t, sizeof(wjwt_token_t));

    t->raw.data = raw->data;
    t->raw.len = raw->len;
    t->header = json_incref(ln->header);
    t->claims = json_incref(ln->claims);
    t->alg = ln->alg;
    t->alg_name = ln->alg_name;
    t->kid = ln->kid;
    t->kid_len = ln->kid_len;
    t->typ = ln->typ;

    v->facts = ln->facts;
    v->fingerprint = ln->fingerprint;
    v->resumed = 1;

    *revoked_gen = &ln->revoked_gen;

    return NGX_OK;
}


/* a hit: the zone's entry, if still the same, to the head of its LRU */

static void
ngx_http_workos_jwt_cache_touch(ngx_http_request_t *r,
    ngx_http_workos_jwt_cache_node_t *cn, ngx_atomic_uint_t stamp,
    u_char *digest)
{
    ngx_http_workos_jwt_main_conf_t  *jmcf;

    jmcf = ngx_http_get_module_main_conf(r, ngx_http_workos_jwt_module);

    ngx_shmtx_lock(&jmcf->shpool->mutex);

    if (cn->stamp == stamp
        && ngx_memcmp(cn->dn.digest, digest,
                      NGX_HTTP_WORKOS_JWT_DIGEST_LEN) == 0)
    {
        ngx_queue_remove(&cn->queue);
        ngx_queue_insert_head(&jmcf->sh->cache_lru, &cn->queue);
        cn->used = 1;
        jmcf->sh->cache_wasted = 0;
    }

    ngx_shmtx_unlock(&jmcf->shpool->mutex);
}


/* the entry's "not revoked as of" generation, or NULL */

ngx_uint_t *
ngx_http_workos_jwt_parsed_store(ngx_str_t *raw, const wjwt_verdict_t *v,
    time_t exp, ngx_http_workos_jwt_cache_node_t *shared, u_char *digest)
{
    ngx_queue_t                        *q;
    const wjwt_token_t                 *t;
    ngx_http_workos_jwt_parsed_node_t  *ln;

    t = &v->token;

    if (exp <= ngx_time() || t->header == NULL || t->claims == NULL
        || shared == NULL)
    {
        return NULL;
    }

    if (!ngx_http_workos_jwt_parsed.ready) {
        ngx_http_workos_jwt_parsed.seen =
                 ngx_calloc(NGX_HTTP_WORKOS_JWT_PARSED_SEEN * sizeof(uint16_t),
                            ngx_cycle->log);
        if (ngx_http_workos_jwt_parsed.seen == NULL) {
            return NULL;
        }

        ngx_rbtree_init(&ngx_http_workos_jwt_parsed.tree,
                        &ngx_http_workos_jwt_parsed.sentinel,
                        ngx_http_workos_jwt_parsed_insert);
        ngx_queue_init(&ngx_http_workos_jwt_parsed.lru);
        ngx_http_workos_jwt_parsed.ready = 1;
    }

    ln = ngx_http_workos_jwt_parsed_find(raw);

    if (ln != NULL) {
        ln->fingerprint = v->fingerprint;
        ln->shared = shared;
        ln->stamp = shared->stamp;
        ngx_memcpy(ln->digest, digest, NGX_HTTP_WORKOS_JWT_DIGEST_LEN);
        return &ln->revoked_gen;
    }

    if (ngx_http_workos_jwt_parsed.entries >= NGX_HTTP_WORKOS_JWT_PARSED_MAX) {
        q = ngx_queue_last(&ngx_http_workos_jwt_parsed.lru);
        ngx_http_workos_jwt_parsed_delete(
               ngx_queue_data(q, ngx_http_workos_jwt_parsed_node_t, queue));
    }

    ln = ngx_alloc(offsetof(ngx_http_workos_jwt_parsed_node_t, token)
                   + raw->len, ngx_cycle->log);
    if (ln == NULL) {
        return NULL;
    }

    ln->node.key = ngx_http_workos_jwt_parsed_hash(raw);
    ln->header = json_incref(t->header);
    ln->claims = json_incref(t->claims);
    ln->alg_name = t->alg_name;
    ln->kid = t->kid;
    ln->kid_len = t->kid_len;
    ln->typ = t->typ;
    ln->alg = t->alg;
    ln->exp = exp;
    ln->fingerprint = v->fingerprint;
    ln->facts = v->facts;
    ln->shared = shared;
    ln->stamp = shared->stamp;
    ln->revoked_gen = 0;
    ln->told = 0;
    ngx_memcpy(ln->digest, digest, NGX_HTTP_WORKOS_JWT_DIGEST_LEN);
    ln->len = raw->len;
    ngx_memcpy(ln->token, raw->data, raw->len);

    ngx_rbtree_insert(&ngx_http_workos_jwt_parsed.tree, &ln->node);
    ngx_http_workos_jwt_parsed.seen[ln->node.key & 0xffff]++;
    ngx_queue_insert_head(&ngx_http_workos_jwt_parsed.lru, &ln->queue);
    ngx_http_workos_jwt_parsed.entries++;

    return &ln->revoked_gen;
}


/*
 * The opened-cookie cache of this worker: by the SHA-256 of an AuthKit
 * session cookie's value, what a request needs of it once opened (the
 * access token, user id, email and format; never the refresh token,
 * which the core drops), for the password list that opened it, no
 * longer than the seal's expiration.  Least recently used entries go
 * first; an entry is one allocation of some 150 bytes plus the token.
 */

#define NGX_HTTP_WORKOS_JWT_OPENED_MAX  1024


typedef struct {
    ngx_http_workos_jwt_digest_node_t  dn;
    ngx_queue_t                        queue;
    ngx_array_t                       *passwords;
    int64_t                            expiration; /* the seal's, ms */
    ngx_uint_t                         format;
    size_t                             token_len;
    size_t                             user_id_len;
    size_t                             email_len;
    u_char                             data[1];    /* token, id, email */
} ngx_http_workos_jwt_opened_node_t;


typedef struct {
    ngx_rbtree_t                       tree;
    ngx_rbtree_node_t                  sentinel;
    ngx_queue_t                        lru;
    ngx_uint_t                         entries;
    ngx_uint_t                         ready;
} ngx_http_workos_jwt_opened_t;


static ngx_http_workos_jwt_opened_t  ngx_http_workos_jwt_opened;


static ngx_http_workos_jwt_opened_node_t *
ngx_http_workos_jwt_opened_find(u_char *digest)
{
    if (!ngx_http_workos_jwt_opened.ready) {
        return NULL;
    }

    return (ngx_http_workos_jwt_opened_node_t *)
               ngx_http_workos_jwt_digest_find(&ngx_http_workos_jwt_opened.tree,
                                               digest);
}


static void
ngx_http_workos_jwt_opened_delete(ngx_http_workos_jwt_opened_node_t *on)
{
    ngx_queue_remove(&on->queue);
    ngx_rbtree_delete(&ngx_http_workos_jwt_opened.tree, &on->dn.node);
    ngx_explicit_memzero(on->data,
                         on->token_len + on->user_id_len + on->email_len);
    ngx_free(on);
    ngx_http_workos_jwt_opened.entries--;
}


/*
 * NGX_OK: s is filled from the entry, copied to r->pool (the entry may
 * go while the request still runs)
 */

ngx_int_t
ngx_http_workos_jwt_opened_lookup(ngx_http_request_t *r, u_char *digest,
    ngx_array_t *passwords, ngx_http_workos_jwt_session_t *s)
{
    u_char                             *p;
    size_t                              len;
    ngx_http_workos_jwt_opened_node_t  *on;

    on = ngx_http_workos_jwt_opened_find(digest);

    if (on == NULL || on->passwords != passwords) {
        return NGX_DECLINED;
    }

    if (wjwt_session_expired(on->expiration, ngx_time())) {
        ngx_http_workos_jwt_opened_delete(on);
        return NGX_DECLINED;
    }

    ngx_queue_remove(&on->queue);
    ngx_queue_insert_head(&ngx_http_workos_jwt_opened.lru, &on->queue);

    len = on->token_len + on->user_id_len + on->email_len;

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(p, on->data, len);

    s->format = on->format;
    s->token.data = p;
    s->token.len = on->token_len;
    s->user_id.data = p + on->token_len;
    s->user_id.len = on->user_id_len;
    s->email.data = s->user_id.data + on->user_id_len;
    s->email.len = on->email_len;

    return NGX_OK;
}


void
ngx_http_workos_jwt_opened_store(u_char *digest, ngx_array_t *passwords,
    int64_t expiration, ngx_http_workos_jwt_session_t *s)
{
    size_t                              len;
    ngx_queue_t                        *q;
    ngx_http_workos_jwt_opened_node_t  *on;

    len = s->token.len + s->user_id.len + s->email.len;

    if (s->token.len > WJWT_DEFAULT_MAX_TOKEN
        || len > 2 * WJWT_DEFAULT_MAX_TOKEN)
    {
        return;
    }

    if (!ngx_http_workos_jwt_opened.ready) {
        ngx_rbtree_init(&ngx_http_workos_jwt_opened.tree,
                        &ngx_http_workos_jwt_opened.sentinel,
                        ngx_http_workos_jwt_digest_insert);
        ngx_queue_init(&ngx_http_workos_jwt_opened.lru);
        ngx_http_workos_jwt_opened.ready = 1;
    }

    on = ngx_http_workos_jwt_opened_find(digest);

    if (on != NULL) {
        ngx_http_workos_jwt_opened_delete(on);
    }

    if (ngx_http_workos_jwt_opened.entries >= NGX_HTTP_WORKOS_JWT_OPENED_MAX) {
        q = ngx_queue_last(&ngx_http_workos_jwt_opened.lru);
        ngx_http_workos_jwt_opened_delete(
               ngx_queue_data(q, ngx_http_workos_jwt_opened_node_t, queue));
    }

    on = ngx_alloc(offsetof(ngx_http_workos_jwt_opened_node_t, data) + len,
                   ngx_cycle->log);
    if (on == NULL) {
        return;
    }

    ngx_http_workos_jwt_digest_set(&on->dn, digest);
    on->passwords = passwords;
    on->expiration = expiration;
    on->format = s->format;
    on->token_len = s->token.len;
    on->user_id_len = s->user_id.len;
    on->email_len = s->email.len;

    ngx_memcpy(ngx_cpymem(ngx_cpymem(on->data, s->token.data, s->token.len),
                          s->user_id.data, s->user_id.len),
               s->email.data, s->email.len);

    ngx_rbtree_insert(&ngx_http_workos_jwt_opened.tree, &on->dn.node);
    ngx_queue_insert_head(&ngx_http_workos_jwt_opened.lru, &on->queue);
    ngx_http_workos_jwt_opened.entries++;
}


/* at exit: both caches of this worker */

void
ngx_http_workos_jwt_parsed_free(void)
{
    ngx_queue_t  *q;

    if (ngx_http_workos_jwt_parsed.ready) {
        while (!ngx_queue_empty(&ngx_http_workos_jwt_parsed.lru)) {
            q = ngx_queue_last(&ngx_http_workos_jwt_parsed.lru);
            ngx_http_workos_jwt_parsed_delete(
                ngx_queue_data(q, ngx_http_workos_jwt_parsed_node_t, queue));
        }

        ngx_free(ngx_http_workos_jwt_parsed.seen);
        ngx_http_workos_jwt_parsed.seen = NULL;
        ngx_http_workos_jwt_parsed.ready = 0;
    }

    if (ngx_http_workos_jwt_opened.ready) {
        while (!ngx_queue_empty(&ngx_http_workos_jwt_opened.lru)) {
            q = ngx_queue_last(&ngx_http_workos_jwt_opened.lru);
            ngx_http_workos_jwt_opened_delete(
                ngx_queue_data(q, ngx_http_workos_jwt_opened_node_t, queue));
        }
    }
}
