# Trust fixes of 0.2.0 around workos_jwt_key_request and the zone
# (CHANGELOG 0.2.0): key sources belong to their server, reloads do not
# keep trusting old keys, key_cache belongs to its source, the fetch
# belongs to no client (aborts, too-big responses), keys win over the
# token cache for zone memory, no zone slots leak across reloads, and
# workos_jwt_cache N is http-level only.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use IO::Socket::INET;
use Time::HiRes qw(time sleep);
use WorkosJwtTest;
use WorkosJwtJwks;

require_module();

my ($ka, $kb, $kc) = map { new_key(kid => $_) } qw(env_a env_b env_c);
my $toka = make_token(key => $ka);
my $tokb = make_token(key => $kb);

# ---- 1. two servers, two environments, one key request URI --------------

{
    my $t = WorkosJwtTest->new;
    my $ja = WorkosJwtJwks->new($t, name => 'jwks-a', jwks => jwks_json($ka));
    my $jb = WorkosJwtJwks->new($t, name => 'jwks-b', jwks => jwks_json($kb));
    $ja->start or BAIL_OUT('JWKS A');
    $jb->start or BAIL_OUT('JWKS B');
    my $pb = WorkosJwtTest::free_port();

    my $common = <<"EOF";
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint off;
        workos_jwt_key_request /_workos_jwks;
        workos_jwt_key_cache valid=60s stale=60s refetch=1s;

        location /api/ {
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }

        location = /st {
            workos_jwt optional;
            add_header X-St "\$workos_jwt_status \$workos_jwt_header_kid";
            proxy_pass http://%%UPSTREAM%%;
        }
EOF
    my $conf = sub {
        my ($sa, $sb) = @_;
        my $la = $sa->location(uri => '/_workos_jwks');
        my $lb = $sb->location(uri => '/_workos_jwks');
        (config => "$common\n$la",
         http_config => <<"EOF");
    server {
        listen 127.0.0.1:$pb;
        server_name b.example;
$common
$lb
    }
EOF
    };
    $t->start($conf->($ja, $jb), workers => 2) or BAIL_OUT('start');

    my $st = sub { my ($tok, $port) = @_;
                   my $r = $t->request('GET /st', token => $tok,
                                       port => $port);
                   ($r->{headers}{'x-st'}[0] // '') . "\n" };

    is($st->($toka, $t->port), "valid env_a\n", 'server A accepts env A');
    is($st->($tokb, $pb), "valid env_b\n", 'server B accepts env B');
    is($st->($tokb, $t->port), "unknown_kid env_b\n",
       'server A refuses env B (unknown_kid, the kid is logged)');
    is($st->($toka, $pb), "unknown_kid env_a\n", 'server B refuses env A');
    sleep 1.2;                              # refetch= window over
    is($st->($tokb, $t->port), "unknown_kid env_b\n",
       'after a refetch, server A still refuses env B');
    is($st->($toka, $pb), "unknown_kid env_a\n",
       'after a refetch, server B still refuses env A');
    is($ja->hits, 3, 'JWKS A: fetched by server A only (cold, 2 refetches)');
    is($jb->hits, 3, 'JWKS B: fetched by server B only (cold, 2 refetches)');

    # both servers now point at the other environment
    $t->reload($conf->($jb, $ja), workers => 2);
    is($st->($toka, $t->port), "unknown_kid env_a\n",
       'after a reload that points A at B: env A refused on A');
    is($st->($tokb, $t->port), "valid env_b\n",
       'after the reload: env B accepted on A');
    is($st->($tokb, $pb), "unknown_kid env_b\n",
       'after the reload: env B refused on B');
    $t->stop;
    $ja->stop; $jb->stop;
}

# ---- 12. key_cache belongs to the key request ----------------------------

{
    my $t = WorkosJwtTest->new;
    my $jw = WorkosJwtJwks->new($t);
    my $loc = $jw->location(uri => '/_jwks');
    my ($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_key_request /_jwks;
        workos_jwt_key_cache valid=1m;
        location /a/ { workos_jwt on; return 200; }
        location /b/ { workos_jwt on; workos_jwt_key_cache valid=2m; return 200; }
$loc
EOF
    ok(!$ok, 'nginx -t: two key_cache values for one key request fail');
    like($out, qr/\[emerg\].*"workos_jwt_key_cache" differs.*"\/_jwks"/,
         'the [emerg] line names key_cache and the URI') or diag($out);

    ($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_key_request /_jwks;
        workos_jwt_key_cache valid=1m;
        location /a/ { workos_jwt on; return 200; }
        location /b/ { workos_jwt on; workos_jwt_key_cache valid=1m; return 200; }
        location /c/ { workos_jwt on; workos_jwt_key_request /_jwks;
                       workos_jwt_key_cache valid=5m; return 200; }
$loc
EOF
    ok(!$ok, 'nginx -t: a location giving the same URI other lifetimes fails');

    ($ok, $out) = $t->nginx_t(config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_key_cache valid=1m;
        location /a/ { workos_jwt on; workos_jwt_key_request /_jwks;
                       return 200; }
        location /b/ { workos_jwt on; workos_jwt_key_request /_jwks;
                       return 200; }
$loc
EOF
    ok($ok, 'nginx -t: one URI, the same lifetimes everywhere: fine')
        or diag($out);

# ---- 13. workos_jwt_cache N is http-level only -----------------------------

    ($ok, $out) = $t->nginx_t(config => <<"EOF");
        location /a/ { workos_jwt_cache 100; return 200; }
EOF
    ok(!$ok, 'nginx -t: workos_jwt_cache N in a location fails');
    like($out, qr/\[emerg\].*"workos_jwt_cache".*http level only/,
         'the [emerg] line says where N belongs') or diag($out);
    ($ok, $out) = $t->nginx_t(http_config => 'workos_jwt_cache 100;',
                              config => 'location /a/ { workos_jwt_cache off;'
                                        . ' return 200; }');
    ok($ok, 'nginx -t: N at http, off in a location: fine') or diag($out);
}

# ---- 7. a client that aborts does not poison the first fetch -------------

{
    my $t = WorkosJwtTest->new;
    my $jw = WorkosJwtJwks->new($t, jwks => jwks_json($ka));
    $jw->mode('delay');                     # the JWKS takes a second or two
    $jw->start or BAIL_OUT('JWKS');
    $t->start(config => <<"EOF") or BAIL_OUT('start');
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint off;
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache refetch=30s;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /status { workos_jwt_status; }
@{[ $jw->location(read_timeout => '5s') ]}
EOF
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                  PeerPort => $t->port) or die "connect: $!";
    $s->syswrite("GET /api/x HTTP/1.1\r\nHost: localhost\r\n"
                 . "Authorization: Bearer $toka\r\n\r\n");
    sleep 0.3;
    close $s;                               # the client gives up
    wait_until(sub { status_json($t)->{keys}{fetches} >= 1 }, 6);
    my $st = status_json($t);
    is($st->{keys}{fetch_failures}, 0,
       'client abort during the first fetch: not a fetch failure');
    my $r = $t->request('GET /api/x', token => $toka);
    is($r->{status}, 200, 'the next client is served at once, not 503');
    is($jw->hits, 1, 'one fetch in all');
    $t->stop;
    $jw->stop;
}

# ---- 8. a JWKS too big for the buffer: 503, not a dropped connection -----

{
    my $t = WorkosJwtTest->new;
    my $big = jwks_json($ka, map { new_key(kid => "pad$_")->{jwk} } 1 .. 4);
    my $jw = WorkosJwtJwks->new($t, jwks => $big);
    $jw->start or BAIL_OUT('JWKS');
    $t->start(config => <<"EOF") or BAIL_OUT('start');
        workos_jwt_issuer https://api.workos.com;
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /status { workos_jwt_status; }
@{[ $jw->location(buffer => '1k') ]}
EOF
    my $off = $t->log_size;
    my $r = $t->request('GET /api/x', token => $toka);
    is($r->{status}, 503, 'too big a JWKS: the client gets 503');
    my $log = $t->log_since($off);
    like($log, qr/workos jwt JWKS fetch from "\/_jwks" failed: .*too big/,
         'the failure is logged as too big') or diag($log);
    is(status_json($t)->{keys}{fetch_failures}, 1, 'and counted');
    $t->stop;
    $jw->stop;
}

# ---- 6. keys win over the token cache for zone memory ---------------------

{
    my $t = WorkosJwtTest->new;
    my $jw = WorkosJwtJwks->new($t, jwks => jwks_json($ka));
    $jw->start or BAIL_OUT('JWKS');
    $t->start(http_config => 'workos_jwt_zone small:32k;',
              config => <<"EOF") or BAIL_OUT('start');
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint off;
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks;
            workos_jwt_key_cache refetch=1s;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /status { workos_jwt_status; }
@{[ $jw->location ]}
EOF
    my $off = $t->log_size;
    my $n = 0;
    for my $i (1 .. 400) {
        my $tok = make_token(key => $ka,
                             claims => workos_claims(jti => "fill$i"));
        $n++ if $t->request('GET /api/x', token => $tok)->{status} == 200;
    }
    is($n, 400, '400 distinct tokens fill the token cache');
    my $st = status_json($t);
    ok($st->{cache}{entries} > 50, "the cache holds $st->{cache}{entries}");
    # a rotation: the bigger key set must find room
    $jw->set_jwks(jwks_json($ka, $kc,
                            map { new_key(kid => "r$_")->{jwk} } 1 .. 3));
    sleep 1.1;
    my $r = $t->request('GET /api/x', token => make_token(key => $kc));
    is($r->{status}, 200, 'a key rotated in while the cache is full: 200')
        or diag($t->log_since($off));
    my $log = $t->log_since($off);
    unlike($log, qr/too small for the key set/, 'no "too small" failure');
    unlike($log, qr/ngx_slab_alloc\(\) failed/,
           'no slab "no memory" lines in the log');
    $t->stop;
    $jw->stop;
}

# ---- 9. key request URIs over many reloads: no slot runs out --------------

{
    my $t = WorkosJwtTest->new;
    my $jw = WorkosJwtJwks->new($t, jwks => jwks_json($ka));
    $jw->start or BAIL_OUT('JWKS');
    my $conf = sub {
        my ($i) = @_;
        (config => <<"EOF");
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint off;
        location /api/ {
            workos_jwt on;
            workos_jwt_key_request /_jwks_$i;
            proxy_pass http://%%UPSTREAM%%;
        }
@{[ $jw->location(uri => "/_jwks_$i") ]}
EOF
    };
    $t->start($conf->(0)) or BAIL_OUT('start');
    my $ok = 0;
    for my $i (1 .. 20) {
        $t->reload($conf->($i));
        $ok++ if $t->request('GET /api/x', token => $toka)->{status} == 200;
    }
    is($ok, 20, '20 reloads, each with a new key request URI: all serve');
    $t->stop;
    $jw->stop;
}

done_testing();
