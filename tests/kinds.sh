#!/bin/bash
# kinds.sh - the catalog of kinds is one table: --list-kinds in every format
# agrees with analyzer/kinds.c, and the man page's KINDS and THRESHOLDS
# sections are exactly `tcpautopsy --list-kinds=man`.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy

MAN="$top_srcdir/doc/tcpautopsy.1"

"$TCPAUTOPSY" --list-kinds=man >"$TMP/kinds.man" || fail "--list-kinds=man failed"
sed -n '/^\.\\" BEGIN tcpautopsy --list-kinds=man/,/^\.\\" END/p' "$MAN" | sed '1d;$d' >"$TMP/man.block"
if cmp -s "$TMP/kinds.man" "$TMP/man.block"; then
	pass "the man page's KINDS block is --list-kinds=man"
else
	fail "doc/tcpautopsy.1 is out of date: replace the block between the BEGIN and END" \
		"markers with the output of 'tcpautopsy --list-kinds=man':"
	diff -u "$TMP/man.block" "$TMP/kinds.man" | head -40 >&2
fi

# Every kind id of the source table is listed, once, in text and JSON.
ids=$(sed -n 's/^\t\[KIND_[A-Z0-9_]*\] = { "\([a-z0-9_]*\)".*/\1/p' "$top_srcdir/analyzer/kinds.c")
[ -n "$ids" ] || fail "no kind ids found in analyzer/kinds.c"
"$TCPAUTOPSY" --list-kinds | sed '/^Thresholds/q' >"$TMP/kinds.txt" || fail "--list-kinds failed"
"$TCPAUTOPSY" --list-kinds=json >"$TMP/kinds.json" || fail "--list-kinds=json failed"
missing=0
for id in $ids; do
	[ "$(grep -c "^  $id " "$TMP/kinds.txt")" = 1 ] || { fail "--list-kinds does not list $id once"; missing=1; }
	grep -q "\"id\":	\"$id\"" "$TMP/kinds.json" || { fail "--list-kinds=json does not list $id"; missing=1; }
done
[ "$missing" = 1 ] || pass "--list-kinds lists the $(echo "$ids" | wc -w) kinds of analyzer/kinds.c"

# Thresholds: the command line changes what is listed; nonsense is refused.
"$TCPAUTOPSY" --list-kinds -T fin_wait2_stall=90s | grep -q '^  fin_wait2_stall  *90 s ' &&
	pass "-T changes the listed threshold" || fail "-T fin_wait2_stall=90s not shown by --list-kinds"
rc=0
"$TCPAUTOPSY" -T no_such=3 --list-kinds >/dev/null 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] && grep -q "no such threshold" "$TMP/err" &&
	pass "an unknown threshold is a usage error" || fail "-T no_such=3: exit $rc"
rc=0
"$TCPAUTOPSY" --list-kinds=xml >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] && pass "--list-kinds=xml is a usage error" || fail "--list-kinds=xml: exit $rc"
finish
