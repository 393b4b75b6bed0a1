# A request never holds a key another event can free (README, Keys, outages
# and rotation): a request verified under the worker's key set waits in a slow
# auth_request while a background refresh brings a new JWKS and the next
# request replaces the worker's key set; the waiting request's inspect handler
# then still names the key that verified it (it used to read the freed key
# set: garbage or a crashed worker).  One worker, so that the replacement
# happens in the waiting request's process.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use POSIX ();
use Time::HiRes qw(time sleep);
use WorkosJwtTest;
use WorkosJwtJwks;

require_module();

my $t = WorkosJwtTest->new;
my $jw = WorkosJwtJwks->new($t);
my ($k1, $k2) = map { new_key(kid => $_) } qw(k1 k2);
my $tok = make_token(key => $k1);
my $slow = $t->write_file('slow.txt', 'x' x 300);

$jw->set_jwks(jwks_json($k1));
$jw->start or BAIL_OUT('JWKS server did not start');

$t->start(workers => 1, config => <<"EOF") or BAIL_OUT('start');
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_lint_ignore missing_aud;
        workos_jwt_key_request /_jwks;
        workos_jwt_key_cache valid=1s stale=60s refetch=1s;

        location /api/ {
            workos_jwt on;
            proxy_pass http://%%UPSTREAM%%;
        }

        location = /inspect {
            workos_jwt on;
            auth_request /_slow;
            workos_jwt_inspect;
        }

        location = /_slow {
            internal;
            proxy_pass http://127.0.0.1:%%PORT%%/slowfile;
        }

        location = /slowfile {
            alias $slow;
            sendfile off;
            limit_rate 100;
        }

@{[ $jw->location ]}
EOF

my $r = $t->request('GET /api/warm', token => $tok);
is($r->{status}, 200, 'the first request fetches k1 and passes');

# the next JWKS differs: the worker's key set will be replaced
$jw->set_jwks(jwks_json($k1, $k2));
sleep 1.3;                                  # the keys are stale now

# the waiting request: verified under k1 of the stale set, it starts the
# background refresh, then waits about 3 s for its auth_request
pipe(my $rd, my $wr) or die "pipe: $!";
my $pid = fork() // die "fork: $!";

if ($pid == 0) {
    close $rd;
    my $res = $t->request('GET /inspect', token => $tok);
    delete $res->{raw};
    syswrite $wr, json_enc($res);
    close $wr;
    POSIX::_exit(0);
}

close $wr;

# the refresh lands in the zone; the next request installs the new set
# in the worker and frees the old one, while /inspect still waits
wait_until(sub { $jw->hits >= 2 }, 5);
sleep 0.3;
$r = $t->request('GET /api/replace', token => $tok);
is($r->{status}, 200, 'a request meanwhile installs the new key set');

my $data = do { local $/; <$rd> };
close $rd;
waitpid $pid, 0;

my $res = eval { json_dec($data) } || { status => 0, body => '' };
is($res->{status}, 200, 'the waiting request is answered')
    or diag($res->{error} // $res->{body});

my $j = eval { json_dec($res->{body}) } || {};
is($j->{verdict}{status}, 'valid', 'inspect: valid');
is_deeply($j->{key}, { kid => 'k1', alg => 'RS256' },
          'inspect names the key that verified, after its set was freed')
    or diag($res->{body});

$t->done;
