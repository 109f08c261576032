#!/bin/bash
# ndjson.sh - the NDJSON output (-F ndjson) as a log pipeline takes it.
#
# For every sample, one run writes the JSON report and the NDJSON together;
# tests/ndjson_check.py (Python's standard library) then checks that each line
# parses alone as an object with the ECS fields and their types, that there is
# one event line per connection and one alert line per finding with the same
# ids, and that each line's tcpautopsy object is the report's. Every line must
# also hold doc/tcpautopsy-ndjson.schema.json (the ingest format check, with
# tests/schema_check.py). Then the ways to ask for NDJSON: -o x.ndjson,
# -o x.jsonl, -F ndjson -o -, all writing the same bytes.
#
# Needs python3 and its jsonschema module; skipped without them.

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy
require_jsonschema

SCHEMA="$top_srcdir/doc/tcpautopsy-ndjson.schema.json"
CHECK="$top_srcdir/tests/schema_check.py"
NDJSON_CHECK="$top_srcdir/tests/ndjson_check.py"

# Every sample: JSON and NDJSON from one run agree.
test_samples() {
	local file base rc lines=0 outs=()
	while IFS= read -r file; do
		base=$(basename "$file")
		if ! run_sample "$file" -o "$TMP/$base.json" -o "$TMP/$base.ndjson"; then
			fail "samples/$base: tcpautopsy failed:"
			sed 's/^/    /' "$TMP/stderr" >&2
			continue
		fi
		if python3 "$NDJSON_CHECK" "$TMP/$base.json" "$TMP/$base.ndjson" >"$TMP/check.out" 2>&1
		then
			pass "samples/$base: $(wc -l <"$TMP/$base.ndjson") lines agree with the JSON report"
		else
			fail "samples/$base: the NDJSON does not agree with the JSON report:"
			sed 's/^/    /' "$TMP/check.out" >&2
		fi
		outs+=("$TMP/$base.ndjson")
		lines=$((lines + $(wc -l <"$TMP/$base.ndjson")))
	done < <(sample_captures)
	[ ${#outs[@]} -gt 0 ] || { fail "no sample to run"; return; }
	[ "$lines" -gt 0 ] || fail "the samples gave no NDJSON line at all"
	if python3 "$CHECK" --lines "$SCHEMA" "${outs[@]}" >"$TMP/check.out" 2>&1; then
		pass "ingest format check: $lines lines of ${#outs[@]} samples hold $(basename "$SCHEMA")"
	else
		fail "ingest format check: lines break $(basename "$SCHEMA"):"
		sed 's/^/    /' "$TMP/check.out" | head -n 40 >&2
	fi
}

# same_bytes WHAT FILE: FILE is the reference NDJSON of all samples.
same_bytes() {
	if [ -s "$2" ] && cmp -s "$TMP/all.ndjson" "$2"; then
		pass "$1 writes the same NDJSON"
	else
		fail "$1 does not write the same NDJSON as -o all.ndjson"
	fi
}

# The ways to choose NDJSON, over all samples at once (several captures).
test_choosing() {
	local all rc=0
	sample_paths
	cd "$top_srcdir"
	"$TCPAUTOPSY" -q "${all[@]}" -o "$TMP/all.ndjson" -o "$TMP/all.json" 2>"$TMP/stderr" || rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
		fail "all samples, -o all.ndjson: exit $rc"
		return
	fi
	python3 "$NDJSON_CHECK" "$TMP/all.json" "$TMP/all.ndjson" >"$TMP/check.out" 2>&1 &&
		pass "-o all.ndjson: NDJSON that agrees with the JSON report" ||
		{ fail "-o all.ndjson:"; sed 's/^/    /' "$TMP/check.out" >&2; }
	"$TCPAUTOPSY" -q "${all[@]}" -o "$TMP/ALL.JSONL" 2>/dev/null || true
	same_bytes "-o ALL.JSONL" "$TMP/ALL.JSONL"
	"$TCPAUTOPSY" -q "${all[@]}" -F ndjson -o - >"$TMP/stdout.ndjson" 2>/dev/null || true
	same_bytes "-F ndjson -o -" "$TMP/stdout.ndjson"
	"$TCPAUTOPSY" -q "${all[@]}" -F ndjson -o "$TMP/forced.json" 2>/dev/null || true
	same_bytes "-F ndjson -o forced.json" "$TMP/forced.json"
	cd - >/dev/null
}

test_samples
test_choosing
finish
