
/*
 * Copyright (C) 2026 the ngx_http_workos_jwt_module authors
 *
 * workos-jwt: decode, verify, lint, sign WorkOS access tokens, generate
 * keys and open AuthKit session cookies, with the same core as the nginx
 * module.  It reads
 * local files; its one network use is "verify --jwks URL", the explicit
 * request to fetch that JWKS (wjwt_fetch.c).
 */


#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <openssl/crypto.h>

#include <wjwt.h>
#include <wjwt_session.h>
#include "wjwt_fetch.h"
#include "wjwt_sign.h"


#define WJWT_CLI_OK             0
#define WJWT_CLI_FAIL           1
#define WJWT_CLI_USAGE          2

#define WJWT_CLI_MAX_INPUT      (16 * 1024 * 1024)
#define WJWT_CLI_DEFAULT_TTL    300

/* as workos_jwt_session_password reads its file */
#define WJWT_CLI_MAX_PASSWORDS  16
#define WJWT_CLI_MIN_PASSWORD   32
#define WJWT_CLI_MAX_PW_FILE    (64 * 1024)



typedef enum {
    WJWT_CLI_VERB_DECODE = 0,
    WJWT_CLI_VERB_VERIFY,
    WJWT_CLI_VERB_LINT,
    WJWT_CLI_VERB_SIGN,
    WJWT_CLI_VERB_KEYGEN,
    WJWT_CLI_VERB_UNSEAL,
    WJWT_CLI_VERB_COUNT
} wjwt_cli_verb_e;


typedef enum {
    WJWT_CLI_OPT_HELP = 0,
    WJWT_CLI_OPT_JSON,
    WJWT_CLI_OPT_NOW,
    WJWT_CLI_OPT_LEEWAY,
    WJWT_CLI_OPT_MAX_LIFETIME,
    WJWT_CLI_OPT_MAX_TOKEN_SIZE,
    WJWT_CLI_OPT_IGNORE,
    WJWT_CLI_OPT_JWKS,
    WJWT_CLI_OPT_ISSUER,
    WJWT_CLI_OPT_AUDIENCE,
    WJWT_CLI_OPT_CLIENT_ID,
    WJWT_CLI_OPT_ALGORITHMS,
    WJWT_CLI_OPT_TOKEN_TYPE,
    WJWT_CLI_OPT_MAX_AUTH_AGE,
    WJWT_CLI_OPT_LINT_REJECT,
    WJWT_CLI_OPT_KEY,
    WJWT_CLI_OPT_KID,
    WJWT_CLI_OPT_ALG,
    WJWT_CLI_OPT_TTL,
    WJWT_CLI_OPT_OUT,
    WJWT_CLI_OPT_BITS,
    WJWT_CLI_OPT_FORCE,
    WJWT_CLI_OPT_PASSWORD_FILE,
    WJWT_CLI_OPT_COUNT
} wjwt_cli_opt_e;


typedef struct {
    const char            *name;
    int                    has_value;
    unsigned               verbs;           /* bit per wjwt_cli_verb_e */
} wjwt_cli_opt_t;


typedef struct {
    const char            *name;
    const char            *usage;
    const char            *help;
} wjwt_cli_verb_t;


typedef struct {
    int                    verb;
    int                    json;
    const char            *arg;             /* TOKEN, CLAIMS.json or "-" */

    int64_t                now;
    int64_t                leeway;
    int64_t                max_lifetime;
    size_t                 max_token_size;
    unsigned               lint_ignore;
    unsigned               lint_reject;

    const char           **jwks;
    size_t                 njwks;
    wjwt_str_t            *issuers;
    size_t                 nissuers;
    wjwt_str_t            *audiences;
    size_t                 naudiences;
    const char            *client_id;
    unsigned               alg_mask;
    int                    algs_set;
    int                    session_only;
    int64_t                max_auth_age;

    const char            *key;
    const char            *kid;
    int                    alg;
    int64_t                ttl;
    const char            *out;
    int                    bits;
    int                    force;

    const char            *password_file;
} wjwt_cli_t;


/* the passwords of --password-file, newest first */

typedef struct {
    char                  *buf;             /* the file, wiped when freed */
    size_t                 size;
    wjwt_str_t             pw[WJWT_CLI_MAX_PASSWORDS];
    unsigned               line[WJWT_CLI_MAX_PASSWORDS];
    size_t                 n;
} wjwt_cli_passwords_t;


/* wjwt_alg_from_name, wjwt_lint_from_name: a number, or -1 */
typedef int (*wjwt_cli_from_name_pt)(const unsigned char *name, size_t len);


static int wjwt_cli_usage_error(const wjwt_cli_t *cli, const char *fmt, ...);
static void wjwt_cli_fail(const char *fmt, ...);
static int wjwt_cli_parse(wjwt_cli_t *cli, int argc, char **argv);
static int wjwt_cli_set(wjwt_cli_t *cli, int opt, const char *name,
    const char *value);
static int wjwt_cli_set_value(wjwt_cli_t *cli, int opt, const char *value);
static int wjwt_cli_set_time(wjwt_cli_t *cli, int opt, const char *name,
    const char *value);
static int wjwt_cli_parse_time(const char *s, int64_t *out);
static int wjwt_cli_parse_int(const char *s, int64_t max, int64_t *out);
static int wjwt_cli_parse_size(const char *s, size_t *out);
static int wjwt_cli_parse_names(const char *s,
    wjwt_cli_from_name_pt from_name, unsigned *mask);
static int wjwt_cli_read_fp(FILE *fp, char **data, size_t *len);
static int wjwt_cli_read_file(const char *path, char **data, size_t *len);
static int wjwt_cli_read_token(wjwt_cli_t *cli, char **data, size_t *len);
static void wjwt_cli_duration(int64_t s, char *buf, size_t size);
static void wjwt_cli_iso_time(int64_t t, char *buf, size_t size);
static void wjwt_cli_print_safe(const char *s, size_t len);
static char *wjwt_cli_claim_text(const json_t *claims, const char *name);
static void wjwt_cli_print_json(const json_t *v);
static void wjwt_cli_diagnose(const char *data, size_t len);
static int wjwt_cli_segments(const char *data, size_t len, size_t *off,
    size_t *seg);
static int wjwt_cli_diagnose_json(const char *name, const char *data,
    size_t len);
static char *wjwt_cli_lint_detail(const wjwt_cli_t *cli,
    const wjwt_token_t *t, int code, size_t *len);
static json_t *wjwt_cli_lint_json(const wjwt_cli_t *cli,
    const wjwt_token_t *t, unsigned bits);
static void wjwt_cli_print_lint(const wjwt_cli_t *cli, const wjwt_token_t *t,
    unsigned bits, const char *indent);
static void wjwt_cli_print_view(const wjwt_token_t *t, int64_t now,
    int expiry);
static void wjwt_cli_print_times(const wjwt_token_t *t, int64_t now,
    int expiry);
static int wjwt_cli_decode(wjwt_cli_t *cli);
static int wjwt_cli_decode_token(const wjwt_cli_t *cli, const char *data,
    size_t len, const wjwt_session_t *s, unsigned pw_line);
static void wjwt_cli_decode_json(const wjwt_cli_t *cli, const wjwt_token_t *t,
    int syntax, int expiry, unsigned lint, json_t *session);
static void wjwt_cli_decode_text(const wjwt_cli_t *cli, const wjwt_token_t *t,
    const char *data, size_t len, int syntax, int types, int expiry,
    unsigned lint);
static void wjwt_cli_warn_key(void *data, const char *kid,
    const char *reason);
static void wjwt_cli_put(char *buf, size_t size, size_t *used,
    const char *fmt, ...);
static void wjwt_cli_verify_detail(const wjwt_verdict_t *v,
    const wjwt_keyset_t *ks, const wjwt_rules_t *r, int64_t now, char *buf,
    size_t size);
static void wjwt_cli_accepted(const wjwt_verdict_t *v, const wjwt_rules_t *r,
    char *buf, size_t size);
static void wjwt_cli_claim_detail(const wjwt_verdict_t *v,
    const wjwt_rules_t *r, int64_t now, char *buf, size_t size);
static int wjwt_cli_rules(wjwt_cli_t *cli, wjwt_rules_t *r,
    wjwt_str_t *defaults, unsigned char **buf);
static int wjwt_cli_read_jwks(wjwt_cli_t *cli, const char *src, char **data,
    size_t *len);
static int wjwt_cli_load_jwks(wjwt_cli_t *cli, wjwt_keyset_t *ks);
static int wjwt_cli_verify(wjwt_cli_t *cli);
static void wjwt_cli_verify_json(const wjwt_verdict_t *v,
    const char *detail);
static void wjwt_cli_verify_text(const wjwt_verdict_t *v,
    const char *detail);
static int wjwt_cli_lint(wjwt_cli_t *cli);
static int wjwt_cli_sign(wjwt_cli_t *cli);
static int wjwt_cli_fill_claims(wjwt_cli_t *cli, json_t *claims);
static int wjwt_cli_write_text(const char *path, const char *text,
    int force, char *err, size_t err_size);
static int wjwt_cli_keygen(wjwt_cli_t *cli);
static char *wjwt_cli_jwks_text(EVP_PKEY *pkey, int alg, const char *kid);
static int wjwt_cli_unseal(wjwt_cli_t *cli);
static int wjwt_cli_read_passwords(const char *path,
    wjwt_cli_passwords_t *p);
static int wjwt_cli_parse_passwords(const char *path,
    wjwt_cli_passwords_t *p, size_t len);
static void wjwt_cli_free_passwords(wjwt_cli_passwords_t *p);
static int wjwt_cli_user_matches(const wjwt_session_t *s,
    const wjwt_token_t *t);
static json_t *wjwt_cli_session_json(const wjwt_session_t *s,
    const wjwt_token_t *t, unsigned pw_line);
static void wjwt_cli_print_session(const wjwt_session_t *s,
    const wjwt_token_t *t, unsigned pw_line);
static void wjwt_cli_main_usage(FILE *fp);
static int wjwt_cli_help(int argc, char **argv);


#define WJWT_CLI_V(verb)        (1u << (verb))
#define WJWT_CLI_V_TOKEN                                                      \
    (WJWT_CLI_V(WJWT_CLI_VERB_DECODE) | WJWT_CLI_V(WJWT_CLI_VERB_VERIFY)    \
     | WJWT_CLI_V(WJWT_CLI_VERB_LINT) | WJWT_CLI_V(WJWT_CLI_VERB_UNSEAL))
#define WJWT_CLI_V_ALL          ((1u << WJWT_CLI_VERB_COUNT) - 1)


