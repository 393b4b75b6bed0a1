# Harness self-checks (openssl round trips, echo upstream on plain nginx),
# then the module's basic contract: load, 200 with a good token, 401 without.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

# --- harness: key material and signatures, checked by openssl itself ---

my $kd = keydir();
my $rsa = new_key(type => 'rsa', kid => 'rsa1');
openssl('rsa', '-in', $rsa->{pem}, '-noout', '-modulus', '-out', "$kd/mod");
my ($mod) = slurp("$kd/mod") =~ /Modulus=([0-9A-F]+)/;
is(uc unpack('H*', b64url_decode($rsa->{jwk}{n})), $mod, 'JWK n = modulus');
is($rsa->{jwk}{e}, 'AQAB', 'JWK e = 65537');

sub verifies {
    my ($k, $alg, @opt) = @_;
    my $in = "header.payload-$alg";
    my $sig = sign_raw($k, $alg, $in);
    spew("$kd/v.in", $in);
    openssl('pkey', '-in', $k->{pem}, '-pubout', '-out', "$kd/v.pub");
    if ($alg eq 'EdDSA') {
        spew("$kd/v.sig", $sig);
        return eval { openssl('pkeyutl', '-verify', '-rawin', '-pubin',
            '-inkey', "$kd/v.pub", '-sigfile', "$kd/v.sig", '-in',
            "$kd/v.in"); 1 };
    }
    spew("$kd/v.sig", $alg =~ /^ES/ ? raw_ecdsa_to_der($sig) : $sig);
    my ($bits) = $alg =~ /(\d+)/;
    eval { openssl('dgst', "-sha$bits", '-verify', "$kd/v.pub", @opt,
                   '-signature', "$kd/v.sig", "$kd/v.in"); 1 };
}

ok(verifies($rsa, 'RS256'), 'RS256 signature verifies');
ok(verifies($rsa, 'RS512'), 'RS512 signature verifies');
ok(verifies($rsa, 'PS256', '-sigopt', 'rsa_padding_mode:pss',
            '-sigopt', 'rsa_pss_saltlen:32'), 'PS256 salt is 32 bytes');
ok(verifies($rsa, 'PS384', '-sigopt', 'rsa_padding_mode:pss',
            '-sigopt', 'rsa_pss_saltlen:48'), 'PS384 salt is 48 bytes');
for ([256, 'P-256', 64], [384, 'P-384', 96], [512, 'P-521', 132]) {
    my ($bits, $crv, $len) = @$_;
    my $ec = new_key(type => 'ec', crv => $crv);
    is(length b64url_decode($ec->{jwk}{x}), $len / 2, "$crv x length");
    is(length sign_raw($ec, "ES$bits", 'x'), $len, "ES$bits raw r||s");
    ok(verifies($ec, "ES$bits"), "ES$bits signature verifies");
}
my $ed = new_key(type => 'ed25519');
is(length b64url_decode($ed->{jwk}{x}), 32, 'Ed25519 x is 32 bytes');
ok(verifies($ed, 'EdDSA'), 'EdDSA signature verifies');
is(b64url("\xfb\xff"), '-_8', 'base64url alphabet, no padding');

my $tok = make_token(key => $rsa);
my @seg = split /\./, $tok;
is(scalar @seg, 3, 'token has three segments');
is(json_dec(b64url_decode($seg[0]))->{kid}, 'rsa1', 'header carries kid');
is(json_enc(workos_claims(sub => JNULL, org_id => undef))
       =~ /"sub":null/ && json_enc(workos_claims(org_id => undef))
       !~ /org_id/, 1, 'JNULL and undef in workos_claims');

# --- harness: plain nginx and the echo upstream ---

my $p = WorkosJwtTest->new;
$p->start(no_module => 1, config => <<'EOF');
        location / { proxy_pass http://%%UPSTREAM%%; }
        location /multi { add_header X-A 1; add_header X-A 2; return 204; }
EOF
run_cases($p,
    { name => 'echo upstream echoes X-WorkOS-*',
      request => 'GET /x?y',
      more_headers => ['X-WorkOS-User-Id' => 'u1', 'X-WorkOS-Roles' => 'a,b'],
      error_code => 200,
      response_body_like => [qr/^user_id=u1$/m, qr/^roles=a,b$/m,
                             qr/^org_id=$/m, qr{^uri=/x\?y$}m] },
    { name => 'multi-valued headers kept', request => 'GET /multi',
      error_code => 204, response_headers => { 'X-A' => '1, 2' } },
);
my ($okt, $out) = $p->nginx_t(no_module => 1, config => 'bogus_directive;');
ok(!$okt && $out =~ /unknown directive "bogus_directive"/,
   'nginx -t failure is reported with its output');
$p->stop;

# --- the module ---

SKIP: {
    skip 'module not built: ' . module_path(), 1 unless have_module();

    my $t = WorkosJwtTest->new;
    my $jwks = $t->write_file('jwks.json', jwks_json($rsa));
    $t->start(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_client_id client_01HXYZ;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_inject_headers on;

        location /api { workos_jwt on; proxy_pass http://%%UPSTREAM%%; }
        location /realm {
            workos_jwt on;
            workos_jwt_realm "api";
            proxy_pass http://%%UPSTREAM%%;
        }
        location /vars {
            workos_jwt optional;
            return 200 "sub=\$workos_sub status=\$workos_jwt_status\n";
        }
EOF
    my $good = make_token(key => $rsa);
    run_cases($t,
        { name => 'valid token reaches upstream with injected headers',
          request => 'GET /api', token => $good, error_code => 200,
          response_body_like => [qr/^user_id=user_01HXYZUSER0+$/m,
              qr/^org_id=org_01HXYZORG0+$/m, qr/^roles=member$/m,
              qr/^permissions=posts:read,posts:write$/m,
              qr/^session_id=session_01HXYZSESSION0+$/m] },
        { name => 'no token: 401 and a bare Bearer challenge',
          request => 'GET /api', error_code => 401,
          response_headers => { 'WWW-Authenticate' => 'Bearer' } },
        { name => 'no token with realm', request => 'GET /realm',
          error_code => 401,
          response_headers => { 'WWW-Authenticate' => 'Bearer realm="api"' } },
        { name => 'expired token: 401 invalid_token expired',
          request => 'GET /realm', error_code => 401,
          token => make_token(key => $rsa, claims => workos_claims(
              iat => time - 1000, exp => time - 100)),
          response_headers => { 'WWW-Authenticate' => 'Bearer realm="api", '
              . 'error="invalid_token", error_description="expired"' } },
        { name => 'variables with optional', request => 'GET /vars',
          token => $good, error_code => 200,
          response_body => "sub=user_01HXYZUSER0000000000000000 "
                         . "status=valid\n" },
        { name => 'variables without a token', request => 'GET /vars',
          error_code => 200, response_body => "sub= status=missing\n" },
    );
    $t->stop;
}

done_testing();
