
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wjwt.h"


static json_t *wjwt_json_fast(const unsigned char *data, size_t len);
static int wjwt_json_depth_ok(const json_t *v, int depth);
static size_t wjwt_json_put(unsigned char *buf, size_t size, size_t pos,
    const void *data, size_t len);


json_t *
wjwt_json_parse(const unsigned char *data, size_t len, char *err,
    size_t err_size)
{
    json_t        *root;
    json_error_t   error;

    root = wjwt_json_fast(data, len);

    if (root != NULL) {
        return root;
    }

    /*
     * without JSON_ALLOW_NUL Jansson rejects \u0000; it always rejects
     * invalid UTF-8 and lone surrogates, and trailing data after the value
     */

    root = json_loadb((const char *) data, len, JSON_REJECT_DUPLICATES,
                      &error);

    if (root == NULL) {
        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "%s at offset %d", error.text,
                     error.position);
        }

        return NULL;
    }

    if (!wjwt_json_depth_ok(root, 1)) {
        json_decref(root);

        if (err != NULL && err_size > 0) {
            snprintf(err, err_size, "nesting deeper than %d levels",
                     WJWT_MAX_JSON_DEPTH);
        }

        return NULL;
    }

    return root;
}


/*
 * The fast path of wjwt_json_parse(): JWT headers, claims and session
 * texts are small objects of ASCII strings and integers, which Jansson's
 * lexer reads at some 100 instructions a byte.  This reads exactly that
 * subset and builds the same values with Jansson's constructors; on
 * anything else (a real, a \u escape, a byte outside printable ASCII,
 * a duplicate name, an error of any kind) it gives up and Jansson parses
 * the text from the start, so that what is accepted and every error
 * stay Jansson's.
 */

typedef struct {
    const unsigned char   *p;
    const unsigned char   *end;
    unsigned char         *buf;             /* unescaped strings */
    size_t                 size;
} wjwt_json_fast_t;


static json_t *wjwt_json_fast_value(wjwt_json_fast_t *f, int depth);


static void
wjwt_json_fast_ws(wjwt_json_fast_t *f)
{
    while (f->p < f->end
           && (*f->p == ' ' || *f->p == '\t' || *f->p == '\n'
               || *f->p == '\r'))
    {
        f->p++;
    }
}


/*
 * A string at f->p ('"'): its bytes in *s, *len (into the input, or
 * into f->buf when it has escapes); -1 to give up
 */

static int
wjwt_json_fast_string(wjwt_json_fast_t *f, const unsigned char **s,
    size_t *len)
{
    size_t                n;
    const unsigned char  *p, *start;

    start = ++f->p;

    for (p = start; p < f->end && *p != '"' && *p != '\\'; p++) {
        if (*p < 0x20 || *p > 0x7e) {
            return -1;
        }
    }

    if (p == f->end) {
        return -1;
    }

    if (*p == '"') {
        *s = start;
        *len = (size_t) (p - start);
        f->p = p + 1;
        return 0;
    }

    /* escapes: unescaped into buf, which is as long as the input */

    n = (size_t) (p - start);
    memcpy(f->buf, start, n);

    while (p < f->end && *p != '"') {

        if (*p < 0x20 || *p > 0x7e) {
            return -1;
        }

        if (*p != '\\') {
            f->buf[n++] = *p++;
            continue;
        }

        if (++p == f->end) {
            return -1;
        }

        switch (*p) {
        case '"': case '\\': case '/':
            f->buf[n++] = *p;
            break;
        case 'b':
            f->buf[n++] = '\b';
            break;
        case 'f':
            f->buf[n++] = '\f';
            break;
        case 'n':
            f->buf[n++] = '\n';
            break;
        case 'r':
            f->buf[n++] = '\r';
            break;
        case 't':
            f->buf[n++] = '\t';
            break;
        default:
            return -1;                      /* \u and errors: Jansson */
        }

        p++;
    }

    if (p == f->end) {
        return -1;
    }

    *s = f->buf;
    *len = n;
    f->p = p + 1;
    f->buf += n;

    return 0;
}


/* -?(0|[1-9][0-9]*) not followed by '.', 'e' or 'E', 18 digits at most */

