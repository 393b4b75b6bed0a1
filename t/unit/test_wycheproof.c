
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * Wycheproof signature-primitive vectors (testvectors_v1): each group's
 * JWK goes through wjwt_keyset_add_json(), each test through
 * wjwt_verify_signature() (a bare EVP_PKEY) and wjwt_key_verify() (the
 * key's prepared context, reused across the group's tests), which must
 * agree.
 */


#include <wjwt.h>

#include "tap.h"


typedef struct {
    const char            *file;
    int                    alg;
    const char            *jwk_member;
} wycheproof_file_t;


static const wycheproof_file_t  files[] = {
    { "rsa_signature_2048_sha256_test.json", WJWT_RS256, "keyJwk" },
    { "rsa_signature_3072_sha256_test.json", WJWT_RS256, "keyJwk" },
    { "rsa_signature_2048_sha384_test.json", WJWT_RS384, "keyJwk" },
    { "rsa_signature_2048_sha512_test.json", WJWT_RS512, "keyJwk" },
    { "rsa_signature_4096_sha512_test.json", WJWT_RS512, "keyJwk" },
    { "rsa_pss_2048_sha256_mgf1_32_test.json", WJWT_PS256, "publicKeyJwk" },
    { "rsa_pss_2048_sha384_mgf1_48_test.json", WJWT_PS384, "publicKeyJwk" },
    { "rsa_pss_4096_sha512_mgf1_64_test.json", WJWT_PS512, "publicKeyJwk" },
    { "ecdsa_secp256r1_sha256_p1363_test.json", WJWT_ES256,
      "publicKeyJwk" },
    { "ecdsa_secp384r1_sha384_p1363_test.json", WJWT_ES384,
      "publicKeyJwk" },
    { "ecdsa_secp521r1_sha512_p1363_test.json", WJWT_ES512,
      "publicKeyJwk" },
    { "ed25519_test.json", WJWT_EDDSA, "publicKeyJwk" }
};


static void
warn_handler(void *data, const char *kid, const char *reason)
{
    diag("    key \"%s\" skipped: %s", kid ? kid : "-", reason);
    (*(int *) data)++;
}


static char *
flags_text(json_t *flags, char *buf, size_t size)
{
    size_t   i, len;
    json_t  *f;

    buf[0] = '\0';
    len = 0;

    json_array_foreach(flags, i, f) {
        len += snprintf(buf + len, size - len, "%s%s", i ? "," : "",
                        json_string_value(f));
        if (len >= size) {
            break;
        }
    }

    return buf;
}