static const wjwt_cli_opt_t  wjwt_cli_opts[WJWT_CLI_OPT_COUNT] = {
    { "help", 0, WJWT_CLI_V_ALL },
    { "json", 0, WJWT_CLI_V_TOKEN },
    { "now", 1, WJWT_CLI_V_TOKEN | WJWT_CLI_V(WJWT_CLI_VERB_SIGN) },
    { "leeway", 1, WJWT_CLI_V_TOKEN },
    { "max-lifetime", 1, WJWT_CLI_V_TOKEN },
    { "max-token-size", 1, WJWT_CLI_V_TOKEN },
    { "ignore", 1, WJWT_CLI_V_TOKEN },
    { "jwks", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "issuer", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "audience", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "client-id", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "algorithms", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "token-type", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "max-auth-age", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "lint-reject", 1, WJWT_CLI_V(WJWT_CLI_VERB_VERIFY) },
    { "key", 1, WJWT_CLI_V(WJWT_CLI_VERB_SIGN) },
    { "kid", 1, WJWT_CLI_V(WJWT_CLI_VERB_SIGN)
                | WJWT_CLI_V(WJWT_CLI_VERB_KEYGEN) },
    { "alg", 1, WJWT_CLI_V(WJWT_CLI_VERB_SIGN)
                | WJWT_CLI_V(WJWT_CLI_VERB_KEYGEN) },
    { "ttl", 1, WJWT_CLI_V(WJWT_CLI_VERB_SIGN) },
    { "out", 1, WJWT_CLI_V(WJWT_CLI_VERB_KEYGEN) },
    { "bits", 1, WJWT_CLI_V(WJWT_CLI_VERB_KEYGEN) },
    { "force", 0, WJWT_CLI_V(WJWT_CLI_VERB_KEYGEN) },
    { "password-file", 1, WJWT_CLI_V(WJWT_CLI_VERB_UNSEAL) }
};


static const wjwt_cli_verb_t  wjwt_cli_verbs[WJWT_CLI_VERB_COUNT] = {

    { "decode",
      "workos-jwt decode [--json] [--now T] [--max-lifetime TIME] [TOKEN|-]",
      "Prints the JOSE header and the claims, a WorkOS view of the claims\n"
      "(user, session, organization, roles, permissions, entitlements,\n"
      "feature flags, SSO connection, directory, impersonator, issue and\n"
      "expiry times) and the lint findings.  The signature is not checked\n"
      "and never printed; expired tokens decode too.\n"
      "\n"
      "  --json               one JSON object: header, claims, lint\n"
      "  --now T              the current time, epoch seconds\n"
      "  --leeway TIME        clock skew for the expiry and lint checks\n"
      "  --max-lifetime TIME  threshold of long_lifetime (default 24h)\n"
      "  --max-token-size N   size limit to report on (default 16k)\n"
      "  --ignore CODES       lint codes not to report (comma-separated)\n"
      "\n"
      "Exit status: 0 when the token decodes, 1 when its header or claims\n"
      "cannot be decoded, 2 on usage errors.\n" },

    { "verify",
      "workos-jwt verify --jwks FILE|URL [--issuer I]... [--audience A]...\n"
      "                  [--client-id C] [--algorithms LIST] [--leeway TIME]\n"
      "                  [--now T] [--token-type session|any] [--json]\n"
      "                  [TOKEN|-]",
      "Checks a token exactly as the nginx module does: syntax, alg, key,\n"
      "signature, claim types, expiry, issuer, audience, token type,\n"
      "auth age and lint rejections, in that order.  Prints the status\n"
      "word ($workos_jwt_status) on the first line, then a sentence.\n"
      "\n"
      "  --jwks FILE|URL      JWKS or single JWK file, or an http(s):// URL\n"
      "                       fetched (TLS verified against the system CA\n"
      "                       store or $SSL_CERT_FILE, 5 s, 1 MB, no\n"
      "                       redirect); repeatable, required\n"
      "  --issuer I           accepted issuer (repeatable); without any\n"
      "                       --issuer or --client-id, iss is not checked\n"
      "  --audience A         accepted audience (repeatable)\n"
      "  --client-id C        accept the WorkOS issuers of client C and\n"
      "                       reject a different client_id claim\n"
      "  --algorithms LIST    allowed algs, e.g. RS256,ES256 (default RS256)\n"
      "  --leeway TIME        clock skew for exp, nbf, iat (default 0)\n"
      "  --now T              the current time, epoch seconds\n"
      "  --token-type TYPE    session (default: require sid) or any\n"
      "  --max-auth-age TIME  require auth_time no older than TIME (or off)\n"
      "  --lint-reject CODES  lint codes that reject the token\n"
      "  --max-lifetime TIME  threshold of long_lifetime (default 24h)\n"
      "  --max-token-size N   longer tokens are malformed (default 16k)\n"
      "  --json               one JSON object: status, error, valid, kid, alg\n"
      "\n"
      "TIME is seconds, or a number with an s, m, h or d suffix.\n"
      "Exit status: 0 valid, 1 invalid, 2 usage errors.\n" },

    { "lint",
      "workos-jwt lint [--json] [--now T] [--max-lifetime TIME] "
      "[--ignore CODES]\n"
      "                [TOKEN|-]",
      "Lists the lint findings of a token (the rules of the module's\n"
      "workos_jwt_lint) with a one-line explanation each.  The signature\n"
      "is not checked.\n"
      "\n"
      "  --json               one JSON object: {\"lint\": [...]}\n"
      "  --now T              the current time, epoch seconds\n"
      "  --leeway TIME        clock skew for iat_in_future (default 0)\n"
      "  --max-lifetime TIME  threshold of long_lifetime (default 24h)\n"
      "  --ignore CODES       lint codes not to report (comma-separated)\n"
      "\n"
      "Exit status: 0 clean, 1 findings or an undecodable token,\n"
      "2 usage errors.\n" },

    { "sign",
      "workos-jwt sign --key PRIVATE.pem [--kid K] [--alg ALG] [--ttl TIME]\n"
      "                [--now T] [CLAIMS.json|-]",
      "Signs a JSON object of claims and prints the compact token.  A\n"
      "missing iat is set to now and a missing exp to iat + ttl.  The\n"
      "header is {\"alg\", \"typ\": \"JWT\", \"kid\"} (kid only when given).\n"
      "\n"
      "  --key FILE           PEM private key (RSA, EC P-256/384/521,\n"
      "                       Ed25519), e.g. from keygen\n"
      "  --kid K              header kid\n"
      "  --alg ALG            RS256 RS384 RS512 PS256 PS384 PS512 ES256\n"
      "                       ES384 ES512 EdDSA (default: RS256, or the one\n"
      "                       the key implies)\n"
      "  --ttl TIME           lifetime when exp is missing (default 5m)\n"
      "  --now T              the time for iat, epoch seconds\n"
      "\n"
      "Exit status: 0 signed, 1 failure, 2 usage errors.\n" },

    { "keygen",
      "workos-jwt keygen [--alg ALG] [--kid K] [--bits N] [--force] "
      "--out DIR",
      "Generates a signing key and writes DIR/private.pem (PKCS#8, mode\n"
      "0600) and DIR/jwks.json (the public key as a JWKS, usable with\n"
      "workos_jwt_key_file and verify --jwks).\n"
      "\n"
      "  --alg ALG            any alg of sign --alg (default RS256)\n"
      "  --kid K              key id (default: 16 hex digits of the SHA-256\n"
      "                       of the public key)\n"
      "  --bits N             RSA modulus size, 2048 or more (default 2048)\n"
      "  --force              overwrite existing files\n"
      "  --out DIR            output directory, created when missing\n"
      "\n"
      "Exit status: 0 written, 1 failure, 2 usage errors.\n" },

    { "unseal",
      "workos-jwt unseal --password-file FILE [--json] [--now T] [COOKIE|-]",
      "Opens an AuthKit session cookie (wos-session) as the module's\n"
      "workos_jwt_session_cookie does: the iron seal of @workos-inc/node,\n"
      "authkit-nextjs and authkit-session, or the React Router / Remix\n"
      "cookie session of authkit-react-router and authkit-remix.  COOKIE\n"
      "is the cookie's value (without \"wos-session=\"), raw or URL-encoded.\n"
      "Prints the session's format, user id and e-mail, then the decode\n"
      "view of the access token inside (not verified: use verify on it).\n"
      "The refresh token is never printed.\n"
      "\n"
      "  --password-file FILE the app's WORKOS_COOKIE_PASSWORD, one per line,\n"
      "                       newest first, 32 characters or more, as in\n"
      "                       workos_jwt_session_password (keep it 0600)\n"
      "  --json               one JSON object: decode's, plus \"session\":\n"
      "                       {format, user_id, email}\n"
      "  --now T              the current time, epoch seconds (the seal's\n"
      "                       expiration and the token's)\n"
      "  --leeway TIME        clock skew for the token's expiry and lint\n"
      "  --max-lifetime TIME  threshold of long_lifetime (default 24h)\n"
      "  --max-token-size N   size limit to report on (default 16k)\n"
      "  --ignore CODES       lint codes not to report (comma-separated)\n"
      "\n"
      "Exit status: 0 when the cookie opens and its token decodes, 1 when\n"
      "it cannot be opened (the reason is printed) or its token cannot be\n"
      "decoded, 2 on usage errors (a password shorter than 32 characters\n"
      "included).\n" }
};


static int
wjwt_cli_usage_error(const wjwt_cli_t *cli, const char *fmt, ...)
{
    va_list  args;

    fprintf(stderr, "workos-jwt: ");

    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);

    fprintf(stderr, "\n");

    if (cli != NULL && cli->verb >= 0) {
        fprintf(stderr, "usage: %s\nTry \"workos-jwt %s --help\".\n",
                wjwt_cli_verbs[cli->verb].usage,
                wjwt_cli_verbs[cli->verb].name);

    } else {
        fprintf(stderr, "Try \"workos-jwt --help\".\n");
    }

    return WJWT_CLI_USAGE;
}


static void
wjwt_cli_fail(const char *fmt, ...)
{
    va_list  args;

    fprintf(stderr, "workos-jwt: ");

    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);

    fprintf(stderr, "\n");
}


static int
wjwt_cli_parse_int(const char *s, int64_t max, int64_t *out)
{
    int64_t  v;

    if (*s < '0' || *s > '9') {
        return -1;
    }

    /* digits only: no sign, no spaces, no overflow past max */
    v = 0;

    while (*s >= '0' && *s <= '9') {
        if (v > (max - (*s - '0')) / 10) {
            return -1;
        }

        v = v * 10 + (*s++ - '0');
    }

    if (*s != '\0') {
        return -1;
    }

    *out = v;

    return 0;
}


typedef struct {
    char                 suffix;
    int64_t              scale;
} wjwt_cli_unit_t;


static const wjwt_cli_unit_t  wjwt_cli_time_units[] = {
    { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 0, 0 }
};

static const wjwt_cli_unit_t  wjwt_cli_size_units[] = {
    { 'k', 1024 }, { 'K', 1024 }, { 'm', 1024 * 1024 },
    { 'M', 1024 * 1024 }, { 0, 0 }
};


/* a number with an optional unit suffix, at most max after scaling */

static int
wjwt_cli_parse_scaled(const char *s, const wjwt_cli_unit_t *units,
    int64_t max, int64_t *out)
{
    char     num[32];
    size_t   len;
    int64_t  v, scale;

    len = strlen(s);

    if (len == 0 || len >= sizeof(num)) {
        return -1;
    }

    memcpy(num, s, len + 1);
    scale = 1;

    for ( /* void */ ; units->suffix; units++) {
        if (num[len - 1] == units->suffix) {
            scale = units->scale;
            num[len - 1] = '\0';
            break;
        }
    }

    if (wjwt_cli_parse_int(num, max / scale, &v) != 0) {
        return -1;
    }

    *out = v * scale;

    return 0;
}


static int
wjwt_cli_parse_time(const char *s, int64_t *out)
{
    return wjwt_cli_parse_scaled(s, wjwt_cli_time_units, WJWT_MAX_TIME, out);
}


static int
wjwt_cli_parse_size(const char *s, size_t *out)
{
    int64_t  v;

    if (wjwt_cli_parse_scaled(s, wjwt_cli_size_units, WJWT_CLI_MAX_INPUT, &v)
        != 0
        || v == 0)
    {
        return -1;
    }

    *out = (size_t) v;

    return 0;
}


