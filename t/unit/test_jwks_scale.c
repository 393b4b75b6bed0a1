
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * A JWKS of 15,500 small entries (like the 247 KB document that took 7 s
 * of CPU when every kid was compared with every other): the work to load
 * it is counted in member lookups, which must grow with the entries, not
 * with their square.  json_object_get() is interposed: the core is
 * linked statically into this program, so its calls land here.
 */


#include <dlfcn.h>

#include <wjwt.h>

#include "tap.h"


#define NENTRIES  15500


typedef json_t *(*json_object_get_pt)(const json_t *object,
    const char *key);


static unsigned long  lookups;


json_t *
json_object_get(const json_t *object, const char *key)
{
    static json_object_get_pt  real;

    if (real == NULL) {
        real = (json_object_get_pt) dlsym(RTLD_NEXT, "json_object_get");
    }

    lookups++;

    return real(object, key);
}


typedef struct {
    unsigned long          warnings;
    unsigned long          duplicates;
} warn_count_t;


static void
count_warning(void *data, const char *kid, const char *reason)
{
    warn_count_t  *wc = data;

    (void) kid;

    wc->warnings++;

    if (strcmp(reason, "duplicate kid") == 0) {
        wc->duplicates++;
    }
}


int
main(void)
{
    int            n;
    char          *doc, err[128];
    size_t         len, i, size;
    warn_count_t   wc;
    wjwt_keyset_t  ks;

    size = NENTRIES * 40 + 64;

    doc = malloc(size);
    if (doc == NULL) {
        return 1;
    }

    len = (size_t) snprintf(doc, size, "{\"keys\":[");

    for (i = 0; i < NENTRIES; i++) {
        /* the last entry repeats the first one's kid */
        len += (size_t) snprintf(doc + len, size - len,
                                 "%s{\"kid\":\"k%05zu\",\"kty\":\"oct\"}",
                                 i ? "," : "",
                                 i == NENTRIES - 1 ? (size_t) 0 : i);
    }

    len += (size_t) snprintf(doc + len, size - len, "]}");

    diag("a JWKS of %zu bytes, %d entries", len, NENTRIES);

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    memset(&wc, 0, sizeof(warn_count_t));
    lookups = 0;

    n = wjwt_keyset_add_json(&ks, (unsigned char *) doc, len, count_warning,
                             &wc, err, sizeof(err));

    is_int(n, 0, "scale: no usable key among the entries");
    is_int(wc.warnings, NENTRIES, "scale: every entry warned once");
    is_int(wc.duplicates, 2, "scale: the repeated kid drops both copies");
    ok(lookups > NENTRIES && lookups < 10 * NENTRIES,
       "scale: %lu member lookups for %d entries (linear, not quadratic)",
       lookups, NENTRIES);

    wjwt_keyset_free(&ks);
    free(doc);

    return done_testing();
}
