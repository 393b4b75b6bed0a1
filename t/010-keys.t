# workos_jwt_key_file (JWKS, single JWK, several files), kid selection,
# tokens without kid, EC/Ed25519/PS keys, unusable keys, key_request.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $kd = keydir();

my %k = map { $_ => new_key(kid => $_) } qw(rsa1 rsa2 rsa3 rsaps rsaalg enc1);
$k{$_} = new_key(type => 'ec', crv => $_, kid => "ec-$_")
    for qw(P-256 P-384 P-521);
$k{ed} = new_key(type => 'ed25519', kid => 'ed1');
$k{small} = new_key(bits => 1024, kid => 'small1');
$k{"nk$_"} = new_key(kid => undef) for 1, 2;
$k{ecnk} = new_key(type => 'ec', kid => undef);
$k{stranger} = new_key(kid => 'stranger');

# rsa1 looks like a real WorkOS key: alg, use, x5c, x5t#S256
openssl('req', '-new', '-x509', '-key', $k{rsa1}{pem}, '-subj', '/CN=t',
        '-days', '2', '-outform', 'DER', '-out', "$kd/rsa1.crt");
my $crt = slurp("$kd/rsa1.crt");
$k{rsa1}{jwk}{alg} = 'RS256';
$k{rsa1}{jwk}{x5c} = [ MIME::Base64::encode_base64($crt, '') ];
openssl('dgst', '-sha256', '-binary', '-out', "$kd/rsa1.x5t", "$kd/rsa1.crt");
$k{rsa1}{jwk}{'x5t#S256'} = b64url(slurp("$kd/rsa1.x5t"));
delete $k{rsa2}{jwk}{use};
$k{rsaalg}{jwk}{alg} = 'RS512';
$k{enc1}{jwk}{use} = 'enc';

my %file = (
    a       => jwks_json(@k{qw(rsa1 rsa2)}),
    single  => json_enc($k{rsa3}{jwk}),
    algs    => jwks_json(@k{qw(rsaps P-256 P-384 P-521 ed)}),
    nokid   => jwks_json(@k{qw(nk1 nk2 ecnk)}),
    algmem  => jwks_json($k{rsaalg}),
    unusable => jwks_json($k{rsa1}, $k{enc1}, $k{small},
        { kty => 'oct', kid => 'oct1', k => 'c2VjcmV0' },
        { %{ $k{'P-256'}{jwk} }, crv => 'secp256k1', kid => 'crv1' },
        { kty => 'OKP', crv => 'X25519', kid => 'x1',
          x => $k{ed}{jwk}{x} },
        { kty => 'RSA', kid => 'bad1', e => 'AQAB' },
        { kty => 'EC', crv => 'P-256', kid => 'bad2',
          x => $k{'P-256'}{jwk}{x} }),
    smallonly => jwks_json($k{small}),
);
my %path = map { $_ => $t->write_file("$_.json", $file{$_}) } keys %file;

my $ALL = 'workos_jwt_algorithms RS256 RS512 PS256 PS384 PS512 ES256 ES384 '
        . 'ES512 EdDSA;';