/*
 * a list of names separated by commas or spaces, each a bit in *mask
 * (WJWT_ALG_BIT, WJWT_LINT_BIT)
 */

static int
wjwt_cli_parse_names(const char *s, wjwt_cli_from_name_pt from_name,
    unsigned *mask)
{
    int         n;
    size_t      len;
    const char *p;

    while (*s != '\0') {
        p = s + strcspn(s, ", ");
        len = (size_t) (p - s);

        if (len > 0) {
            n = from_name((const unsigned char *) s, len);
            if (n < 0) {
                return -1;
            }

            *mask |= 1u << n;
        }

        s = (*p == '\0') ? p : p + 1;
    }

    return 0;
}


/* flags and strings here, values to parse in the two functions below */

static int
wjwt_cli_set(wjwt_cli_t *cli, int opt, const char *name, const char *value)
{
    /* a client id, a key id or a file name: an empty one is a mistake */

    if ((opt == WJWT_CLI_OPT_CLIENT_ID || opt == WJWT_CLI_OPT_KID
         || opt == WJWT_CLI_OPT_OUT || opt == WJWT_CLI_OPT_PASSWORD_FILE)
        && *value == '\0')
    {
        return wjwt_cli_usage_error(cli, "empty --%s", name);
    }

    switch (opt) {

    case WJWT_CLI_OPT_JSON:
        cli->json = 1;
        break;

    case WJWT_CLI_OPT_FORCE:
        cli->force = 1;
        break;

    case WJWT_CLI_OPT_JWKS:
        cli->jwks[cli->njwks++] = value;
        break;

    case WJWT_CLI_OPT_ISSUER:
        cli->issuers[cli->nissuers].data = (const unsigned char *) value;
        cli->issuers[cli->nissuers++].len = strlen(value);
        break;

    case WJWT_CLI_OPT_AUDIENCE:
        cli->audiences[cli->naudiences].data = (const unsigned char *) value;
        cli->audiences[cli->naudiences++].len = strlen(value);
        break;

    case WJWT_CLI_OPT_CLIENT_ID:
        cli->client_id = value;
        break;

    case WJWT_CLI_OPT_KEY:
        cli->key = value;
        break;

    case WJWT_CLI_OPT_KID:
        cli->kid = value;
        break;

    case WJWT_CLI_OPT_OUT:
        cli->out = value;
        break;

    case WJWT_CLI_OPT_PASSWORD_FILE:
        cli->password_file = value;
        break;

    case WJWT_CLI_OPT_NOW:
    case WJWT_CLI_OPT_LEEWAY:
    case WJWT_CLI_OPT_MAX_LIFETIME:
    case WJWT_CLI_OPT_TTL:
    case WJWT_CLI_OPT_MAX_AUTH_AGE:
    case WJWT_CLI_OPT_MAX_TOKEN_SIZE:
        return wjwt_cli_set_time(cli, opt, name, value);

    default:
        return wjwt_cli_set_value(cli, opt, value);
    }

    return WJWT_CLI_OK;
}


/* lint codes, algs, the token type, bits */

static int
wjwt_cli_set_value(wjwt_cli_t *cli, int opt, const char *value)
{
    int64_t  v;

    switch (opt) {

    case WJWT_CLI_OPT_IGNORE:
    case WJWT_CLI_OPT_LINT_REJECT:
        if (wjwt_cli_parse_names(value, wjwt_lint_from_name,
                                 (opt == WJWT_CLI_OPT_IGNORE)
                                 ? &cli->lint_ignore : &cli->lint_reject)
            != 0)
        {
            return wjwt_cli_usage_error(cli, "unknown lint code in \"%s\"",
                                        value);
        }
        break;

    case WJWT_CLI_OPT_ALGORITHMS:
        if (!cli->algs_set) {
            /* the default is replaced by the first --algorithms */
            cli->alg_mask = 0;
            cli->algs_set = 1;
        }

        if (wjwt_cli_parse_names(value, wjwt_alg_from_name, &cli->alg_mask)
            != 0)
        {
            return wjwt_cli_usage_error(cli, "unknown alg in \"%s\" (allowed:"
                                        " RS256 RS384 RS512 PS256 PS384 "
                                        "PS512 ES256 ES384 ES512 EdDSA)",
                                        value);
        }
        break;

    case WJWT_CLI_OPT_TOKEN_TYPE:
        if (strcmp(value, "session") == 0) {
            cli->session_only = 1;

        } else if (strcmp(value, "any") == 0) {
            cli->session_only = 0;

        } else {
            return wjwt_cli_usage_error(cli, "invalid --token-type \"%s\" "
                                        "(session or any)", value);
        }
        break;

    case WJWT_CLI_OPT_ALG:
        cli->alg = wjwt_alg_from_name((const unsigned char *) value,
                                      strlen(value));

        if (cli->alg == WJWT_ALG_UNKNOWN) {
            return wjwt_cli_usage_error(cli, "unknown alg \"%s\" (allowed: "
                                        "RS256 RS384 RS512 PS256 PS384 PS512"
                                        " ES256 ES384 ES512 EdDSA)", value);
        }
        break;

    case WJWT_CLI_OPT_BITS:
        if (wjwt_cli_parse_int(value, WJWT_SIGN_RSA_MAX_BITS, &v) != 0
            || v < WJWT_SIGN_RSA_BITS)
        {
            return wjwt_cli_usage_error(cli, "invalid --bits \"%s\" (2048 to"
                                        " 16384)", value);
        }

        cli->bits = (int) v;
        break;
    }

    return WJWT_CLI_OK;
}


/* times and sizes */

static int
wjwt_cli_set_time(wjwt_cli_t *cli, int opt, const char *name,
    const char *value)
{
    int64_t  v;

    switch (opt) {

    case WJWT_CLI_OPT_NOW:
        if (wjwt_cli_parse_int(value, WJWT_MAX_TIME, &cli->now) != 0) {
            return wjwt_cli_usage_error(cli, "invalid value \"%s\" for --%s "
                                        "(epoch seconds expected)",
                                        value, name);
        }
        break;

    case WJWT_CLI_OPT_LEEWAY:
    case WJWT_CLI_OPT_MAX_LIFETIME:
    case WJWT_CLI_OPT_TTL:
        if (wjwt_cli_parse_time(value, &v) != 0) {
            return wjwt_cli_usage_error(cli, "invalid time \"%s\" for --%s "
                                        "(e.g. 30, 30s, 5m, 1h, 1d)",
                                        value, name);
        }

        if (opt == WJWT_CLI_OPT_LEEWAY) {
            cli->leeway = v;

        } else if (opt == WJWT_CLI_OPT_TTL) {
            cli->ttl = v;

        } else {
            cli->max_lifetime = v;
        }

        break;

    case WJWT_CLI_OPT_MAX_AUTH_AGE:
        if (strcmp(value, "off") == 0) {
            cli->max_auth_age = -1;
            break;
        }

        if (wjwt_cli_parse_time(value, &cli->max_auth_age) != 0) {
            return wjwt_cli_usage_error(cli, "invalid time \"%s\" for --%s",
                                        value, name);
        }
        break;

    case WJWT_CLI_OPT_MAX_TOKEN_SIZE:
        if (wjwt_cli_parse_size(value, &cli->max_token_size) != 0) {
            return wjwt_cli_usage_error(cli, "invalid size \"%s\" for --%s",
                                        value, name);
        }
        break;
    }

    return WJWT_CLI_OK;
}


static int
wjwt_cli_parse(wjwt_cli_t *cli, int argc, char **argv)
{
    int          i, o, rc, opts_done;
    size_t       nlen;
    const char  *a, *eq, *value;

    opts_done = 0;

    for (i = 2; i < argc; i++) {
        a = argv[i];

        if (opts_done || a[0] != '-' || strcmp(a, "-") == 0) {
            if (cli->arg != NULL) {
                return wjwt_cli_usage_error(cli, "unexpected argument \"%s\"",
                                            a);
            }

            cli->arg = a;
            continue;
        }

        if (strcmp(a, "--") == 0) {
            opts_done = 1;
            continue;
        }

        if (strcmp(a, "-h") == 0) {
            a = "--help";
        }

        if (a[1] != '-') {
            return wjwt_cli_usage_error(cli, "unknown option \"%s\"", a);
        }

        a += 2;
        eq = strchr(a, '=');
        nlen = (eq != NULL) ? (size_t) (eq - a) : strlen(a);

        /* an option of another verb is as unknown as a misspelled one */
        for (o = 0; o < WJWT_CLI_OPT_COUNT; o++) {
            if (strlen(wjwt_cli_opts[o].name) == nlen
                && memcmp(wjwt_cli_opts[o].name, a, nlen) == 0
                && (wjwt_cli_opts[o].verbs & WJWT_CLI_V(cli->verb)))
            {
                break;
            }
        }

        if (o == WJWT_CLI_OPT_COUNT) {
            return wjwt_cli_usage_error(cli, "unknown option \"%.*s\" for %s",
                                        (int) nlen + 2, argv[i],
                                        wjwt_cli_verbs[cli->verb].name);
        }

        if (o == WJWT_CLI_OPT_HELP) {
            printf("usage: %s\n\n%s", wjwt_cli_verbs[cli->verb].usage,
                   wjwt_cli_verbs[cli->verb].help);
            return -1;
        }

        if (!wjwt_cli_opts[o].has_value) {
            if (eq != NULL) {
                return wjwt_cli_usage_error(cli, "option --%s takes no value",
                                            wjwt_cli_opts[o].name);
            }

            value = NULL;

        } else if (eq != NULL) {
            value = eq + 1;

        } else if (i + 1 < argc) {
            value = argv[++i];

        } else {
            return wjwt_cli_usage_error(cli, "option --%s needs a value",
                                        wjwt_cli_opts[o].name);
        }

        rc = wjwt_cli_set(cli, o, wjwt_cli_opts[o].name, value);
        if (rc != WJWT_CLI_OK) {
            return rc;
        }
    }

    return WJWT_CLI_OK;
}


static int
wjwt_cli_read_fp(FILE *fp, char **data, size_t *len)
{
    char    *buf, *p;
    size_t   n, size, used;

    size = 4096;
    used = 0;

    buf = malloc(size + 1);
    if (buf == NULL) {
        return -1;
    }

    for ( ;; ) {
        n = fread(buf + used, 1, size - used, fp);
        used += n;

        if (used < size) {
            if (ferror(fp)) {
                free(buf);
                return -1;
            }

            break;
        }

        if (size >= WJWT_CLI_MAX_INPUT) {
            free(buf);
            errno = EFBIG;
            return -1;
        }

        size *= 2;

        p = realloc(buf, size + 1);
        if (p == NULL) {
            free(buf);
            return -1;
        }

        buf = p;
    }

    buf[used] = '\0';

    *data = buf;
    *len = used;

    return 0;
}


static int
wjwt_cli_read_file(const char *path, char **data, size_t *len)
{
    int    rc;
    FILE  *fp;

    if (strcmp(path, "-") == 0) {
        return wjwt_cli_read_fp(stdin, data, len);
    }

    fp = fopen(path, "r");
    if (fp == NULL) {
        return -1;
    }

    rc = wjwt_cli_read_fp(fp, data, len);
    fclose(fp);

    return rc;
}


