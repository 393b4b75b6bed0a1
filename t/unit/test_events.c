
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Revocation events: pages of the WorkOS Events API into revocation
 * entries, failed pages, and the ISO 8601 times both ways.
 */


#include <time.h>

#include <wjwt.h>
#include <wjwt_events.h>

#include "tap.h"


#define T_2026  1796119200LL        /* 2026-12-01T10:00:00Z */


static int
parse(wjwt_events_page_t *page, const char *s, char *err, size_t err_size)
{
    return wjwt_events_parse(page, (const unsigned char *) s, strlen(s),
                             err, err_size);
}


static int
iso_parse(const char *s, int64_t *t)
{
    return wjwt_iso8601_parse((const unsigned char *) s, strlen(s), t);
}


static void
test_iso8601_format(void)
{
    char     buf[64];
    size_t   n;
    int64_t  t, back;

    n = wjwt_iso8601(T_2026, buf, sizeof(buf));
    is_int(n, WJWT_ISO8601_LEN, "format: length");
    is_str(buf, "2026-12-01T10:00:00.000Z", "format: 2026-12-01T10:00Z");

    wjwt_iso8601(0, buf, sizeof(buf));
    is_str(buf, "1970-01-01T00:00:00.000Z", "format: epoch");

    wjwt_iso8601(WJWT_MAX_TIME, buf, sizeof(buf));
    is_str(buf, "9999-12-31T23:59:59.000Z", "format: WJWT_MAX_TIME");

    wjwt_iso8601(1709251199, buf, sizeof(buf));
    is_str(buf, "2024-02-29T23:59:59.000Z", "format: leap day");

    wjwt_iso8601(951782400, buf, sizeof(buf));
    is_str(buf, "2000-02-29T00:00:00.000Z", "format: 2000 is a leap year");

    strcpy(buf, "junk");
    is_int(wjwt_iso8601(-1, buf, sizeof(buf)), 0, "format: -1 refused");
    is_str(buf, "", "format: -1 gives \"\"");
    is_int(wjwt_iso8601(WJWT_MAX_TIME + 1, buf, sizeof(buf)), 0,
           "format: past 9999 refused");

    memset(buf, 'x', sizeof(buf));
    n = wjwt_iso8601(T_2026, buf, 10);
    ok(n == WJWT_ISO8601_LEN && memcmp(buf, "2026-12-01x", 11) == 0,
       "format: a short buffer is cut, never overrun");

    memset(buf, 'x', sizeof(buf));
    n = wjwt_iso8601(T_2026, buf, WJWT_ISO8601_LEN);
    ok(n == WJWT_ISO8601_LEN && buf[WJWT_ISO8601_LEN] == 'x'
       && buf[WJWT_ISO8601_LEN - 1] == 'Z',
       "format: an exact buffer gets no NUL");

    is_int(wjwt_iso8601(T_2026, NULL, 0), WJWT_ISO8601_LEN,
           "format: size 0 measures");

    /* against libc, and back through the parser */

    {
        int        bad;
        char       want[64];
        time_t     tt;
        struct tm  tm;

        bad = 0;

        for (t = 0; t <= WJWT_MAX_TIME; t += 86400LL * 37 + 3607) {
            tt = (time_t) t;
            gmtime_r(&tt, &tm);
            strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
            wjwt_iso8601(t, buf, sizeof(buf));

            if (strcmp(buf, want) != 0
                || iso_parse(buf, &back) != 0 || back != t)
            {
                if (bad++ == 0) {
                    diag("t=%lld: \"%s\", libc \"%s\"", (long long) t, buf,
                         want);
                }
            }
        }

        is_int(bad, 0, "format: agrees with gmtime_r() and parses back, "
               "0..9999");
    }
}


