# The hostile corpus: every token and header here must be refused (401, or
# nginx's own 4xx before modules run), no worker may crash, and spoofed
# X-WorkOS-* request headers must never reach the upstream.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $rsa = new_key(kid => 'k-rsa');
my $rsa2 = new_key(kid => 'k-rsa2');
my $ec = new_key(type => 'ec', kid => 'k-ec');
my $evil = new_key(kid => 'k-evil');
my $evil_ec = new_key(type => 'ec', kid => 'k-ec');
my $jwks = $t->write_file('jwks.json', jwks_json($rsa, $rsa2, $ec));
my $kd = keydir();

$t->start(config => join '', <<"EOF",
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_inject_headers on;
        large_client_header_buffers 4 64k;

        location /opt/ {
            workos_jwt optional;
            proxy_pass http://%%UPSTREAM%%;
        }
EOF
    loc_pair(api => ''),
    loc_pair(es => 'workos_jwt_algorithms RS256 ES256;'),
    loc_pair(small => 'workos_jwt_max_token_size 1k;'));

my $now = time;
srand(20261127);
my $claims = workos_claims();
my $cj = json_enc($claims);
my $good = make_token(key => $rsa);
my ($gh, $gp, $gs) = split /\./, $good;

sub tok { make_token(key => $rsa, @_) }
sub hdr { json_enc({ alg => 'RS256', typ => 'JWT', kid => 'k-rsa', @_ }) }

# a token whose signature segment has '-' or '_' (to turn into '+' or '/')
my $dash = $good;
$dash = tok(claims => workos_claims(jti => "j$_")), ($dash =~ /\.[^.]*[-_]/
    and last) for 1 .. 50;

# set unused low bits in the last character of a base64url segment
sub noncanonical {
    my ($seg) = @_;
    my $abc = join '', 'A' .. 'Z', 'a' .. 'z', 0 .. 9, '-', '_';
    my $i = index $abc, substr($seg, -1);
    substr($seg, -1) = substr($abc, $i | (length($seg) % 4 == 2 ? 15 : 3), 1);
    $seg;
}

# HS256 "signed" with the RSA public key (PEM and JWK) as the HMAC secret
openssl('pkey', '-in', $rsa->{pem}, '-pubout', '-out', "$kd/rsa.pub");
my $pem = slurp("$kd/rsa.pub");
my %hs = (
    'HS256 with the public key PEM as secret' =>
        tok(alg => 'HS256', key => $pem, kid => 'k-rsa'),
    'HS256 with the PEM, no kid' =>
        tok(alg => 'HS256', key => $pem, kid => undef),
    'HS256 with the JWK JSON as secret' =>
        tok(alg => 'HS256', key => json_enc($rsa->{jwk}), kid => 'k-rsa'),
    'HS512 with the PEM' => tok(alg => 'HS512', key => $pem, kid => 'k-rsa'),
);

# a token over exactly these two segments, correctly signed by $rsa
sub signed {
    my ($h, $p) = @_;
    "$h.$p." . b64url(sign_raw($rsa, 'RS256', "$h.$p"));
}
# a header segment whose length leaves unused bits (len % 4 = 2 or 3)
my ($odd) = grep { length($_) % 4 > 1 }
            map { b64url(hdr(x => 'y' x $_)) } 1 .. 3;

my $deep = sub { ('[' x $_[0]) . '1' . (']' x $_[0]) };
my $raw_claims = sub { my $extra = shift; $cj =~ s/\}$/,$extra}/r };

