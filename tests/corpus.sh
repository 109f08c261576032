#!/bin/bash
# corpus.sh - robustness: tcpautopsy on every capture of a corpus of real,
# odd and malformed files, one at a time.
#
# Passes when every run exits 0 or 2, no sanitizer reports, a run that exits 2
# says why on stderr ("tcpautopsy: ..."), every JSON report written parses, every
# HTML report is well formed (xmllint) and every NDJSON line is a JSON object.
# The corpus is $TCPAUTOPSY_CORPUS, else ../shared/corpus next to the source
# tree; without one the test is skipped (exit 77): the corpus is not shipped.

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy

CORPUS=${TCPAUTOPSY_CORPUS:-$top_srcdir/../shared/corpus}
# A crafted file must not hang the run: generous for a sanitized build.
PER_FILE_TIMEOUT=${TCPAUTOPSY_CORPUS_TIMEOUT:-120}

if [ ! -d "$CORPUS" ]; then
	echo "no corpus at $CORPUS: skipped (set TCPAUTOPSY_CORPUS to run it)"
	exit "$SKIP"
fi

# Sanitizers must report, not hide: keep their default of exiting non-zero.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

total=0
ok=0
damaged=0

# corpus_one FILE: one run and its checks.
corpus_one() {
	local file=$1 out="$TMP/out.json" html="$TMP/out.html" ndjson="$TMP/out.ndjson"
	local err="$TMP/stderr" rc=0
	rm -f "$out" "$html" "$ndjson"
	timeout "$PER_FILE_TIMEOUT" "$TCPAUTOPSY" -q "$file" -o "$out" -o "$html" -o "$ndjson" \
		>/dev/null 2>"$err" || rc=$?
	total=$((total + 1))
	if sanitizer_report "$err"; then
		fail "$file: sanitizer report (exit $rc):"
		head -n 40 "$err" >&2
		return 0
	fi
	case $rc in
	0) ok=$((ok + 1)) ;;
	2)
		damaged=$((damaged + 1))
		grep -q '^tcpautopsy: ' "$err" || fail "$file: exit 2 without a message"
		;;
	124) fail "$file: still running after ${PER_FILE_TIMEOUT}s" ;;
	*)
		fail "$file: exit $rc:"
		head -n 20 "$err" >&2
		;;
	esac
	if [ -f "$out" ] && ! "$JSON_EXPECT" "$out" /dev/null >"$TMP/expect.out" 2>&1; then
		fail "$file: the JSON report does not parse:"
		head -n 5 "$TMP/expect.out" >&2
	fi
	if [ -f "$html" ] && [ -n "$XMLLINT" ] && ! "$XMLLINT" --noout "$html" 2>"$TMP/xmllint.out"; then
		fail "$file: the HTML report is not well formed:"
		head -n 5 "$TMP/xmllint.out" >&2
	fi
	# Checked all at once at the end: one python3 start, not one per file.
	if [ -f "$ndjson" ]; then
		printf '%s\n' "$file" >>"$TMP/ndjson.files"
		cat "$ndjson" >>"$TMP/all.ndjson"
	fi
}

# Every NDJSON line of every run is one JSON object.
check_ndjson() {
	[ -s "$TMP/all.ndjson" ] || return 0
	if ! command -v python3 >/dev/null 2>&1; then
		echo "no python3: the NDJSON lines were not parsed"
		return 0
	fi
	if ! python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not isinstance(json.loads(line), dict):
        sys.exit("line %d is not an object" % n)
' "$TMP/all.ndjson" 2>"$TMP/ndjson.out"; then
		fail "an NDJSON line does not parse:"
		head -n 5 "$TMP/ndjson.out" >&2
	fi
}

XMLLINT=$(command -v xmllint || true)
[ -n "$XMLLINT" ] || echo "no xmllint (libxml2-utils): HTML reports are not checked for well-formedness"

while IFS= read -r -d '' file; do
	corpus_one "$file"
done < <(find "$CORPUS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) \
	-print0 | LC_ALL=C sort -z)

check_ndjson
if [ "$total" -eq 0 ]; then
	echo "no capture files under $CORPUS: skipped"
	exit "$SKIP"
fi
echo "corpus: $total files: $ok read cleanly, $damaged unreadable or damaged (exit 2)," \
	"$failures problem(s)"
finish