static void
test_iso8601_parse(void)
{
    size_t   i;
    int64_t  t;

    static const struct {
        const char  *text;
        int          rc;
        int64_t      t;
    } cases[] = {
        { "2026-12-01T10:00:00.000Z", 0, T_2026 },
        { "2026-12-01T10:00:00Z", 0, T_2026 },
        { "2026-12-01T10:00:00.999Z", 0, T_2026 },
        { "2026-12-01T10:00:00.123456789012Z", 0, T_2026 },
        { "2026-12-01T10:00:00,5Z", 0, T_2026 },
        { "2026-12-01t10:00:00z", 0, T_2026 },
        { "2026-12-01T10:00:00+00:00", 0, T_2026 },
        { "2026-12-01T11:30:00+01:30", 0, T_2026 },
        { "2026-12-01T11:30:00+0130", 0, T_2026 },
        { "2026-12-01T05:00:00-05:00", 0, T_2026 },
        { "2026-12-01T12:00:00+02", 0, T_2026 },
        { "2026-12-01T10:00:00-00:00", 0, T_2026 },
        { "2026-12-01T10:00Z", 0, T_2026 },
        { "2026-12-01T10:00", 0, T_2026 },
        { "2026-12-01 10:00:00", 0, T_2026 },
        { "2023-04-28 20:05:31.093", 0, 1682712331 },
        { "2025-08-28T17:56:31.027Z", 0, 1756403791 },
        { "2026-12-01", 0, T_2026 - 10 * 3600 },
        { "1970-01-01T00:00:00Z", 0, 0 },
        { "1970-01-01T01:00:00+01:00", 0, 0 },
        { "9999-12-31T23:59:59.999Z", 0, WJWT_MAX_TIME },
        { "2024-02-29T23:59:59Z", 0, 1709251199 },
        { "2016-12-31T23:59:60Z", 0, 1483228800 },
        { "1969-12-31T23:59:59Z", -1, 0 },
        { "1970-01-01T00:30:00+01:00", -1, 0 },
        { "9999-12-31T23:00:00-01:00", -1, 0 },
        { "2023-02-29T00:00:00Z", -1, 0 },
        { "1900-02-29T00:00:00Z", -1, 0 },
        { "2026-13-01T00:00:00Z", -1, 0 },
        { "2026-00-01T00:00:00Z", -1, 0 },
        { "2026-04-31T00:00:00Z", -1, 0 },
        { "2026-12-00T00:00:00Z", -1, 0 },
        { "2026-12-01T24:00:00Z", -1, 0 },
        { "2026-12-01T10:60:00Z", -1, 0 },
        { "2026-12-01T10:00:61Z", -1, 0 },
        { "2026-12-01T10:00:00+24:00", -1, 0 },
        { "2026-12-01T10:00:00+01:60", -1, 0 },
        { "2026-12-01T10:00:00+1", -1, 0 },
        { "2026-12-01T10:00:00+01:", -1, 0 },
        { "2026-12-01T10:00:00+01:0", -1, 0 },
        { "2026-12-01T10:00:00+013", -1, 0 },
        { "2026-12-01T10:00:00.Z", -1, 0 },
        { "2026-12-01T10:00:00.", -1, 0 },
        { "2026-12-01T10:00:00ZZ", -1, 0 },
        { "2026-12-01T10:00:00 Z", -1, 0 },
        { "2026-12-01T10:00:00Zjunk", -1, 0 },
        { "2026-12-01T10", -1, 0 },
        { "2026-12-01T", -1, 0 },
        { "2026-12-01X10:00:00Z", -1, 0 },
        { "2026-12-01Z", -1, 0 },
        { "2026-12-1T10:00:00Z", -1, 0 },
        { "26-12-01T10:00:00Z", -1, 0 },
        { "+2026-12-01T10:00:00Z", -1, 0 },
        { "2026/12/01T10:00:00Z", -1, 0 },
        { " 2026-12-01T10:00:00Z", -1, 0 },
        { "1796119200", -1, 0 },
        { "", -1, 0 },
    };

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        t = -7;

        if (cases[i].rc == 0) {
            ok(iso_parse(cases[i].text, &t) == 0 && t == cases[i].t,
               "parse \"%s\" = %lld", cases[i].text,
               (long long) cases[i].t);

            if (t != cases[i].t) {
                diag("    got %lld", (long long) t);
            }

        } else {
            ok(iso_parse(cases[i].text, &t) == -1 && t == -7,
               "parse \"%s\" refused, *t untouched", cases[i].text);
        }
    }

    /* length is honoured: no reading past len */
    ok(wjwt_iso8601_parse((const unsigned char *) "2026-12-01T10:00:00Zxx",
                          20, &t) == 0 && t == T_2026,
       "parse: stops at len");
    ok(wjwt_iso8601_parse((const unsigned char *) "2026-12-01T10:00:00Z",
                          19, &t) == 0 && t == T_2026,
       "parse: without the cut-off Z");
    ok(wjwt_iso8601_parse((const unsigned char *) "2026-12-01T10:00:00Z",
                          18, &t) == -1,
       "parse: a cut-off seconds field is refused");
}


