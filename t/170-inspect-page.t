# The debugger page of workos_jwt_inspect (README, The debugger page): which
# Accept gets the page and which the JSON; the page's headers (CSP by hash of
# its own inline style and script, no-store, no-referrer, DENY, nosniff) and
# that it loads nothing; claims in the JSON island cannot close it; a POSTed
# token is judged under the location's rules, never cached, counted or logged,
# 413 over workos_jwt_max_token_size or when it went to a file. Then, when
# node, puppeteer-core and Debian's chromium are at hand,
# t/browser/inspect-page.mjs drives the page in headless Chromium (it skips
# otherwise) and writes build/inspect-page.png.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Digest::SHA qw(sha256_base64);
use Test::More;
use Time::HiRes ();
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $k1 = new_key(kid => 'k1');
my $stranger = new_key(kid => 'k1');
my $jwks = $t->write_file('jwks.json', jwks_json($k1));

$t->start(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_client_id client_01JD8VZ0M6T4XG2B7NQ5RYC3KP;

        location = /inspect {
            workos_jwt optional;
            workos_jwt_inspect;
        }
        location = /_whoami {
            workos_jwt optional;
            workos_jwt_inspect;
        }
        location = /inspect-small {
            workos_jwt optional;
            workos_jwt_max_token_size 100;
            workos_jwt_inspect;
        }
        location = /inspect-file {
            workos_jwt optional;
            workos_jwt_max_token_size 64k;
            client_body_buffer_size 1k;
            workos_jwt_inspect;
        }
        location = /inspect-strict {
            workos_jwt optional;
            workos_jwt_audience api://strict;
            workos_jwt_lint_max_lifetime 1h;
            workos_jwt_inspect;
        }
        location = /status {
            workos_jwt_status;
        }
EOF

my $seq = 0;
sub claims { workos_claims(jti => "jti_page_${$}_" . ++$seq, @_) }
sub token  { make_token(key => $k1, claims => claims(@_)) }

my $CHROME = 'text/html,application/xhtml+xml,application/xml;q=0.9,'
           . 'image/avif,image/webp,image/apng,*/*;q=0.8,'
           . 'application/signed-exchange;v=b3;q=0.7';

sub get {
    my ($uri, $tok, @accept) = @_;
    $t->request("GET $uri", token => $tok,
                headers => [map { (Accept => $_) } @accept]);
}

sub is_page { ($_[0]{headers}{'content-type'}[0] // '') =~ m{^text/html} }

# the JSON island of a page
sub island {
    my ($body) = @_;
    my $open = '<script type="application/json" id="wjwt-data">';
    my ($j) = $body =~ m{\Q$open\E(.*?)</script>}s;
    return defined $j ? $j : '';
}

# ---- Accept: who gets the page -----------------------------------------

{
    my $tok = token();
    my @cases = (
        [[], 0, 'no Accept'],
        [['*/*'], 0, '*/* (curl, fetch)'],
        [['application/json'], 0, 'application/json'],
        [['text/html'], 1, 'text/html'],
        [['TEXT/HTML'], 1, 'TEXT/HTML (case)'],
        [[$CHROME], 1, "a browser's navigation Accept"],
        [['text/html;q=0.5, application/json'], 0, 'json preferred'],
        [['application/json;q=0.5, text/html'], 1, 'html preferred'],
        [['text/html;q=0, */*'], 0, 'text/html;q=0'],
        [['*/*;q=0.9, text/html;q=0.1'], 0, 'specific range wins'],
        [['text/*, application/json;q=0.9'], 1, 'text/*'],
        [['application/*;q=0.2, text/*;q=0.3'], 1, 'both wildcards'],
        [['text/html;q=1.5'], 0, 'invalid q ignored'],
        [['text/html;q=0.5x, application/json;q=0.1'], 0,
         'junk q ignored'],
        [['text/html;level=1;q=0.8, application/json;q=0.7'], 1,
         'other parameters'],
        [['text/html ; q=0.4 , application/json ; q=0.3'], 1,
         'white space around ;'],
        [['text/html;q=0.001, application/json;q=0'], 1, 'q=0.001'],
        [['text/html;q=0.5', 'application/json'], 0,
         'two Accept headers (json)'],
        [['application/json;q=0.1', 'text/html'], 1,
         'two Accept headers (html)'],
        [['text/htmlx, application/json;q=0.1'], 0, 'text/htmlx'],
        [['application/jsonx, text/html;q=0.1'], 1, 'application/jsonx'],
        [['text/html;charset="a;b,c";q=0.9, application/json;q=0.8'], 1,
         'quoted parameter'],
    );
    for my $c (@cases) {
        my ($accept, $page, $name) = @$c;
        my $r = get('/inspect', $tok, @$accept);
        is($r->{status} . ' ' . (is_page($r) ? 'page' : 'json'),
           '200 ' . ($page ? 'page' : 'json'), "Accept: $name");
    }
}

# ---- the page: headers, nothing external, the island ---------------------

my ($style_hash, $script_hash);
{
    my $tok = token();
    my $r = get('/inspect', $tok, $CHROME);
    my $h = $r->{headers};
    my $b = $r->{body};
    is($h->{'content-type'}[0], 'text/html; charset=utf-8', 'page: type');
    is(join(',', @{ $h->{'cache-control'} || [] }), 'no-store',
       'page: Cache-Control');
    is(join(',', @{ $h->{'referrer-policy'} || [] }), 'no-referrer',
       'page: Referrer-Policy');
    is(join(',', @{ $h->{'x-frame-options'} || [] }), 'DENY',
       'page: X-Frame-Options');
    is(join(',', @{ $h->{'x-content-type-options'} || [] }), 'nosniff',
       'page: X-Content-Type-Options');
    is(join(',', @{ $h->{'vary'} || [] }), 'Accept', 'page: Vary');
    is($h->{'content-length'}[0], length $b, 'page: Content-Length');

    my @style = $b =~ m{<style>(.*?)</style>}gs;
    my @script = $b =~ m{<script>(.*?)</script>}gs;
    is(scalar @style, 1, 'page: one inline style');
    is(scalar @script, 1, 'page: one inline script');
    my @tags = $b =~ m{<script\b}g;
    is(scalar @tags, 2, 'page: two script elements (island and code)');
    $style_hash = sha256_base64($style[0] // '') . '=';
    $script_hash = sha256_base64($script[0] // '') . '=';
    my $csp = join ',', @{ $h->{'content-security-policy'} || [] };
    my %d = map { my ($n, @v) = split ' '; ($n => "@v") } split /;\s*/, $csp;
    is_deeply(\%d, {
        'default-src' => "'none'",
        'script-src' => "'sha256-$script_hash'",
        'style-src' => "'sha256-$style_hash'",
        'img-src' => 'data:',
        'connect-src' => "'self'",
        'base-uri' => "'none'",
        'form-action' => "'none'",
        'frame-ancestors' => "'none'",
        'require-trusted-types-for' => "'script'",
        'trusted-types' => "'none'",
    }, 'page: CSP allows exactly its own style and script by hash')
        or diag($csp);

    ok($b !~ qr{<(?:img|iframe|object|embed|base|form|frame|audio|video)\b}i,
       'page: no element that loads or sends anything');
    my @links = $b =~ m{(<link\b[^>]*>)}gi;
    ok(@links == 1 && $links[0] =~ m{^<link rel="icon" href="data:image/},
       'page: one link, the icon, as a data: URL')
        or diag("@links");
    my @urls = $b =~ m{\b(?:src|href|action|srcset)\s*=\s*["']?([^"'\s>]*)}gi;
    ok(@urls == 1 && $urls[0] =~ /^data:/,
       'page: no src/href/action but the data: icon') or diag("@urls");
    ok(($style[0] // '') !~ qr{\@import|url\(}i,
       'page: the style loads nothing');
    ok($b !~ qr{innerHTML|outerHTML|insertAdjacentHTML|document\.write}i,
           'page: no HTML sinks in the script');
    my $sig = (split /\./, $tok)[2];
    ok(index($b, $sig) < 0, 'page: no signature segment');
    ok(index($b, $tok) < 0, 'page: not the token');

    my $data = eval { json_dec(island($b)) };
    ok($data && $data->{view}, 'page: island is JSON with the view');
    is($data->{view}{verdict}{status}, 'valid', 'page: island verdict');
    is($data->{view}{claims}{sub}, 'user_01HXYZUSER0000000000000000',
       'page: island claims');
    ok(abs($data->{now} - time) < 5, 'page: island has the edge time');
    is(scalar @{ $data->{lint}{rules} || [] }, 10,
       'page: island has the 10 lint rules');
    is($data->{max_token_size}, 16384, 'page: island has the size limit');

    # the JSON island: the same explanations as the CLI (wjwt_lint_explain)
    my $cli = root_dir() . '/build/workos-jwt';
    SKIP: {
        skip 'build/workos-jwt not built', 1 unless -x $cli;
        my $lt = token(permissions => ['a:*'], act => { sub => 'admin' },
                       connection_id => 'conn_1', org_id => undef);
        my $out = `'$cli' lint --json '$lt' 2>/dev/null`;
        my $l = eval { json_dec($out) } || {};
        my %want = map { $_->{code} => $_->{explanation} } @{ $l->{lint} };
        my %got = map { $_->{code} => $_->{explain} }
                  @{ $data->{lint}{rules} || [] };
        ok(%want >= 4 && !grep({ ($got{$_} // '') ne $want{$_} } keys %want),
           'page: lint explanations are the CLI\'s (same core texts)')
            or diag(explain { cli => \%want, page => \%got });
    }

    my $j = get('/inspect', $tok, 'application/json');
    is(join(',', @{ $j->{headers}{'cache-control'} || [] }), 'no-store',
       'JSON: Cache-Control');
    is(join(',', @{ $j->{headers}{'vary'} || [] }), 'Accept', 'JSON: Vary');
    ok(!$j->{headers}{'content-security-policy'}, 'JSON: no CSP needed');

    my $hd = $t->request('HEAD /inspect', token => $tok,
                         headers => [Accept => 'text/html']);
    is($hd->{status} . ' ' . length($hd->{body}), '200 0', 'HEAD page: empty');
    ok($hd->{headers}{'content-security-policy'}, 'HEAD page: CSP');
}

# claims that try to leave the island
{
    my @evil = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                '</script>', "<!--", "a\x{2028}b\x{2029}c", '&amp;<\/script>');
    my $c = claims(sub => $evil[0], org_id => $evil[1], role => $evil[2],
                   roles => [@evil], permissions => [@evil],
                   x_html => $evil[3], x_sep => $evil[4], x_amp => $evil[5],
                   '</script><script>alert(2)</script>' => 1);
    my $tok = make_token(key => $k1, claims => $c);
    my $r = get('/inspect', $tok, 'text/html');
    my $island = island($r->{body});
    ok(length $island, 'hostile claims: island found');
    unlike($island, qr{[<>&]}, 'hostile claims: no < > & in the island');
    unlike($island, qr{[^\x20-\x7e]}, 'hostile claims: island is ASCII');
    my @end = $r->{body} =~ m{</script>}g;
    is(scalar @end, 2, 'hostile claims: no extra </script>');
    my $data = eval { json_dec($island) } || {};
    is_deeply($data->{view}{claims}, $c,
              'hostile claims: island decodes to the claims exactly');
}

# ---- no token ----------------------------------------------------------

{
    my $r = get('/inspect', undef, 'application/json');
    my $j = eval { json_dec($r->{body}) } || {};
    is($j->{verdict}{status}, 'missing', 'no token: missing');
    is($j->{verdict}{error}, '',
       'no token: verdict.error empty (README, workos_jwt_inspect)');
    is($j->{source}, '', 'no token: source empty');
    ok(!exists $j->{session}, 'no token: no session member');
    $r = get('/inspect', undef, 'text/html');
    my $d = eval { json_dec(island($r->{body})) } || {};
    is($d->{view}{verdict}{status}, 'missing', 'no token: page too');
}

# ---- source ------------------------------------------------------------

{
    my $r = get('/inspect', token(), 'application/json');
    my $j = eval { json_dec($r->{body}) } || {};
    ok(exists $j->{source}, 'source: member present');
    TODO: {
        local $TODO = 'ctx->from is filled by the verdict branch'
            if ($j->{source} // '') eq '';
        is($j->{source}, 'bearer', 'source: bearer');
    }
}

# ---- POST: a token judged at this location -----------------------------

sub post {
    my ($uri, $body, %o) = @_;
    my $r = $t->request("POST $uri", body => $body,
                        headers => ['Content-Type' => 'text/plain',
                                    @{ $o{headers} || [] }]);
    my $j = eval { json_dec($r->{body}) };
    ($r, $j || {});
}

sub requests_total {
    my $s = eval { json_dec($t->request('GET /status')->{body}) } || {};
    my $l = 0;
    $l += $_ for values %{ $s->{lint} || {} };
    my $c = $s->{cache} || {};
    ($s->{requests}{valid} // 0, $l, ($c->{hits} // 0) + ($c->{misses} // 0),
     $c->{entries} // -1);
}

{
    my $tok = token(permissions => ['posts:*']);
    my @before0 = requests_total();
    my @before = requests_total();
    my $off = $t->log_size;
    my ($r, $j) = post('/inspect', $tok);
    is($r->{status}, 200, 'POST valid: 200');
    like($r->{headers}{'content-type'}[0], qr{^application/json},
         'POST valid: JSON');
    is(join(',', @{ $r->{headers}{'cache-control'} || [] }), 'no-store',
       'POST valid: Cache-Control');
    is($j->{verdict}{status}, 'valid', 'POST valid: status');
    ok($j->{verdict}{verified}, 'POST valid: verified');
    is_deeply($j->{key}, { kid => 'k1', alg => 'RS256' }, 'POST valid: key');
    is($j->{cache}, '', 'POST valid: no cache involved');
    is_deeply([sort @{ $j->{lint} }], [qw(missing_aud wildcard_permission)],
              'POST valid: lint');
    is($j->{claims}{permissions}[0], 'posts:*', 'POST valid: claims');
    is($j->{source}, '', 'POST valid: source empty (posted)');
    ok(index($r->{raw}, (split /\./, $tok)[2]) < 0,
       'POST valid: no signature in the answer');
    select undef, undef, undef, 0.1;
    my $log = $t->log_since($off);
    unlike($log, qr/workos_jwt lint/, 'POST valid: no lint log line');
    my @after = requests_total();
    is_deeply([map { $after[$_] - $before[$_] } 0 .. 3],
              [map { $before[$_] - $before0[$_] } 0 .. 3],
              'POST valid: no valid, lint or cache counter moved');

    ($r, $j) = post('/inspect', $tok);
    is($j->{cache}, '', 'POST again: still not cached');
    my $g = eval { json_dec(get('/inspect', $tok)->{body}) } || {};
    is($g->{cache}, 'MISS', 'GET after POST: MISS (POST wrote no entry)');
    $g = eval { json_dec(get('/inspect', $tok)->{body}) } || {};
    is($g->{cache}, 'HIT', 'GET again: HIT');
    ($r, $j) = post('/inspect', $tok);
    is($j->{cache}, '', 'POST after a HIT: no cache read');

    ($r, $j) = post('/inspect', "\r\n  $tok\n");
    is($j->{verdict}{status}, 'valid', 'POST with white space: valid');

    my $bad = make_token(key => $stranger, claims => claims());
    ($r, $j) = post('/inspect', $bad);
    is($j->{verdict}{status}, 'bad_signature', 'POST bad signature');
    ok(!$j->{verdict}{verified}, 'POST bad signature: not verified');
    is($j->{key}, undef, 'POST bad signature: key null');

    ($r, $j) = post('/inspect', token(exp => time - 60, iat => time - 600));
    is($j->{verdict}{status}, 'expired', 'POST expired');
    is($j->{verdict}{error}, 'the token has expired', 'POST expired: error');

    ($r, $j) = post('/inspect', 'abc.def');
    is($j->{verdict}{status}, 'malformed', 'POST malformed');

    ($r, $j) = post('/inspect', '');
    is("$r->{status} $j->{verdict}{status}", '200 missing', 'POST empty');
    is($j->{verdict}{error}, '', 'POST empty: no error');

    # the location's own rules decide
    ($r, $j) = post('/inspect-strict', $tok);
    is($j->{verdict}{status}, 'bad_audience',
       'POST to another location: judged by its rules');
    ($r, $j) = post('/inspect-strict',
                    token(aud => 'api://strict', iat => time - 10,
                          exp => time + 7200));
    is_deeply($j->{lint}, ['long_lifetime'],
              "POST: that location's lint settings");

    # the request's own token plays no part
    ($r, $j) = post('/inspect', $bad, headers => [Authorization =>
                                                  "Bearer $tok"]);
    is($j->{verdict}{status}, 'bad_signature',
       'POST: the body is judged, not the Authorization header');
}

# ---- POST: sizes -------------------------------------------------------

{
    my $small = token();                         # far over 100 bytes
    my ($r) = post('/inspect-small', $small);
    is($r->{status}, 413, 'POST over max_token_size: 413');
    ok(index($r->{raw}, (split /\./, $small)[2]) < 0, '413: no signature');
    ($r) = post('/inspect-small', 'x' x 100);
    is($r->{status}, 200, 'POST of exactly max_token_size: 200');
    ($r) = post('/inspect-small', 'x' x 101);
    is($r->{status}, 413, 'POST of max_token_size + 1: 413');

    my $chunked = "POST /inspect-small HTTP/1.1\r\nHost: localhost\r\n"
                . "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                . "40\r\n" . ('a' x 64) . "\r\n40\r\n" . ('b' x 64)
                . "\r\n0\r\n\r\n";
    $r = $t->request('POST /', raw => $chunked);
    is($r->{status}, 413, 'POST chunked over max_token_size: 413');
    $chunked =~ s/40\r\nb+\r\n//;
    $r = $t->request('POST /', raw => $chunked);
    is($r->{status}, 200, 'POST chunked under max_token_size: 200');

    my $big = token(x_pad => 'p' x 3000);
    ($r) = post('/inspect-file', $big);
    is($r->{status}, 413,
       'POST larger than client_body_buffer_size (a file): 413');
    ($r) = post('/inspect-file', token());
    is($r->{status}, 200, 'POST that fits the buffer: 200');

    $r = $t->request('PUT /inspect', body => 'x');
    is($r->{status}, 405, 'PUT: 405');
}

# ---- in a real browser -------------------------------------------------

SKIP: {
    my $dir = root_dir() . '/t/browser';
    my $why = browser_ready($dir);
    skip "browser test: $why", 1 if $why;

    my %tok = browser_tokens();
    my $shot = root_dir() . '/build/inspect-page.png';
    my $cfg = $t->write_file('browser.json', json_enc({
        base => 'http://127.0.0.1:' . $t->port,
        chromium => chromium(),
        path => '/_whoami',
        screenshot => $shot,
        tokens => \%tok,
        user => 'user_01JD8W3K5ZQX2N7RM4PC9TBVHA',
    }));
    my $start = Time::HiRes::time();
    my $out = `node '$dir/inspect-page.mjs' '$cfg' 2>&1`;
    my $rc = $?;
    my $res = eval { json_dec((split /^RESULT /m, $out)[-1]) };
    if (!$res) {
        fail('browser driver ran');
        diag($out);
    } elsif ($res->{skip}) {
        skip "browser test: $res->{skip}", 1;
    } else {
        for my $c (@{ $res->{checks} }) {
            ok($c->{ok}, "browser: $c->{name}") or diag($c->{diag} // '');
        }
        ok($rc == 0, 'browser driver exit status');
        ok(-s $shot, "browser: screenshot at build/inspect-page.png");
        note(sprintf 'browser test took %.1f s', Time::HiRes::time() - $start);
    }
}

$t->done;


sub chromium {
    for (qw(/usr/bin/chromium /usr/bin/chromium-browser)) {
        return $_ if -x $_;
    }
    return;
}

# undef when node, puppeteer-core (npm ci, once) and chromium are there
sub browser_ready {
    my ($dir) = @_;
    return 'no chromium (apt-get install chromium)' unless chromium();
    my $node = `node --version 2>/dev/null` // '';
    return 'no node' unless $node =~ /^v(\d+)/;
    return "node $node too old" if $1 < 18;
    return undef if -d "$dir/node_modules/puppeteer-core";
    my $npm = `cd '$dir' && npm ci --no-audit --no-fund --loglevel=error 2>&1`;
    return 'npm ci of puppeteer-core failed: ' . (split /\n/, $npm)[-1]
        if $? || !-d "$dir/node_modules/puppeteer-core";
    return undef;
}

sub browser_tokens {
    my $now = time;
    my $user = 'user_01JD8W3K5ZQX2N7RM4PC9TBVHA';
    my %real = (sub => $user, sid => 'session_01JD8W4N2G6P0Q9S3XKBR5TE7M',
                jti => '01JD8W4N3AW9HZT6K1C5YQ2MXR',
                iss => 'https://api.workos.com/user_management/'
                     . 'client_01JD8VZ0M6T4XG2B7NQ5RYC3KP',
                org_id => 'org_01JD8W1C9V5HRM2T8QZ6XN3PKB',
                role => 'admin', roles => ['admin', 'billing-manager'],
                permissions => ['posts:read', 'posts:write',
                                'billing:manage', 'members:invite'],
                entitlements => ['audit-logs', 'sso'],
                feature_flags => ['new-dashboard'],
                iat => $now - 65, exp => $now + 235);
    (
        valid => make_token(key => $k1, claims => { %real }),
        expired => make_token(key => $k1, claims => {
            %real, iat => $now - 1200, exp => $now - 900 }),
        lint => make_token(key => $k1, claims => {
            %real, permissions => ['posts:*', 'members:invite'],
            iat => $now - 60, exp => $now + 172800,
            act => { sub => 'admin@example.com', reason => 'support' },
            connection_id => 'conn_01JD8W7RZ5Q3MKV2B9T4XN6HCA',
            directory_id => 'directory_01JD8W8A7KQ2X5N3M9R6T4ZBCV' }),
        xss => make_token(key => $k1, claims => {
            %real, sub => '<script>alert(1)</script>',
            org_id => '"><img src=x onerror=alert(1)>',
            role => '</script>', roles => ['</script><script>alert(2)//'],
            permissions => ['<img src=x onerror=alert(3)>'],
            entitlements => ["'-alert(4)-'"],
            act => { sub => '<svg onload=alert(5)>' },
            connection_id => 'javascript:alert(6)',
            '<b onmouseover=alert(7)>' => '</style><script>alert(8)</script>'
        }),
        paste => make_token(key => $k1, claims => {
            %real, sub => 'user_01PASTEDPASTEDPASTEDPASTE',
            permissions => ['reports:*'] }),
        badsig => make_token(key => $stranger, claims => { %real }),
    );
}
