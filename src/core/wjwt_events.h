
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Revocation events (README, Revocation at the edge): one page of the
 * WorkOS Events API (GET /events) parsed into the sessions, users and
 * memberships whose older tokens must be refused, and the ISO 8601 times
 * the API speaks.
 * No nginx headers, no global state; memory from malloc().
 */


#ifndef _WJWT_EVENTS_H_INCLUDED_
#define _WJWT_EVENTS_H_INCLUDED_


#include <stddef.h>
#include <stdint.h>


/* an id is 1..WJWT_EVENTS_ID_SIZE - 1 bytes, kept NUL-terminated */
#define WJWT_EVENTS_ID_SIZE     128

/* WorkOS answers at most 100 events a page; more is not a real page */
#define WJWT_EVENTS_MAX_PAGE    1000

/* "2026-12-01T10:00:00.000Z" */
#define WJWT_ISO8601_LEN        24


typedef enum {
    WJWT_REVOKE_SESSION = 1,        /* session.revoked: id = data.id */
    WJWT_REVOKE_USER,               /* user.deleted: id = data.id */
    WJWT_REVOKE_MEMBERSHIP          /* organization_membership.deleted,
                                       .updated: id = data.user_id,
                                       org = data.organization_id */
} wjwt_revoke_kind_e;

typedef struct {
    int                    kind;        /* wjwt_revoke_kind_e */
    char                   id[WJWT_EVENTS_ID_SIZE];
    size_t                 id_len;
    char                   org[WJWT_EVENTS_ID_SIZE];
    size_t                 org_len;     /* 0 unless MEMBERSHIP */
    int64_t                at;          /* created_at, epoch seconds */
} wjwt_revocation_t;

typedef struct {
    wjwt_revocation_t     *entries;     /* owned, in page order */
    size_t                 n;
    size_t                 nevents;     /* events on the page, all types */
    char                   last_id[WJWT_EVENTS_ID_SIZE];
    size_t                 last_id_len; /* 0: the page was empty */
    int64_t                last_at;     /* created_at of that event */
    char                   after[WJWT_EVENTS_ID_SIZE];
    size_t                 after_len;   /* 0: list_metadata.after null */
} wjwt_events_page_t;


/*
 * Parses one page: {"data":[{"id","event","data","created_at",...}],
 * "list_metadata":{"after": id|null}}.  Every event needs a string "id"
 * of URL-unreserved characters (it becomes the next "after" argument as
 * is), a string "event" and a parsable "created_at"; a known event needs
 * its data members as non-empty strings.  Other event types are counted
 * in nevents and skipped.  Anything else wrong, an id of
 * WJWT_EVENTS_ID_SIZE bytes or more, or more than WJWT_EVENTS_MAX_PAGE
 * events fail the whole page: -1 with a reason in err and page empty.
 * 0 on success.  Always call wjwt_events_free().
 *
 * The next cursor is last_id (when nevents > 0; else keep the old one);
 * after_len > 0 only says that more events follow at once.
 */
int wjwt_events_parse(wjwt_events_page_t *page, const unsigned char *data,
    size_t len, char *err, size_t err_size);
void wjwt_events_free(wjwt_events_page_t *page);

/* "session", "user", "membership"; "" for anything else */
const char *wjwt_revoke_kind_name(int kind);

/*
 * t (0..WJWT_MAX_TIME) as "2026-12-01T10:00:00.000Z".  Writes at most
 * size bytes, NUL-terminated when it fits; returns WJWT_ISO8601_LEN, or
 * 0 (and "") when t is out of range.
 */
size_t wjwt_iso8601(int64_t t, char *buf, size_t size);

/*
 * "YYYY-MM-DD[(T|t| )hh:mm[:ss[(.|,)digits]][Z|z|(+|-)hh[[:]mm]]]" to
 * epoch seconds, fractions cut off, no zone meaning UTC (the API's
 * older "2023-04-28 20:05:31.093").  0, or -1 when the text is not such
 * a time, not a real date, or outside 0..WJWT_MAX_TIME.
 */
int wjwt_iso8601_parse(const unsigned char *s, size_t len, int64_t *t);


#endif /* _WJWT_EVENTS_H_INCLUDED_ */
