#!/usr/bin/perl

# workos-jwt, the command-line tool: sign/verify round trips for every
# alg, interoperability with the openssl CLI, keygen output, decode,
# verify statuses, lint, --json, usage errors, stdin, unseal of the
# session cookie fixtures.  Core Perl only.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempdir);
use JSON::PP;
use MIME::Base64 qw(decode_base64);
use Time::HiRes qw(time);

my $BIN = $ENV{WORKOS_JWT} || 'build/workos-jwt';

plan skip_all => "$BIN not built (make cli)" unless -x $BIN;

my $dir = tempdir(CLEANUP => 1);
my $json = JSON::PP->new->canonical;
my $NOW = 1700000000;
my @ALGS = qw(RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA);

my ($version) = do {
    open my $fh, '<', 'src/core/wjwt.h' or die "src/core/wjwt.h: $!";
    local $/;
    <$fh> =~ /#define\s+WJWT_VERSION\s+"([^"]+)"/;
};


# run the tool: returns (exit code, stdout, stderr)
sub run_cli {
    my ($stdin, @args) = @_;

    write_file("$dir/stdin", defined $stdin ? $stdin : '');

    my $pid = fork;
    die "fork: $!" unless defined $pid;

    if ($pid == 0) {
        open STDIN, '<', "$dir/stdin" or die;
        open STDOUT, '>', "$dir/stdout" or die;
        open STDERR, '>', "$dir/stderr" or die;
        exec $BIN, @args or exit 127;
    }

    waitpid $pid, 0;
    my $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8;

    return ($rc, read_file("$dir/stdout"), read_file("$dir/stderr"));
}

sub cli { my @r = run_cli(undef, @_); return @r }

sub write_file {
    my ($path, $data) = @_;
    open my $fh, '>', $path or die "$path: $!";
    binmode $fh;
    print $fh $data;
    close $fh;
}

sub read_file {
    my ($path) = @_;
    open my $fh, '<', $path or die "$path: $!";
    binmode $fh;
    local $/;
    my $d = <$fh>;
    return defined $d ? $d : '';
}

sub b64u_decode {
    my ($s) = @_;
    $s =~ tr{-_}{+/};
    $s .= '=' x ((4 - length($s) % 4) % 4);
    return decode_base64($s);
}

sub b64u_encode {
    my ($s) = @_;
    my $e = MIME::Base64::encode_base64($s, '');
    $e =~ tr{+/}{-_};
    $e =~ s/=+$//;
    return $e;
}

my $n = 0;

sub claims_file {
    my ($claims) = @_;
    my $path = "$dir/claims" . $n++ . ".json";
    write_file($path, $json->encode($claims));
    return $path;
}

# sign claims with a key directory; extra sign options in @opts
sub sign {
    my ($kdir, $claims, @opts) = @_;
    my ($rc, $out, $err) = cli('sign', '--key', "$kdir/private.pem",
                               '--now', $NOW, @opts, claims_file($claims));
    die "sign failed ($rc): $err" if $rc != 0;
    chomp $out;
    return $out;
}

sub keygen {
    my ($name, @opts) = @_;
    my ($rc, $out, $err) = cli('keygen', '--out', "$dir/$name", @opts);
    die "keygen failed ($rc): $err" if $rc != 0;
    return "$dir/$name";
}

