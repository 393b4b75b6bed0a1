
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wjwt.h"
#include "wjwt_events.h"


typedef struct {
    const char            *name;
    int                    kind;
} wjwt_event_type_t;


static const wjwt_event_type_t  wjwt_event_types[] = {
    { "session.revoked", WJWT_REVOKE_SESSION },
    { "user.deleted", WJWT_REVOKE_USER },
    { "organization_membership.deleted", WJWT_REVOKE_MEMBERSHIP },
    { "organization_membership.updated", WJWT_REVOKE_MEMBERSHIP }
};


static const char *wjwt_event_read(json_t *ev, wjwt_revocation_t *r,
    char *id, size_t *id_len);
static const char *wjwt_event_member(json_t *obj, const char *name,
    char *buf, size_t *len, int cursor);
static int64_t wjwt_days_from_civil(int64_t y, int m, int d);
static int wjwt_digits(const unsigned char *s, size_t len, size_t *pos,
    size_t n, int *out);


int
wjwt_events_parse(wjwt_events_page_t *page, const unsigned char *data,
    size_t len, char *err, size_t err_size)
{
    char                id[WJWT_EVENTS_ID_SIZE], why[160];
    size_t              i, n, id_len;
    json_t             *root, *events, *ev, *meta;
    const char         *reason;
    wjwt_revocation_t  *r;

    memset(page, 0, sizeof(wjwt_events_page_t));

    why[0] = '\0';

    root = wjwt_json_parse(data, len, why, sizeof(why));
    if (root == NULL) {
        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "not JSON: %s", why);
        }

        return -1;
    }

    reason = NULL;
    i = 0;

    if (!json_is_object(root)) {
        reason = "not a JSON object";
        goto failed;
    }

    events = json_object_get(root, "data");
    if (!json_is_array(events)) {
        reason = "\"data\" is missing or not an array";
        goto failed;
    }

    n = json_array_size(events);
    if (n > WJWT_EVENTS_MAX_PAGE) {
        reason = "too many events";
        goto failed;
    }

    meta = json_object_get(root, "list_metadata");

    if (meta != NULL && !json_is_null(meta)) {
        if (!json_is_object(meta)) {
            reason = "\"list_metadata\" is not an object";
            goto failed;
        }

        if (json_object_get(meta, "after") != NULL
            && !json_is_null(json_object_get(meta, "after")))
        {
            reason = wjwt_event_member(meta, "after", page->after,
                                       &page->after_len, 1);
            if (reason != NULL) {
                reason = "\"list_metadata.after\" is not an event id";
                goto failed;
            }
        }
    }

    if (n > 0) {
        page->entries = calloc(n, sizeof(wjwt_revocation_t));
        if (page->entries == NULL) {
            reason = "out of memory";
            goto failed;
        }
    }

    json_array_foreach(events, i, ev) {
        r = &page->entries[page->n];

        reason = wjwt_event_read(ev, r, id, &id_len);
        if (reason != NULL) {
            goto failed_event;
        }

        memcpy(page->last_id, id, id_len + 1);
        page->last_id_len = id_len;
        page->last_at = r->at;
        page->nevents++;

        if (r->kind != 0) {
            page->n++;
        }
    }

    json_decref(root);

    return 0;

failed_event:

    if (err != NULL && err_size > 0) {
        snprintf(err, err_size, "event %zu: %s", i, reason);
        reason = NULL;
    }

failed:

    if (reason != NULL && err != NULL && err_size > 0) {
        snprintf(err, err_size, "%s", reason);
    }

    json_decref(root);
    wjwt_events_free(page);

    return -1;
}


/* one event into r (kind 0 when it revokes nothing); NULL or a reason */