static const char  *page_ok =
    "{\"object\":\"list\",\"data\":["
    "{\"object\":\"event\",\"id\":\"event_01A\",\"event\":\"session.revoked\","
    "\"data\":{\"object\":\"session\",\"id\":\"session_01S\","
    "\"user_id\":\"user_01U\",\"organization_id\":\"org_01O\"},"
    "\"created_at\":\"2026-12-01T10:00:00.000Z\"},"
    "{\"object\":\"event\",\"id\":\"event_01B\",\"event\":\"user.created\","
    "\"data\":{\"id\":\"user_01NEW\"},"
    "\"created_at\":\"2026-12-01T10:00:01.000Z\",\"context\":{}},"
    "{\"object\":\"event\",\"id\":\"event_01C\",\"event\":\"user.deleted\","
    "\"data\":{\"object\":\"user\",\"id\":\"user_01GONE\","
    "\"email\":\"a@example.com\"},"
    "\"created_at\":\"2026-12-01T10:00:02.500Z\"},"
    "{\"object\":\"event\",\"id\":\"event_01D\","
    "\"event\":\"organization_membership.deleted\","
    "\"data\":{\"object\":\"organization_membership\",\"id\":\"om_01\","
    "\"user_id\":\"user_01M\",\"organization_id\":\"org_01X\","
    "\"role\":{\"slug\":\"admin\"}},"
    "\"created_at\":\"2026-12-01T10:00:03Z\"},"
    "{\"object\":\"event\",\"id\":\"event_01E\","
    "\"event\":\"organization_membership.updated\","
    "\"data\":{\"id\":\"om_02\",\"user_id\":\"user_01N\","
    "\"organization_id\":\"org_01Y\",\"role\":{\"slug\":\"member\"}},"
    "\"created_at\":\"2026-12-01 11:00:04.000+01:00\"},"
    "{\"object\":\"event\",\"id\":\"event_01F\",\"event\":\"dsync.activated\","
    "\"data\":null,\"created_at\":\"2026-12-01T10:00:05.000Z\"}"
    "],\"list_metadata\":{\"before\":null,\"after\":\"event_01F\"}}";