my ($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        location / {
            workos_jwt_key_file $path{unusable};
            workos_jwt on;
        }
EOF
ok($ok, 'nginx -t accepts a JWKS with some unusable keys') or diag($out);
like($out, qr/\[warn\].*\b$_\b/, "unusable key $_ skipped with a warning")
    for qw(enc1 small1 oct1 crv1 x1 bad1 bad2);
unlike($out, qr/\[(warn|emerg)\].*\brsa1\b/, 'usable key rsa1: no warning');

($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        location / { workos_jwt_key_file $path{smallonly}; workos_jwt on; }
EOF
ok(!$ok, 'nginx -t fails: only an RSA-1024 key');
like($out, qr/workos_jwt_key_file|\Q$path{smallonly}\E/,
     'the failure names the directive or the file');

$t->start(config => join '', <<"EOF",
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud missing_kid non_rs256;
EOF
    loc_pair(a => "workos_jwt_key_file $path{a};"),
    loc_pair(single => "workos_jwt_key_file $path{single};"),
    loc_pair(multi => "workos_jwt_key_file $path{a}; "
               . "workos_jwt_key_file $path{single};"),
    loc_pair(algs => "workos_jwt_key_file $path{algs}; $ALL"),
    loc_pair(dflt => "workos_jwt_key_file $path{algs};"),
    loc_pair(nokid => "workos_jwt_key_file $path{nokid}; "
               . "workos_jwt_algorithms RS256 ES256;"),
    loc_pair(algmem => "workos_jwt_key_file $path{algmem}; "
                . "workos_jwt_algorithms RS256 RS512;"),
    loc_pair(unusable => "workos_jwt_key_file $path{unusable};"));

sub tok { my ($key, %o) = @_; make_token(key => $k{$key}, %o) }

run_cases($t,
    accepted_cases('JWKS key with x5c/alg/use', 'a', tok('rsa1')),
    accepted_cases('JWKS key without use', 'a', tok('rsa2')),
    rejected_cases('kid rsa1 signed by rsa2 (never tried against every key)', 'a',
            tok('rsa2', kid => 'rsa1'), 'bad_signature'),
    rejected_cases('unknown kid', 'a', tok('rsa1', kid => 'nope'), 'unknown_kid'),
    rejected_cases('key from another file', 'a', tok('rsa3'), 'unknown_kid'),
    accepted_cases('single JWK file', 'single', tok('rsa3')),
    accepted_cases('two key files: first', 'multi', tok('rsa1')),
    accepted_cases('two key files: second', 'multi', tok('rsa3')),
    (map { accepted_cases("$_->[0] with workos_jwt_algorithms", 'algs',
                tok($_->[1], alg => $_->[0])) }
         [ES256 => 'P-256'], [ES384 => 'P-384'], [ES512 => 'P-521'],
         [EdDSA => 'ed'], [PS256 => 'rsaps'], [PS384 => 'rsaps'],
         [PS512 => 'rsaps'], [RS512 => 'rsaps'], [RS256 => 'rsaps']),
    rejected_cases('RS384 not in workos_jwt_algorithms', 'algs',
            tok('rsaps', alg => 'RS384'), 'alg_not_allowed'),
    rejected_cases('ES256 not allowed by default', 'dflt',
            tok('P-256', alg => 'ES256'), 'alg_not_allowed'),
    rejected_cases('EdDSA not allowed by default', 'dflt',
            tok('ed', alg => 'EdDSA'), 'alg_not_allowed'),
    accepted_cases('RS256 allowed by default', 'dflt', tok('rsaps')),
    accepted_cases('no kid: first fitting key', 'nokid', tok('nk1')),
    accepted_cases('no kid: second fitting key', 'nokid', tok('nk2')),
    accepted_cases('no kid: EC key among RSA keys', 'nokid',
         tok('ecnk', alg => 'ES256')),
    rejected_cases('no kid, signed by a key not in the set', 'nokid',
            tok('stranger', kid => undef), 'bad_signature'),
    rejected_cases('kid given, keys have none', 'nokid', tok('nk1', kid => 'k'),
            'unknown_kid'),
    accepted_cases('JWK alg RS512 fits an RS512 token', 'algmem',
         tok('rsaalg', alg => 'RS512')),
    { name => 'JWK alg RS512 does not fit an RS256 token',
      request => 'GET /algmem/x', token => tok('rsaalg'),
      error_code => 401,
      response_headers_like => { 'WWW-Authenticate' =>
          qr/^Bearer error="invalid_token", error_description="\w+"$/ } },
    { name => 'EC P-256 key (kid) does not fit an ES384 token',
      request => 'GET /algs/x', error_code => 401,
      token => tok('P-384', alg => 'ES384', kid => 'ec-P-256') },
    { name => 'RSA key does not fit an ES256 token',
      request => 'GET /algs/x', error_code => 401,
      token => tok('P-256', alg => 'ES256', kid => 'rsaps') },
    accepted_cases('usable key next to unusable ones', 'unusable', tok('rsa1')),
    rejected_cases('RSA-1024 key is not loaded', 'unusable', tok('small'),
            'unknown_kid'),
    rejected_cases('use=enc key is not loaded', 'unusable', tok('enc1'),
            'unknown_kid'),
);
$t->stop;

# key rotation by reload: the same kid now names another key; a token
# verified (and cached) under the old key must not pass any more
my $rot = $t->write_file('rot.json', jwks_json($k{rsa1}));
my %rot_conf = (config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_key_file $rot;
        location = /status {
            workos_jwt optional;
            return 200 "\$workos_jwt_status|\$workos_jwt_cache_status\\n";
        }
        location / { workos_jwt on; proxy_pass http://%%UPSTREAM%%; }
EOF
$t->start(%rot_conf);
my $old = tok('rsa1');
my $new = make_token(key => $k{rsa2}, kid => 'rsa1');
run_cases($t,
    { name => 'before rotation: valid', request => 'GET /status',
      token => $old, response_body_like => qr/^valid\|/ },
    { name => 'before rotation: cached', request => 'GET /status',
      token => $old, response_body => "valid|HIT\n" },
    { name => 'before rotation: new key unknown', request => 'GET /status',
      token => $new, response_body_like => qr/^bad_signature\|/ },
);
$t->write_file('rot.json', jwks_json({ %{ $k{rsa2}{jwk} }, kid => 'rsa1' }));
$t->reload;
run_cases($t,
    { name => 'after reload: new key valid', request => 'GET /status',
      token => $new, response_body_like => qr/^valid\|/ },
    { name => 'after reload: old token bad_signature (no stale cache hit)',
      request => 'GET /status', token => $old,
      response_body_like => qr/^bad_signature\|/ },
    rejected('after reload: old token refused', 'GET /x', $old,
             'bad_signature'),
    { name => 'after reload: new token passes', request => 'GET /x',
      token => $new, error_code => 200 },
);
$t->write_file('rot.json', jwks_json($k{rsa2}));
$t->reload;
run_cases($t,
    rejected('kid removed by reload: unknown_kid', 'GET /x', $old,
             'unknown_kid'),
);
$t->stop;

# keys through workos_jwt_key_request: a static JWKS, then a failing one
$t->start(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_key_request /_jwks;
        location = /_jwks { internal; alias $path{a}; }
        location / { workos_jwt on; proxy_pass http://%%UPSTREAM%%; }
EOF
run_cases($t,
    { name => 'key_request: token verified with fetched keys',
      request => 'GET /x', token => tok('rsa1'), error_code => 200 },
    rejected('key_request: unknown kid', 'GET /x', tok('rsa3'),
             'unknown_kid'),
);
$t->stop;

$t->start(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_key_request /_jwks;
        location = /_jwks { internal; return 500; }
        location / { workos_jwt on; proxy_pass http://%%UPSTREAM%%; }
        location = /status {
            workos_jwt optional;
            return 200 "\$workos_jwt_status\\n";
        }
EOF
run_cases($t,
    { name => 'key_request failing: 503', request => 'GET /x',
      token => tok('rsa1'), error_code => 503, error_log => '[error]' },
    { name => 'key_request failing: status keys_unavailable',
      request => 'GET /status', token => tok('rsa1'),
      response_body => "keys_unavailable\n" },
);
$t->done;