static int
wjwt_cli_read_token(wjwt_cli_t *cli, char **data, size_t *len)
{
    size_t  n;

    if (cli->arg != NULL && strcmp(cli->arg, "-") != 0) {
        *data = strdup(cli->arg);
        if (*data == NULL) {
            wjwt_cli_fail("out of memory");
            return WJWT_CLI_FAIL;
        }

        *len = strlen(cli->arg);

        return WJWT_CLI_OK;
    }

    if (cli->arg == NULL && isatty(STDIN_FILENO)) {
        return wjwt_cli_usage_error(cli, "no %s given (pass it as an "
                                    "argument, or \"-\" for stdin)",
                                    (cli->verb == WJWT_CLI_VERB_UNSEAL)
                                    ? "cookie" : "token");
    }

    if (wjwt_cli_read_fp(stdin, data, len) != 0) {
        wjwt_cli_fail("cannot read the %s from stdin: %s",
                      (cli->verb == WJWT_CLI_VERB_UNSEAL) ? "cookie"
                                                          : "token",
                      strerror(errno));
        return WJWT_CLI_USAGE;
    }

    /* trailing whitespace only: a token with inner junk stays malformed */
    n = *len;

    while (n > 0
           && ((*data)[n - 1] == '\n' || (*data)[n - 1] == '\r'
               || (*data)[n - 1] == ' ' || (*data)[n - 1] == '\t'))
    {
        n--;
    }

    (*data)[n] = '\0';
    *len = n;

    return WJWT_CLI_OK;
}


static void
wjwt_cli_duration(int64_t s, char *buf, size_t size)
{
    int      n;
    size_t   used;
    int64_t  d, h, m;

    if (s == 0) {
        snprintf(buf, size, "0s");
        return;
    }

    d = s / 86400;
    h = s % 86400 / 3600;
    m = s % 3600 / 60;
    s = s % 60;
    used = 0;
    buf[0] = '\0';

#define WJWT_CLI_PART(v, unit)                                                \
    if (v > 0 && used < size) {                                               \
        n = snprintf(buf + used, size - used, "%" PRId64 unit, v);            \
        used += (n > 0) ? (size_t) n : 0;                                     \
    }

    WJWT_CLI_PART(d, "d")
    WJWT_CLI_PART(h, "h")
    WJWT_CLI_PART(m, "m")
    WJWT_CLI_PART(s, "s")

#undef WJWT_CLI_PART
}


static void
wjwt_cli_iso_time(int64_t t, char *buf, size_t size)
{
    time_t     tt;
    struct tm  tm;

    tt = (time_t) t;

    if (gmtime_r(&tt, &tm) == NULL
        || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        snprintf(buf, size, "%" PRId64, t);
    }
}


static void
wjwt_cli_print_safe(const char *s, size_t len)
{
    size_t         i;
    unsigned char  c;

    /* claim values are attacker-controlled: no terminal escapes */
    for (i = 0; i < len; i++) {
        c = (unsigned char) s[i];

        if (c < 0x20 || c == 0x7f) {
            printf("\\x%02x", c);

        } else {
            putchar(c);
        }
    }
}


static char *
wjwt_cli_claim_text(const json_t *claims, const char *name)
{
    char          *buf;
    size_t         n;
    const json_t  *v;

    v = json_object_get(claims, name);
    if (v == NULL) {
        return NULL;
    }

    n = wjwt_json_text(v, NULL, 0);

    buf = malloc(n + 1);
    if (buf == NULL) {
        return NULL;
    }

    wjwt_json_text(v, (unsigned char *) buf, n);
    buf[n] = '\0';

    return buf;
}


static void
wjwt_cli_print_json(const json_t *v)
{
    char  *s;

    s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (s == NULL) {
        printf("(cannot be printed)\n");
        return;
    }

    printf("%s\n", s);
    free(s);
}


static void
wjwt_cli_diagnose(const char *data, size_t len)
{
    int             i;
    size_t          seg[3], off[3], dlen;
    unsigned char  *buf;

    static const char  *names[] = { "header", "payload" };

    i = wjwt_cli_segments(data, len, off, seg);

    if (i > 3) {
        wjwt_cli_fail("malformed: more than three segments");
        return;
    }

    if (i != 3) {
        wjwt_cli_fail("malformed: %d segment%s, a JWS has three "
                      "(header.payload.signature)", i, (i == 1) ? "" : "s");
        return;
    }

    for (i = 0; i < 2; i++) {
        if (wjwt_cli_diagnose_json(names[i], data + off[i], seg[i]) != 0) {
            return;
        }
    }

    buf = malloc(wjwt_b64url_decoded_max(seg[2]) + 1);
    if (buf == NULL) {
        return;
    }

    if (seg[2] == 0
        || wjwt_b64url_decode((const unsigned char *) data + off[2], seg[2],
                              buf, &dlen)
           != 0)
    {
        free(buf);
        wjwt_cli_fail("malformed: the signature is empty or not canonical "
                      "base64url");
        return;
    }

    free(buf);

    if (len > WJWT_DEFAULT_MAX_TOKEN) {
        wjwt_cli_fail("malformed: longer than %d bytes",
                      WJWT_DEFAULT_MAX_TOKEN);
        return;
    }

    wjwt_cli_fail("malformed: the header breaks a JWS rule (\"alg\" a "
                  "string, \"kid\" and \"typ\" strings, no \"crit\")");
}


/* the dot-separated segments, up to 3 (4 means more) */

static int
wjwt_cli_segments(const char *data, size_t len, size_t *off, size_t *seg)
{
    int          i;
    const char  *p, *dot;

    p = data;

    for (i = 0; i < 3; i++) {
        off[i] = (size_t) (p - data);
        dot = memchr(p, '.', len - off[i]);

        if (dot == NULL) {
            seg[i] = len - off[i];
            return i + 1;
        }

        seg[i] = (size_t) (dot - p);
        p = dot + 1;
    }

    return 4;
}


/* a segment that must be base64url of a JSON object: 0, or -1 and why */

static int
wjwt_cli_diagnose_json(const char *name, const char *data, size_t len)
{
    int             is_object;
    char            err[256];
    size_t          dlen;
    json_t         *v;
    unsigned char  *buf;

    buf = malloc(wjwt_b64url_decoded_max(len) + 1);
    if (buf == NULL) {
        return -1;
    }

    if (wjwt_b64url_decode((const unsigned char *) data, len, buf, &dlen)
        != 0)
    {
        free(buf);
        wjwt_cli_fail("malformed: the %s is not canonical base64url "
                      "(no padding, no + or /, no whitespace)", name);
        return -1;
    }

    err[0] = '\0';
    v = wjwt_json_parse(buf, dlen, err, sizeof(err));
    free(buf);

    if (v == NULL) {
        wjwt_cli_fail("malformed: the %s is not valid JSON: %s", name, err);
        return -1;
    }

    is_object = json_is_object(v);
    json_decref(v);

    if (!is_object) {
        wjwt_cli_fail("malformed: the %s is not a JSON object", name);
        return -1;
    }

    return 0;
}


/* a lint finding's detail, malloc()ed, or NULL */

static char *
wjwt_cli_lint_detail(const wjwt_cli_t *cli, const wjwt_token_t *t, int code,
    size_t *len)
{
    char  *detail;

    *len = wjwt_lint_detail(t, code, cli->now, cli->max_lifetime, NULL, 0);

    detail = malloc(*len + 1);

    if (detail != NULL) {
        (void) wjwt_lint_detail(t, code, cli->now, cli->max_lifetime, detail,
                                *len + 1);
    }

    return detail;
}


static json_t *
wjwt_cli_lint_json(const wjwt_cli_t *cli, const wjwt_token_t *t,
    unsigned bits)
{
    int          code, level;
    char        *detail;
    size_t       n;
    json_t      *arr, *item;
    const char  *levels[] = { "warn", "notice", "info" };

    arr = json_array();

    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (!(bits & WJWT_LINT_BIT(code))) {
            continue;
        }

        detail = wjwt_cli_lint_detail(cli, t, code, &n);
        level = wjwt_lint_level(code);

        item = json_object();
        json_object_set_new(item, "code", json_string(wjwt_lint_name(code)));
        json_object_set_new(item, "level",
                            json_string((level >= 0 && level <= 2)
                                        ? levels[level] : "warn"));
        json_object_set_new(item, "detail",
                            detail ? json_stringn(detail, n) : json_null());
        json_object_set_new(item, "explanation",
                            json_string(wjwt_lint_explain(code)));
        json_array_append_new(arr, item);

        free(detail);
    }

    return arr;
}


static void
wjwt_cli_print_lint(const wjwt_cli_t *cli, const wjwt_token_t *t,
    unsigned bits, const char *indent)
{
    int          code, level;
    char        *detail;
    size_t       n;
    const char  *levels[] = { "warn", "notice", "info" };

    /* one line per finding, in the order of the README's lint codes */
    for (code = 0; code < WJWT_LINT_COUNT; code++) {
        if (!(bits & WJWT_LINT_BIT(code))) {
            continue;
        }

        level = wjwt_lint_level(code);

        printf("%s%-20s %-6s %s", indent, wjwt_lint_name(code),
               (level >= 0 && level <= 2) ? levels[level] : "warn",
               wjwt_lint_explain(code));

        detail = wjwt_cli_lint_detail(cli, t, code, &n);

        if (detail != NULL && n > 0) {
            printf(" (");
            wjwt_cli_print_safe(detail, n);
            printf(")");
        }

        free(detail);
        printf("\n");
    }
}


static void
wjwt_cli_print_view(const wjwt_token_t *t, int64_t now, int expiry)
{
    char           *s;
    size_t          i;
    const char     *sub;
    const json_t   *act;

    static const struct {
        const char  *label;
        const char  *claim;
        int          always;
    } rows[] = {
        { "user", "sub", 1 },
        { "session", "sid", 1 },
        { "organization", "org_id", 1 },
        { "role", "role", 1 },
        { "roles", "roles", 1 },
        { "permissions", "permissions", 1 },
        { "entitlements", "entitlements", 1 },
        { "feature flags", "feature_flags", 1 },
        { "SSO connection", "connection_id", 1 },
        { "directory", "directory_id", 1 },
        { "issuer", "iss", 0 },
        { "audience", "aud", 0 },
        { "client id", "client_id", 0 },
        { "token id", "jti", 0 }
    };

    printf("WorkOS view:\n");

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        s = wjwt_cli_claim_text(t->claims, rows[i].claim);

        if (s == NULL && !rows[i].always) {
            continue;
        }

        printf("  %-16s", rows[i].label);

        if (s == NULL || *s == '\0') {
            printf("-\n");

        } else {
            wjwt_cli_print_safe(s, strlen(s));
            printf("\n");
        }

        free(s);
    }

    printf("  %-16s", "impersonator");

    act = json_object_get(t->claims, "act");

    if (act == NULL) {
        printf("-\n");

    } else if (json_is_object(act)
               && json_is_string(json_object_get(act, "sub")))
    {
        sub = json_string_value(json_object_get(act, "sub"));
        wjwt_cli_print_safe(sub, strlen(sub));
        printf(" (impersonated session)\n");

    } else {
        printf("(act claim without sub)\n");
    }

    printf("  %-16s%s\n", "token type",
           json_object_get(t->claims, "sid") != NULL
           ? "session (has sid)"
           : "not a session token (no sid; rejected by "
             "workos_jwt_token_type session)");

    wjwt_cli_print_times(t, now, expiry);
}


/* issued, not before, expires with the time left, lifetime, auth time */

