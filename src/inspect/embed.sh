#!/bin/sh
# Turns the debugger page (inspect.html, inspect.css, inspect.js in DIR)
# into a C header for ngx_http_workos_jwt_page.c: the page up to the data
# island (style inlined) and from it to the end (script inlined), as byte
# arrays, with where the inline style and script sit for their CSP hashes.
#   sh embed.sh DIR OUT.h
# Runs from the nginx build (objs/Makefile, see ../../config); POSIX sh,
# awk and od only.

set -e

dir=$1
out=$2
tmp=$out.tmp.$$

trap 'rm -f "$tmp".*' EXIT

for f in inspect.html inspect.css inspect.js; do
    if [ ! -s "$dir/$f" ]; then
        echo "embed.sh: $dir/$f is missing or empty" >&2
        exit 1
    fi
done

# the inline elements must not end early
if grep -qi '</style' "$dir/inspect.css"; then
    echo "embed.sh: inspect.css contains </style" >&2
    exit 1
fi

if grep -qi '</script\|<!--' "$dir/inspect.js"; then
    echo "embed.sh: inspect.js contains </script or <!--" >&2
    exit 1
fi

# inspect.html holds, each on a line of its own:
#     <link rel="stylesheet" href="inspect.css">
#     <script type="application/json" id="wjwt-data">
#     ... sample data for a preview of the file, dropped here ...
#     </script>
#     <script src="inspect.js"></script>

LC_ALL=C awk -v p="$tmp" '
    function piece(n) { return p "." n }
    BEGIN { n = 1; state = 0; found = 0 }
    state == 0 && /^[ \t]*<link rel="stylesheet" href="inspect.css">[ \t]*$/ {
        printf "<style>" > piece(n); close(piece(n)); n++
        printf "</style>\n" > piece(n); found++; next
    }
    state == 0 \
    && /^[ \t]*<script type="application\/json" id="wjwt-data">[ \t]*$/ {
        sub(/^[ \t]*/, ""); sub(/[ \t]*$/, "")
        printf "%s", $0 > piece(n); close(piece(n)); n++
        state = 1; found++; next
    }
    state == 1 {
        if ($0 ~ /^[ \t]*<\/script>[ \t]*$/) {
            printf "</script>\n" > piece(n); state = 0
        }
        next
    }
    /^[ \t]*<script src="inspect.js"><\/script>[ \t]*$/ {
        printf "<script>" > piece(n); close(piece(n)); n++
        printf "</script>\n" > piece(n); found++; next
    }
    { print > piece(n) }
    END {
        if (found != 3 || n != 4 || state != 0) {
            print "embed.sh: inspect.html lacks the style link, the data " \
                  "island or the script line (each once, in that order)" \
                  > "/dev/stderr"
            exit 1
        }
    }
' "$dir/inspect.html"

cat "$tmp.1" "$dir/inspect.css" "$tmp.2" > "$tmp.head"
cat "$tmp.3" "$dir/inspect.js" "$tmp.4" > "$tmp.tail"

size() {
    wc -c < "$1" | tr -d ' '
}

bytes() {
    od -An -v -tx1 "$1" | LC_ALL=C awk '
        { for (i = 1; i <= NF; i++) {
              printf "%s0x%s,", (c % 12 == 0 ? "\n    " : " "), $i; c++ } }
        END { printf "\n" }'
}

def="#define NGX_HTTP_WORKOS_JWT_PAGE"

{
    echo "/* made by src/inspect/embed.sh from src/inspect/: do not edit */"
    echo
    echo "${def}_STYLE_OFF   $(size "$tmp.1")"
    echo "${def}_STYLE_LEN   $(size "$dir/inspect.css")"
    echo "${def}_SCRIPT_OFF  $(size "$tmp.3")"
    echo "${def}_SCRIPT_LEN  $(size "$dir/inspect.js")"
    echo
    echo "static const u_char  ngx_http_workos_jwt_page_head[] = {"
    bytes "$tmp.head"
    echo "};"
    echo
    echo "static const u_char  ngx_http_workos_jwt_page_tail[] = {"
    bytes "$tmp.tail"
    echo "};"
} > "$tmp.h"

mv -f "$tmp.h" "$out"
