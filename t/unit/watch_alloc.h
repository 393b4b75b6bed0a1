
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Jansson allocators for t/unit/test_session.c and fuzz/fuzz_session.c:
 * each block carries its size in front, so that wjwt_watch_free() can
 * hand the whole block to wjwt_watch (when set), which looks for a
 * secret left behind, before freeing it.
 */


#ifndef _WJWT_WATCH_ALLOC_H_INCLUDED_
#define _WJWT_WATCH_ALLOC_H_INCLUDED_


#include <stdlib.h>
#include <string.h>


static void  (*wjwt_watch)(const unsigned char *p, size_t len);


static void *
wjwt_watch_malloc(size_t size)
{
    unsigned char  *p;

    /* zeroed: wjwt_watch() reads all of a block, written or not */

    p = calloc(1, size + 16);
    if (p == NULL) {
        return NULL;
    }

    memcpy(p, &size, sizeof(size_t));

    return p + 16;
}


static void
wjwt_watch_free(void *ptr)
{
    size_t          size;
    unsigned char  *p;

    if (ptr == NULL) {
        return;
    }

    p = (unsigned char *) ptr - 16;
    memcpy(&size, p, sizeof(size_t));

    if (wjwt_watch != NULL) {
        wjwt_watch(ptr, size);
    }

    free(p);
}


#endif /* _WJWT_WATCH_ALLOC_H_INCLUDED_ */