static void
wjwt_cli_print_times(const wjwt_token_t *t, int64_t now, int expiry)
{
    int      has_iat, has_exp;
    char     when[64], dur[64];
    int64_t  iat, exp, v;

    has_iat = wjwt_claim_time(t->claims, "iat", &iat);
    has_exp = wjwt_claim_time(t->claims, "exp", &exp);

    if (has_iat) {
        wjwt_cli_iso_time(iat, when, sizeof(when));
        printf("  %-16s%s\n", "issued", when);

    } else {
        printf("  %-16s-\n", "issued");
    }

    if (wjwt_claim_time(t->claims, "nbf", &v)) {
        wjwt_cli_iso_time(v, when, sizeof(when));
        printf("  %-16s%s\n", "not before", when);
    }

    if (has_exp) {
        wjwt_cli_iso_time(exp, when, sizeof(when));
        printf("  %-16s%s", "expires", when);

        if (exp <= now) {
            wjwt_cli_duration(now - exp, dur, sizeof(dur));
            printf(", %s %s ago\n",
                   (expiry == WJWT_EXPIRED || expiry < 0) ? "expired"
                                                          : "expired (within "
                                                            "leeway)",
                   dur);

        } else {
            wjwt_cli_duration(exp - now, dur, sizeof(dur));
            printf(", not expired (%s left)\n", dur);
        }

    } else {
        printf("  %-16s- (no exp: the module rejects it as malformed)\n",
               "expires");
    }

    if (has_iat && has_exp) {
        wjwt_cli_duration(exp >= iat ? exp - iat : iat - exp, dur,
                          sizeof(dur));
        printf("  %-16s%" PRId64 "s (%s%s)\n", "lifetime", exp - iat,
               exp >= iat ? "" : "-", dur);
    }

    if (wjwt_claim_time(t->claims, "auth_time", &v)) {
        wjwt_cli_iso_time(v, when, sizeof(when));
        printf("  %-16s%s\n", "authenticated", when);
    }
}


static int
wjwt_cli_decode(wjwt_cli_t *cli)
{
    int     rc;
    char   *data;
    size_t  len;

    rc = wjwt_cli_read_token(cli, &data, &len);
    if (rc != WJWT_CLI_OK) {
        return rc;
    }

    rc = wjwt_cli_decode_token(cli, data, len, NULL, 0);
    free(data);

    return rc;
}


/*
 * decode's view of a token; for unseal, s is the session it came from
 * (and pw_line the password file's line that opened it), shown with it
 */

static int
wjwt_cli_decode_token(const wjwt_cli_t *cli, const char *data, size_t len,
    const wjwt_session_t *s, unsigned pw_line)
{
    int            rc, syntax, expiry;
    json_t        *out, *session;
    unsigned       lint;
    wjwt_facts_t   f;
    wjwt_token_t   t;

    memset(&t, 0, sizeof(wjwt_token_t));

    /*
     * no size limit here: decode shows what it can and reports a token
     * over --max-token-size instead of refusing it
     */
    syntax = wjwt_token_parse(&t, (const unsigned char *) data, len,
                              WJWT_CLI_MAX_INPUT);

    session = (s != NULL) ? wjwt_cli_session_json(s, &t, pw_line) : NULL;

    /* exit 1 only when there are no claims to show */
    if (t.claims == NULL) {
        if (cli->json) {
            out = json_pack("{s:o,s:n,s:s,s:[]}",
                            "header", t.header ? json_incref(t.header)
                                               : json_null(),
                            "claims", "syntax", "malformed", "lint");

            if (out != NULL && session != NULL) {
                json_object_set(out, "session", session);
            }

            wjwt_cli_print_json(out);
            json_decref(out);

        } else if (s != NULL) {
            wjwt_cli_print_session(s, &t, pw_line);
        }

        wjwt_cli_diagnose(data, len);
        wjwt_token_free(&t);
        json_decref(session);
        return WJWT_CLI_FAIL;
    }

    wjwt_token_facts(&t, &f);

    lint = 0;
    expiry = -1;

    /* lint and time checks assume claims that passed the type checks */
    if (syntax == WJWT_VALID && f.types == WJWT_VALID) {
        lint = wjwt_lint_run(&f, cli->now, cli->leeway, cli->max_lifetime)
               & ~cli->lint_ignore;

        /* the module's own expiry check, with no other rule */
        expiry = wjwt_claims_times(&f.claims, cli->now, cli->leeway);
    }

    if (cli->json) {
        wjwt_cli_decode_json(cli, &t, (syntax == WJWT_VALID) ? f.types
                                                              : syntax,
                             expiry, lint, session);

    } else {
        if (s != NULL) {
            wjwt_cli_print_session(s, &t, pw_line);
        }

        wjwt_cli_decode_text(cli, &t, data, len, syntax, f.types, expiry,
                             lint);
    }

    /* shown as far as it decodes, but a token without header is not */
    rc = (t.header != NULL) ? WJWT_CLI_OK : WJWT_CLI_FAIL;

    wjwt_token_free(&t);
    json_decref(session);

    return rc;
}


static void
wjwt_cli_decode_json(const wjwt_cli_t *cli, const wjwt_token_t *t,
    int syntax, int expiry, unsigned lint, json_t *session)
{
    json_t  *out;

    out = json_object();
    json_object_set(out, "header", t->header ? t->header : json_null());
    json_object_set(out, "claims", t->claims);
    json_object_set_new(out, "syntax",
                        json_string(wjwt_status_word(syntax)));
    json_object_set_new(out, "expired",
                        (expiry < 0) ? json_null()
                                     : json_boolean(expiry == WJWT_EXPIRED));
    json_object_set_new(out, "signature_bytes",
                        json_integer((json_int_t) t->sig_len));
    json_object_set_new(out, "lint", wjwt_cli_lint_json(cli, t, lint));

    if (session != NULL) {
        json_object_set(out, "session", session);
    }

    wjwt_cli_print_json(out);
    json_decref(out);
}


static void
wjwt_cli_decode_text(const wjwt_cli_t *cli, const wjwt_token_t *t,
    const char *data, size_t len, int syntax, int types, int expiry,
    unsigned lint)
{
    if (syntax != WJWT_VALID) {
        printf("malformed: the module rejects this token before checking the"
               " signature\n\n");
        wjwt_cli_diagnose(data, len);

    } else if (len > cli->max_token_size) {
        printf("malformed: %zu bytes, longer than workos_jwt_max_token_size "
               "(%zu)\n\n", len, cli->max_token_size);

    } else if (types != WJWT_VALID) {
        printf("malformed: exp and sub are required, and the WorkOS claims "
               "must have their JSON types (strings, arrays of strings, "
               "times as numbers)\n\n");
    }

    printf("Header:\n");

    if (t->header != NULL) {
        wjwt_cli_print_json(t->header);

    } else {
        printf("(cannot be decoded)\n");
    }

    printf("\nClaims:\n");
    wjwt_cli_print_json(t->claims);

    if (syntax == WJWT_VALID) {
        printf("\nSignature: %zu bytes (not shown)\n\n", t->sig_len);

    } else {
        printf("\nSignature: not decoded\n\n");
    }

    wjwt_cli_print_view(t, cli->now, expiry);

    printf("\nLint:\n");

    if (syntax != WJWT_VALID || types != WJWT_VALID) {
        printf("  (not run: the token is malformed)\n");

    } else if (lint == 0) {
        printf("  no findings\n");

    } else {
        wjwt_cli_print_lint(cli, t, lint, "  ");
    }
}


static void
wjwt_cli_warn_key(void *data, const char *kid, const char *reason)
{
    fprintf(stderr, "workos-jwt: %s: skipped key%s%s%s: %s\n",
            (const char *) data, kid ? " \"" : "", kid ? kid : "",
            kid ? "\"" : "", reason);
}


/* appends to a detail line, cut at size */

static void
wjwt_cli_put(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    int      n;
    va_list  args;

    if (*used >= size) {
        return;
    }

    va_start(args, fmt);
    n = vsnprintf(buf + *used, size - *used, fmt, args);
    va_end(args);

    *used += (n > 0) ? (size_t) n : 0;
}


/* what the token and the rules said where the verdict failed */

static void
wjwt_cli_verify_detail(const wjwt_verdict_t *v, const wjwt_keyset_t *ks,
    const wjwt_rules_t *r, int64_t now, char *buf, size_t size)
{
    int                  alg;
    size_t               i, used;
    const wjwt_token_t  *t;

    buf[0] = '\0';
    used = 0;
    t = &v->token;

    switch (v->status) {

    case WJWT_ALG_NOT_ALLOWED:
        wjwt_cli_put(buf, size, &used, "token alg \"%s\"; allowed:",
                     t->alg_name ? t->alg_name : "");

        for (alg = 0; alg < WJWT_ALG_COUNT; alg++) {
            if (r->alg_mask & WJWT_ALG_BIT(alg)) {
                wjwt_cli_put(buf, size, &used, " %s", wjwt_alg_name(alg));
            }
        }
        break;

    case WJWT_UNKNOWN_KID:
    case WJWT_KEYS_UNAVAILABLE:
        wjwt_cli_put(buf, size, &used, "token kid %s%.*s%s; usable keys:",
                     t->kid ? "\"" : "(none", t->kid ? (int) t->kid_len : 0,
                     t->kid ? t->kid : "", t->kid ? "\"" : ")");

        for (i = 0; i < ks->nkeys; i++) {
            wjwt_cli_put(buf, size, &used, " %s",
                         ks->keys[i].kid ? ks->keys[i].kid : "(no kid)");
        }

        if (ks->nkeys == 0) {
            wjwt_cli_put(buf, size, &used, " none");
        }
        break;

    case WJWT_BAD_ISSUER:
    case WJWT_BAD_AUDIENCE:
        wjwt_cli_accepted(v, r, buf, size);
        break;

    case WJWT_LINT_REJECTED:
        for (i = 0; i < WJWT_LINT_COUNT; i++) {
            if (v->lint_rejecting & WJWT_LINT_BIT(i)) {
                wjwt_cli_put(buf, size, &used, "%s%s",
                             used ? ", " : "lint: ", wjwt_lint_name((int) i));
            }
        }
        break;

    default:
        wjwt_cli_claim_detail(v, r, now, buf, size);
        break;
    }
}


/* bad_issuer, bad_audience: the claim and what the rules accept */

static void
wjwt_cli_accepted(const wjwt_verdict_t *v, const wjwt_rules_t *r, char *buf,
    size_t size)
{
    char               *s;
    size_t              i, n, used;
    const wjwt_str_t   *list;

    used = 0;

    if (v->status == WJWT_BAD_ISSUER) {
        s = wjwt_cli_claim_text(v->token.claims, "iss");
        list = r->issuers;
        n = r->nissuers;

    } else {
        s = wjwt_cli_claim_text(v->token.claims, "aud");
        list = r->audiences;
        n = r->naudiences;
    }

    wjwt_cli_put(buf, size, &used, "%s \"%s\"; accepted:",
                 (v->status == WJWT_BAD_ISSUER) ? "iss" : "aud", s ? s : "");
    free(s);

    for (i = 0; i < n; i++) {
        wjwt_cli_put(buf, size, &used, " %.*s", (int) list[i].len,
                     list[i].data);
    }

    if (v->status != WJWT_BAD_ISSUER) {
        return;
    }

    s = wjwt_cli_claim_text(v->token.claims, "client_id");

    if (s != NULL && r->client_id.len) {
        wjwt_cli_put(buf, size, &used, "; client_id \"%s\", expected "
                     "\"%.*s\"", s, (int) r->client_id.len,
                     r->client_id.data);
    }

    free(s);
}


/* expired, not_yet_valid, not_session, stale_auth: the claim's times */

