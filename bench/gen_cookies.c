/*
 * gen_cookies: AuthKit session cookies (iron seals, as @workos-inc/node
 * makes them) for `make bench` cases (e) and (f), one a line, sealed
 * with the test-only sealer of the unit tests (t/unit/session_seal.h).
 * Each line of TOKENS becomes the accessToken of one session whose
 * user.id is SUB, or "user_bench<N>" (N = FIRST + line number, as
 * gen_tokens numbers its tokens) without SUB.  The sessions carry a
 * refresh token and a user object of the size WorkOS sends, so that a
 * cookie is ~2 KB like the real ones.
 *
 *   gen_cookies PASSWORD TOKENS_FILE FIRST [SUB] > cookies.txt
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session_seal.h"


int
main(int argc, char **argv)
{
    FILE              *f;
    long               i;
    char              *seal, line[16384], text[32768], sub[128];
    size_t             n;
    wjwt_test_seal_t   o;

    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: gen_cookies PASSWORD TOKENS FIRST [SUB]\n");
        return 2;
    }

    f = (strcmp(argv[2], "-") == 0) ? stdin : fopen(argv[2], "r");
    if (f == NULL) {
        perror(argv[2]);
        return 1;
    }

    memset(&o, 0, sizeof(wjwt_test_seal_t));
    o.password = argv[1];

    for (i = atol(argv[3]); fgets(line, sizeof(line), f) != NULL; i++) {
        n = strcspn(line, "\r\n");
        line[n] = '\0';

        if (argc == 5) {
            snprintf(sub, sizeof(sub), "%s", argv[4]);

        } else {
            snprintf(sub, sizeof(sub), "user_bench%06ld", i);
        }

        n = (size_t) snprintf(text, sizeof(text),
            "{\"accessToken\":\"%s\","
            "\"refreshToken\":\"rt_bench_%06ld_0123456789ABCDEFGHIJ\","
            "\"user\":{\"object\":\"user\",\"id\":\"%s\","
            "\"email\":\"bench%06ld@example.com\",\"emailVerified\":true,"
            "\"firstName\":\"Bench\",\"lastName\":\"User %06ld\","
            "\"profilePictureUrl\":\"https://workoscdn.com/images/v1/"
            "bench-user-%06ld-0123456789abcdef0123456789abcdef\","
            "\"lastSignInAt\":\"2026-11-27T09:00:00.000Z\","
            "\"locale\":null,\"externalId\":null,\"metadata\":{},"
            "\"createdAt\":\"2026-01-01T00:00:00.000Z\","
            "\"updatedAt\":\"2026-11-27T09:00:00.000Z\"},"
            "\"impersonator\":null}",
            line, i, sub, i, i, i);

        seal = wjwt_test_seal(&o, (const unsigned char *) text, n);
        if (seal == NULL) {
            fprintf(stderr, "gen_cookies: sealing failed\n");
            return 1;
        }

        printf("%s\n", seal);
        free(seal);
    }

    (void) wjwt_test_remix;

    return fflush(stdout) == 0 ? 0 : 1;
}