static void
run_file(const wycheproof_file_t *wf)
{
    int             rc, rc2, warned, load_failed, failed, unprepared;
    char           *jwk_text, path[1024], err[256], flags[256];
    size_t          gi, ti, len, msg_len, sig_len;
    json_t         *root, *groups, *group, *jwk, *tests, *test;
    unsigned        nvalid, ninvalid, nacceptable, ntotal;
    unsigned        valid_ok, invalid_ok, acceptable_ok, disagree;
    const char     *result;
    wjwt_keyset_t   ks;
    unsigned char  *text, *msg, *sig;

    snprintf(path, sizeof(path), "%s/wycheproof/%s", vectors_dir(),
             wf->file);

    text = read_file(path, &len);
    if (text == NULL) {
        ok(0, "%s: readable", wf->file);
        return;
    }

    root = json_loadb((char *) text, len, 0, NULL);
    free(text);

    groups = json_object_get(root, "testGroups");
    if (!ok(json_is_array(groups), "%s: parsed", wf->file)) {
        json_decref(root);
        return;
    }

    nvalid = ninvalid = nacceptable = ntotal = 0;
    valid_ok = invalid_ok = acceptable_ok = 0;
    load_failed = 0;
    failed = 0;
    unprepared = 0;
    disagree = 0;

    json_array_foreach(groups, gi, group) {
        jwk = json_object_get(group, wf->jwk_member);
        tests = json_object_get(group, "tests");

        memset(&ks, 0, sizeof(wjwt_keyset_t));
        warned = 0;

        /* alternate both accepted shapes: a single JWK and a JWKS */

        if (gi % 2 == 0) {
            jwk_text = json_dumps(jwk, JSON_COMPACT);

        } else {
            json_t  *set = json_pack("{s:[O]}", "keys", jwk);
            jwk_text = json_dumps(set, JSON_COMPACT);
            json_decref(set);
        }

        rc = wjwt_keyset_add_json(&ks, (unsigned char *) jwk_text,
                                  strlen(jwk_text), warn_handler, &warned,
                                  err, sizeof(err));
        free(jwk_text);

        if (rc != 1 || ks.nkeys != 1 || warned) {
            diag("%s: group %zu: key not loaded (rc %d)", wf->file, gi, rc);
            load_failed++;
            wjwt_keyset_free(&ks);
            continue;
        }

        /* EdDSA stays one-shot: no prepared context */

        if ((ks.keys[0].verify_ctx[wf->alg] == NULL)
            != (wf->alg == WJWT_EDDSA))
        {
            unprepared++;
        }

        json_array_foreach(tests, ti, test) {
            msg = hex_decode(json_string_value(json_object_get(test, "msg")),
                             &msg_len);
            sig = hex_decode(json_string_value(json_object_get(test, "sig")),
                             &sig_len);
            result = json_string_value(json_object_get(test, "result"));

            rc = wjwt_verify_signature(wf->alg, ks.keys[0].pkey, msg,
                                       msg_len, sig, sig_len);
            rc2 = wjwt_key_verify(&ks.keys[0], wf->alg, msg, msg_len, sig,
                                  sig_len);
            ntotal++;

            if (rc2 != rc) {
                disagree++;
                diag("%s: tcId %lld: prepared context %s, bare key %s",
                     wf->file,
                     (long long) json_integer_value(
                                     json_object_get(test, "tcId")),
                     rc2 ? "verified" : "rejected",
                     rc ? "verified" : "rejected");
            }

            if (strcmp(result, "valid") == 0) {
                nvalid++;
                valid_ok += (rc == 1);

            } else if (strcmp(result, "invalid") == 0) {
                ninvalid++;
                invalid_ok += (rc == 0);

            } else {
                /*
                 * "acceptable": only RSA tcId 8 (MissingNull, a DigestInfo
                 * without the NULL parameters); OpenSSL 3 rejects it and so
                 * do we: counted as must-fail
                 */
                nacceptable++;
                acceptable_ok += (rc == 0);
            }

            if ((strcmp(result, "valid") == 0) != (rc == 1)) {
                failed++;
                diag("%s: tcId %lld (%s) [%s] expected %s, got %s",
                     wf->file,
                     (long long) json_integer_value(
                                     json_object_get(test, "tcId")),
                     json_string_value(json_object_get(test, "comment")),
                     flags_text(json_object_get(test, "flags"), flags,
                                sizeof(flags)),
                     result, rc ? "verified" : "rejected");
            }

            free(msg);
            free(sig);
        }

        wjwt_keyset_free(&ks);
    }

    ok(load_failed == 0, "%s: all %zu group keys loaded from JWK", wf->file,
       json_array_size(groups));
    ok(valid_ok == nvalid, "%s: %u/%u valid verified", wf->file, valid_ok,
       nvalid);
    ok(invalid_ok == ninvalid, "%s: %u/%u invalid rejected", wf->file,
       invalid_ok, ninvalid);
    if (nacceptable > 0) {
        ok(acceptable_ok == nacceptable,
           "%s: %u/%u acceptable (MissingNull) rejected", wf->file,
           acceptable_ok, nacceptable);
    }

    ok(failed == 0 && ntotal > 0, "%s: %u tests, %d disagree", wf->file,
       ntotal, failed);
    ok(unprepared == 0, "%s: keys prepared for %s", wf->file,
       wf->alg == WJWT_EDDSA ? "nothing (EdDSA is one-shot)"
                             : wjwt_alg_name(wf->alg));
    ok(disagree == 0, "%s: prepared context agrees with the bare key on "
       "%u tests", wf->file, ntotal);

    json_decref(root);
}


int
main(void)
{
    size_t  i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        run_file(&files[i]);
    }

    return done_testing();
}
