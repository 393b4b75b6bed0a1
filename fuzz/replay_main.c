
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * A main() for the fuzz targets without libFuzzer: each argument is a
 * file, or a directory whose files are, replayed once through
 * LLVMFuzzerTestOneInput().  Built with gcc and ASan/UBSan or under
 * valgrind, it replays the seeds and the regressions in fuzz/.
 */


#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int wjwt_replay_file(const char *path);
static int wjwt_replay_path(const char *path);


static unsigned long  wjwt_replayed;


int
main(int argc, char **argv)
{
    int  i, rc;

    if (LLVMFuzzerInitialize != NULL) {
        LLVMFuzzerInitialize(&argc, &argv);
    }

    rc = 0;

    for (i = 1; i < argc; i++) {
        if (wjwt_replay_path(argv[i]) != 0) {
            rc = 1;
        }
    }

    printf("replayed %lu inputs\n", wjwt_replayed);

    return rc;
}


static int
wjwt_replay_path(const char *path)
{
    int             rc;
    DIR            *dir;
    char           *sub;
    size_t          len;
    struct stat     st;
    struct dirent  *de;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: cannot stat %s\n", path);
        return 1;
    }

    if (!S_ISDIR(st.st_mode)) {
        return wjwt_replay_file(path);
    }

    dir = opendir(path);
    if (dir == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }

    rc = 0;

    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }

        len = strlen(path) + strlen(de->d_name) + 2;

        sub = malloc(len);
        if (sub == NULL) {
            rc = 1;
            break;
        }

        snprintf(sub, len, "%s/%s", path, de->d_name);

        if (wjwt_replay_path(sub) != 0) {
            rc = 1;
        }

        free(sub);
    }

    closedir(dir);

    return rc;
}


static int
wjwt_replay_file(const char *path)
{
    FILE     *f;
    long      len;
    uint8_t  *buf;

    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }

    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0)
    {
        fclose(f);
        return 1;
    }

    /* an exact-size copy, so that an overread is caught */

    buf = malloc(len > 0 ? (size_t) len : 1);
    if (buf == NULL
        || (len > 0 && fread(buf, 1, (size_t) len, f) != (size_t) len))
    {
        free(buf);
        fclose(f);
        return 1;
    }

    fclose(f);

    LLVMFuzzerTestOneInput(buf, (size_t) len);
    free(buf);

    wjwt_replayed++;

    return 0;
}