static void
wjwt_cli_claim_detail(const wjwt_verdict_t *v, const wjwt_rules_t *r,
    int64_t now, char *buf, size_t size)
{
    char           when[64], dur[64];
    int64_t        t;
    const json_t  *claims;

    claims = v->token.claims;

    switch (v->status) {

    case WJWT_EXPIRED:
        if (wjwt_claim_time(claims, "exp", &t)) {
            wjwt_cli_iso_time(t, when, sizeof(when));
            wjwt_cli_duration(now > t ? now - t : 0, dur, sizeof(dur));
            snprintf(buf, size, "exp %s, %s ago (leeway %" PRId64 "s)", when,
                     dur, r->leeway);
        }
        break;

    case WJWT_NOT_YET_VALID:
        if (wjwt_claim_time(claims, "nbf", &t) && t > now + r->leeway) {
            wjwt_cli_iso_time(t, when, sizeof(when));
            snprintf(buf, size, "nbf %s is in the future", when);

        } else if (wjwt_claim_time(claims, "iat", &t)) {
            wjwt_cli_iso_time(t, when, sizeof(when));
            snprintf(buf, size, "iat %s is in the future", when);
        }
        break;

    case WJWT_NOT_SESSION:
        snprintf(buf, size, "no \"sid\" claim (--token-type any accepts "
                 "other WorkOS JWTs)");
        break;

    case WJWT_STALE_AUTH:
        if (wjwt_claim_time(claims, "auth_time", &t)) {
            wjwt_cli_iso_time(t, when, sizeof(when));
            snprintf(buf, size, "auth_time %s is older than %" PRId64 "s",
                     when, r->max_auth_age);

        } else {
            snprintf(buf, size, "no \"auth_time\" claim");
        }
        break;
    }
}


/*
 * The rules of verify's options; with --client-id and no --issuer, the
 * WorkOS issuers of that client, as workos_jwt_client_id does (*buf is
 * malloc()ed for them)
 */

static int
wjwt_cli_rules(wjwt_cli_t *cli, wjwt_rules_t *r, wjwt_str_t *defaults,
    unsigned char **buf)
{
    size_t  len;

    wjwt_rules_init(r);
    *buf = NULL;

    r->alg_mask = cli->alg_mask;
    r->issuers = cli->issuers;
    r->nissuers = cli->nissuers;
    r->audiences = cli->audiences;
    r->naudiences = cli->naudiences;
    r->leeway = cli->leeway;
    r->session_only = cli->session_only;
    r->max_auth_age = cli->max_auth_age;
    r->max_token_size = cli->max_token_size;
    r->lint_max_lifetime = cli->max_lifetime;
    r->lint_ignore = cli->lint_ignore;
    r->lint_reject = cli->lint_reject;

    if (cli->client_id == NULL) {
        return 0;
    }

    r->client_id.data = (const unsigned char *) cli->client_id;
    r->client_id.len = strlen(cli->client_id);

    if (cli->nissuers != 0) {
        return 0;
    }

    len = wjwt_default_issuers_size(r->client_id.len);

    *buf = malloc(len);
    if (*buf == NULL) {
        return -1;
    }

    wjwt_default_issuers(defaults, r->client_id.data, r->client_id.len,
                         *buf);

    r->issuers = defaults;
    r->nissuers = WJWT_DEFAULT_ISSUERS;

    return 0;
}


/*
 * One --jwks: a file, or a URL fetched (the tool's one network use).
 * WJWT_CLI_OK with a malloc()ed text, or an exit status.
 */

static int
wjwt_cli_read_jwks(wjwt_cli_t *cli, const char *src, char **data,
    size_t *len)
{
    char         err[512];
    const char  *host, *end;

    if (!wjwt_fetch_is_url(src)) {
        if (wjwt_cli_read_file(src, data, len) != 0) {
            wjwt_cli_fail("cannot read \"%s\": %s", src, strerror(errno));
            return WJWT_CLI_USAGE;
        }

        return WJWT_CLI_OK;
    }

    /* no credentials in the URL: they would show in messages */

    host = strstr(src, "://") + 3;
    end = host + strcspn(host, "/?#");

    if (memchr(host, '@', (size_t) (end - host)) != NULL) {
        return wjwt_cli_usage_error(cli, "--jwks URL with credentials "
                                    "(user@host): a JWKS is public");
    }

    if (wjwt_fetch(src, data, len, err, sizeof(err)) != 0) {
        wjwt_cli_fail("cannot fetch the JWKS at %s: %s", src, err);
        return WJWT_CLI_FAIL;
    }

    return WJWT_CLI_OK;
}


/* every --jwks into one key set: WJWT_CLI_OK, or an exit status */

static int
wjwt_cli_load_jwks(wjwt_cli_t *cli, wjwt_keyset_t *ks)
{
    int      n, rc;
    char    *data, err[256];
    size_t   i, len;

    for (i = 0; i < cli->njwks; i++) {
        rc = wjwt_cli_read_jwks(cli, cli->jwks[i], &data, &len);
        if (rc != WJWT_CLI_OK) {
            return rc;
        }

        err[0] = '\0';
        n = wjwt_keyset_add_json(ks, (unsigned char *) data, len,
                                 wjwt_cli_warn_key, (void *) cli->jwks[i],
                                 err, sizeof(err));
        free(data);

        if (n < 0) {
            wjwt_cli_fail("%s: %s", cli->jwks[i], err);
            return WJWT_CLI_USAGE;
        }

        if (n == 0) {
            fprintf(stderr, "workos-jwt: %s: no usable key\n", cli->jwks[i]);
        }
    }

    return WJWT_CLI_OK;
}


static int
wjwt_cli_verify(wjwt_cli_t *cli)
{
    int                   rc;
    char                 *tok, detail[1024];
    size_t                tlen;
    wjwt_str_t            defaults[WJWT_DEFAULT_ISSUERS];
    wjwt_judge_t          j;
    wjwt_rules_t          rules;
    unsigned char        *issuers;
    wjwt_keyset_t         ks;
    wjwt_verdict_t        v;
    const wjwt_keyset_t  *sets[1];

    if (cli->njwks == 0) {
        return wjwt_cli_usage_error(cli, "--jwks FILE|URL is required");
    }

    memset(&ks, 0, sizeof(wjwt_keyset_t));
    memset(&v, 0, sizeof(wjwt_verdict_t));
    tok = NULL;
    issuers = NULL;

    rc = wjwt_cli_load_jwks(cli, &ks);
    if (rc != WJWT_CLI_OK) {
        goto done;
    }

    rc = wjwt_cli_read_token(cli, &tok, &tlen);
    if (rc != WJWT_CLI_OK) {
        goto done;
    }

    if (wjwt_cli_rules(cli, &rules, defaults, &issuers) != 0) {
        wjwt_cli_fail("out of memory");
        rc = WJWT_CLI_FAIL;
        goto done;
    }

    /* the module's verdict, first failure wins */

    sets[0] = &ks;
    wjwt_judge_init(&j, &rules, sets, 1, cli->now);

    (void) wjwt_judge(&j, (unsigned char *) tok, tlen, &v);

    wjwt_cli_verify_detail(&v, &ks, &rules, cli->now, detail,
                           sizeof(detail));

    if (cli->json) {
        wjwt_cli_verify_json(&v, detail);

    } else {
        wjwt_cli_verify_text(&v, detail);
    }

    rc = (v.status == WJWT_VALID) ? WJWT_CLI_OK : WJWT_CLI_FAIL;

done:

    wjwt_verdict_free(&v);
    wjwt_keyset_free(&ks);
    free(tok);
    free(issuers);

    return rc;
}


static void
wjwt_cli_verify_json(const wjwt_verdict_t *v, const char *detail)
{
    json_t              *out;
    const wjwt_token_t  *t;

    t = &v->token;

    out = json_object();
    json_object_set_new(out, "status",
                        json_string(wjwt_status_word(v->status)));
    json_object_set_new(out, "error",
                        json_string(wjwt_status_sentence(v->status)));
    json_object_set_new(out, "valid", json_boolean(v->status == WJWT_VALID));

    if (v->key != NULL && v->key->kid != NULL) {
        json_object_set_new(out, "kid", json_string(v->key->kid));

    } else if (t->kid != NULL) {
        json_object_set_new(out, "kid", json_stringn(t->kid, t->kid_len));

    } else {
        json_object_set_new(out, "kid", json_null());
    }

    json_object_set_new(out, "alg",
                        t->alg_name ? json_string(t->alg_name) : json_null());
    json_object_set_new(out, "detail", json_string(detail));
    wjwt_cli_print_json(out);
    json_decref(out);
}


static void
wjwt_cli_verify_text(const wjwt_verdict_t *v, const char *detail)
{
    printf("%s\n", wjwt_status_word(v->status));

    if (v->status != WJWT_VALID) {
        printf("%s", wjwt_status_sentence(v->status));

        if (detail[0] != '\0') {
            printf(": ");
            wjwt_cli_print_safe(detail, strlen(detail));
        }

        printf("\n");
        return;
    }

    printf("signature and claims are valid (key ");

    if (v->key != NULL && v->key->kid != NULL) {
        printf("\"");
        wjwt_cli_print_safe(v->key->kid, v->key->kid_len);
        printf("\"");

    } else {
        printf("without kid");
    }

    printf(", %s)\n", wjwt_alg_name(v->token.alg));
}


static int
wjwt_cli_lint(wjwt_cli_t *cli)
{
    int            rc, syntax;
    char          *data;
    size_t         len;
    json_t        *out;
    unsigned       lint;
    wjwt_facts_t   f;
    wjwt_token_t   t;

    rc = wjwt_cli_read_token(cli, &data, &len);
    if (rc != WJWT_CLI_OK) {
        return rc;
    }

    memset(&t, 0, sizeof(wjwt_token_t));

    syntax = wjwt_token_parse(&t, (unsigned char *) data, len,
                              WJWT_CLI_MAX_INPUT);

    if (syntax == WJWT_VALID) {
        wjwt_token_facts(&t, &f);
        syntax = f.types;
    }

    if (syntax != WJWT_VALID) {
        if (cli->json) {
            out = json_pack("{s:[],s:s,s:s}", "lint", "status", "malformed",
                            "error", "lint needs a token that decodes and "
                            "whose claims have their JSON types");
            wjwt_cli_print_json(out);
            json_decref(out);
        }

        if (t.claims == NULL) {
            wjwt_cli_diagnose(data, len);

        } else {
            wjwt_cli_fail("malformed: the module rejects this token before "
                          "lint runs (try \"workos-jwt decode\")");
        }

        rc = WJWT_CLI_FAIL;
        goto done;
    }

    lint = wjwt_lint_run(&f, cli->now, cli->leeway, cli->max_lifetime)
           & ~cli->lint_ignore;

    if (cli->json) {
        out = json_object();
        json_object_set_new(out, "lint",
                            wjwt_cli_lint_json(cli, &t, lint));
        wjwt_cli_print_json(out);
        json_decref(out);

    } else if (lint == 0) {
        printf("no findings\n");

    } else {
        wjwt_cli_print_lint(cli, &t, lint, "");
    }

    rc = lint ? WJWT_CLI_FAIL : WJWT_CLI_OK;

done:

    wjwt_token_free(&t);
    free(data);

    return rc;
}


