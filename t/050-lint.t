# Lint rules (README, Lint codes): $workos_jwt_lint, the error log lines and
# their levels, lint_ignore, lint_reject, lint_max_lifetime, lint off,
# per-minute suppression (the 61-second part runs with WORKOS_JWT_SLOW=1).

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

require_module();

my $t = WorkosJwtTest->new;
my $key = new_key(kid => 'k1');
my $nokid = new_key(kid => undef);
my $jwks = $t->write_file('jwks.json', jwks_json($key, $nokid));
my $now = time;

# the status handler is checked for lint counts only when it exists
my ($has_status) = $t->nginx_t(config => <<"EOF");
        workos_jwt_key_file $jwks;
        location = /counters { workos_jwt_status; }
EOF
my $counters = $has_status ? 'location = /counters { workos_jwt_status; }'
                           : '';

$t->start(config => <<"EOF");
        workos_jwt_key_file $jwks;
        workos_jwt_issuer https://api.workos.com;
        workos_jwt_algorithms RS256 RS512;
        workos_jwt_token_type any;

        location = /lint {
            workos_jwt optional;
            return 200 "\$workos_jwt_lint|\$workos_jwt_status\\n";
        }
        location = /ignore {
            workos_jwt optional;
            workos_jwt_lint_ignore missing_aud missing_org;
            return 200 "\$workos_jwt_lint|\$workos_jwt_status\\n";
        }
        location = /life {
            workos_jwt optional;
            workos_jwt_lint_max_lifetime 1h;
            return 200 "\$workos_jwt_lint|\$workos_jwt_status\\n";
        }
        location = /leeway {
            workos_jwt optional;
            workos_jwt_leeway 60s;
            return 200 "\$workos_jwt_lint|\$workos_jwt_status\\n";
        }
        location = /off {
            workos_jwt optional;
            workos_jwt_lint off;
            return 200 "\$workos_jwt_lint|\$workos_jwt_status\\n";
        }
        location /reject/ {
            workos_jwt on;
            workos_jwt_lint_ignore missing_aud;
            workos_jwt_lint_reject wildcard_permission long_lifetime;
            proxy_pass http://%%UPSTREAM%%;
        }
        location /offreject/ {
            workos_jwt on;
            workos_jwt_lint off;
            workos_jwt_lint_reject impersonated;
            proxy_pass http://%%UPSTREAM%%;
        }
        location = /offvars {
            workos_jwt optional;
            workos_jwt_lint off;
            workos_jwt_lint_reject impersonated;
            return 200 "\$workos_jwt_lint|\$workos_jwt_status\\n";
        }
        $counters
EOF

# a token that triggers exactly the lint code $code (plus what %c adds)
sub lint_tok {
    my ($code, %c) = @_;
    my $k = delete $c{key} || $key;
    my $alg = delete $c{alg} || 'RS256';
    make_token(key => $k, alg => $alg, claims => workos_claims(
        sub => "user_$code", aud => 'api://x', %c));
}

sub line_re {
    my ($level, $code, $sub, $org, $sid) = @_;
    qr/\[$level\] \d+#\d+: (?:\*\d+ )?workos_jwt lint $code: [^\n]*?\Q (sub=$sub org=$org sid=$sid)\E/;
}

my $ORG = 'org_01HXYZORG00000000000000000';
my $SID = 'session_01HXYZSESSION000000000000';