# verify and return (exit code, first line, whole stdout)
sub verify {
    my ($kdir, $token, @opts) = @_;
    my ($rc, $out) = cli('verify', '--jwks', "$kdir/jwks.json",
                         '--now', $NOW, @opts, $token);
    my ($word) = split /\n/, $out;
    return ($rc, $word // '', $out);
}

my %base = (
    sub => 'user_01HXYZ',
    sid => 'session_01HXYZ',
    iss => 'https://api.workos.com',
    org_id => 'org_01HXYZ',
    role => 'member',
    permissions => ['posts:read', 'posts:write'],
);


###############################################################################
# keygen, sign, verify for every alg

for my $alg (@ALGS) {
    my $kdir = keygen("key-$alg", '--alg', $alg, '--kid', "kid-$alg");

    my $jwks = $json->decode(read_file("$kdir/jwks.json"));
    is(scalar @{ $jwks->{keys} }, 1, "keygen $alg: one key in jwks.json");

    my $k = $jwks->{keys}[0];
    is($k->{kid}, "kid-$alg", "keygen $alg: kid");
    is($k->{alg}, $alg, "keygen $alg: alg");
    is($k->{use}, 'sig', "keygen $alg: use sig");
    ok(!exists $k->{d}, "keygen $alg: no private member");

    if ($alg =~ /^[RP]S/) {
        is($k->{kty}, 'RSA', "keygen $alg: kty RSA");
        is(length b64u_decode($k->{n}), 256, "keygen $alg: 2048-bit n");
        is($k->{e}, 'AQAB', "keygen $alg: e");

    } elsif ($alg =~ /^ES(\d+)/) {
        my %crv = (256 => ['P-256', 32], 384 => ['P-384', 48],
                   512 => ['P-521', 66]);
        is($k->{kty}, 'EC', "keygen $alg: kty EC");
        is($k->{crv}, $crv{$1}[0], "keygen $alg: crv");
        is(length b64u_decode($k->{x}), $crv{$1}[1], "keygen $alg: x size");
        is(length b64u_decode($k->{y}), $crv{$1}[1], "keygen $alg: y size");

    } else {
        is($k->{kty}, 'OKP', "keygen $alg: kty OKP");
        is($k->{crv}, 'Ed25519', "keygen $alg: crv Ed25519");
        is(length b64u_decode($k->{x}), 32, "keygen $alg: x size");
    }

    my @st = stat "$kdir/private.pem";
    is($st[2] & 07777, 0600, "keygen $alg: private.pem mode 0600");
    like(read_file("$kdir/private.pem"), qr/^-----BEGIN PRIVATE KEY-----\n/,
         "keygen $alg: PKCS#8 PEM");

    my $tok = sign($kdir, \%base, '--alg', $alg, '--kid', "kid-$alg");
    my ($h) = split /\./, $tok;
    is_deeply($json->decode(b64u_decode($h)),
              { alg => $alg, typ => 'JWT', kid => "kid-$alg" },
              "sign $alg: header");

    my %siglen = (ES256 => 64, ES384 => 96, ES512 => 132, EdDSA => 64);
    my $sig = b64u_decode((split /\./, $tok)[2]);
    is(length $sig, $siglen{$alg} // 256, "sign $alg: signature length");

    my ($rc, $word) = verify($kdir, $tok, '--algorithms', $alg);
    is($word, 'valid', "sign -> verify $alg: valid");
    is($rc, 0, "sign -> verify $alg: exit 0");

    if ($alg ne 'RS256') {
        ($rc, $word) = verify($kdir, $tok);
        is($word, 'alg_not_allowed', "$alg under the default RS256 only");
        is($rc, 1, "$alg under the default RS256 only: exit 1");
    }
}

# sign infers the alg from the key when --alg is absent
{
    my $tok = sign("$dir/key-ES384", \%base);
    my ($h) = split /\./, $tok;
    is($json->decode(b64u_decode($h))->{alg}, 'ES384', 'sign: alg from key');
    ok(!exists $json->decode(b64u_decode($h))->{kid},
       'sign: no kid unless given');
}

# default kid: 16 hex digits of the public key's SHA-256
{
    my $kdir = keygen('default-kid');
    my $k = $json->decode(read_file("$kdir/jwks.json"))->{keys}[0];
    like($k->{kid}, qr/^[0-9a-f]{16}$/, 'keygen: default kid');
    is($k->{alg}, 'RS256', 'keygen: default alg RS256');

    my ($rc, $out, $err) = cli('keygen', '--out', $kdir);
    is($rc, 1, 'keygen: existing files are not overwritten');
    like($err, qr/exists/, 'keygen: says the file exists');

    ($rc) = cli('keygen', '--out', $kdir, '--force', '--kid', 'k2');
    is($rc, 0, 'keygen --force overwrites');
    is($json->decode(read_file("$kdir/jwks.json"))->{keys}[0]{kid}, 'k2',
       'keygen --force: new jwks.json');

    ($rc) = cli('keygen', '--out', "$dir/rsa3072", '--bits', 3072);
    is($rc, 0, 'keygen --bits 3072');
    my $n3 = $json->decode(read_file("$dir/rsa3072/jwks.json"))->{keys}[0]{n};
    is(length b64u_decode($n3), 384, 'keygen --bits 3072: 3072-bit n');
}


###############################################################################
# interoperability: the openssl CLI verifies what sign produced

SKIP: {
    skip 'no openssl CLI', 8 if system('openssl version >/dev/null 2>&1');

    my $check = sub {
        my ($alg, $tok, @args) = @_;
        my $kdir = "$dir/key-$alg";
        my ($h, $p, $s) = split /\./, $tok;
        my $sig = b64u_decode($s);

        if ($alg =~ /^ES/) {
            # raw r||s to DER
            my $half = length($sig) / 2;
            my $der = '';
            for my $i (substr($sig, 0, $half), substr($sig, $half)) {
                (my $b = $i) =~ s/^\x00+//;
                $b = "\x00$b" if $b eq '' || ord($b) & 0x80;
                $der .= "\x02" . chr(length $b) . $b;
            }
            my $len = length $der;
            $sig = "\x30" . ($len > 127 ? "\x81" : '') . chr($len) . $der;
        }

        write_file("$dir/input", "$h.$p");
        write_file("$dir/sig.bin", $sig);
        system("openssl pkey -in $kdir/private.pem -pubout -out $kdir/pub.pem"
               . " 2>/dev/null") == 0 or return 0;

        return system(join(' ', @args, "$dir/input", '>/dev/null 2>&1')) == 0;
    };

    my $rs = sign("$dir/key-RS256", \%base, '--alg', 'RS256');
    ok($check->('RS256', $rs, 'openssl dgst -sha256 -verify',
                "$dir/key-RS256/pub.pem -signature $dir/sig.bin"),
       'openssl dgst verifies an RS256 token');

    my $bad = $rs;
    $bad =~ s/\.([^.]+)\./'.' . b64u_encode('{"sub":"x"}') . '.'/e;
    ok(!$check->('RS256', $bad, 'openssl dgst -sha256 -verify',
                 "$dir/key-RS256/pub.pem -signature $dir/sig.bin"),
       'openssl dgst rejects a changed payload');

    my $ps = sign("$dir/key-PS256", \%base, '--alg', 'PS256');
    ok($check->('PS256', $ps, 'openssl dgst -sha256',
                '-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32',
                "-verify $dir/key-PS256/pub.pem -signature $dir/sig.bin"),
       'openssl dgst verifies a PS256 token (salt = digest length)');

    my $ps5 = sign("$dir/key-PS512", \%base, '--alg', 'PS512');
    ok($check->('PS512', $ps5, 'openssl dgst -sha512',
                '-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:64',
                "-verify $dir/key-PS512/pub.pem -signature $dir/sig.bin"),
       'openssl dgst verifies a PS512 token (salt = digest length)');

    for my $bits (256, 384, 512) {
        my $alg = "ES$bits";
        my $es = sign("$dir/key-$alg", \%base, '--alg', $alg);
        ok($check->($alg, $es, "openssl dgst -sha$bits -verify",
                    "$dir/key-$alg/pub.pem -signature $dir/sig.bin"),
           "openssl dgst verifies an $alg token (r||s)");
    }

    my $ed = sign("$dir/key-EdDSA", \%base, '--alg', 'EdDSA');
    ok($check->('EdDSA', $ed, 'openssl pkeyutl -verify -pubin -rawin',
                "-inkey $dir/key-EdDSA/pub.pem -sigfile $dir/sig.bin -in"),
       'openssl pkeyutl verifies an EdDSA token');
}


###############################################################################
# verify: statuses in the module's order

my $K = keygen('main', '--kid', 'main-key');
my $ES = "$dir/key-ES256";

{
    my $tok = sign($K, \%base, '--kid', 'main-key');
    my ($rc, $word, $out) = verify($K, $tok);
    is($word, 'valid', 'verify: valid');
    is($rc, 0, 'verify: valid exits 0');
    like($out, qr/main-key/, 'verify: names the key');
    unlike($out, qr/\Q${\ (split m{\.}, $tok)[2]}\E/,
           'verify: never prints the signature');

    ($rc, $word) = verify($K, $tok, '--now', $NOW + 301);
    is($word, 'expired', 'verify: expired');
    is($rc, 1, 'verify: expired exits 1');

    ($rc, $word) = verify($K, $tok, '--now', $NOW + 310, '--leeway', '15s');
    is($word, 'valid', 'verify: leeway covers a 10s old expiry');

    ($rc, $word) = verify($K, $tok, '--now', $NOW + 330, '--leeway', 15);
    is($word, 'expired', 'verify: leeway is not more than asked');

    ($rc, $word) = verify($K, $tok, '--issuer', 'https://auth.example.com');
    is($word, 'bad_issuer', 'verify: bad_issuer');

    ($rc, $word) = verify($K, $tok, '--issuer', 'https://auth.example.com',
                          '--issuer', 'https://api.workos.com');
    is($word, 'valid', 'verify: --issuer repeats');

    ($rc, $word) = verify($K, $tok, '--audience', 'api');
    is($word, 'bad_audience', 'verify: no aud with --audience');

    ($rc, $word) = verify($K, $tok, '--max-auth-age', '5m');
    is($word, 'stale_auth', 'verify: --max-auth-age without auth_time');

    ($rc, $word) = verify($K, $tok, '--lint-reject', 'missing_aud');
    is($word, 'lint_rejected', 'verify: --lint-reject');

    ($rc, $word) = verify($K, $tok, '--lint-reject', 'missing_aud',
                          '--issuer', 'https://other');
    is($word, 'bad_issuer', 'verify: claims before lint');

    # a changed signature
    my @p = split /\./, $tok;
    my $sig = b64u_decode($p[2]);
    substr($sig, 10, 1) = chr(ord(substr($sig, 10, 1)) ^ 1);
    ($rc, $word) = verify($K, "$p[0].$p[1]." . b64u_encode($sig));
    is($word, 'bad_signature', 'verify: bad_signature');
    is($rc, 1, 'verify: bad_signature exits 1');

    # a changed payload: signature fails before any claim is judged
    my $forged = "$p[0]." . b64u_encode($json->encode({ %base, exp => 1 }))
                 . ".$p[2]";
    ($rc, $word) = verify($K, $forged);
    is($word, 'bad_signature', 'verify: signature before claims');

    # the same kid in another key set
    my $other = keygen('other', '--kid', 'main-key');
    ($rc, $word) = verify($other, $tok);
    is($word, 'bad_signature', 'verify: same kid, other key');

    ($rc, $word) = verify($K, sign($K, \%base, '--kid', 'nope'));
    is($word, 'unknown_kid', 'verify: unknown_kid');

    ($rc, $word) = verify($K, sign($K, \%base));
    is($word, 'valid', 'verify: no kid, tried against the fitting keys');

    ($rc, $word) = verify($K, 'abc.def');
    is($word, 'malformed', 'verify: malformed (two segments)');
    is($rc, 1, 'verify: malformed exits 1');

    ($rc, $word) = verify($K, "$tok=");
    is($word, 'malformed', 'verify: malformed (padding)');

    ($rc, $word) = verify($K, sign($K, { %base, sub => 42 }));
    is($word, 'malformed', 'verify: malformed (sub is a number)');

    ($rc, $word) = verify($K, sign($ES, \%base, '--kid', 'kid-ES256'));
    is($word, 'alg_not_allowed', 'verify: alg_not_allowed');

    ($rc, $word) = verify($ES, sign($ES, \%base, '--kid', 'kid-ES256'),
                          '--algorithms', 'RS256,ES256');
    is($word, 'valid', 'verify: --algorithms RS256,ES256');

    my %agent = %base;
    delete $agent{sid};
    ($rc, $word) = verify($K, sign($K, \%agent, '--kid', 'main-key'));
    is($word, 'not_session', 'verify: not_session');
    ($rc, $word) = verify($K, sign($K, \%agent, '--kid', 'main-key'),
                          '--token-type', 'any');
    is($word, 'valid', 'verify: --token-type any');

    ($rc, $word) = verify($K, sign($K, { %base, nbf => $NOW + 600 }));
    is($word, 'not_yet_valid', 'verify: not_yet_valid');

    ($rc, $word) = verify($K, sign($K, { %base, aud => ['web', 'api'] }),
                          '--audience', 'api');
    is($word, 'valid', 'verify: aud array contains --audience');

    ($rc, $word) = verify($K, sign($K, { %base, auth_time => $NOW - 60 }),
                          '--max-auth-age', '5m');
    is($word, 'valid', 'verify: recent auth_time');

    # two key files add up
    my ($rc2, $out2) = cli('verify', '--jwks', "$K/jwks.json", '--jwks',
                           "$ES/jwks.json", '--algorithms', 'ES256',
                           '--now', $NOW,
                           sign($ES, \%base, '--kid', 'kid-ES256'));
    is((split /\n/, $out2)[0], 'valid', 'verify: --jwks repeats');

    write_file("$dir/empty.json", '{"keys":[]}');
    my ($rc3, $out3) = cli('verify', '--jwks', "$dir/empty.json",
                           '--now', $NOW, $tok);
    is((split /\n/, $out3)[0], 'keys_unavailable',
       'verify: keys_unavailable with no usable key');
    is($rc3, 1, 'verify: keys_unavailable exits 1');
}

# --client-id: the WorkOS default issuers, and the client_id claim
{
    my $um = 'https://api.workos.com/user_management/client_123';

    for my $iss ('https://api.workos.com', 'https://api.workos.com/', $um) {
        my ($rc, $word) = verify($K, sign($K, { %base, iss => $iss }),
                                 '--client-id', 'client_123');
        is($word, 'valid', "verify --client-id: iss $iss accepted");
    }

    my ($rc, $word) = verify($K, sign($K, { %base, iss => $um }),
                             '--client-id', 'client_999');
    is($word, 'bad_issuer', 'verify --client-id: other client issuer');

    ($rc, $word) = verify($K, sign($K, { %base, client_id => 'client_999' }),
                          '--client-id', 'client_123');
    is($word, 'bad_issuer', 'verify --client-id: client_id claim differs');

    ($rc, $word) = verify($K, sign($K, { %base, iss => 'https://x' }));
    is($word, 'valid', 'verify: no issuer configured, iss not checked');
}

# --json
{
    my $tok = sign($K, \%base, '--kid', 'main-key');
    my ($rc, $out) = cli('verify', '--json', '--jwks', "$K/jwks.json",
                         '--now', $NOW, $tok);
    my $j = eval { $json->decode($out) };
    ok($j, 'verify --json parses') or diag $out;
    is($j->{status}, 'valid', 'verify --json: status');
    ok($j->{valid}, 'verify --json: valid true');
    is($j->{kid}, 'main-key', 'verify --json: kid');
    is($j->{alg}, 'RS256', 'verify --json: alg');
    is($j->{error}, '', 'verify --json: empty error');

    ($rc, $out) = cli('verify', '--json', '--jwks', "$K/jwks.json",
                      '--now', $NOW + 9999, $tok);
    $j = eval { $json->decode($out) };
    is($j->{status}, 'expired', 'verify --json: expired');
    ok(!$j->{valid}, 'verify --json: valid false');
    ok(length $j->{error}, 'verify --json: error sentence');
    is($rc, 1, 'verify --json: exit 1');
}


###############################################################################
# decode

{
    my $tok = sign($K, { %base, act => { sub => 'admin@example.com' },
                         connection_id => 'conn_01',
                         entitlements => ['audit-logs'],
                         feature_flags => ['beta'] },
                   '--kid', 'main-key');

    # decode runs with the current time: the token expired long ago
    my ($rc, $out) = cli('decode', $tok);
    is($rc, 0, 'decode: an expired token decodes (exit 0)');
    like($out, qr/"alg": "RS256"/, 'decode: header');
    like($out, qr/"sub": "user_01HXYZ"/, 'decode: claims');
    like($out, qr/user\s+user_01HXYZ/, 'decode: user');
    like($out, qr/session\s+session_01HXYZ/, 'decode: session');
    like($out, qr/organization\s+org_01HXYZ/, 'decode: organization');
    like($out, qr/permissions\s+posts:read,posts:write/, 'decode: permissions');
    like($out, qr/entitlements\s+audit-logs/, 'decode: entitlements');
    like($out, qr/feature flags\s+beta/, 'decode: feature flags');
    like($out, qr/SSO connection\s+conn_01/, 'decode: SSO connection');
    like($out, qr/impersonator\s+admin\@example\.com/, 'decode: impersonator');
    like($out, qr/issued\s+2023-11-14T22:13:20Z/, 'decode: iat in UTC');
    like($out, qr/expires\s+2023-11-14T22:18:20Z, expired/,
         'decode: exp in UTC, expired');
    like($out, qr/300s \(5m\)/, 'decode: lifetime');
    like($out, qr/impersonated/, 'decode: lint impersonated');
    like($out, qr/sso_session/, 'decode: lint sso_session');
    like($out, qr/missing_aud/, 'decode: lint missing_aud');
    my $sig = (split /\./, $tok)[2];
    unlike($out, qr/\Q$sig\E/, 'decode: never prints the signature');

    ($rc, $out) = cli('decode', '--now', $NOW + 60, $tok);
    like($out, qr/not expired \(4m left\)/, 'decode --now: not expired');

    ($rc, $out) = cli('decode', '--json', $tok);
    my $j = eval { $json->decode($out) };
    ok($j, 'decode --json parses') or diag $out;
    is($j->{header}{kid}, 'main-key', 'decode --json: header');
    is($j->{claims}{act}{sub}, 'admin@example.com', 'decode --json: claims');
    ok($j->{expired}, 'decode --json: expired');
    my %lint = map { $_->{code} => $_ } @{ $j->{lint} };
    ok($lint{impersonated}, 'decode --json: lint code');
    is($lint{missing_aud}{level}, 'warn', 'decode --json: lint level');
    is($lint{impersonated}{level}, 'notice', 'decode --json: notice level');
    ok(defined $lint{missing_aud}{detail}, 'decode --json: lint detail');

    ($rc, $out) = run_cli("$tok\n", 'decode', '-');
    is($rc, 0, 'decode -: token from stdin');
    like($out, qr/user\s+user_01HXYZ/, 'decode -: stdin with a newline');

    ($rc, $out) = run_cli("$tok\r\n", 'decode', '--json', '-');
    is($json->decode($out)->{claims}{sub}, 'user_01HXYZ',
       'decode -: stdin with CRLF');

    ($rc) = cli('decode', 'not-a-token');
    is($rc, 1, 'decode: garbage exits 1');

    my ($rc2, $out2, $err2) = cli('decode', 'abc.def.ghi');
    is($rc2, 1, 'decode: undecodable segments exit 1');
    like($err2, qr/malformed/, 'decode: says why');

    ($rc, $out) = run_cli(" $tok\n", 'decode', '-');
    like($out, qr/^malformed/, 'decode -: leading whitespace is not trimmed');

    ($rc, $out) = run_cli(" $tok\n", 'verify', '--jwks', "$K/jwks.json",
                          '--now', $NOW, '-');
    is((split /\n/, $out)[0], 'malformed',
       'verify -: leading whitespace is malformed');

    # the header cannot be decoded, the claims can: exit 1, claims shown
    my (undef, $payload, $signature) = split /\./, $tok;
    my $nohead = b64u_encode('{"alg":') . ".$payload.$signature";
    ($rc, $out) = cli('decode', $nohead);
    is($rc, 1, 'decode: an undecodable header exits 1');
    like($out, qr/^malformed/, 'decode: an undecodable header is malformed');
    like($out, qr/user\s+user_01HXYZ/, 'decode: its claims still shown');
    ($rc, $out) = cli('decode', '--json', $nohead);
    is($rc, 1, 'decode --json: an undecodable header exits 1');
    $j = eval { $json->decode($out) } || {};
    ok(!defined $j->{header} && $j->{claims}{sub} eq 'user_01HXYZ',
       'decode --json: header null, claims shown');

    # a token that fails the type checks still decodes
    ($rc, $out) = cli('decode', sign($K, { %base, roles => 'admin' }));
    is($rc, 0, 'decode: wrong claim types still decode');
    like($out, qr/malformed/, 'decode: reports the type problem');
}


###############################################################################
# lint

{
    my %clean = (%base, aud => 'api');
    my $clean = sign($K, \%clean, '--kid', 'main-key');

    my ($rc, $out) = cli('lint', '--now', $NOW, $clean);
    is($rc, 0, 'lint: clean token exits 0');

    ($rc, $out) = cli('lint', '--now', $NOW, '--json', $clean);
    is_deeply(eval { $json->decode($out) }, { lint => [] },
              'lint --json: empty list');

    my $wild = sign($K, { %clean, permissions => ['posts:*'] },
                    '--kid', 'main-key');
    ($rc, $out) = cli('lint', '--now', $NOW, $wild);
    is($rc, 1, 'lint: findings exit 1');
    like($out, qr/^wildcard_permission\s+warn\s+\S.*posts:\*/m,
         'lint: code, level, explanation, detail');

    ($rc, $out) = cli('lint', '--now', $NOW, '--json', $wild);
    my $j = eval { $json->decode($out) };
    ok($j, 'lint --json parses') or diag $out;
    is($j->{lint}[0]{code}, 'wildcard_permission', 'lint --json: code');
    is($j->{lint}[0]{level}, 'warn', 'lint --json: level');
    like($j->{lint}[0]{detail}, qr/posts:\*/, 'lint --json: detail');

    my $long = sign($K, \%clean, '--kid', 'main-key', '--ttl', '2d');
    ($rc, $out) = cli('lint', '--now', $NOW, $long);
    like($out, qr/^long_lifetime/m, 'lint: long_lifetime over 24h');
    ($rc, $out) = cli('lint', '--now', $NOW, '--max-lifetime', '3d', $long);
    is($rc, 0, 'lint --max-lifetime 3d');

    ($rc, $out) = cli('lint', '--now', $NOW, sign($K, \%base, '--kid', 'k'));
    like($out, qr/^missing_aud/m, 'lint: missing_aud');
    ($rc) = cli('lint', '--now', $NOW, '--ignore', 'missing_aud',
                sign($K, \%base, '--kid', 'k'));
    is($rc, 0, 'lint --ignore missing_aud');

    ($rc, $out) = cli('lint', '--now', $NOW, sign($ES, \%clean));
    like($out, qr/^non_rs256/m, 'lint: non_rs256');
    like($out, qr/^missing_kid/m, 'lint: missing_kid');

    ($rc, $out) = cli('lint', '--now', $NOW - 3600, $clean);
    like($out, qr/^iat_in_future/m, 'lint: iat_in_future');

    ($rc, $out) = run_cli("$wild\n", 'lint', '--now', $NOW, '-');
    is($rc, 1, 'lint -: token from stdin');

    ($rc) = cli('lint', 'garbage');
    is($rc, 1, 'lint: garbage exits 1');
}


###############################################################################
# usage errors exit 2, --help exits 0

{
    my $tok = sign($K, \%base);
    my $key = "$K/private.pem";
    my $c = claims_file(\%base);

    my @usage = (
        [ 'no arguments' ],
        [ 'unknown verb', 'frobnicate' ],
        [ 'unknown option', 'decode', '--frob', $tok ],
        [ 'option of another verb', 'decode', '--jwks', 'x', $tok ],
        [ 'missing option value', 'verify', $tok, '--jwks' ],
        [ 'verify without --jwks', 'verify', $tok ],
        [ 'verify unreadable --jwks', 'verify', '--jwks', "$dir/none", $tok ],
        [ 'verify bad --jwks file', 'verify', '--jwks', $c, $tok ],
        [ 'bad --algorithms', 'verify', '--jwks', "$K/jwks.json",
          '--algorithms', 'HS256', $tok ],
        [ '--algorithms none', 'verify', '--jwks', "$K/jwks.json",
          '--algorithms', 'none', $tok ],
        [ 'negative --leeway', 'verify', '--jwks', "$K/jwks.json",
          '--leeway', '-5', $tok ],
        [ 'garbage --leeway', 'verify', '--jwks', "$K/jwks.json",
          '--leeway', 'abc', $tok ],
        [ 'garbage --now', 'verify', '--jwks', "$K/jwks.json",
          '--now', '12x', $tok ],
        [ 'bad --token-type', 'verify', '--jwks', "$K/jwks.json",
          '--token-type', 'agent', $tok ],
        [ 'two tokens', 'decode', $tok, $tok ],
        [ 'bad lint code', 'lint', '--ignore', 'nope', $tok ],
        [ 'bad --max-lifetime', 'lint', '--max-lifetime', '1w', $tok ],
        [ 'sign --alg HS256', 'sign', '--key', $key, '--alg', 'HS256', $c ],
        [ 'sign --alg none', 'sign', '--key', $key, '--alg', 'none', $c ],
        [ 'sign --alg rs256', 'sign', '--key', $key, '--alg', 'rs256', $c ],
        [ 'sign alg not fitting the key', 'sign', '--key', $key, '--alg',
          'ES256', $c ],
        [ 'sign bad --ttl', 'sign', '--key', $key, '--ttl', '5x', $c ],
        [ 'sign negative --ttl', 'sign', '--key', $key, '--ttl', '-5m', $c ],
        [ 'sign without --key', 'sign', $c ],
        [ 'sign claims not an object', 'sign', '--key', $key,
          claims_file([1]) ],
        [ 'keygen without --out', 'keygen' ],
        [ 'keygen --bits 1024', 'keygen', '--bits', 1024, '--out', "$dir/x" ],
        [ 'keygen bad --alg', 'keygen', '--alg', 'HS256', '--out', "$dir/x" ],
        [ 'keygen --flag=value on a flag', 'keygen', '--force=1', '--out',
          "$dir/x" ],
    );

    for my $u (@usage) {
        my ($name, @args) = @$u;
        my ($rc, $out, $err) = cli(@args);
        is($rc, 2, "usage error exits 2: $name");
        ok(length $err, "usage error explains: $name") if @args;
    }

    my ($rc, $out) = cli('--help');
    is($rc, 0, '--help exits 0');
    like($out, qr/usage: workos-jwt/, '--help prints usage');

    for my $verb (qw(decode verify lint sign keygen unseal)) {
        ($rc, $out) = cli($verb, '--help');
        is($rc, 0, "$verb --help exits 0");
        like($out, qr/^usage: workos-jwt $verb/, "$verb --help: usage");
    }

    ($rc, $out) = cli('help', 'verify');
    is($rc, 0, 'help verify exits 0');

    ($rc, $out) = cli('--version');
    is($rc, 0, '--version exits 0');
    like($out, qr/^workos-jwt \Q$version\E$/m, "--version prints $version");

    ($rc, $out) = cli('verify', "--jwks=$K/jwks.json", "--now=$NOW",
                      sign($K, \%base));
    is((split /\n/, $out)[0], 'valid', '--option=value form');

    ($rc, $out) = run_cli(sign($K, \%base) . "\n", 'verify', '--jwks',
                          "$K/jwks.json", '--now', $NOW, '-');
    is((split /\n/, $out)[0], 'valid', 'verify -: token from stdin');

    ($rc, $out) = run_cli($json->encode(\%base), 'sign', '--key', $key,
                          '--now', $NOW, '-');
    is($rc, 0, 'sign -: claims from stdin');
    my $claims = $json->decode(b64u_decode((split /\./, $out)[1]));
    is($claims->{iat}, $NOW, 'sign: iat filled with now');
    is($claims->{exp}, $NOW + 300, 'sign: exp = iat + 5m by default');

    ($rc, $out) = run_cli($json->encode({ %base, iat => 1000 }), 'sign',
                          '--key', $key, '--ttl', '1h', '-');
    $claims = $json->decode(b64u_decode((split /\./, $out)[1]));
    is($claims->{exp}, 4600, 'sign: exp = given iat + --ttl');

    ($rc, $out) = run_cli($json->encode({ %base, exp => 5 }), 'sign',
                          '--key', $key, '-');
    $claims = $json->decode(b64u_decode((split /\./, $out)[1]));
    is($claims->{exp}, 5, 'sign: a given exp is kept');
}


###############################################################################
# verify --jwks URL, the one network use: a local HTTPS JWKS server (a plain
# nginx with its own CA, t/lib/WorkosJwtJwks.pm)

SKIP: {
    require WorkosJwtTest;
    require WorkosJwtJwks;

    skip 'no nginx binary for the JWKS server', 14
        unless -x WorkosJwtTest::nginx_bin();

    my $t = WorkosJwtTest->new;
    my $jw = WorkosJwtJwks->new($t, jwks => read_file("$K/jwks.json"));
    $jw->start or skip 'the JWKS server did not start', 14;

    my $url = 'https://127.0.0.1:' . $jw->port . '/jwks';
    my $rogue = 'https://127.0.0.1:' . $jw->rogue_port . '/jwks';
    my $tok = sign($K, { %base, exp => $NOW + 600 }, '--kid', 'main-key');

    local $ENV{CURL_CA_BUNDLE};
    local $ENV{SSL_CERT_FILE} = $jw->ca;

    my ($rc, $out, $err) = cli('verify', '--jwks', $url, '--now', $NOW, $tok);
    is((split /\n/, $out)[0], 'valid', 'verify --jwks URL: valid');
    is($rc, 0, 'verify --jwks URL: exit 0');
    is($jw->hits, 1, 'verify --jwks URL: one GET of the JWKS');

    ($rc, $out, $err) = cli('verify', '--jwks', $rogue, '--now', $NOW, $tok);
    is($rc, 1, 'a certificate no trusted CA signed: exit 1');
    like($err, qr/cannot fetch the JWKS at \Q$rogue\E: the server's TLS (?x)
                  certificate\ is\ not\ trusted/,
         'a certificate no trusted CA signed: refused, and said so');
    is($out, '', 'a refused JWKS: no verdict printed');

    {
        local $ENV{SSL_CERT_FILE};
        ($rc, $out, $err) = cli('verify', '--jwks', $url, $tok);
        is($rc, 1, 'the system CA store does not know the test CA: exit 1');
        like($err, qr/TLS certificate is not trusted/,
             'the system CA store does not know the test CA: said so');
    }

    $jw->mode('404');
    ($rc, $out, $err) = cli('verify', '--jwks', $url, $tok);
    ok($rc == 1 && $err =~ /HTTP 404/, 'an HTTP 404: exit 1, said so')
        or diag($err);
    $jw->mode();

    $jw->set_jwks('{"keys":[],"pad":"' . ('x' x (1024 * 1024)) . '"}');
    ($rc, $out, $err) = cli('verify', '--jwks', $url, $tok);
    ok($rc == 1 && $err =~ /larger than 1048576 bytes/,
       'a JWKS over 1 MB: exit 1, said so') or diag($err);

    $jw->set_jwks(read_file("$K/jwks.json"));
    $jw->mode('slow');
    my $t0 = time;
    ($rc, $out, $err) = cli('verify', '--jwks', $url, $tok);
    my $took = time - $t0;
    ok($rc == 1 && $err =~ /no complete answer within 5 s/,
       'a JWKS that does not arrive: exit 1, said so') or diag($err);
    ok($took > 4 && $took < 9, 'the fetch gives up after 5 s')
        or diag("took $took s");
    $jw->mode();

    ($rc, $out, $err) = cli('verify', '--jwks',
                            'https://me:secret@127.0.0.1:' . $jw->port
                            . '/jwks', $tok);
    ok($rc == 2 && $err =~ /credentials/ && $err !~ /secret/,
       'a URL with credentials: a usage error, the password not shown');

    ($rc, $out, $err) = cli('verify', '--jwks', 'ftp://127.0.0.1/jwks', $tok);
    is($rc, 2, 'another scheme is a file name that does not exist: exit 2');

    $jw->stop;
}


###############################################################################
# unseal: AuthKit session cookies sealed by iron-session, @workos-inc/node
# and react-router (t/session/fixtures.json), opened with a password file

{
    my $uj = JSON::PP->new->utf8->canonical;
    my $fx = $uj->decode(read_file("$FindBin::Bin/session/fixtures.json"));
    my %pw = %{ $fx->{passwords} };
    my $pn = 0;

    # a password file of these lines, mode 0600 unless given
    my $pwfile = sub {
        my ($mode, @lines) = @_;
        my $path = "$dir/passwords" . $pn++;
        write_file($path, join('', map { "$_\n" } @lines));
        chmod $mode, $path or die "chmod $path: $!";
        return $path;
    };

    # every run: the refresh token is nowhere (they all start with
    # rt_FIXTURE, and the fixtures' own strings are checked as bytes)
    my @rts = map { $_->{refresh_token} } @{ $fx->{cases} };
    my $runs = 0;
    my $unseal = sub {
        my ($stdin, @args) = @_;
        my ($rc, $out, $err) = run_cli($stdin, 'unseal', @args);
        my $all = $out . $err;
        my $leak = ($all =~ /rt_FIXTURE/)
                   || grep { index($all, Encode::encode_utf8($_)) >= 0 }
                      @rts;
        ok(!$leak, 'unseal run ' . ++$runs . ': no refresh token in the '
                   . 'output') or diag($all);
        ok(index($all, $pw{p1}) < 0 && index($all, $pw{p2}) < 0,
           "unseal run $runs: no password in the output");
        return ($rc, $out, $err);
    };

    require Encode;

    for my $c (@{ $fx->{cases} }) {
        my $name = $c->{name};
        my $pf = $pwfile->(0600, map { $pw{$_} } @{ $c->{passwords} });
        my $cookie = $c->{cookie};
        my @now = ('--now', $c->{now});

        if ($c->{expect} ne 'valid') {
            my ($rc, $out, $err) = $unseal->(undef, '--password-file', $pf,
                                             @now, $cookie);
            is($rc, 1, "unseal $name: exit 1");
            like($err, qr/cannot open the session cookie \(iron format\): (?x)
                          \Q$c->{error}\E$/m,
                 "unseal $name: the reason");
            is($out, '', "unseal $name: nothing on stdout");

            ($rc, $out) = $unseal->(undef, '--password-file', $pf, '--json',
                                    @now, $cookie);
            my $j = eval { $uj->decode($out) } || {};
            is($j->{error}, $c->{error}, "unseal --json $name: error");
            is($j->{session}{format}, 'iron', "unseal --json $name: format");

            ($rc) = $unseal->(undef, '--password-file', $pf, '--now',
                              $c->{valid_at}, $cookie);
            is($rc, 0, "unseal $name: opens while the seal was valid");
            next;
        }

        my ($h, $p) = split /\./, $c->{access_token};
        my $claims = $uj->decode(b64u_decode($p));
        my $header = $uj->decode(b64u_decode($h));
        my $matches = $c->{user_mismatch} ? JSON::PP::false : JSON::PP::true;

        my ($rc, $out, $err) = $unseal->(undef, '--password-file', $pf, @now,
                                         '--json', $cookie);
        is($rc, 0, "unseal --json $name: exit 0");
        my $j = eval { $uj->decode($out) } || {};
        is_deeply($j->{session},
                  { format => $c->{format}, user_id => $c->{user_id},
                    email => $c->{email}, user_matches_token => $matches,
                    password_line => $c->{password_index} + 1 },
                  "unseal --json $name: session");
        is_deeply($j->{claims}, $claims, "unseal --json $name: claims");
        is_deeply($j->{header}, $header, "unseal --json $name: header");
        is($j->{syntax}, 'valid', "unseal --json $name: syntax");
        is($j->{expired} ? 1 : 0, $claims->{exp} <= $c->{now} ? 1 : 0,
           "unseal --json $name: expired or not");
        is($err, '', "unseal --json $name: nothing on stderr");

        ($rc, $out, $err) = $unseal->($cookie . "\n", '--password-file', $pf,
                                      @now, '-');
        is($rc, 0, "unseal $name, cookie from stdin: exit 0");
        like($out, qr/^  format +\Q$c->{format}\E$/m, "unseal $name: format");
        like($out, qr/^  user +\Q$c->{user_id}\E/m, "unseal $name: user");
        like($out, qr/^  email +\Q@{[ Encode::encode_utf8($c->{email}) ]}\E$/m,
             "unseal $name: email");
        like($out, qr/^  session +\Q$claims->{sid}\E$/m,
             "unseal $name: decode's WorkOS view of the token");
        like($out, qr/^Claims:\n\{\n  "iss"/m, "unseal $name: decode's claims");
        like($out, qr/^Signature: 256 bytes \(not shown\)$/m,
             "unseal $name: no signature");
        unlike($out, qr/\Q(split m{\.}, $c->{access_token})[2]\E/,
               "unseal $name: the signature is not printed");
        is($out =~ /not the token's sub/ ? 1 : 0, $c->{user_mismatch} ? 1 : 0,
           "unseal $name: a user that is not the token's sub is said");
    }

    my $iron = $fx->{cases}[0];
    my $rr = (grep { $_->{format} eq 'remix' } @{ $fx->{cases} })[0];
    my $p1 = $pwfile->(0600, $pw{p1});
    my @now = ('--now', $iron->{now});
    # another letter at or after $pos, outside any %XX
    my $flip = sub {
        my ($s, $pos) = @_;
        $pos++ while substr($s, $pos, 1) !~ /[A-Za-z]/
                     || substr($s, $pos - 2, 2) =~ /%/;
        substr($s, $pos, 1) = substr($s, $pos, 1) eq 'A' ? 'B' : 'A';
        return $s;
    };
    my $mac = "the session cookie's MAC does not verify with any configured "
              . "password";

    # tampered: one character of the ciphertext, of the MAC, of the
    # React Router cookie's data
    for my $t (
        [ 'iron ciphertext', $iron->{cookie}, 4 ],
        [ 'iron MAC', $iron->{cookie}, 7 ],
        [ 'react-router data', $rr->{cookie}, -1 ],
    ) {
        my ($what, $cookie, $field) = @$t;
        if ($field >= 0) {
            my @f = split /\*/, $cookie, -1;
            $f[$field] = $flip->($f[$field], 5);
            $cookie = join '*', @f;
        } else {
            $cookie = $flip->($cookie, 10);
        }
        my ($rc, $out, $err) = $unseal->(undef, '--password-file', $p1,
                                         @now, $cookie);
        is($rc, 1, "unseal, tampered $what: exit 1");
        like($err, qr/\Q$mac\E/, "unseal, tampered $what: the reason");
    }

    my $wrong = $pwfile->(0600, 'x' x 40);
    my ($rc, $out, $err) = $unseal->(undef, '--password-file', $wrong, @now,
                                     $iron->{cookie});
    is($rc, 1, 'unseal with a wrong password: exit 1');
    like($err, qr/cannot open the session cookie \(iron format\): \Q$mac\E/,
         'unseal with a wrong password: the reason');

    ($rc, $out, $err) = $unseal->(undef, '--password-file', $wrong, @now,
                                  $rr->{cookie});
    ok($rc == 1 && $err =~ /\(remix format\): \Q$mac\E/,
       'unseal a react-router cookie with a wrong password: exit 1, why')
        or diag($err);

    # rotation: the old password after a wrong one, blank lines, CRLF
    my $rot = "$dir/rotation";
    write_file($rot, ('y' x 40) . "\r\n\r\n\n" . $pw{p1} . "\r\n");
    chmod 0600, $rot;
    ($rc, $out) = $unseal->(undef, '--password-file', $rot, @now, '--json',
                            $iron->{cookie});
    is($rc, 0, 'unseal: the second password of the file opens it');
    is(eval { $uj->decode($out)->{session}{password_line} }, 4,
       'unseal: the line of the password that opened it');

    # URL-encoded iron seal, and in double quotes
    (my $enc = $iron->{cookie}) =~ s/\*/%2A/g;
    ($rc, $out) = $unseal->(undef, '--password-file', $p1, @now, $enc);
    ok($rc == 0 && $out =~ /^  user +\Q$iron->{user_id}\E$/m,
       'unseal: a URL-encoded cookie opens');

    ($rc, $out, $err) = $unseal->(undef, '--password-file', $p1, @now,
                                  'Fe26.2*1*garbage');
    ok($rc == 1 && $err =~ /cannot open the session cookie/,
       'unseal: a truncated seal exits 1') or diag($err);

    ($rc, $out, $err) = $unseal->(undef, '--password-file', $p1, @now,
                                  $iron->{access_token});
    ok($rc == 1 && $err =~ /unsupported session cookie format/,
       'unseal: a bare token is no session cookie') or diag($err);

    # a password file others can read: a warning, as the module gives
    my $open = $pwfile->(0644, $pw{p1});
    ($rc, $out, $err) = $unseal->(undef, '--password-file', $open, @now,
                                  $iron->{cookie});
    is($rc, 0, 'unseal, password file readable by others: still opens');
    like($err, qr/warning: "\Q$open\E" is readable by others/,
         'unseal, password file readable by others: warned');
    ($rc, $out, $err) = $unseal->(undef, '--password-file', $p1, @now,
                                  $iron->{cookie});
    unlike($err, qr/readable by others/, 'unseal, a 0600 file: no warning');

    # usage errors: exit 2, and no password in the message
    my $short = $pwfile->(0600, $pw{p1}, 'short-password-31-characters-xx');
    my $many = $pwfile->(0600, map { "password-$_-" . ('z' x 30) } 1 .. 17);
    my $blank = "$dir/blank";
    write_file($blank, "\n\r\n\n");
    my $empty = "$dir/empty";
    write_file($empty, '');
    chmod 0600, $blank, $empty;

    for my $u (
        [ 'no --password-file', $iron->{cookie} ],
        [ 'missing password file', '--password-file', "$dir/none",
          $iron->{cookie} ],
        [ 'a password under 32 characters', '--password-file', $short,
          $iron->{cookie} ],
        [ 'more than 16 passwords', '--password-file', $many,
          $iron->{cookie} ],
        [ 'only blank lines', '--password-file', $blank, $iron->{cookie} ],
        [ 'an empty file', '--password-file', $empty, $iron->{cookie} ],
        [ 'empty --password-file', '--password-file', '', $iron->{cookie} ],
        [ '--password-file without a value', $iron->{cookie},
          '--password-file' ],
        [ 'two cookies', '--password-file', $p1, $iron->{cookie}, 'x' ],
        [ 'an option of verify', '--password-file', $p1, '--jwks', 'x',
          $iron->{cookie} ],
    ) {
        my ($what, @args) = @$u;
        ($rc, $out, $err) = $unseal->(undef, @args);
        is($rc, 2, "unseal, $what: exit 2");
        ok(length $err, "unseal, $what: explained");
        unlike($err, qr/\Q$pw{p1}\E|short-password|zzzzzzzzzz/,
               "unseal, $what: no password printed");
    }
    like($err, qr/unknown option "--jwks" for unseal/,
         'unseal: an option of verify is unknown');

    ($rc, $out, $err) = $unseal->(undef, '--password-file', $short,
                                  $iron->{cookie});
    like($err, qr/the password on line 2 is shorter than 32 characters/,
         'unseal: the short line is named');
}

###############################################################################
# no other network use: only libcurl opens sockets, for verify --jwks URL

SKIP: {
    my $syms = `nm -D --undefined-only $BIN 2>/dev/null`;
    skip 'no nm', 2 unless $? == 0 && length $syms;
    unlike($syms, qr/\b(socket|connect|getaddrinfo|gethostbyname)\b/,
           'workos-jwt calls no socket function itself');
    my @curl = sort $syms =~ /\b(curl_\w+)/g;
    ok(grep({ $_ eq 'curl_easy_perform' } @curl),
       'the fetch of verify --jwks URL goes through libcurl');
}

done_testing();