static const char *
wjwt_event_read(json_t *ev, wjwt_revocation_t *r, char *id, size_t *id_len)
{
    size_t       i, n;
    json_t      *type, *when, *data;
    const char  *name;

    memset(r, 0, sizeof(wjwt_revocation_t));

    if (!json_is_object(ev)) {
        return "not a JSON object";
    }

    if (wjwt_event_member(ev, "id", id, id_len, 1) != NULL) {
        return "\"id\" is missing or not an event id";
    }

    type = json_object_get(ev, "event");
    if (!json_is_string(type)) {
        return "\"event\" is missing or not a string";
    }

    when = json_object_get(ev, "created_at");
    if (!json_is_string(when)
        || wjwt_iso8601_parse((const unsigned char *) json_string_value(when),
                              json_string_length(when), &r->at)
           != 0)
    {
        return "\"created_at\" is missing or not an ISO 8601 time";
    }

    name = json_string_value(type);
    n = json_string_length(type);

    for (i = 0; i < sizeof(wjwt_event_types) / sizeof(wjwt_event_types[0]);
         i++)
    {
        if (n == strlen(wjwt_event_types[i].name)
            && memcmp(name, wjwt_event_types[i].name, n) == 0)
        {
            break;
        }
    }

    if (i == sizeof(wjwt_event_types) / sizeof(wjwt_event_types[0])) {
        return NULL;
    }

    data = json_object_get(ev, "data");
    if (!json_is_object(data)) {
        return "\"data\" is missing or not an object";
    }

    if (wjwt_event_types[i].kind != WJWT_REVOKE_MEMBERSHIP) {
        if (wjwt_event_member(data, "id", r->id, &r->id_len, 0) != NULL) {
            return "\"data.id\" is missing or not a usable id";
        }

    } else {
        if (wjwt_event_member(data, "user_id", r->id, &r->id_len, 0)
            != NULL)
        {
            return "\"data.user_id\" is missing or not a usable id";
        }

        if (wjwt_event_member(data, "organization_id", r->org, &r->org_len,
                              0)
            != NULL)
        {
            return "\"data.organization_id\" is missing or not a usable id";
        }
    }

    r->kind = wjwt_event_types[i].kind;

    return NULL;
}


/*
 * a non-empty string member shorter than WJWT_EVENTS_ID_SIZE, copied
 * NUL-terminated; a cursor (event id) must also be URL-unreserved text,
 * so that the glue can send it as an argument without escaping
 */

static const char *
wjwt_event_member(json_t *obj, const char *name, char *buf, size_t *len,
    int cursor)
{
    size_t       i, n;
    json_t      *v;
    const char  *s;

    v = json_object_get(obj, name);
    if (!json_is_string(v)) {
        return "not a string";
    }

    s = json_string_value(v);
    n = json_string_length(v);

    if (n == 0 || n >= WJWT_EVENTS_ID_SIZE || memchr(s, '\0', n) != NULL) {
        return "bad length";
    }

    if (cursor) {
        for (i = 0; i < n; i++) {
            if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
                  || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'
                  || s[i] == '_' || s[i] == '.' || s[i] == '~'))
            {
                return "bad character";
            }
        }
    }

    memcpy(buf, s, n);
    buf[n] = '\0';
    *len = n;

    return NULL;
}


void
wjwt_events_free(wjwt_events_page_t *page)
{
    free(page->entries);
    memset(page, 0, sizeof(wjwt_events_page_t));
}


const char *
wjwt_revoke_kind_name(int kind)
{
    switch (kind) {

    case WJWT_REVOKE_SESSION:
        return "session";

    case WJWT_REVOKE_USER:
        return "user";

    case WJWT_REVOKE_MEMBERSHIP:
        return "membership";

    default:
        return "";
    }
}