static json_t *
wjwt_json_fast_integer(wjwt_json_fast_t *f)
{
    int                   neg;
    size_t                digits;
    json_int_t            v;
    const unsigned char  *p;

    p = f->p;
    neg = 0;

    if (*p == '-') {
        neg = 1;
        p++;
    }

    if (p == f->end || *p < '0' || *p > '9') {
        return NULL;
    }

    v = 0;
    digits = 0;

    if (*p == '0') {
        p++;
        digits = 1;

    } else {
        while (p < f->end && *p >= '0' && *p <= '9') {
            if (++digits > 18) {
                return NULL;
            }

            v = v * 10 + (*p++ - '0');
        }
    }

    if (p < f->end && (*p == '.' || *p == 'e' || *p == 'E'
                       || (*p >= '0' && *p <= '9')))
    {
        return NULL;
    }

    f->p = p;

    return json_integer(neg ? -v : v);
}


static json_t *
wjwt_json_fast_literal(wjwt_json_fast_t *f, const char *word, size_t len,
    json_t *v)
{
    if ((size_t) (f->end - f->p) < len || memcmp(f->p, word, len) != 0) {
        return NULL;
    }

    f->p += len;

    /* "truex" is an error: Jansson's */

    if (f->p < f->end
        && ((*f->p >= 'a' && *f->p <= 'z') || (*f->p >= 'A' && *f->p <= 'Z')
            || (*f->p >= '0' && *f->p <= '9')))
    {
        return NULL;
    }

    return v;
}


static json_t *
wjwt_json_fast_object(wjwt_json_fast_t *f, int depth)
{
    char                  name[256];
    size_t                len;
    json_t               *obj, *v;
    const unsigned char  *s;

    obj = json_object();
    if (obj == NULL) {
        return NULL;
    }

    f->p++;
    wjwt_json_fast_ws(f);

    if (f->p < f->end && *f->p == '}') {
        f->p++;
        return obj;
    }

    for ( ;; ) {
        if (f->p == f->end || *f->p != '"'
            || wjwt_json_fast_string(f, &s, &len) != 0
            || len >= sizeof(name))
        {
            goto failed;
        }

        memcpy(name, s, len);
        name[len] = '\0';

        /* an escaped NUL cannot be here: \u is left to Jansson */

        if (json_object_get(obj, name) != NULL) {
            goto failed;                    /* a duplicate: Jansson's error */
        }

        wjwt_json_fast_ws(f);

        if (f->p == f->end || *f->p != ':') {
            goto failed;
        }

        f->p++;
        wjwt_json_fast_ws(f);

        v = wjwt_json_fast_value(f, depth);

        if (v == NULL || json_object_set_new_nocheck(obj, name, v) != 0) {
            goto failed;
        }

        wjwt_json_fast_ws(f);

        if (f->p == f->end) {
            goto failed;
        }

        if (*f->p == '}') {
            f->p++;
            return obj;
        }

        if (*f->p != ',') {
            goto failed;
        }

        f->p++;
        wjwt_json_fast_ws(f);
    }

failed:

    json_decref(obj);

    return NULL;
}


static json_t *
wjwt_json_fast_array(wjwt_json_fast_t *f, int depth)
{
    json_t  *arr, *v;

    arr = json_array();
    if (arr == NULL) {
        return NULL;
    }

    f->p++;
    wjwt_json_fast_ws(f);

    if (f->p < f->end && *f->p == ']') {
        f->p++;
        return arr;
    }

    for ( ;; ) {
        v = wjwt_json_fast_value(f, depth);

        if (v == NULL || json_array_append_new(arr, v) != 0) {
            goto failed;
        }

        wjwt_json_fast_ws(f);

        if (f->p == f->end) {
            goto failed;
        }

        if (*f->p == ']') {
            f->p++;
            return arr;
        }

        if (*f->p != ',') {
            goto failed;
        }

        f->p++;
        wjwt_json_fast_ws(f);
    }

failed:

    json_decref(arr);

    return NULL;
}


static json_t *
wjwt_json_fast_value(wjwt_json_fast_t *f, int depth)
{
    size_t                len;
    const unsigned char  *s;

    if (f->p == f->end) {
        return NULL;
    }

    switch (*f->p) {

    case '{':
        return (depth < WJWT_MAX_JSON_DEPTH)
               ? wjwt_json_fast_object(f, depth + 1) : NULL;

    case '[':
        return (depth < WJWT_MAX_JSON_DEPTH)
               ? wjwt_json_fast_array(f, depth + 1) : NULL;

    case '"':
        if (wjwt_json_fast_string(f, &s, &len) != 0) {
            return NULL;
        }

        return json_stringn_nocheck((const char *) s, len);

    case 't':
        return wjwt_json_fast_literal(f, "true", 4, json_true());

    case 'f':
        return wjwt_json_fast_literal(f, "false", 5, json_false());

    case 'n':
        return wjwt_json_fast_literal(f, "null", 4, json_null());

    default:
        return wjwt_json_fast_integer(f);
    }
}


