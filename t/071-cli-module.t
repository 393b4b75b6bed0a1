# The CLI and the module agree (README, The CLI): for the same tokens, keys and
# settings, `workos-jwt verify` prints the word nginx puts in
# $workos_jwt_status, and `workos-jwt lint` finds the codes nginx puts in
# $workos_jwt_lint.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $cli = root_dir() . '/build/workos-jwt';
plan skip_all => "no $cli (make cli)" unless -x $cli;

my $t = WorkosJwtTest->new;
my $key = new_key(kid => 'k1');
my $other = new_key(kid => 'k1');              # same kid, another key
my $stranger = new_key(kid => 'k9');
my $jwks = $t->write_file('jwks.json', jwks_json($key));
my $now = time;

$t->start(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;

        location = /status {
            workos_jwt optional;
            return 200 "\$workos_jwt_status|\$workos_jwt_lint\\n";
        }
EOF

sub tok { make_token(key => $key, claims => workos_claims(@_)) }

my @table = (
    [valid => tok()],
    [expired => tok(iat => $now - 600, exp => $now - 60)],
    ['bad signature' => make_token(key => $other)],
    ['wrong issuer' => tok(iss => 'https://evil.example')],
    ['not a session' => tok(sid => undef)],
    ['unknown kid' => make_token(key => $stranger)],
    [wildcard => tok(permissions => ['posts:*'])],
    ['long lifetime' => tok(iat => $now - 10, exp => $now + 3 * 86400)],
    ['not yet valid' => tok(nbf => $now + 600)],
    ['no org, impersonated' => tok(org_id => undef,
                                   act => { sub => 'admin@example.com' })],
    ['alg none' => make_token(key => $key, alg => 'none', sig => '')],
    [malformed => 'abc.def'],
    ['exp a string' => tok(exp => 'soon')],
);

sub run_cli {
    my @cmd = @_;
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        open STDERR, '>', '/dev/null';
        exec $cli, @cmd or exit 127;
    }
    local $/;
    my $out = <$fh>;
    close $fh;
    return ($? >> 8, $out // '');
}

for my $row (@table) {
    my ($name, $token) = @$row;

    my $r = $t->request('GET /status', token => $token);
    my ($status, $lint) = $r->{body} =~ /^([a-z_]*)\|([a-z_,]*)$/m;
    ok(defined $status, "$name: the module answers") or diag($r->{raw});

    my ($rc, $out) = run_cli('verify', '--jwks', $jwks, '--issuer',
                             'https://api.workos.com', $token);
    my ($word) = $out =~ /^(\S+)/;
    is($word, $status, "$name: CLI verify says what the module says")
        or diag($out);
    is($rc, $status eq 'valid' ? 0 : 1, "$name: CLI exit status");

    next unless $status eq 'valid';

    ($rc, $out) = run_cli('lint', '--json', $token);
    my $codes = eval { json_dec($out)->{lint} } || [];
    my @cli = sort map { ref $_ ? $_->{code} : $_ } @$codes;
    is(join(',', @cli), join(',', sort split /,/, $lint),
       "$name: CLI lint finds the module's codes");
}

$t->done;