my %bad = (
    # alg
    'alg none, empty signature' => b64url(hdr(alg => 'none')) . ".$gp.",
    'alg None' => b64url(hdr(alg => 'None')) . ".$gp.",
    'alg none with the original signature' =>
        b64url(hdr(alg => 'none')) . ".$gp.$gs",
    'alg RS256 with a trailing space' => tok(header => { alg => 'RS256 ' }),
    'alg empty' => tok(header => { alg => '' }),
    'no alg' => tok(header => { alg => undef }),
    'alg as a number' => tok(header_json => '{"alg":256,"kid":"k-rsa"}'),
    'header alg changed to RS512' =>
        b64url(hdr(alg => 'RS512')) . ".$gp.$gs",
    %hs,
    'ES256 header with the RSA kid' =>
        make_token(key => $ec, alg => 'ES256', kid => 'k-rsa'),
    'RS256 header with the EC kid' =>
        make_token(key => $rsa, alg => 'RS256', kid => 'k-ec'),
    'ES256 signed by a foreign key with our kid' =>
        make_token(key => $evil_ec, alg => 'ES256'),
    'DER ECDSA signature instead of raw' =>
        make_token(key => $ec, alg => 'ES256', der => 1),
    'ES256 signature one byte short' =>
        make_token(key => $ec, alg => 'ES256',
                   sig => substr(sign_raw($ec, 'ES256', 'x'), 0, 63)),

    # header members
    'crit header' => tok(header => { crit => ['exp'], exp => 1 }),
    'empty crit' => tok(header => { crit => [] }),
    'jwk header with an attacker key' =>
        make_token(key => $evil, header => { jwk => $evil->{jwk} }),
    'jwk header with an attacker key, our kid' => make_token(key => $evil,
        kid => 'k-rsa', header => { jwk => $evil->{jwk} }),
    'jwk header, no kid' => make_token(key => $evil, kid => undef,
                                       header => { jwk => $evil->{jwk} }),
    'jku header to an attacker JWKS' => make_token(key => $evil,
        header => { jku => 'http://' . $t->upstream . '/jwks' }),
    'x5u header' => make_token(key => $evil,
        header => { x5u => 'http://' . $t->upstream . '/x5' }),
    'x5c header' => make_token(key => $evil, header => { x5c => ['MIIB'] }),
    'wrong kid (other known key)' => tok(kid => 'k-rsa2'),
    'unknown kid' => tok(kid => 'k-nope'),
    'kid path traversal' => tok(kid => '../../../../etc/passwd'),
    'kid 2000 characters' => tok(kid => 'k' x 2000),
    'kid as a number' => tok(header => { kid => 7 }),
    'kid null' => tok(header => { kid => JNULL }),
    'typ as a number' => tok(header => { typ => 1 }),
    'duplicate alg in header' => tok(header_json =>
        '{"alg":"RS256","kid":"k-rsa","alg":"none"}'),
    'header is an array' => tok(header_json => '["RS256"]'),
    'header is a string' => tok(header_json => '"RS256"'),
    'header not JSON' => tok(header_json => '{alg:RS256}'),

    # base64url
    'padding on the header' => signed($odd . ('=' x (4 - length($odd) % 4)),
                                      $gp),
    'padding on the signature' => "$good=",
    '+ and / characters' => $dash =~ s/(\.[^.]*)$/$1 =~ tr{-_}{+\/}r/er,
    'non-canonical trailing bits (signature)' =>
        "$gh.$gp." . noncanonical($gs),
    'non-canonical trailing bits (header)' => signed(noncanonical($odd), $gp),
    'space inside a segment' => "$gh.$gp.$gs" =~ s/^(.{10})/$1 /r,
    'percent-encoded' => $dash =~ s/([-_])/sprintf '%%%02X', ord $1/ger,

    # segments
    '1 segment' => $gh,
    '2 segments' => "$gh.$gp",
    '4 segments' => "$good.$gs",
    '5 segments (JWE shape)' => "$gh.$gp.$gs.$gp.$gs",
    'empty segments' => '..',
    'one dot' => '.',
    'empty payload' => "$gh..$gs",
    'empty header' => ".$gp.$gs",
    'truncated signature' => substr($good, 0, -4),
    'extended signature' => $good . 'AAAA',
    'signature of another token' => "$gh.$gp." . (split /\./, $dash)[2],
    'valid token with junk after it' => "$good.",

    # claims
    'duplicate sub' => tok(payload_json => $raw_claims->('"sub":"user_B"')),
    'duplicate exp' => tok(payload_json => $raw_claims->('"exp":1')),
    'exp as a string' => tok(claims => { %$claims, exp => "" . ($now + 99) }),
    'exp null' => tok(claims => { %$claims, exp => JNULL }),
    'exp true' => tok(claims => { %$claims, exp => JSON::PP::true }),
    'exp 1e400' => tok(payload_json => $cj =~ s/"exp":\d+/"exp":1e400/r),
    'exp negative' => tok(claims => { %$claims, exp => -5 }),
    'sub as a number' => tok(claims => { %$claims, sub => 12345 }),
    'sub null' => tok(claims => { %$claims, sub => JNULL }),
    'sub an object' => tok(claims => { %$claims, sub => { id => 'u' } }),
    'sid null' => tok(claims => { %$claims, sid => JNULL }),
    'org_id as a number' => tok(claims => { %$claims, org_id => 5 }),
    'org_id null' => tok(claims => { %$claims, org_id => JNULL }),
    'role as an array' => tok(claims => { %$claims, role => ['admin'] }),
    'roles as a string' => tok(claims => { %$claims, roles => 'admin' }),
    'roles null' => tok(claims => { %$claims, roles => JNULL }),
    'roles with a number' => tok(claims => { %$claims, roles => ['a', 1] }),
    'permissions as a string' =>
        tok(claims => { %$claims, permissions => 'posts:read' }),
    'permissions with null' =>
        tok(claims => { %$claims, permissions => ['a', JNULL] }),
    'entitlements as an object' =>
        tok(claims => { %$claims, entitlements => { a => 1 } }),
    'feature_flags as a number' =>
        tok(claims => { %$claims, feature_flags => 1 }),
    'aud as a number' => tok(claims => { %$claims, aud => 1 }),
    'aud with a number' => tok(claims => { %$claims, aud => ['a', 1] }),
    'iat as a string' => tok(claims => { %$claims, iat => 'yesterday' }),
    'nbf as a boolean' => tok(claims => { %$claims, nbf => JSON::PP::false }),
    'auth_time null' => tok(claims => { %$claims, auth_time => JNULL }),
    'iss as a number' => tok(claims => { %$claims, iss => 1 }),
    'client_id as an array' => tok(claims => { %$claims, client_id => [] }),
    'jti as a number' => tok(claims => { %$claims, jti => 1 }),
    'nested 40 deep' => tok(payload_json => $raw_claims->(
        '"x":' . $deep->(40))),
    'nested 2000 deep' => tok(payload_json => $raw_claims->(
        '"x":' . $deep->(2000))),
    'invalid UTF-8' => tok(payload_json => $raw_claims->(
        qq{"name":"caf\xe9"})),
    'overlong UTF-8 slash' => tok(payload_json => $raw_claims->(
        qq{"name":"\xc0\xaf"})),
    'lone surrogate' => tok(payload_json => $raw_claims->(
        '"name":"\ud800"')),
    '\u0000 in sub' => tok(payload_json => $cj =~ s/"sub":"/"sub":"a\\u0000/r),
    'payload is an array' => tok(payload_json => '[1]'),
    'payload is null' => tok(payload_json => 'null'),
    'payload trailing garbage' => tok(payload_json => "$cj x"),
    'payload two objects' => tok(payload_json => "$cj$cj"),
);

