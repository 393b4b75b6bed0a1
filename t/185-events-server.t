# The fake WorkOS Events API of t/lib/WorkosJwtEvents.pm, alone (no
# module): API key check, pages and cursors (after, range_start, limit,
# events), the recorded requests, every fault mode, and the module-side
# location it writes, used from a plain nginx through an internal
# redirect.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(time sleep);
use WorkosJwtTest;
use WorkosJwtEvents;

plan skip_all => 'curl is needed'
    unless grep { -x "$_/curl" } split /:/, $ENV{PATH} // '';
plan skip_all => 'nginx is needed: ' . nginx_bin() unless -x nginx_bin();

my $KEY = 'sk_test_h4_fixture_0000000000';
my $T0 = 1796119200;                          # 2026-12-01T10:00:00Z
my $t = WorkosJwtTest->new;
my $ev = WorkosJwtEvents->new($t, api_key => $KEY, slow => 3);

ok($ev->start, 'the events server starts');

sub ids   { [ map { $_->{id} } @{ $_[0]{json}{data} || [] } ] }
sub after { $_[0]{json}{list_metadata}{after} }

# ---- the API key ------------------------------------------------------------

my $r = $ev->fetch('/events', api_key => undef);
is($r->{status}, 401, 'no Authorization: 401');
$r = $ev->fetch('/events', api_key => 'sk_test_wrong');
is($r->{status}, 401, 'another API key: 401');
$r = $ev->fetch('/events', headers => ["Authorization: Basic $KEY"],
                api_key => undef);
is($r->{status}, 401, 'not a Bearer: 401');

$r = $ev->fetch('/events');
is($r->{status}, 200, 'the API key: 200');
is_deeply($r->{json}, { object => 'list', data => [],
                        list_metadata => { before => undef,
                                           after => undef } },
          'no events yet: an empty list, after null');

is_deeply([ map { $_->{auth} } $ev->requests ],
          [qw(missing wrong wrong ok)], 'requests record the key check');
is(($ev->requests)[-1]{headers}{authorization}, "Bearer $KEY",
   'the Authorization header is recorded as sent');

$r = $ev->fetch('/other');
is($r->{status}, 404, 'another path: 404');

# ---- pages --------------------------------------------------------------

my @types = ('session.revoked', 'user.deleted',
             'organization_membership.updated', 'user.created',
             'organization_membership.deleted');
my @ids = map {
    $ev->add(event => $types[$_ % @types],
             data => { id => "obj_$_", user_id => "user_$_",
                       organization_id => "org_$_" },
             created_at => $T0 + $_)
} 0 .. 24;

is(scalar(grep { /^event_01FAKE\d{14}$/ } @ids), 25, 'ids look like '
   . 'WorkOS event ids');
is_deeply([ sort @ids ], \@ids, 'ids sort in creation order');
is_deeply([ $ev->events ], \@ids, 'events lists them');

$r = $ev->fetch('/events');
is_deeply(ids($r), [ @ids[0 .. 9] ], 'no cursor: the first 10 (default '
          . 'limit)');
is(after($r), $ids[9], 'list_metadata.after is the last id on the page');
is_deeply($r->{json}{data}[0],
          { object => 'event', id => $ids[0], event => 'session.revoked',
            data => { id => 'obj_0', user_id => 'user_0',
                      organization_id => 'org_0' },
            created_at => '2026-12-01T10:00:00.000Z', context => {} },
          'an event as WorkOS writes it');

$r = $ev->fetch("/events?after=$ids[9]");
is_deeply(ids($r), [ @ids[10 .. 19] ], 'after the 10th: the next 10');
is(after($r), $ids[19], '... after = the 20th');

$r = $ev->fetch("/events?after=$ids[19]");
is_deeply(ids($r), [ @ids[20 .. 24] ], 'after the 20th: the last 5');
is(after($r), undef, '... after null: no more');

$r = $ev->fetch("/events?after=$ids[24]");
is_deeply(ids($r), [], 'after the last: empty');
is(after($r), undef, '... after null');

$r = $ev->fetch('/events?limit=25');
is(scalar @{ ids($r) }, 25, 'limit=25: all 25');
is(after($r), undef, '... exactly all: after null');

$r = $ev->fetch('/events?limit=24');
is(after($r), $ids[23], 'limit=24: after = the 24th');

