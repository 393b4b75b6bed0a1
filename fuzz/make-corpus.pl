#!/usr/bin/perl
# make-corpus.pl OUTDIR VECTORS_DIR [TOKEN_FILE ...]
# Seeds for the fuzz targets, extracted from the JSON test vectors:
#   OUTDIR/corpus-token   compact tokens, and "header NUL payload NUL sig"
#   OUTDIR/corpus-jwks    JWKs and JWK Sets
#   OUTDIR/corpus-claims  decoded headers and payloads
# TOKEN_FILE: extra files with one token a line (e.g. signed by fuzz/keys).
# Core Perl only; files are named by a digest so reruns add nothing twice.

use strict;
use warnings;
use Digest::MD5 qw(md5_hex);
use File::Find;
use File::Path qw(make_path);
use JSON::PP;
use MIME::Base64 qw(decode_base64);

my ($out, $vectors, @token_files) = @ARGV;
die "usage: $0 OUTDIR VECTORS_DIR [TOKEN_FILE ...]\n"
    unless defined $vectors;

my $json = JSON::PP->new->utf8->canonical;
my %count;

sub put {
    my ($kind, $data) = @_;
    return if !defined $data || length $data == 0 || length $data > 65536;
    my $dir = "$out/corpus-$kind";
    make_path($dir);
    my $f = "$dir/" . md5_hex($data);
    return if -e $f;
    open my $fh, '>:raw', $f or die "$f: $!";
    print $fh $data;
    close $fh;
    $count{$kind}++;
}

sub b64url_decode {
    my $s = shift;
    return undef if $s =~ /[^A-Za-z0-9_-]/;
    $s =~ tr{-_}{+/};
    $s .= '=' x ((4 - length($s) % 4) % 4);
    decode_base64($s);
}

sub add_token {
    my ($tok) = @_;
    return unless defined $tok && !ref $tok;
    put('token', $tok);
    my @seg = split /\./, $tok, -1;
    my @dec = map { b64url_decode($_) } @seg;
    for my $i (0, 1) {
        put('claims', $dec[$i]) if defined $dec[$i] && $dec[$i] =~ /^\s*\{/;
    }
    # the NUL-separated form of fuzz_token
    if (@seg == 3 && !grep { !defined } @dec) {
        put('token', join "\0", @dec);
    }
}

sub add_jwk {
    my ($v) = @_;
    return unless ref $v eq 'HASH';
    put('jwks', $json->encode($v));
    if ($v->{keys} && ref $v->{keys} eq 'ARRAY') {
        put('jwks', $json->encode($_)) for grep { ref eq 'HASH' } @{ $v->{keys} };
    } elsif ($v->{kty}) {
        put('jwks', $json->encode({ keys => [$v] }));
    }
}

# walk any JSON vector file: tokens are strings with two dots, keys are
# objects with "kty" or "keys"
sub walk {
    my ($v) = @_;
    if (ref $v eq 'HASH') {
        if (exists $v->{kty} || exists $v->{keys}) {
            add_jwk($v);
        }
        for my $k (sort keys %$v) {
            my $x = $v->{$k};
            if (!ref $x && defined $x && $k =~ /^(jws|jws_compact|token)$/) {
                add_token($x);
            }
            walk($x) if ref $x;
        }
    } elsif (ref $v eq 'ARRAY') {
        walk($_) for @$v;
    }
}

my @files;
find(sub { push @files, $File::Find::name if /\.json$/ && -f }, $vectors);

for my $f (sort @files) {
    open my $fh, '<:raw', $f or next;
    local $/;
    my $text = <$fh>;
    close $fh;
    my $v = eval { $json->decode($text) } or next;
    # the primitive files only hold keys, and thousands of them
    if ($f =~ /(ecdsa|rsa|ed25519)_.*_test\.json$/) {
        my $n = 0;
        for my $g (@{ $v->{testGroups} || [] }) {
            last if $n++ >= 8;
            add_jwk($g->{keyJwk} || $g->{publicKeyJwk});
        }
        next;
    }
    walk($v);
}

for my $tf (@token_files) {
    open my $fh, '<', $tf or die "$tf: $!";
    while (my $line = <$fh>) {
        chomp $line;
        add_token($line) if length $line;
    }
    close $fh;
}

printf "corpus: %s\n",
    join ', ', map { "$_ +" . ($count{$_} || 0) } qw(token jwks claims);