my $big = tok(claims => workos_claims(pad => 'x' x 1100));

# tokens of exactly 1023..1026 characters for the 1k limit
my %sized;
for my $n (165 .. 190) {
    for my $h (1 .. 3) {
        my $tk = tok(claims => workos_claims(jti => 'j', pad => 'p' x $n),
                     header => { x => 'y' x $h });
        $sized{length $tk} //= $tk;
    }
}
my $huge = tok(claims => workos_claims(pad => 'x' x 17000));

my @cases;
for my $name (sort keys %bad) {
    push @cases,
        { name => $name, request => 'GET /api/x', token => $bad{$name},
          error_code => 401, response_headers_like => { 'WWW-Authenticate' =>
              qr/^Bearer error="invalid_token", error_description="\w+"$/ } },
        { name => "$name (status word)", request => 'GET /api/status',
          token => $bad{$name}, response_body_unlike => qr/^valid$/ };
}

my @spoof = ('X-WorkOS-User-Id' => 'spoofed-user',
             'x-workos-org-id' => 'spoofed-org',
             'X-Workos-Role' => 'spoofed-role',
             'X-WORKOS-PERMISSIONS' => 'spoofed-perm',
             'X-WorkOS-Extra' => 'spoofed-extra',
             'X-WorkOS-Impersonator' => 'spoofed-imp');
my $ok_body = qr/^user_id=user_01HXYZUSER0+$/m;

