# The repository stands alone: a user's clone has no shared folder beside
# it (the project's spec and vectors lived there during development).
# No tracked file may read it, and the test vectors the unit tests and the
# fuzzers use are in t/vectors with their provenance and licenses.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use WorkosJwtTest;

my $root = root_dir();

SKIP: {
    skip 'not a git checkout', 1 unless -d "$root/.git";
    my $dir = '..' . '/shared';
    my @uses = grep { !/^CHANGELOG\.md:/ }
               split /\n/, `git -C '$root' grep -n -I -F -e '$dir' -- . 2>/dev/null`;
    is_deeply(\@uses, [], 'no tracked file reads the shared folder')
        or diag(join "\n", @uses);
}

for my $f (qw(README.md rfc/SOURCE.md wycheproof/SOURCE.md wycheproof/LICENSE
              wycheproof/rsa_signature_2048_sha256_test.json
              wycheproof/json_web_signature_test.json
              rfc/rfc7515_a2_rs256.json)) {
    ok(-s "$root/t/vectors/$f", "t/vectors/$f is in the repository");
}

like(slurp("$root/t/unit/tap.h"), qr{"t/vectors"},
     'the unit tests read t/vectors by default');
like(slurp("$root/scripts/fuzz.sh"), qr{VECTORS:-\$top/t/vectors},
     'the fuzzers take their seeds from t/vectors');
ok(-s "$root/LICENSE" && slurp("$root/LICENSE") =~ /Redistribution and use/,
   'LICENSE: BSD-2-Clause');
like(slurp("$root/packaging/debian/copyright"), qr/License: BSD-2-Clause/,
     'the Debian copyright file names the license');

done_testing();
