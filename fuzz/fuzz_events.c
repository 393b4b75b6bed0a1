
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Revocation events: wjwt_events_parse() on arbitrary bytes (a page of
 * the Events API), the invariants of what it returns, the same input
 * through short error buffers, and the ISO 8601 parser on the input and
 * on every created_at it accepted, formatted and parsed back.
 */


#include "fuzz_common.h"

#include <wjwt_events.h>


static int
wjwt_fuzz_id_ok(const char *id, size_t len, int cursor)
{
    size_t  i;

    if (len == 0 || len >= WJWT_EVENTS_ID_SIZE || strlen(id) != len) {
        return 0;
    }

    if (cursor) {
        for (i = 0; i < len; i++) {
            if (strchr("abcdefghijklmnopqrstuvwxyz"
                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~", id[i])
                == NULL)
            {
                return 0;
            }
        }
    }

    return 1;
}


static void
wjwt_fuzz_time(int64_t t)
{
    char     buf[WJWT_ISO8601_LEN + 1], small[7];
    int64_t  back;

    if (t < 0 || t > WJWT_MAX_TIME) {
        abort();
    }

    if (wjwt_iso8601(t, buf, sizeof(buf)) != WJWT_ISO8601_LEN
        || strlen(buf) != WJWT_ISO8601_LEN)
    {
        abort();
    }

    if (wjwt_iso8601_parse((const unsigned char *) buf, WJWT_ISO8601_LEN,
                           &back)
        != 0 || back != t)
    {
        abort();
    }

    if (wjwt_iso8601(t, small, sizeof(small)) != WJWT_ISO8601_LEN
        || memcmp(small, buf, sizeof(small)) != 0)
    {
        abort();
    }

    wjwt_fuzz_touch(buf, sizeof(buf));
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                       rc;
    char                      err[160], small[5];
    size_t                    i, n;
    int64_t                   t;
    wjwt_events_page_t        page, again;
    const wjwt_revocation_t  *r;

    /* the input as a time */

    t = -1;

    if (wjwt_iso8601_parse(data, size, &t) == 0) {
        wjwt_fuzz_time(t);

    } else if (t != -1) {
        abort();
    }

    err[0] = '\0';

    rc = wjwt_events_parse(&page, data, size, err, sizeof(err));

    if (rc != 0) {
        if (rc != -1 || page.entries != NULL || page.n != 0
            || page.nevents != 0 || page.last_id_len != 0
            || page.after_len != 0 || strlen(err) >= sizeof(err)
            || err[0] == '\0')
        {
            abort();
        }

        wjwt_fuzz_touch(err, strlen(err) + 1);

        /* a short error buffer is cut, never overrun */

        if (wjwt_events_parse(&again, data, size, small, sizeof(small)) != -1
            || strlen(small) >= sizeof(small))
        {
            abort();
        }

        wjwt_events_free(&page);
        wjwt_events_free(&again);

        return 0;
    }

    if (page.n > page.nevents || page.nevents > WJWT_EVENTS_MAX_PAGE
        || (page.n > 0 && page.entries == NULL)
        || (page.nevents > 0) != (page.last_id_len > 0))
    {
        abort();
    }

    if (page.last_id_len > 0) {
        if (!wjwt_fuzz_id_ok(page.last_id, page.last_id_len, 1)) {
            abort();
        }

        wjwt_fuzz_time(page.last_at);
    }

    if (page.after_len > 0
        && !wjwt_fuzz_id_ok(page.after, page.after_len, 1))
    {
        abort();
    }

    for (i = 0; i < page.n; i++) {
        r = &page.entries[i];

        if (!wjwt_fuzz_id_ok(r->id, r->id_len, 0)) {
            abort();
        }

        switch (r->kind) {

        case WJWT_REVOKE_SESSION:
        case WJWT_REVOKE_USER:
            if (r->org_len != 0 || r->org[0] != '\0') {
                abort();
            }

            break;

        case WJWT_REVOKE_MEMBERSHIP:
            if (!wjwt_fuzz_id_ok(r->org, r->org_len, 0)) {
                abort();
            }

            break;

        default:
            abort();
        }

        if (wjwt_revoke_kind_name(r->kind)[0] == '\0') {
            abort();
        }

        wjwt_fuzz_time(r->at);
        wjwt_fuzz_touch(r, sizeof(wjwt_revocation_t));
    }

    /* the same input twice gives the same page; no error buffer needed */

    if (wjwt_events_parse(&again, data, size, NULL, 0) != 0) {
        abort();
    }

    n = page.n * sizeof(wjwt_revocation_t);

    if (again.n != page.n || again.nevents != page.nevents
        || again.last_id_len != page.last_id_len
        || strcmp(again.last_id, page.last_id) != 0
        || strcmp(again.after, page.after) != 0
        || (n > 0 && memcmp(again.entries, page.entries, n) != 0))
    {
        abort();
    }

    wjwt_events_free(&again);
    wjwt_events_free(&page);

    if (page.entries != NULL || page.n != 0) {
        abort();
    }

    return 0;
}