/* an object or an array and whitespace, or NULL: ask Jansson */

static json_t *
wjwt_json_fast(const unsigned char *data, size_t len)
{
    json_t            *root;
    unsigned char      stack[1024], *buf;
    wjwt_json_fast_t   f;

    buf = (len <= sizeof(stack)) ? stack : malloc(len);
    if (buf == NULL) {
        return NULL;
    }

    f.p = data;
    f.end = data + len;
    f.buf = buf;
    f.size = len;

    wjwt_json_fast_ws(&f);

    root = NULL;

    if (f.p < f.end && (*f.p == '{' || *f.p == '[')) {
        root = wjwt_json_fast_value(&f, 0);
    }

    if (root != NULL) {
        wjwt_json_fast_ws(&f);

        if (f.p != f.end) {
            json_decref(root);
            root = NULL;
        }
    }

    if (buf != stack) {
        free(buf);
    }

    return root;
}


static int
wjwt_json_depth_ok(const json_t *v, int depth)
{
    size_t       i;
    json_t      *item;
    const char  *key;

    if (!json_is_object(v) && !json_is_array(v)) {
        return 1;
    }

    if (depth > WJWT_MAX_JSON_DEPTH) {
        return 0;
    }

    if (json_is_array(v)) {
        json_array_foreach(v, i, item) {
            if (!wjwt_json_depth_ok(item, depth + 1)) {
                return 0;
            }
        }

        return 1;
    }

    json_object_foreach((json_t *) v, key, item) {
        if (!wjwt_json_depth_ok(item, depth + 1)) {
            return 0;
        }
    }

    return 1;
}


size_t
wjwt_json_text(const json_t *v, unsigned char *buf, size_t size)
{
    char          *dump, num[32];
    size_t         i, n, len;
    json_t        *item;

    len = 0;

    if (v == NULL) {
        goto done;
    }

    switch (json_typeof(v)) {

    case JSON_STRING:
        len = wjwt_json_put(buf, size, 0, json_string_value(v),
                            json_string_length(v));
        goto done;

    case JSON_INTEGER:
        n = (size_t) snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
                              json_integer_value(v));
        len = wjwt_json_put(buf, size, 0, num, n);
        goto done;

    case JSON_TRUE:
        len = wjwt_json_put(buf, size, 0, "true", 4);
        goto done;

    case JSON_FALSE:
        len = wjwt_json_put(buf, size, 0, "false", 5);
        goto done;

    case JSON_NULL:
        goto done;

    case JSON_ARRAY:
        json_array_foreach(v, i, item) {
            if (!json_is_string(item)) {
                break;
            }
        }

        if (i == json_array_size(v)) {
            json_array_foreach(v, i, item) {
                if (i > 0) {
                    len = wjwt_json_put(buf, size, len, ",", 1);
                }

                len = wjwt_json_put(buf, size, len, json_string_value(item),
                                    json_string_length(item));
            }

            goto done;
        }

        break;

    default:
        break;
    }

    /* reals, objects and mixed arrays: compact JSON */

    n = json_dumpb(v, NULL, 0, JSON_COMPACT|JSON_ENCODE_ANY);
    if (n == 0) {
        goto done;
    }

    dump = malloc(n);
    if (dump == NULL) {
        goto done;
    }

    n = json_dumpb(v, dump, n, JSON_COMPACT|JSON_ENCODE_ANY);
    len = wjwt_json_put(buf, size, 0, dump, n);
    free(dump);

done:

    if (len < size) {
        buf[len] = '\0';
    }

    return len;
}


static size_t
wjwt_json_put(unsigned char *buf, size_t size, size_t pos, const void *data,
    size_t len)
{
    size_t  n;

    if (pos < size) {
        n = size - pos;
        if (n > len) {
            n = len;
        }

        memcpy(buf + pos, data, n);
    }

    return pos + len;
}


int
wjwt_json_str_eq(const json_t *v, const unsigned char *data, size_t len)
{
    return json_is_string(v)
           && json_string_length(v) == len
           && (len == 0 || memcmp(json_string_value(v), data, len) == 0);
}
