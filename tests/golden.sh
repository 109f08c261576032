#!/bin/bash
# golden.sh - the JSON report of every sample capture, compared with the
# reviewed one in tests/golden/.
#
# For samples/NAME.pcap or samples/NAME.pcapng:
#   tests/golden/NAME.json    the expected report (byte for byte)
#   tests/golden/NAME.args    optional extra arguments, one per line
#   tests/golden/NAME.expect  optional field-level facts (see tests/json_expect.c)
#                             that must hold even when the golden file is updated
#   tests/golden/NAME.TOPIC.expect  more of them, one file per topic (the
#                             findings of one detector family, say)
#
# The tool runs from $top_srcdir on the relative path samples/FILE, because the
# report records the path as given. UPDATE=1 (make update-golden) rewrites
# every golden file, creating the missing ones; review the diff before
# committing it. The .expect checks run in both modes.

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy

UPDATE=${UPDATE:-0}
compared=0
updated=0

# golden_one FILE: runs one sample; compares or updates.
golden_one() {
	local file=$1 base name out rc
	base=$(basename "$file")
	name=${base%.*}
	if [ "$UPDATE" != 1 ] && [ ! -f "$GOLDEN/$name.json" ]; then
		echo "no golden file for samples/$base"
		return 0
	fi
	out="$TMP/$name.json"
	if ! run_sample "$file" -o "$out" || [ ! -f "$out" ]; then
		fail "samples/$base: tcpautopsy exited $rc"
		sed 's/^/    /' "$TMP/stderr" >&2
		return 0
	fi
	if [ "$UPDATE" = 1 ]; then
		if ! cmp -s "$out" "$GOLDEN/$name.json"; then
			cp "$out" "$GOLDEN/$name.json"
			echo "updated tests/golden/$name.json"
			updated=$((updated + 1))
		fi
	elif diff -u "$GOLDEN/$name.json" "$out" >"$TMP/$name.diff"; then
		pass "samples/$base matches tests/golden/$name.json"
	else
		fail "samples/$base differs from tests/golden/$name.json" \
			"(if intended: make update-golden, then review the diff):"
		head -n 200 "$TMP/$name.diff" >&2
	fi
	compared=$((compared + 1))
	golden_expect "$name" "$out"
}

golden_expect() {
	local name=$1 out=$2 exp rel
	for exp in "$GOLDEN/$name.expect" "$GOLDEN/$name".*.expect; do
		[ -f "$exp" ] || continue
		rel=tests/golden/$(basename "$exp")
		if "$JSON_EXPECT" "$out" "$exp" >"$TMP/expect.out" 2>&1; then
			pass "$rel holds"
		else
			fail "$rel does not hold:"
			sed 's/^/    /' "$TMP/expect.out" >&2
		fi
	done
}

if [ "$UPDATE" = 1 ]; then
	mkdir -p "$GOLDEN"
fi
while IFS= read -r file; do
	[ -n "$file" ] && golden_one "$file"
done < <(sample_captures)

if [ "$UPDATE" = 1 ]; then
	echo "$compared sample(s) run, $updated golden file(s) written"
elif [ "$compared" -eq 0 ]; then
	echo "no golden files yet: nothing to compare (make update-golden creates them)"
else
	echo "$compared sample(s) compared"
fi
finish