$r = $ev->fetch("/events?limit=3&after=$ids[4]");
is_deeply(ids($r), [ @ids[5 .. 7] ], 'limit=3 after the 5th');

$r = $ev->fetch('/events?limit=100');
is(scalar @{ ids($r) }, 25, 'limit=100 is allowed');

$r = $ev->fetch("/events?order=asc&limit=2&after=$ids[0]");
is_deeply(ids($r), [ @ids[1, 2] ], 'order=asc');

my $between = $ids[6] . '5';          # not an id, sorts after the 7th
$r = $ev->fetch("/events?limit=2&after=$between");
is_deeply(ids($r), [ @ids[7, 8] ], 'an unknown cursor: the ids after it');

for my $bad ('limit=0', 'limit=101', 'limit=abc', 'limit=',
             "after=$ids[1]&range_start=2026-12-01T10:00:00Z",
             'range_start=yesterday', 'range_end=2026-13-01', 'after=',
             'order=desc', 'order=normal') {
    $r = $ev->fetch("/events?$bad");
    is($r->{status}, 422, "$bad: 422");
}

# ---- range_start, range_end, events ----------------------------------------

$r = $ev->fetch('/events?range_start=2026-12-01T10:00:20.000Z');
is_deeply(ids($r), [ @ids[20 .. 24] ], 'range_start: events at or after it');
$r = $ev->fetch('/events?range_start=2026-12-01T10:00:19.500Z');
is_deeply(ids($r), [ @ids[20 .. 24] ], 'range_start with a fraction');
$r = $ev->fetch('/events?range_start=2026-12-01T11:00:20%2B01:00');
is_deeply(ids($r), [ @ids[20 .. 24] ], 'range_start with an offset');
$r = $ev->fetch('/events?range_start=2026-12-01T10:00:10Z'
                . '&range_end=2026-12-01T10:00:12Z');
is_deeply(ids($r), [ @ids[10 .. 12] ], 'range_end');
$r = $ev->fetch('/events?range_start=2026-12-01T10:00:00Z&limit=4');
is(after($r), $ids[3], 'range_start pages like the rest');

$r = $ev->fetch('/events?events=session.revoked&limit=100');
is_deeply(ids($r), [ @ids[0, 5, 10, 15, 20] ], 'events= filters by type');
$r = $ev->fetch('/events?events=user.deleted,user.created&limit=4');
is_deeply(ids($r), [ @ids[1, 3, 6, 8] ], 'events=a,b');
is(after($r), $ids[8], '... and pages');
$r = $ev->fetch('/events?events=user.deleted&events=user.created&limit=4');
is_deeply(ids($r), [ @ids[1, 3, 6, 8] ], 'events=a&events=b');

# ---- recorded requests -------------------------------------------------------

$ev->reset_requests;
is(scalar(my @none = $ev->requests), 0, 'reset_requests');
$ev->fetch("/events?after=$ids[2]&limit=7&x=a%20b+c");
my @req = $ev->requests;
is(scalar @req, 1, 'one request recorded');
is($req[0]{args}{after}, $ids[2], 'args: after');
is($req[0]{args}{limit}, '7', 'args: limit');
is($req[0]{args}{x}, 'a b c', 'args are URL-decoded');
is($req[0]{path}, '/events', 'path');
is($req[0]{status}, 200, 'status');
is($req[0]{returned}, 7, 'events returned');
is($req[0]{after_out}, $ids[9], 'list_metadata.after sent');
like($req[0]{headers}{'user-agent'}, qr/curl/, 'headers');

# ---- raw events -----------------------------------------------------------

my $raw = $ev->add(id => 'event_01FAKE99999999999999',
                   raw => '{"object":"event","id":"event_01FAKE9999999'
                        . '9999999","event":"session.revoked","data":{},'
                        . '"created_at":"soon"}',
                   created_at => $T0 + 30);
$r = $ev->fetch("/events?after=$ids[24]");
is($r->{json}{data}[0]{created_at}, 'soon', 'a raw event is sent verbatim');
is(ids($r)->[0], $raw, '... under its id');

$r = $ev->fetch('/events?range_start=2026-12-01T10:00:30Z');
is_deeply(ids($r), [$raw], 'created_at => epoch places a raw event in time');

# ---- faults -----------------------------------------------------------------

$ev->mode('500');
$r = $ev->fetch('/events');
is($r->{status}, 500, 'mode 500');

