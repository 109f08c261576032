#!/bin/bash
# browser.sh - the HTML report of every sample capture, opened in headless Chromium.
#
# For samples/NAME.pcap or samples/NAME.pcapng, `tcpautopsy -o NAME.html` must write a
# report that loads with no exception, no console or browser error or warning (a CSP
# violation is one), no request beyond the file, and a title and text, with JavaScript
# and without (tests/browser_check.py --no-script). One browser opens every report.
#
# Skipped (77) without python3 or Chromium, and while tcpautopsy has no HTML format.
# SCREENSHOTS=DIR (make screenshots) also writes DIR/NAME-light.png and NAME-dark.png.

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/browser_lib.sh"
require_browser
# Not require_tcpautopsy: make screenshots builds tcpautopsy alone, not json_expect.
if [ ! -x "$TCPAUTOPSY" ]; then
	echo "ERROR: $TCPAUTOPSY is not built" >&2
	exit 99
fi

# A sanitized build is slow, but no sample takes more than a few seconds.
PER_FILE_TIMEOUT=120
REPORTS="$TMP/reports"
mkdir "$REPORTS"

# The format is probed on a capture of our own, so a missing writer is told apart from a
# writer that fails on a sample.
make_pcap "$TMP/tiny.pcap"
run_tcpautopsy -q -F html -o "$TMP/probe.html" "$TMP/tiny.pcap"
if [ "$rc" -eq 1 ] && grep -q "unknown format 'html'" "$TMP/stderr"; then
	echo "tcpautopsy has no HTML report yet (-F html: $(cat "$TMP/stderr")): skipped"
	exit "$SKIP"
fi

# report_one FILE: writes the report of one sample into $REPORTS.
report_one() {
	local file=$1 base out rc=0
	base=$(basename "$file")
	out="$REPORTS/${base%.*}.html"
	# Two samples may differ only in their extension; keep both reports.
	[ ! -e "$out" ] || out="$REPORTS/$base.html"
	timeout "$PER_FILE_TIMEOUT" "$TCPAUTOPSY" -q "$file" -o "$out" 2>"$TMP/stderr" || rc=$?
	if sanitizer_report "$TMP/stderr"; then
		fail "samples/$base: sanitizer report (exit $rc):"
		head -n 40 "$TMP/stderr" >&2
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
		# 2 is allowed: a sample may show a damaged file; the report still says so.
		fail "samples/$base: tcpautopsy -o ${out##*/} exited $rc:"
		sed 's/^/    /' "$TMP/stderr" >&2
	elif [ ! -s "$out" ]; then
		fail "samples/$base: tcpautopsy exited $rc but wrote no ${out##*/}"
	fi
}

count=0
while IFS= read -r file; do
	report_one "$file"
	count=$((count + 1))
done < <(sample_captures)
if [ "$count" -eq 0 ]; then
	echo "ERROR: no captures in $SAMPLES" >&2
	exit 99
fi

shots=()
if [ -n "${SCREENSHOTS:-}" ]; then
	mkdir -p "$SCREENSHOTS"
	SCREENSHOTS=$(cd "$SCREENSHOTS" && pwd)
	rm -f "$SCREENSHOTS"/*-light.png "$SCREENSHOTS"/*-dark.png
	shots=(--screenshot-dir "$SCREENSHOTS")
fi

shopt -s nullglob
reports=("$REPORTS"/*.html)
shopt -u nullglob
if [ ${#reports[@]} -ne 0 ]; then
	# Relative names: the log reads "OK refused.html".
	cd "$REPORTS" || exit 99
	browser_check --no-script ${shots[@]+"${shots[@]}"} "${reports[@]##*/}"
	case $rc in
	0) pass "${#reports[@]} reports open cleanly, with JavaScript and without" ;;
	"$SKIP") exit "$SKIP" ;;
	*) fail "browser_check.py exited $rc: see the FAIL lines above" ;;
	esac
fi
if [ -n "${SCREENSHOTS:-}" ] && [ "$failures" -eq 0 ]; then
	echo "screenshots of ${#reports[@]} reports in $SCREENSHOTS"
fi
finish