static int
wjwt_cli_sign(wjwt_cli_t *cli)
{
    int          rc, alg;
    char        *data, *token, err[512];
    size_t       len;
    json_t      *claims, *header;
    EVP_PKEY    *pkey;

    if (cli->key == NULL) {
        return wjwt_cli_usage_error(cli, "--key PRIVATE.pem is required");
    }

    if (cli->arg == NULL && isatty(STDIN_FILENO)) {
        return wjwt_cli_usage_error(cli, "no claims given (a JSON file, or "
                                    "\"-\" for stdin)");
    }

    pkey = wjwt_sign_load_key(cli->key, err, sizeof(err));
    if (pkey == NULL) {
        wjwt_cli_fail("%s", err);
        return WJWT_CLI_USAGE;
    }

    claims = NULL;
    header = NULL;
    data = NULL;
    token = NULL;

    alg = cli->alg;

    if (alg == WJWT_ALG_UNKNOWN) {
        alg = wjwt_sign_default_alg(pkey);

        if (alg == WJWT_ALG_UNKNOWN) {
            rc = wjwt_cli_usage_error(cli, "the key in \"%s\" is of no JWS "
                                      "alg", cli->key);
            goto done;
        }

    } else if (!wjwt_sign_key_fits(pkey, alg)) {
        rc = wjwt_cli_usage_error(cli, "--alg %s does not fit the key in "
                                  "\"%s\"", wjwt_alg_name(alg), cli->key);
        goto done;
    }

    if ((alg <= WJWT_PS512) && EVP_PKEY_get_bits(pkey) < 2048) {
        fprintf(stderr, "workos-jwt: warning: %d-bit RSA key; the module "
                "does not load RSA keys under 2048 bits\n",
                EVP_PKEY_get_bits(pkey));
    }

    if (wjwt_cli_read_file(cli->arg ? cli->arg : "-", &data, &len) != 0) {
        wjwt_cli_fail("cannot read claims from \"%s\": %s",
                      cli->arg ? cli->arg : "-", strerror(errno));
        rc = WJWT_CLI_USAGE;
        goto done;
    }

    err[0] = '\0';
    claims = wjwt_json_parse((unsigned char *) data, len, err, sizeof(err));

    if (claims == NULL || !json_is_object(claims)) {
        wjwt_cli_fail("claims: %s", claims ? "not a JSON object" : err);
        rc = WJWT_CLI_USAGE;
        goto done;
    }

    rc = wjwt_cli_fill_claims(cli, claims);
    if (rc != WJWT_CLI_OK) {
        goto done;
    }

    rc = WJWT_CLI_FAIL;

    header = json_object();
    json_object_set_new(header, "alg", json_string(wjwt_alg_name(alg)));
    json_object_set_new(header, "typ", json_string("JWT"));

    if (cli->kid != NULL) {
        json_object_set_new(header, "kid", json_string(cli->kid));
    }

    token = wjwt_sign_token(pkey, alg, header, claims, err, sizeof(err));
    if (token == NULL) {
        wjwt_cli_fail("%s", err);
        goto done;
    }

    printf("%s\n", token);
    rc = WJWT_CLI_OK;

done:

    EVP_PKEY_free(pkey);
    json_decref(claims);
    json_decref(header);
    free(data);
    free(token);

    return rc;
}


/* a present iat or exp is kept as is, even when odd: a test tool */

static int
wjwt_cli_fill_claims(wjwt_cli_t *cli, json_t *claims)
{
    int64_t  iat;

    if (json_object_get(claims, "iat") == NULL) {
        json_object_set_new(claims, "iat", json_integer(cli->now));
    }

    if (json_object_get(claims, "exp") == NULL) {
        if (!wjwt_claim_time(claims, "iat", &iat)) {
            wjwt_cli_fail("claims: iat is not a number, cannot fill exp");
            return WJWT_CLI_USAGE;
        }

        if (iat > WJWT_MAX_TIME - cli->ttl) {
            wjwt_cli_fail("claims: iat + ttl is past the year 9999");
            return WJWT_CLI_USAGE;
        }

        json_object_set_new(claims, "exp", json_integer(iat + cli->ttl));
    }

    if (json_object_get(claims, "sub") == NULL) {
        fprintf(stderr, "workos-jwt: warning: no \"sub\" claim; the module "
                "rejects the token as malformed\n");
    }

    return WJWT_CLI_OK;
}


static int
wjwt_cli_write_text(const char *path, const char *text, int force, char *err,
    size_t err_size)
{
    int      fd, flags;
    size_t   len;
    ssize_t  n;

    flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
    flags |= force ? O_TRUNC : O_EXCL;

    fd = open(path, flags, 0644);
    if (fd == -1) {
        snprintf(err, err_size, "cannot create \"%s\": %s%s", path,
                 strerror(errno),
                 (errno == EEXIST) ? " (use --force to overwrite)" : "");
        return -1;
    }

    len = strlen(text);

    while (len > 0) {
        n = write(fd, text, len);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }

            snprintf(err, err_size, "cannot write \"%s\": %s", path,
                     strerror(errno));
            close(fd);
            return -1;
        }

        text += n;
        len -= (size_t) n;
    }

    if (close(fd) != 0) {
        snprintf(err, err_size, "cannot write \"%s\": %s", path,
                 strerror(errno));
        return -1;
    }

    return 0;
}


static int
wjwt_cli_keygen(wjwt_cli_t *cli)
{
    int           rc, alg;
    char         *pem, *jwks, *text, kid[WJWT_SIGN_KID_LEN + 1];
    char          err[512];
    size_t        len;
    EVP_PKEY     *pkey;
    struct stat   st;

    if (cli->out == NULL) {
        return wjwt_cli_usage_error(cli, "--out DIR is required");
    }

    if (cli->arg != NULL) {
        return wjwt_cli_usage_error(cli, "unexpected argument \"%s\"",
                                    cli->arg);
    }

    alg = (cli->alg == WJWT_ALG_UNKNOWN) ? WJWT_RS256 : cli->alg;

    if (cli->bits != 0 && alg > WJWT_PS512) {
        return wjwt_cli_usage_error(cli, "--bits is for RSA algs only");
    }

    if (mkdir(cli->out, 0700) != 0 && errno != EEXIST) {
        wjwt_cli_fail("cannot create \"%s\": %s", cli->out, strerror(errno));
        return WJWT_CLI_FAIL;
    }

    if (stat(cli->out, &st) != 0 || !S_ISDIR(st.st_mode)) {
        wjwt_cli_fail("\"%s\" is not a directory", cli->out);
        return WJWT_CLI_FAIL;
    }

    len = strlen(cli->out) + sizeof("/private.pem");
    pem = malloc(len);
    jwks = malloc(len);

    if (pem == NULL || jwks == NULL) {
        free(pem);
        free(jwks);
        wjwt_cli_fail("out of memory");
        return WJWT_CLI_FAIL;
    }

    snprintf(pem, len, "%s/private.pem", cli->out);
    snprintf(jwks, len, "%s/jwks.json", cli->out);

    pkey = NULL;
    text = NULL;
    rc = WJWT_CLI_FAIL;

    /* check both before writing either */
    if (!cli->force
        && (access(pem, F_OK) == 0 || access(jwks, F_OK) == 0))
    {
        wjwt_cli_fail("\"%s\" or \"%s\" already exists (use --force to "
                      "overwrite)", pem, jwks);
        goto done;
    }

    pkey = wjwt_sign_keygen(alg, cli->bits ? cli->bits : WJWT_SIGN_RSA_BITS,
                            err, sizeof(err));
    if (pkey == NULL) {
        wjwt_cli_fail("%s", err);
        goto done;
    }

    if (cli->kid == NULL && wjwt_sign_default_kid(pkey, kid) != 0) {
        wjwt_cli_fail("cannot compute the key id");
        goto done;
    }

    text = wjwt_cli_jwks_text(pkey, alg, cli->kid ? cli->kid : kid);
    if (text == NULL) {
        goto done;
    }

    if (wjwt_sign_write_key(pkey, pem, cli->force, err, sizeof(err)) != 0) {
        wjwt_cli_fail("%s", err);
        goto done;
    }

    if (wjwt_cli_write_text(jwks, text, cli->force, err, sizeof(err)) != 0) {
        wjwt_cli_fail("%s", err);
        goto done;
    }

    printf("wrote %s and %s (%s, kid \"%s\")\n", pem, jwks,
           wjwt_alg_name(alg), cli->kid ? cli->kid : kid);

    rc = WJWT_CLI_OK;

done:

    EVP_PKEY_free(pkey);
    free(text);
    free(pem);
    free(jwks);

    return rc;
}


/* the public key as a JWKS of one key, with a final newline (malloc()) */

static char *
wjwt_cli_jwks_text(EVP_PKEY *pkey, int alg, const char *kid)
{
    char    *text, *nl, err[512];
    size_t   len;
    json_t  *jwk, *set;

    jwk = wjwt_sign_public_jwk(pkey, alg, kid, err, sizeof(err));
    if (jwk == NULL) {
        wjwt_cli_fail("%s", err);
        return NULL;
    }

    set = json_pack("{s:[o]}", "keys", jwk);
    text = (set != NULL) ? json_dumps(set, JSON_INDENT(2)) : NULL;
    json_decref(set);

    if (text == NULL) {
        wjwt_cli_fail("out of memory");
        return NULL;
    }

    /* json_dumps() gives no final newline */
    len = strlen(text);

    nl = malloc(len + 2);
    if (nl == NULL) {
        free(text);
        wjwt_cli_fail("out of memory");
        return NULL;
    }

    memcpy(nl, text, len);
    memcpy(nl + len, "\n", 2);
    free(text);

    return nl;
}

/*
 * unseal: the session cookie opened with the passwords of
 * --password-file, as workos_jwt_session_cookie opens it, then decode's
 * view of the access token inside.  The core keeps the refresh token out
 * of the session it returns: nothing here can print it.
 */

static int
wjwt_cli_unseal(wjwt_cli_t *cli)
{
    int                    rc, opened;
    char                  *data, err[256];
    size_t                 len;
    json_t                *out;
    unsigned               line;
    const char            *format;
    wjwt_session_t         s;
    wjwt_cli_passwords_t   pw;

    if (cli->password_file == NULL) {
        return wjwt_cli_usage_error(cli, "--password-file FILE is required");
    }

    rc = wjwt_cli_read_passwords(cli->password_file, &pw);
    if (rc != WJWT_CLI_OK) {
        return rc;
    }

    rc = wjwt_cli_read_token(cli, &data, &len);
    if (rc != WJWT_CLI_OK) {
        wjwt_cli_free_passwords(&pw);
        return rc;
    }

    memset(&s, 0, sizeof(wjwt_session_t));
    err[0] = '\0';

    opened = wjwt_session_open(&s, (const unsigned char *) data, len, pw.pw,
                               pw.n, cli->now, err, sizeof(err));

    line = (opened == WJWT_VALID && s.password_index >= 0
            && (size_t) s.password_index < pw.n)
           ? pw.line[s.password_index] : 0;

    wjwt_cli_free_passwords(&pw);

    if (opened == WJWT_VALID) {
        rc = wjwt_cli_decode_token(cli, (const char *) s.access_token.data,
                                   s.access_token.len, &s, line);

    } else {
        format = wjwt_session_format_name(s.format);

        if (cli->json) {
            out = json_pack("{s:s,s:{s:o,s:n,s:n}}", "error", err,
                            "session", "format",
                            (*format != '\0') ? json_string(format)
                                              : json_null(),
                            "user_id", "email");
            wjwt_cli_print_json(out);
            json_decref(out);
        }

        wjwt_cli_fail("cannot open the session cookie%s%s%s: %s",
                      (*format != '\0') ? " (" : "", format,
                      (*format != '\0') ? " format)" : "", err);
        rc = WJWT_CLI_FAIL;
    }

    wjwt_session_free(&s);
    free(data);

    return rc;
}