$ev->mode('garbage');
$r = $ev->fetch('/events');
ok($r->{status} == 200 && !defined $r->{json} && length $r->{body},
   'mode garbage: 200, not JSON');

$ev->mode('notlist');
$r = $ev->fetch('/events');
ok($r->{status} == 200 && ref $r->{json} eq 'HASH'
   && !exists $r->{json}{data}, 'mode notlist: JSON without data');

$ev->mode('big');
$r = $ev->fetch('/events');
ok($r->{status} == 200 && length($r->{body}) > 256 * 1024
   && @{ ids($r) } == 10, 'mode big: a real page over 256k')
    or diag("status $r->{status}, " . length($r->{body}) . ' bytes');

$ev->mode('slow');
$ev->reset_requests;
my $t0 = time;
$r = $ev->fetch('/events', timeout => 1);
my $took = time - $t0;
ok($r->{exit} == 28 && $r->{status} == 0, 'mode slow: no answer within 1s')
    or diag("curl exit $r->{exit}, status $r->{status}");
ok($took >= 0.9 && $took < 2.5, sprintf('... curl gave up after %.1fs',
                                         $took));
is(scalar(my @slow = $ev->requests), 1, '... the request was recorded');

$ev->mode('down');
$r = $ev->fetch('/events', timeout => 2);
is($r->{exit}, 7, 'mode down: connection refused');

$ev->mode(undef);
$t0 = time;
$r = $ev->fetch('/events');
ok($r->{status} == 200 && @{ ids($r) } == 10 && time - $t0 < 1,
   'mode undef: answers again, at once');

# ---- the module-side location, from a plain nginx ---------------------------

my $loc = $ev->location(uri => '/_workos_events', args => 'limit=3',
                        buffer => '32k', read_timeout => '1s');
like($loc, qr/proxy_ssl_verify on;/, 'location: TLS verified');
unlike($loc, qr/^\s*+(?!internal|location|proxy_|set |subrequest_|\})/m,
       'location: nothing but the expected directives');

my $bad = $ev->location(uri => '/_wrong_key', api_key => 'sk_test_nope');
my $conf = <<"EOF";
$loc
$bad
        location /poll { rewrite ^ /_workos_events last; }
        location /wrong { rewrite ^ /_wrong_key last; }
        location /direct { return 200; }
EOF
ok($t->start(no_module => 1, config => $conf), 'plain nginx starts');

$ev->reset_requests;
my $cookie = 'wos-session=Fe26.2**secret-session-cookie';
my $client_token = 'client.token.never-forwarded';
my $res = $t->request("GET /poll?after=$ids[4]",
                      headers => [Cookie => $cookie,
                                  Authorization => "Bearer $client_token"]);
is($res->{status}, 200, 'through the location: 200');
my $page = eval { JSON::PP->new->decode($res->{body}) } || {};
is_deeply([ map { $_->{id} } @{ $page->{data} || [] } ], [ @ids[5 .. 7] ],
          '... the page after the cursor, limit=3 from args');
@req = $ev->requests;
is(scalar @req, 1, '... one request reached the server');
is($req[0]{auth}, 'ok', '... with the API key');
is($req[0]{args}{limit}, '3', '... limit=3 added');
is($req[0]{args}{after}, $ids[4], '... the cursor passed on');
ok(!exists $req[0]{headers}{cookie}, "... the client's cookie not passed");
unlike($req[0]{headers}{authorization}, qr/\Q$client_token\E/,
       "... nor the client's token");

$res = $t->request('GET /poll?range_start=2026-12-01T10:00:23.000Z');
$page = eval { JSON::PP->new->decode($res->{body}) } || {};
is_deeply([ map { $_->{id} } @{ $page->{data} || [] } ],
          [ @ids[23, 24], $raw ], 'range_start through the location');

$res = $t->request('GET /wrong?after=x');
is($res->{status}, 401, 'another key in the location: 401 passed on');

$ev->mode('slow');
$t0 = time;
$res = $t->request('GET /poll?after=x');
ok($res->{status} == 504 && time - $t0 < 2.5,
   'mode slow: proxy_read_timeout 1s gives up (504)')
    or diag("status $res->{status}");
$ev->mode(undef);

# ---- stop ---------------------------------------------------------------

my $backend = $ev->{backend};
$ev->stop;
$r = $ev->fetch('/events', timeout => 2);
is($r->{exit}, 7, 'stopped: connection refused');
ok(!kill(0, $backend), 'the Perl server is gone');

$t->done;
