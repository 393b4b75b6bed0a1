#!/usr/bin/perl

# AuthKit session cookies sealed afresh by the real libraries
# (iron-session, @workos-inc/node, react-router, pinned in
# t/session/package-lock.json), opened by the core: t/session/generate.mjs
# writes new fixtures to a temporary file and build/unit/test_session
# checks every cookie in it.  Skips (never fails) without node, npm, the
# registry or the unit test binary.  Core Perl only.

use strict;
use warnings;

use Test::More;
use File::Temp qw(tempdir);
use JSON::PP;

my $BIN = $ENV{WORKOS_JWT_SESSION_TEST} || 'build/unit/test_session';
my $DIR = 't/session';

sub have {
    my ($cmd) = @_;
    return system("command -v $cmd >/dev/null 2>&1") == 0;
}

sub slurp {
    my ($path) = @_;
    open my $fh, '<', $path or return '';
    local $/;
    return scalar <$fh>;
}

plan skip_all => "$BIN not built (make unit)" unless -x $BIN;
plan skip_all => 'node or npm not found' unless have('node') && have('npm');

my $tmp = tempdir(CLEANUP => 1);

# the exact versions of package-lock.json; no scripts run
my $npm = system("cd $DIR && npm ci --ignore-scripts --no-audit --no-fund "
                 . "--prefer-offline --fetch-timeout=20000 --fetch-retries=1 "
                 . ">$tmp/npm.log 2>&1");
plan skip_all => 'npm ci failed in t/session (no registry?)' if $npm != 0;

my $json = JSON::PP->new;
my $fresh = "$tmp/fixtures.json";

is(system("node $DIR/generate.mjs $fresh 2>$tmp/node.log"), 0,
   'generate.mjs seals new cookies with the real libraries')
    or diag(slurp("$tmp/node.log"));

my $new = eval { $json->decode(slurp($fresh)) } || {};
my $old = eval { $json->decode(slurp("$DIR/fixtures.json")) } || {};
my $lock = eval { $json->decode(slurp("$DIR/package-lock.json")) } || {};

my @new = @{ $new->{cases} || [] };
my @old = @{ $old->{cases} || [] };

is(scalar @new, scalar @old, 'as many cases as the committed fixtures');
ok(@new >= 8, 'at least 8 cases');

my $same = grep { $new[$_]{cookie} eq ($old[$_]{cookie} // '') } 0 .. $#new;
is($same, 0, 'every cookie is new (fresh salts and iv)');

for my $pkg ('iron-session', '@workos-inc/node', 'react-router') {
    my $want = $lock->{packages}{"node_modules/$pkg"}{version} // '?';
    is($new->{generated_with}{$pkg}, $want, "sealed by $pkg $want");
}

my $out = `$BIN $fresh 2>&1`;
my $rc = $? >> 8;
my $oks = () = $out =~ /^ok /mg;
my @failed = $out =~ /^(not ok .*)$/mg;

is($rc, 0, "test_session passes on the fresh cookies ($oks checks)");
is(scalar @failed, 0, 'no failed check') or diag(join "\n", @failed);
ok($oks >= 200, 'the fresh fixtures ran through every check');

done_testing();