run_cases($t,
    { name => 'control: good token', request => 'GET /api/x', token => $good,
      error_code => 200, response_body_like => $ok_body },
    @cases,

    # status words where the contract fixes them
    { name => 'alg none: alg_not_allowed or malformed',
      request => 'GET /api/status', token => $bad{'alg none, empty signature'},
      response_body_like => qr/^(alg_not_allowed|malformed)$/ },
    rejected_cases('HS256 with the PEM', 'api',
                   $hs{'HS256 with the public key PEM as secret'},
                   'alg_not_allowed'),
    rejected_cases('crit header', 'api', $bad{'crit header'}, 'malformed'),
    rejected_cases('jwk header, attacker kid', 'api',
                   $bad{'jwk header with an attacker key'}, 'unknown_kid'),
    rejected_cases('jwk header, our kid', 'api',
                   $bad{'jwk header with an attacker key, our kid'},
                   'bad_signature'),
    rejected_cases('jwk header, no kid', 'api', $bad{'jwk header, no kid'},
                   'bad_signature'),
    rejected_cases('wrong kid', 'api', $bad{'wrong kid (other known key)'},
                   'bad_signature'),
    rejected_cases('unknown kid', 'api', $bad{'unknown kid'}, 'unknown_kid'),
    (map { rejected_cases($_, 'api', $bad{$_}, 'malformed') }
        'padding on the signature', '+ and / characters',
        'non-canonical trailing bits (signature)', '1 segment', '2 segments',
        '4 segments', '5 segments (JWE shape)', 'duplicate sub',
        'duplicate alg in header', 'exp as a string', 'sub as a number',
        'sub null', 'roles as a string', 'roles null', 'nested 40 deep',
        'invalid UTF-8', 'lone surrogate', '\u0000 in sub', 'org_id null'),
    rejected_cases('DER ECDSA at an ES256 location', 'es',
                   $bad{'DER ECDSA signature instead of raw'},
                   'bad_signature'),
    rejected_cases('ES256 foreign key', 'es',
                   $bad{'ES256 signed by a foreign key with our kid'},
                   'bad_signature'),
    { name => 'ES256 control', request => 'GET /es/x', error_code => 200,
      token => make_token(key => $ec, alg => 'ES256') },
    { name => 'nested 20 deep is fine', request => 'GET /api/status',
      token => tok(payload_json => $raw_claims->('"x":' . $deep->(20))),
      response_body => "valid\n" },

    # size
    rejected_cases('token over workos_jwt_max_token_size 1k', 'small', $big,
                   'malformed'),
    rejected_cases('token over the default 16k', 'api', $huge, 'malformed'),
    { name => 'control: small token under 1k', request => 'GET /small/x',
      token => $good, error_code => 200 },
    (map { { name => "token of $_ bytes at the 1k limit",
             request => 'GET /small/status', token => $sized{$_},
             response_body => ($_ > 1024 ? "malformed\n" : "valid\n") } }
         grep { $sized{$_} } 1023 .. 1026),

    # every injected header
    { name => 'every X-WorkOS-* header injected', request => 'GET /api/x',
      error_code => 200, token => tok(claims => workos_claims(
          roles => [qw(admin member)], role => 'admin',
          permissions => [qw(a:b c:d)], entitlements => [qw(e1 e2)],
          feature_flags => ['ff'], act => { sub => 'user_IMP' })),
      response_body_like => [qr/^role=admin$/m, qr/^roles=admin,member$/m,
          qr/^permissions=a:b,c:d$/m, qr/^entitlements=e1,e2$/m,
          qr/^feature_flags=ff$/m, qr/^impersonator=user_IMP$/m,
          qr/^session_id=session_01H\w+$/m, qr/^org_id=org_01H\w+$/m] },

    # header lines
    { name => 'NUL byte in the Authorization line', error_code => [400, 401],
      raw => "GET /api/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
           . "Authorization: Bearer $gh\0.$gp.$gs\r\n\r\n" },
    { name => 'NUL byte after a valid token', error_code => [400, 401],
      raw => "GET /api/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
           . "Authorization: Bearer $good\0\r\n\r\n" },
    { name => 'empty Authorization', request => 'GET /api/x',
      more_headers => [Authorization => ''], error_code => 401,
      response_headers => { 'WWW-Authenticate' => 'Bearer' } },
    { name => 'Bearer without a token', request => 'GET /api/x',
      more_headers => [Authorization => 'Bearer'], error_code => 401 },
    { name => 'Bearer and spaces only', request => 'GET /api/x',
      more_headers => [Authorization => 'Bearer    '], error_code => 401 },
    { name => 'Bearer with a tab', request => 'GET /api/x',
      more_headers => [Authorization => "Bearer\t$good"], error_code => 401 },
    { name => 'doubled Authorization: good then bad',
      request => 'GET /api/x', error_code => [400, 401],
      more_headers => [Authorization => "Bearer $good",
                       Authorization => 'Bearer x.y.z'] },
    { name => 'doubled Authorization: bad then good',
      request => 'GET /api/x', error_code => [400, 401],
      more_headers => [Authorization => 'Bearer x.y.z',
                       Authorization => "Bearer $good"] },
    { name => 'doubled Authorization: good twice', request => 'GET /api/x',
      error_code => [200, 400, 401],
      more_headers => [Authorization => "Bearer $good",
                       Authorization => "Bearer $good"] },
    { name => 'Authorization folded over two lines', error_code => [400, 401],
      raw => "GET /api/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
           . "Authorization: Bearer\r\n $good\r\n\r\n" },
    { name => 'very long Authorization header', request => 'GET /api/x',
      more_headers => [Authorization => 'Bearer ' . ('A' x 200000)],
      error_code => [400, 401, 431, 494] },
    { name => 'long header within buffers', request => 'GET /api/x',
      more_headers => [Authorization => 'Bearer ' . ('A.' x 20000) . 'A'],
      error_code => [401, 494] },
    { name => 'binary garbage token', request => 'GET /api/x',
      more_headers => [Authorization => "Bearer \x01\x7f\xff\xfe.\x80.\x81"],
      error_code => [400, 401] },
    { name => 'HTTP/1.0 without Host', error_code => 401,
      raw => "GET /api/x HTTP/1.0\r\nAuthorization: Bearer x.y.z\r\n\r\n" },

    # spoofed X-WorkOS-* headers
    { name => 'spoofed headers replaced for a valid token',
      request => 'GET /api/x', token => $good, more_headers => \@spoof,
      error_code => 200, response_body_like => [$ok_body,
          qr/^role=member$/m, qr/^extra=$/m, qr/^impersonator=$/m],
      response_body_unlike => qr/spoofed/ },
    { name => 'spoofed headers stripped, optional, no token',
      request => 'GET /opt/x', more_headers => \@spoof, error_code => 200,
      response_body_like => qr/^user_id=$/m,
      response_body_unlike => qr/spoofed/ },
    { name => 'spoofed headers stripped, optional, rejected token',
      request => 'GET /opt/x', more_headers => \@spoof, error_code => 200,
      token => tok(claims => workos_claims(exp => $now - 100)),
      response_body_like => qr/^user_id=$/m,
      response_body_unlike => qr/spoofed/ },
    { name => 'spoofed headers stripped, optional, valid token',
      request => 'GET /opt/x', more_headers => \@spoof, error_code => 200,
      token => $good, response_body_like => $ok_body,
      response_body_unlike => qr/spoofed/ },
    { name => 'absent claim: no header, spoof of it stripped',
      request => 'GET /api/x', more_headers => \@spoof, error_code => 200,
      token => tok(claims => workos_claims(org_id => undef)),
      response_body_like => qr/^org_id=$/m,
      response_body_unlike => qr/spoofed/ },
    { name => 'CRLF in a claim cannot inject an upstream header',
      request => 'GET /opt/x', error_code => 200,
      token => tok(claims => workos_claims(
          sub => "user_X\r\nX-WorkOS-Extra: injected",
          role => "r\nX-WorkOS-Extra: injected2")),
      response_body_unlike => qr/^extra=injected/m },

    # 300 single-character mutations of a good token: none may verify
    (map { my $m = $good; my $i = int rand length $m;
           my $c = substr('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
                          . '0123456789-_.', rand 65, 1);
           substr($m, $i, 1) = $c;
           $m eq $good ? () : { name => "mutation $_ (offset $i)",
               request => 'GET /api/status', token => $m,
               response_body_unlike => qr/^valid$/ } } 1 .. 300),

    { name => 'control: still serving after the corpus',
      request => 'GET /api/x', token => $good, error_code => 200,
      response_body_like => $ok_body },
);
$t->done;