static void
test_page(void)
{
    char                err[256];
    wjwt_events_page_t  page;

    err[0] = '\0';

    if (!ok(parse(&page, page_ok, err, sizeof(err)) == 0,
            "page: parsed"))
    {
        diag("    %s", err);
        wjwt_events_free(&page);
        return;
    }

    is_int(page.nevents, 6, "page: six events");
    is_int(page.n, 4, "page: four revocations (two types skipped)");

    is_int(page.entries[0].kind, WJWT_REVOKE_SESSION, "0: session");
    is_str(page.entries[0].id, "session_01S", "0: data.id");
    is_int(page.entries[0].id_len, 11, "0: id_len");
    is_int(page.entries[0].org_len, 0, "0: no org");
    is_int(page.entries[0].at, T_2026, "0: created_at");

    is_int(page.entries[1].kind, WJWT_REVOKE_USER, "1: user");
    is_str(page.entries[1].id, "user_01GONE", "1: data.id");
    is_int(page.entries[1].at, T_2026 + 2, "1: fraction cut off");

    is_int(page.entries[2].kind, WJWT_REVOKE_MEMBERSHIP,
           "2: membership (deleted)");
    is_str(page.entries[2].id, "user_01M", "2: data.user_id");
    is_str(page.entries[2].org, "org_01X", "2: data.organization_id");
    is_int(page.entries[2].org_len, 7, "2: org_len");
    is_int(page.entries[2].at, T_2026 + 3, "2: created_at");

    is_int(page.entries[3].kind, WJWT_REVOKE_MEMBERSHIP,
           "3: membership (updated)");
    is_str(page.entries[3].id, "user_01N", "3: data.user_id");
    is_str(page.entries[3].org, "org_01Y", "3: data.organization_id");
    is_int(page.entries[3].at, T_2026 + 4, "3: offset applied");

    is_str(page.last_id, "event_01F", "page: last_id is the last event's, "
           "skipped or not");
    is_int(page.last_id_len, 9, "page: last_id_len");
    is_int(page.last_at, T_2026 + 5, "page: last_at");
    is_str(page.after, "event_01F", "page: list_metadata.after");
    is_int(page.after_len, 9, "page: after_len");

    is_str(wjwt_revoke_kind_name(page.entries[0].kind), "session",
           "kind name: session");
    is_str(wjwt_revoke_kind_name(WJWT_REVOKE_USER), "user",
           "kind name: user");
    is_str(wjwt_revoke_kind_name(WJWT_REVOKE_MEMBERSHIP), "membership",
           "kind name: membership");
    is_str(wjwt_revoke_kind_name(0), "", "kind name: other");

    wjwt_events_free(&page);
    ok(page.entries == NULL && page.n == 0 && page.nevents == 0
       && page.last_id_len == 0, "free: the page is emptied");
    wjwt_events_free(&page);
    ok(1, "free: twice is harmless");
}


static void
test_small_pages(void)
{
    size_t              i;
    wjwt_events_page_t  page;

    static const struct {
        const char  *text;
        size_t       nevents;
        size_t       n;
        const char  *last;
        const char  *after;
    } cases[] = {
        { "{\"object\":\"list\",\"data\":[],"
          "\"list_metadata\":{\"after\":null}}", 0, 0, "", "" },
        { "{\"data\":[]}", 0, 0, "", "" },
        { "{\"data\":[],\"list_metadata\":null}", 0, 0, "", "" },
        { "{\"data\":[],\"list_metadata\":{}}", 0, 0, "", "" },
        { "{\"data\":[],\"list_metadata\":{\"after\":\"event_9\"}}",
          0, 0, "", "event_9" },
        { "{\"data\":[{\"id\":\"e.1~x-y_z\",\"event\":\"x\","
          "\"created_at\":\"2026-12-01T10:00:00Z\"}]}",
          1, 0, "e.1~x-y_z", "" },
        /* an unknown event needs no data */
        { "{\"data\":[{\"id\":\"e1\",\"event\":\"user.created\","
          "\"created_at\":\"2026-12-01T10:00:00Z\"}]}", 1, 0, "e1", "" },
        /* names are exact */
        { "{\"data\":[{\"id\":\"e1\",\"event\":\"Session.Revoked\","
          "\"created_at\":\"2026-12-01T10:00:00Z\"},"
          "{\"id\":\"e2\",\"event\":\"session.revoked \","
          "\"created_at\":\"2026-12-01T10:00:00Z\"},"
          "{\"id\":\"e3\",\"event\":\"organization_membership.created\","
          "\"created_at\":\"2026-12-01T10:00:00Z\"}]}", 3, 0, "e3", "" },
        /* data ids are compared, not sent: any text */
        { "{\"data\":[{\"id\":\"e1\",\"event\":\"user.deleted\","
          "\"data\":{\"id\":\"user 1/\\u00e9\"},"
          "\"created_at\":\"2026-12-01T10:00:00Z\"}]}", 1, 1, "e1", "" },
        /* unknown members anywhere are ignored */
        { "{\"object\":\"list\",\"extra\":[1,{}],\"data\":[{\"id\":\"e1\","
          "\"event\":\"session.revoked\",\"data\":{\"id\":\"s\",\"x\":[]},"
          "\"created_at\":\"2026-12-01T10:00:00Z\",\"object\":7}]}",
          1, 1, "e1", "" },
    };

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (!ok(parse(&page, cases[i].text, NULL, 0) == 0,
                "small page %zu parsed", i))
        {
            continue;
        }

        ok(page.nevents == cases[i].nevents && page.n == cases[i].n
           && strcmp(page.last_id, cases[i].last) == 0
           && page.last_id_len == strlen(cases[i].last)
           && strcmp(page.after, cases[i].after) == 0
           && page.after_len == strlen(cases[i].after)
           && (page.n > 0 || page.entries == NULL || page.nevents > 0),
           "small page %zu: %zu events, %zu entries, last \"%s\", "
           "after \"%s\"", i, cases[i].nevents, cases[i].n, cases[i].last,
           cases[i].after);

        wjwt_events_free(&page);
    }
}


