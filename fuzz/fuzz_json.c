
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * wjwt_json_parse() against Jansson: its fast path reads a subset of
 * JSON itself and leaves the rest to Jansson, so it must accept exactly
 * what json_loadb() with JSON_REJECT_DUPLICATES accepts within
 * WJWT_MAX_JSON_DEPTH, and build equal values (an integer stays an
 * integer, a string the same bytes); abort() otherwise.
 */


#include "fuzz_common.h"


static int
wjwt_fuzz_depth_ok(const json_t *v, int depth)
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
            if (!wjwt_fuzz_depth_ok(item, depth + 1)) {
                return 0;
            }
        }

        return 1;
    }

    json_object_foreach((json_t *) v, key, item) {
        if (!wjwt_fuzz_depth_ok(item, depth + 1)) {
            return 0;
        }
    }

    return 1;
}


/* json_equal() and the same order of members, and of integers/reals */

static int
wjwt_fuzz_same(const json_t *a, const json_t *b)
{
    void        *ia, *ib;
    size_t       i;

    if (json_typeof(a) != json_typeof(b)) {
        return 0;
    }

    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) {
            return 0;
        }

        for (i = 0; i < json_array_size(a); i++) {
            if (!wjwt_fuzz_same(json_array_get(a, i), json_array_get(b, i))) {
                return 0;
            }
        }

        return 1;
    }

    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b)) {
            return 0;
        }

        ia = json_object_iter((json_t *) a);
        ib = json_object_iter((json_t *) b);

        while (ia != NULL && ib != NULL) {
            if (strcmp(json_object_iter_key(ia), json_object_iter_key(ib))
                != 0
                || !wjwt_fuzz_same(json_object_iter_value(ia),
                                   json_object_iter_value(ib)))
            {
                return 0;
            }

            ia = json_object_iter_next((json_t *) a, ia);
            ib = json_object_iter_next((json_t *) b, ib);
        }

        return ia == NULL && ib == NULL;
    }

    return json_equal((json_t *) a, (json_t *) b);
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t        *ours, *theirs;
    json_error_t   error;

    ours = wjwt_json_parse(data, size, NULL, 0);
    theirs = json_loadb((const char *) data, size, JSON_REJECT_DUPLICATES,
                        &error);

    if (theirs != NULL && !wjwt_fuzz_depth_ok(theirs, 1)) {
        json_decref(theirs);
        theirs = NULL;
    }

    if ((ours == NULL) != (theirs == NULL)) {
        abort();
    }

    if (ours != NULL && !wjwt_fuzz_same(ours, theirs)) {
        abort();
    }

    json_decref(ours);
    json_decref(theirs);

    return 0;
}


int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;

    return 0;
}