/* the file whole (64 KB at most, a pipe too), then its lines */

static int
wjwt_cli_read_passwords(const char *path, wjwt_cli_passwords_t *p)
{
    int          fd;
    size_t       used;
    ssize_t      n;
    struct stat  st;

    memset(p, 0, sizeof(wjwt_cli_passwords_t));

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        wjwt_cli_fail("cannot open \"%s\": %s", path, strerror(errno));
        return WJWT_CLI_USAGE;
    }

    if (fstat(fd, &st) != 0) {
        wjwt_cli_fail("cannot stat \"%s\": %s", path, strerror(errno));
        close(fd);
        return WJWT_CLI_USAGE;
    }

    if (st.st_mode & S_IROTH) {
        fprintf(stderr, "workos-jwt: warning: \"%s\" is readable by others:"
                " it holds the cookie password (chmod 0600 or 0640)\n",
                path);
    }

    p->size = WJWT_CLI_MAX_PW_FILE + 1;

    p->buf = malloc(p->size);
    if (p->buf == NULL) {
        close(fd);
        wjwt_cli_fail("out of memory");
        return WJWT_CLI_FAIL;
    }

    used = 0;

    while (used < p->size) {
        n = read(fd, p->buf + used, p->size - used);

        if (n < 0 && errno == EINTR) {
            continue;
        }

        if (n < 0) {
            wjwt_cli_fail("cannot read \"%s\": %s", path, strerror(errno));
            close(fd);
            wjwt_cli_free_passwords(p);
            return WJWT_CLI_USAGE;
        }

        if (n == 0) {
            break;
        }

        used += (size_t) n;
    }

    close(fd);

    if (used == 0 || used > WJWT_CLI_MAX_PW_FILE) {
        wjwt_cli_fail("\"%s\" is %s", path, used ? "too big" : "empty");
        wjwt_cli_free_passwords(p);
        return WJWT_CLI_USAGE;
    }

    if (wjwt_cli_parse_passwords(path, p, used) != 0) {
        wjwt_cli_free_passwords(p);
        return WJWT_CLI_USAGE;
    }

    return WJWT_CLI_OK;
}


/*
 * one password a line, the first the newest; empty lines and a final
 * CR are skipped, a line under 32 characters is an error (the rules of
 * workos_jwt_session_password)
 */

static int
wjwt_cli_parse_passwords(const char *path, wjwt_cli_passwords_t *p,
    size_t len)
{
    char      *s, *last, *eol;
    size_t     n;
    unsigned   line;

    s = p->buf;
    last = p->buf + len;

    for (line = 1; s < last; line++, s = eol + 1) {
        eol = memchr(s, '\n', (size_t) (last - s));
        if (eol == NULL) {
            eol = last;
        }

        n = (size_t) (eol - s);

        if (n > 0 && s[n - 1] == '\r') {
            n--;
        }

        if (n == 0) {
            continue;
        }

        if (n < WJWT_CLI_MIN_PASSWORD) {
            wjwt_cli_fail("\"%s\": the password on line %u is shorter than "
                          "32 characters (WORKOS_COOKIE_PASSWORD needs 32 "
                          "or more)", path, line);
            return -1;
        }

        if (p->n == WJWT_CLI_MAX_PASSWORDS) {
            wjwt_cli_fail("\"%s\" has more than %d passwords", path,
                          WJWT_CLI_MAX_PASSWORDS);
            return -1;
        }

        p->pw[p->n].data = (const unsigned char *) s;
        p->pw[p->n].len = n;
        p->line[p->n++] = line;
    }

    if (p->n == 0) {
        wjwt_cli_fail("\"%s\" has no password", path);
        return -1;
    }

    return 0;
}


static void
wjwt_cli_free_passwords(wjwt_cli_passwords_t *p)
{
    if (p->buf != NULL) {
        OPENSSL_cleanse(p->buf, p->size);
        free(p->buf);
    }

    memset(p, 0, sizeof(wjwt_cli_passwords_t));
}


/* the session's user is the token's sub, as the module requires */

static int
wjwt_cli_user_matches(const wjwt_session_t *s, const wjwt_token_t *t)
{
    const json_t  *sub;

    sub = (t->claims != NULL) ? json_object_get(t->claims, "sub") : NULL;

    if (!json_is_string(sub)) {
        return 0;
    }

    return wjwt_session_user_matches(&s->user_id,
                                     (const unsigned char *)
                                     json_string_value(sub),
                                     json_string_length(sub));
}


static json_t *
wjwt_cli_session_json(const wjwt_session_t *s, const wjwt_token_t *t,
    unsigned pw_line)
{
    json_t  *o;

    o = json_object();
    if (o == NULL) {
        return NULL;
    }

    json_object_set_new(o, "format",
                        json_string(wjwt_session_format_name(s->format)));
    json_object_set_new(o, "user_id",
                        s->user_id.len ? json_stringn((const char *)
                                                      s->user_id.data,
                                                      s->user_id.len)
                                       : json_null());
    json_object_set_new(o, "email",
                        s->email.len ? json_stringn((const char *)
                                                    s->email.data,
                                                    s->email.len)
                                     : json_null());
    json_object_set_new(o, "user_matches_token",
                        json_boolean(wjwt_cli_user_matches(s, t)));
    json_object_set_new(o, "password_line", json_integer(pw_line));

    return o;
}


static void
wjwt_cli_print_session(const wjwt_session_t *s, const wjwt_token_t *t,
    unsigned pw_line)
{
    printf("Session cookie:\n");
    printf("  %-16s%s\n", "format", wjwt_session_format_name(s->format));
    printf("  %-16s", "user");

    if (s->user_id.len) {
        wjwt_cli_print_safe((const char *) s->user_id.data, s->user_id.len);

    } else {
        printf("-");
    }

    if (!wjwt_cli_user_matches(s, t)) {
        printf(" (not the token's sub: the module refuses this session)");
    }

    printf("\n  %-16s", "email");

    if (s->email.len) {
        wjwt_cli_print_safe((const char *) s->email.data, s->email.len);

    } else {
        printf("-");
    }

    printf("\n  %-16sline %u of the password file\n", "opened with",
           pw_line);
    printf("  %-16snot shown\n\n", "refresh token");
}


static void
wjwt_cli_main_usage(FILE *fp)
{
    fprintf(fp,
        "usage: workos-jwt VERB [OPTIONS] [ARG]\n"
        "\n"
        "Debug WorkOS AuthKit access tokens with the core of the nginx\n"
        "module ngx_http_workos_jwt_module.\n"
        "\n"
        "  decode [TOKEN|-]              header, claims, WorkOS view, lint\n"
        "  verify --jwks FILE|URL [TOKEN|-]\n"
        "                                check a token as the module does\n"
        "  lint [TOKEN|-]                lint findings of a token\n"
        "  sign --key PEM [CLAIMS|-]     sign claims (tests, demos)\n"
        "  keygen --out DIR              write private.pem and jwks.json\n"
        "  unseal --password-file F [COOKIE|-]\n"
        "                                open an AuthKit session cookie\n"
        "\n"
        "\"workos-jwt VERB --help\" describes a verb; --version prints the\n"
        "version.  A token (or cookie) argument of \"-\" (or none, with\n"
        "stdin not a terminal) is read from stdin.  The tool reads local\n"
        "files; it opens a network connection only for \"verify --jwks\n"
        "URL\", to that URL.\n"
        "\n"
        "Exit status: 0 success (decoded, valid, clean, opened), 1 failure\n"
        "(undecodable, invalid, lint findings, not opened), 2 usage errors.\n");
}


/* "--help", "-h", "help" and "help VERB" */

static int
wjwt_cli_help(int argc, char **argv)
{
    int  v;

    if (argc > 2 && strcmp(argv[1], "help") == 0) {
        for (v = 0; v < WJWT_CLI_VERB_COUNT; v++) {
            if (strcmp(argv[2], wjwt_cli_verbs[v].name) == 0) {
                printf("usage: %s\n\n%s", wjwt_cli_verbs[v].usage,
                       wjwt_cli_verbs[v].help);
                return WJWT_CLI_OK;
            }
        }

        return wjwt_cli_usage_error(NULL, "unknown verb \"%s\"", argv[2]);
    }

    wjwt_cli_main_usage(stdout);

    return WJWT_CLI_OK;
}


int
main(int argc, char **argv)
{
    int          rc, v;
    wjwt_cli_t   cli;

    if (argc < 2) {
        wjwt_cli_main_usage(stderr);
        return WJWT_CLI_USAGE;
    }

    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
        || strcmp(argv[1], "help") == 0)
    {
        return wjwt_cli_help(argc, argv);
    }

    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("workos-jwt %s\n", WJWT_VERSION);
        return WJWT_CLI_OK;
    }

    for (v = 0; v < WJWT_CLI_VERB_COUNT; v++) {
        if (strcmp(argv[1], wjwt_cli_verbs[v].name) == 0) {
            break;
        }
    }

    if (v == WJWT_CLI_VERB_COUNT) {
        return wjwt_cli_usage_error(NULL, "unknown %s \"%s\"",
                                    argv[1][0] == '-' ? "option" : "verb",
                                    argv[1]);
    }

    memset(&cli, 0, sizeof(wjwt_cli_t));

    cli.verb = v;
    cli.now = (int64_t) time(NULL);
    cli.max_lifetime = WJWT_DEFAULT_MAX_LIFETIME;
    cli.max_token_size = WJWT_DEFAULT_MAX_TOKEN;
    cli.alg_mask = WJWT_ALG_BIT(WJWT_RS256);
    cli.session_only = 1;
    cli.max_auth_age = -1;
    cli.alg = WJWT_ALG_UNKNOWN;
    cli.ttl = WJWT_CLI_DEFAULT_TTL;

    /* every repeatable option fits in argc slots */
    cli.jwks = calloc((size_t) argc, sizeof(const char *));
    cli.issuers = calloc((size_t) argc, sizeof(wjwt_str_t));
    cli.audiences = calloc((size_t) argc, sizeof(wjwt_str_t));

    if (cli.jwks == NULL || cli.issuers == NULL || cli.audiences == NULL) {
        wjwt_cli_fail("out of memory");
        return WJWT_CLI_FAIL;
    }

    rc = wjwt_cli_parse(&cli, argc, argv);

    if (rc == WJWT_CLI_OK) {
        switch (v) {
        case WJWT_CLI_VERB_DECODE:
            rc = wjwt_cli_decode(&cli);
            break;
        case WJWT_CLI_VERB_VERIFY:
            rc = wjwt_cli_verify(&cli);
            break;
        case WJWT_CLI_VERB_LINT:
            rc = wjwt_cli_lint(&cli);
            break;
        case WJWT_CLI_VERB_SIGN:
            rc = wjwt_cli_sign(&cli);
            break;
        case WJWT_CLI_VERB_UNSEAL:
            rc = wjwt_cli_unseal(&cli);
            break;
        default:
            rc = wjwt_cli_keygen(&cli);
            break;
        }

    } else if (rc < 0) {
        /* --help */
        rc = WJWT_CLI_OK;
    }

    free(cli.jwks);
    free(cli.issuers);
    free(cli.audiences);

    fflush(stdout);

    if (ferror(stdout)) {
        return WJWT_CLI_FAIL;
    }

    return rc;
}
