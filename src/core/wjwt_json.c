
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wjwt.h"


static int wjwt_json_depth_ok(const json_t *v, int depth);
static size_t wjwt_json_put(unsigned char *buf, size_t size, size_t pos,
    const void *data, size_t len);


json_t *
wjwt_json_parse(const unsigned char *data, size_t len, char *err,
    size_t err_size)
{
    json_t        *root;
    json_error_t   error;

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