sub lint_case {
    my ($code, $level, $tok, %o) = @_;
    my ($org, $sid) = ($o{org} // $ORG, $o{sid} // $SID);
    { name => "lint $code", request => 'GET /lint', token => $tok,
      response_body => ($o{list} // $code) . "|valid\n",
      error_log => line_re($level, $code, "user_$code", $org, $sid) };
}

my @cases = run_cases($t,
    # lint off does not switch lint_reject off (README,
    # workos_jwt_lint_reject); these
    # come first: a line logged here would suppress the /lint ones below
    rejected('lint off, lint_reject impersonated: rejected',
             'GET /offreject/x',
             lint_tok('offrej', act => { sub => 'user_admin' }),
             'lint_rejected'),
    { name => 'lint off, lint_reject: nothing listed, nothing logged',
      request => 'GET /offvars',
      token => lint_tok('offrej', act => { sub => 'user_admin' }),
      response_body => "|lint_rejected\n",
      no_error_log => 'lint impersonated' },
    { name => 'lint off, lint_reject: a clean token passes',
      request => 'GET /offreject/x', token => lint_tok('offrej'),
      error_code => 200 },

    lint_case(missing_aud => 'warn', lint_tok('missing_aud', aud => undef)),
    { name => 'lint_ignore: not listed, not logged', request => 'GET /ignore',
      token => lint_tok('ignored', aud => undef, org_id => undef),
      response_body => "|valid\n",
      no_error_log => ['lint missing_org', 'lint missing_aud'] },
    lint_case(wildcard_permission => 'warn', lint_tok('wildcard_permission',
        permissions => ['posts:read', 'posts:*'])),
    lint_case(long_lifetime => 'warn', lint_tok('long_lifetime',
        iat => $now - 10, exp => $now + 25 * 3600)),
    lint_case(missing_iat => 'warn', lint_tok('missing_iat', iat => undef)),
    lint_case(iat_in_future => 'warn', lint_tok('iat_in_future',
        iat => $now + 100)),
    lint_case(missing_kid => 'warn', lint_tok('missing_kid', key => $nokid)),
    lint_case(non_rs256 => 'notice', lint_tok('non_rs256', alg => 'RS512')),
    lint_case(missing_org => 'info', lint_tok('missing_org', org_id => undef,
        sid => undef), org => '-', sid => '-'),
    lint_case(impersonated => 'notice', lint_tok('impersonated',
        act => { sub => 'user_admin' })),
    lint_case(sso_session => 'info', lint_tok('sso_session',
        connection_id => 'conn_01')),

    # suppression: the same code again within a minute is not logged
    { name => 'second wildcard_permission within a minute: not logged',
      request => 'GET /lint', token => lint_tok('again',
          permissions => ['*']),
      response_body => "wildcard_permission|valid\n",
      no_error_log => 'lint wildcard_permission' },
    { name => 'other codes are logged independently', request => 'GET /lint',
      token => lint_tok('missing_org2', org_id => undef,
                        permissions => ['*']),
      response_body_like => qr/^[\w,]+\|valid$/,
      no_error_log => 'lint missing_org' },

    # thresholds and switches
    { name => 'lint_max_lifetime 1h: 2h token', request => 'GET /life',
      token => lint_tok('life', exp => $now + 7200),
      response_body => "long_lifetime|valid\n" },
    { name => 'lint_max_lifetime 1h: 30m token', request => 'GET /life',
      token => lint_tok('life', exp => $now + 1800),
      response_body => "|valid\n" },
    { name => 'default 24h: 2h token', request => 'GET /lint',
      token => lint_tok('life', exp => $now + 7200),
      response_body => "|valid\n" },
    { name => 'iat 30s ahead within 60s leeway', request => 'GET /leeway',
      token => lint_tok('lw', iat => $now + 30), response_body => "|valid\n" },
    { name => 'iat 200s ahead beyond leeway', request => 'GET /leeway',
      token => lint_tok('lw', iat => $now + 200),
      response_body => "iat_in_future|valid\n" },
    { name => 'lint off', request => 'GET /off',
      token => lint_tok('off', permissions => ['*'], aud => undef),
      response_body => "|valid\n" },

    # lint_reject
    rejected('lint_reject wildcard_permission', 'GET /reject/x',
             lint_tok('rej', permissions => ['posts:*']), 'lint_rejected'),
    rejected('lint_reject long_lifetime', 'GET /reject/x',
             lint_tok('rej', exp => $now + 30 * 3600), 'lint_rejected'),
    { name => 'lint_reject: clean token passes', request => 'GET /reject/x',
      token => lint_tok('rej'), error_code => 200 },
    { name => 'lint_reject: other findings do not reject',
      request => 'GET /reject/x', error_code => 200,
      token => lint_tok('rej', org_id => undef, iat => undef) },

    # several findings at once
    { name => 'several codes listed', request => 'GET /lint',
      token => make_token(key => $nokid, alg => 'RS512',
          claims => workos_claims(org_id => undef, act => { sub => 'u' },
              connection_id => 'conn_1', permissions => ['a:*'])) },
);

my %want = map { $_ => 1 } qw(missing_aud missing_kid non_rs256 missing_org
    impersonated sso_session wildcard_permission);
my ($list) = $cases[-1]{res}{body} =~ /^([^|]*)\|valid$/;
is(join(',', sort split /,/, $list // ''), join(',', sort keys %want),
   'several codes: exactly the expected set');

ok($has_status, 'workos_jwt_status exists (for lint counts)');
my $r = $t->request('GET /counters');
my $st = eval { json_dec($r->{body}) } || {};
# wildcard_permission: 5 findings (3 at /lint, one suppressed from the log,
# 1 at /reject, 1 in "several"; none at /off); missing_aud: 2 (ignored at
# /ignore and /reject); missing_org: 4 (3 at /lint, 1 at /reject)
is($st->{lint}{wildcard_permission}, 5,
   'status counts every finding, suppressed ones too') or diag($r->{body});
is($st->{lint}{missing_aud}, 2, 'ignored findings are not counted');
is($st->{lint}{missing_org}, 4, 'missing_org count');
# impersonated: 2 (at /lint and in "several"), none where lint is off
is($st->{lint}{impersonated}, 2,
   'lint off: a finding that rejects is not counted');

if ($ENV{WORKOS_JWT_SLOW}) {
    sleep 61;
    run_cases($t,
        { name => 'after a minute: logged again with a suppressed count',
          request => 'GET /lint',
          token => lint_tok('later', permissions => ['*']),
          error_log => [line_re('warn', 'wildcard_permission', 'user_later',
                                $ORG, $SID), qr/suppress/i] });
}
$t->done;