size_t
wjwt_iso8601(int64_t t, char *buf, size_t size)
{
    int      m, d;
    char     text[64];
    size_t   len;
    int64_t  z, era, doe, yoe, doy, mp, y, sec;

    if (t < 0 || t > WJWT_MAX_TIME) {
        if (size > 0) {
            buf[0] = '\0';
        }

        return 0;
    }

    /* civil_from_days() of H. Hinnant's date algorithms */

    z = t / 86400 + 719468;
    sec = t % 86400;
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = (int) (doy - (153 * mp + 2) / 5 + 1);
    m = (int) (mp < 10 ? mp + 3 : mp - 9);
    y += (m <= 2);

    snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.000Z",
             (int) y, m, d, (int) (sec / 3600), (int) (sec / 60 % 60),
             (int) (sec % 60));

    len = WJWT_ISO8601_LEN;

    if (size > 0) {
        memcpy(buf, text, len < size ? len : size);

        if (len < size) {
            buf[len] = '\0';
        }
    }

    return len;
}


int
wjwt_iso8601_parse(const unsigned char *s, size_t len, int64_t *t)
{
    int      year, month, day, hour, min, sec, oh, om, sign;
    size_t   pos;
    int64_t  v;

    static const int  mdays[] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    pos = 0;
    hour = 0;
    min = 0;
    sec = 0;
    oh = 0;
    om = 0;
    sign = 0;

    if (wjwt_digits(s, len, &pos, 4, &year) != 0
        || pos >= len || s[pos++] != '-'
        || wjwt_digits(s, len, &pos, 2, &month) != 0
        || pos >= len || s[pos++] != '-'
        || wjwt_digits(s, len, &pos, 2, &day) != 0)
    {
        return -1;
    }

    if (pos < len) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') {
            return -1;
        }

        pos++;

        if (wjwt_digits(s, len, &pos, 2, &hour) != 0
            || pos >= len || s[pos++] != ':'
            || wjwt_digits(s, len, &pos, 2, &min) != 0)
        {
            return -1;
        }

        if (pos < len && s[pos] == ':') {
            pos++;

            if (wjwt_digits(s, len, &pos, 2, &sec) != 0) {
                return -1;
            }

            if (pos < len && (s[pos] == '.' || s[pos] == ',')) {
                pos++;

                if (pos >= len || s[pos] < '0' || s[pos] > '9') {
                    return -1;
                }

                while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
                    pos++;
                }
            }
        }

        if (pos < len && (s[pos] == 'Z' || s[pos] == 'z')) {
            pos++;

        } else if (pos < len && (s[pos] == '+' || s[pos] == '-')) {
            sign = (s[pos++] == '+') ? 1 : -1;

            if (wjwt_digits(s, len, &pos, 2, &oh) != 0) {
                return -1;
            }

            if (pos < len && s[pos] == ':') {
                pos++;

                if (wjwt_digits(s, len, &pos, 2, &om) != 0) {
                    return -1;
                }

            } else if (pos < len
                       && wjwt_digits(s, len, &pos, 2, &om) != 0)
            {
                return -1;
            }
        }

        if (pos != len) {
            return -1;
        }
    }

    if (month < 1 || month > 12 || day < 1
        || (day > mdays[month - 1]
            && !(month == 2 && day == 29
                 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
        || hour > 23 || min > 59 || sec > 60 || oh > 23 || om > 59)
    {
        return -1;
    }

    v = wjwt_days_from_civil(year, month, day) * 86400
        + hour * 3600 + min * 60 + sec - sign * (oh * 3600 + om * 60);

    if (v < 0 || v > WJWT_MAX_TIME) {
        return -1;
    }

    *t = v;

    return 0;
}


/* days_from_civil() of H. Hinnant's date algorithms */

static int64_t
wjwt_days_from_civil(int64_t y, int m, int d)
{
    int64_t  era, yoe, doy, doe;

    y -= (m <= 2);
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}


/* exactly n decimal digits at *pos */

static int
wjwt_digits(const unsigned char *s, size_t len, size_t *pos, size_t n,
    int *out)
{
    int     v;
    size_t  i;

    if (len - *pos < n) {
        return -1;
    }

    v = 0;

    for (i = 0; i < n; i++) {
        if (s[*pos + i] < '0' || s[*pos + i] > '9') {
            return -1;
        }

        v = v * 10 + (s[*pos + i] - '0');
    }

    *pos += n;
    *out = v;

    return 0;
}