static void
test_malformed(void)
{
    char                err[256];
    size_t              i;
    wjwt_events_page_t  page;

#define EV(id, type, data, at)                                               \
    "{\"data\":[{\"id\":\"e0\",\"event\":\"session.revoked\","               \
    "\"data\":{\"id\":\"s0\"},\"created_at\":\"2026-12-01T10:00:00Z\"},"     \
    "{\"id\":" id ",\"event\":" type ",\"data\":" data                       \
    ",\"created_at\":" at "}]}"

    static const struct {
        const char  *text;
        const char  *reason;
    } cases[] = {
        { "", "not JSON" },
        { "{\"data\":[]", "not JSON" },
        { "{\"data\":[]} x", "not JSON" },
        { "{\"data\":[],\"data\":[]}", "not JSON" },
        { "{\"data\":[\"\\u0000\"]}", "not JSON" },
        { "[]", "not a JSON object" },
        { "null", "not JSON" },
        { "\"list\"", "not JSON" },
        { "{}", "\"data\" is missing or not an array" },
        { "{\"object\":\"list\"}", "\"data\" is missing or not an array" },
        { "{\"data\":null}", "\"data\" is missing or not an array" },
        { "{\"data\":{}}", "\"data\" is missing or not an array" },
        { "{\"data\":\"[]\"}", "\"data\" is missing or not an array" },
        { "{\"data\":[],\"list_metadata\":[]}",
          "\"list_metadata\" is not an object" },
        { "{\"data\":[],\"list_metadata\":{\"after\":5}}",
          "\"list_metadata.after\" is not an event id" },
        { "{\"data\":[],\"list_metadata\":{\"after\":\"\"}}",
          "\"list_metadata.after\" is not an event id" },
        { "{\"data\":[],\"list_metadata\":{\"after\":\"a&b\"}}",
          "\"list_metadata.after\" is not an event id" },
        { "{\"data\":[7]}", "event 0: not a JSON object" },
        { "{\"data\":[[]]}", "event 0: not a JSON object" },
        { "{\"data\":[null]}", "event 0: not a JSON object" },
        { EV("\"e1\"", "\"x\"", "{}", "\"2026-12-01T10:00:00Z\"")
          ",\"x\":1}", "not JSON" },
        { EV("1", "\"x\"", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"id\" is missing or not an event id" },
        { EV("null", "\"x\"", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"id\" is missing or not an event id" },
        { EV("\"\"", "\"x\"", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"id\" is missing or not an event id" },
        { EV("\"event 1\"", "\"x\"", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"id\" is missing or not an event id" },
        { EV("\"e%261\"", "\"x\"", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"id\" is missing or not an event id" },
        { EV("\"e\\u00e9\"", "\"x\"", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"id\" is missing or not an event id" },
        { EV("\"e1\"", "1", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"event\" is missing or not a string" },
        { EV("\"e1\"", "null", "{}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"event\" is missing or not a string" },
        { EV("\"e1\"", "\"x\"", "{}", "1796119200"),
          "event 1: \"created_at\" is missing or not an ISO 8601 time" },
        { EV("\"e1\"", "\"x\"", "{}", "\"yesterday\""),
          "event 1: \"created_at\" is missing or not an ISO 8601 time" },
        { EV("\"e1\"", "\"x\"", "{}", "null"),
          "event 1: \"created_at\" is missing or not an ISO 8601 time" },
        { EV("\"e1\"", "\"session.revoked\"", "null",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data\" is missing or not an object" },
        { EV("\"e1\"", "\"user.deleted\"", "[]",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data\" is missing or not an object" },
        { EV("\"e1\"", "\"session.revoked\"", "{}",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data.id\" is missing or not a usable id" },
        { EV("\"e1\"", "\"session.revoked\"", "{\"id\":5}",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data.id\" is missing or not a usable id" },
        { EV("\"e1\"", "\"user.deleted\"", "{\"id\":\"\"}",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data.id\" is missing or not a usable id" },
        { EV("\"e1\"", "\"user.deleted\"", "{\"user_id\":\"u\"}",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data.id\" is missing or not a usable id" },
        { EV("\"e1\"", "\"organization_membership.deleted\"",
             "{\"id\":\"om\",\"organization_id\":\"o\"}",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data.user_id\" is missing or not a usable id" },
        { EV("\"e1\"", "\"organization_membership.updated\"",
             "{\"user_id\":\"u\"}", "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data.organization_id\" is missing or not a usable id" },
        { EV("\"e1\"", "\"organization_membership.updated\"",
             "{\"user_id\":\"u\",\"organization_id\":null}",
             "\"2026-12-01T10:00:00Z\""),
          "event 1: \"data.organization_id\" is missing or not a usable id" },
    };

#undef EV

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        strcpy(err, "unset");
        page.n = 99;

        ok(parse(&page, cases[i].text, err, sizeof(err)) == -1
           && page.entries == NULL && page.n == 0 && page.nevents == 0
           && page.last_id_len == 0 && page.after_len == 0
           && strncmp(err, cases[i].reason, strlen(cases[i].reason)) == 0,
           "malformed %zu: %s", i, cases[i].reason);

        if (strncmp(err, cases[i].reason, strlen(cases[i].reason)) != 0) {
            diag("    err: %s", err);
        }

        wjwt_events_free(&page);
    }

    /* short and absent error buffers */

    memset(err, 'x', sizeof(err));
    ok(parse(&page, "{\"data\":[1]}", err, 6) == -1
       && strcmp(err, "event") == 0, "a short error buffer is cut");
    ok(parse(&page, "{\"data\":[1]}", NULL, 0) == -1, "no error buffer");
    ok(parse(&page, "{\"data\":[1]}", err, 0) == -1 && err[0] == 'e',
       "error buffer of size 0 untouched");
}


static void
test_limits(void)
{
    char                id[200], text[1024], *big;
    size_t              i, len, size;
    wjwt_events_page_t  page;

    /* ids of WJWT_EVENTS_ID_SIZE - 1 bytes fit, one more does not */

    static const char  *fmts[] = {
        "{\"data\":[{\"id\":\"%s\",\"event\":\"x\","
        "\"created_at\":\"2026-12-01T10:00:00Z\"}]}",
        "{\"data\":[],\"list_metadata\":{\"after\":\"%s\"}}",
        "{\"data\":[{\"id\":\"e\",\"event\":\"session.revoked\","
        "\"data\":{\"id\":\"%s\"},\"created_at\":\"2026-12-01T10:00:00Z\"}]}",
        "{\"data\":[{\"id\":\"e\",\"event\":\"user.deleted\","
        "\"data\":{\"id\":\"%s\"},\"created_at\":\"2026-12-01T10:00:00Z\"}]}",
        "{\"data\":[{\"id\":\"e\","
        "\"event\":\"organization_membership.deleted\","
        "\"data\":{\"user_id\":\"%s\",\"organization_id\":\"o\"},"
        "\"created_at\":\"2026-12-01T10:00:00Z\"}]}",
        "{\"data\":[{\"id\":\"e\","
        "\"event\":\"organization_membership.updated\","
        "\"data\":{\"user_id\":\"u\",\"organization_id\":\"%s\"},"
        "\"created_at\":\"2026-12-01T10:00:00Z\"}]}",
    };

    for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        memset(id, 'a', WJWT_EVENTS_ID_SIZE - 1);
        id[WJWT_EVENTS_ID_SIZE - 1] = '\0';
        snprintf(text, sizeof(text), fmts[i], id);

        ok(parse(&page, text, NULL, 0) == 0
           && (page.last_id_len == WJWT_EVENTS_ID_SIZE - 1
               || page.after_len == WJWT_EVENTS_ID_SIZE - 1
               || page.entries[0].id_len == WJWT_EVENTS_ID_SIZE - 1
               || page.entries[0].org_len == WJWT_EVENTS_ID_SIZE - 1),
           "limits %zu: an id of %d bytes fits", i, WJWT_EVENTS_ID_SIZE - 1);
        wjwt_events_free(&page);

        id[WJWT_EVENTS_ID_SIZE - 1] = 'a';
        id[WJWT_EVENTS_ID_SIZE] = '\0';
        snprintf(text, sizeof(text), fmts[i], id);

        ok(parse(&page, text, NULL, 0) == -1 && page.entries == NULL,
           "limits %zu: an id of %d bytes fails the page", i,
           WJWT_EVENTS_ID_SIZE);
        wjwt_events_free(&page);
    }

    /* WJWT_EVENTS_MAX_PAGE events, then one more */

    size = 16 + (WJWT_EVENTS_MAX_PAGE + 1) * 128;
    big = malloc(size);
    if (big == NULL) {
        ok(0, "malloc");
        return;
    }

    len = (size_t) snprintf(big, size, "{\"data\":[");

    for (i = 0; i < WJWT_EVENTS_MAX_PAGE; i++) {
        len += (size_t) snprintf(big + len, size - len,
                                 "%s{\"id\":\"e%05zu\",\"event\":"
                                 "\"session.revoked\",\"data\":{\"id\":"
                                 "\"s%zu\"},\"created_at\":"
                                 "\"2026-12-01T10:00:00Z\"}",
                                 i ? "," : "", i, i);
    }

    snprintf(big + len, size - len, "]}");

    ok(parse(&page, big, NULL, 0) == 0 && page.n == WJWT_EVENTS_MAX_PAGE
       && strcmp(page.last_id, "e00999") == 0
       && strcmp(page.entries[WJWT_EVENTS_MAX_PAGE - 1].id, "s999") == 0,
       "a page of %d events", WJWT_EVENTS_MAX_PAGE);
    wjwt_events_free(&page);

    snprintf(big + len, size - len, ",{\"id\":\"e\",\"event\":\"x\","
             "\"created_at\":\"2026-12-01T10:00:00Z\"}]}");

    ok(parse(&page, big, text, sizeof(text)) == -1
       && strcmp(text, "too many events") == 0,
       "a page of %d events fails", WJWT_EVENTS_MAX_PAGE + 1);
    wjwt_events_free(&page);

    free(big);
}


int
main(void)
{
    test_iso8601_format();
    test_iso8601_parse();
    test_page();
    test_small_pages();
    test_malformed();
    test_limits();

    return done_testing();
}
