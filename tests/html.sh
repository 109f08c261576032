#!/bin/bash
# html.sh - the HTML report: well formed, self-contained, deterministic,
# escaped, with the right verdict, and bounded on big captures.
#
# For every samples/NAME.pcap (or .pcapng) the report is written twice and
# must be byte-identical, parse as XML (xmllint --noout; skipped with a message
# when xmllint is missing: install libxml2-utils), reference nothing outside
# the page, and keep its <style> and <script> free of what an HTML parser
# would read differently from an XML one. Then: the verdict of a few samples,
# a hostile file name, and the caps of the connection table and of a kind's
# findings on captures bigger than the caps (bench/gencap, and a capture of
# refused connections built here).

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy

GENCAP="$top_builddir/bench/gencap"
have_xmllint=0
if command -v xmllint >/dev/null 2>&1; then
	have_xmllint=1
else
	echo "SKIP (part): xmllint not found, so the reports are not parsed as XML;" \
		"install libxml2-utils (./quickstart check does) to check it"
fi

# html_of SAMPLE OUT: writes the report of samples/SAMPLE (run from the source
# tree, so the page names the file as samples/SAMPLE); rc in $rc.
html_of() {
	rc=0
	(cd "$top_srcdir" && "$TCPAUTOPSY" -q "samples/$1" -o "$2") 2>"$TMP/stderr" || rc=$?
}

# well_formed FILE WHAT
well_formed() {
	[ "$have_xmllint" = 1 ] || return 0
	if xmllint --noout --nonet "$1" 2>"$TMP/xmllint.out"; then
		pass "$2: well-formed XML"
	else
		fail "$2: not well-formed XML:"
		head -n 20 "$TMP/xmllint.out" >&2
	fi
}

# self_contained FILE WHAT: nothing the browser would fetch. Every link is to
# an anchor of the page; no src, no url(), no @import; the policy forbids the
# rest.
self_contained() {
	local f=$1 what=$2 bad
	bad=$(grep -oE '(href|src|xlink:href)="[^"]*"' "$f" | grep -v '^href="#' | head -n 3 || true)
	[ -z "$bad" ] || fail "$what: references outside the page: $bad"
	if grep -Eiq 'url\(|@import' "$f"; then
		fail "$what: the stylesheet loads something: $(grep -Eio '.{20}(url\(|@import).{20}' "$f" | head -n 1)"
	fi
	grep -q "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\"" "$f" ||
		fail "$what: no Content-Security-Policy forbidding requests"
}

# polyglot FILE WHAT: what makes the XML also right for an HTML parser.
polyglot() {
	local f=$1 what=$2 raw
	[ "$(head -n 1 "$f")" = "<!DOCTYPE html>" ] || fail "$what: the first line is not <!DOCTYPE html>"
	grep -q '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"' "$f" ||
		fail "$what: no XHTML root element"
	# An HTML parser reads no entities in <style> and <script>.
	raw=$(awk '/<(style|script)>/ { on = 1 } on { print } /<\/(style|script)>/ { on = 0 }' "$f" |
		grep -oE '.{0,30}(&(gt|lt|amp);|CDATA).{0,10}' | head -n 3 || true)
	[ -z "$raw" ] || fail "$what: escaped text in <style> or <script>: $raw"
	# "<div/>" would stay open in HTML: only void elements may be empty tags.
	raw=$(grep -oE '<(div|span|p|a|td|th|tr|li|ul|ol|dl|dt|dd|code|section|article|figure|script|style|title|table|tbody|thead|strong|b|h[1-6]|details|summary|nav|main|header|footer)( [^>]*)?/>' "$f" | head -n 3 || true)
	[ -z "$raw" ] || fail "$what: self-closed non-void elements: $raw"
	# ...and a void element XHTML 1.0 does not know (<wbr>) gets an end tag from libxml2.
	raw=$(grep -oE '</(wbr|area|base|br|col|embed|hr|img|input|link|meta|source|track)>' "$f" |
		head -n 3 || true)
	[ -z "$raw" ] || fail "$what: end tags of void elements: $raw"
}

# section_text FILE ID: the text of <section id="ID">, tags removed.
section_text() {
	awk -v id="$2" '
		index($0, "<section id=\"" id "\"") { on = 1 }
		on && /<section id="/ && !index($0, "<section id=\"" id "\"") { exit }
		on { print }' "$1" | sed 's/<[^>]*>/ /g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g'
}

# section_text_raw FILE ID: the markup of <section id="ID">.
section_text_raw() {
	awk -v id="$2" '
		index($0, "<section id=\"" id "\"") { on = 1 }
		on && /<section id="/ && !index($0, "<section id=\"" id "\"") { exit }
		on { print }' "$1"
}

test_samples() {
	local file base out n=0
	while IFS= read -r file; do
		base=$(basename "$file")
		out="$TMP/${base%.*}.html"
		html_of "$base" "$out"
		if { [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; } || [ ! -s "$out" ]; then
			fail "samples/$base: exit $rc, no report"
			sed 's/^/    /' "$TMP/stderr" >&2
			continue
		fi
		if sanitizer_report "$TMP/stderr"; then
			fail "samples/$base: sanitizer report"
			sed 's/^/    /' "$TMP/stderr" >&2
		fi
		well_formed "$out" "samples/$base"
		self_contained "$out" "samples/$base"
		polyglot "$out" "samples/$base"
		mkdir -p "$TMP/again"
		html_of "$base" "$TMP/again/${base%.*}.html"
		cmp -s "$out" "$TMP/again/${base%.*}.html" || fail "samples/$base: two runs differ"
		n=$((n + 1))
	done < <(sample_captures)
	[ "$n" -gt 0 ] || fail "no sample captures found in $SAMPLES"
	pass "$n sample reports checked"
}

# expect_verdict SAMPLE WHAT PATTERN...: the verdict's text matches each
# extended regular expression.
expect_verdict() {
	local sample=$1 what=$2 re
	shift 2
	section_text "$TMP/$sample.html" verdict | tr -s ' \n' '  ' >"$TMP/verdict.txt"
	for re in "$@"; do
		if grep -Eq -- "$re" "$TMP/verdict.txt"; then
			pass "$sample: verdict says $what ($re)"
		else
			fail "$sample: verdict does not match '$re':"
			cut -c1-600 "$TMP/verdict.txt" >&2
		fi
	done
}

test_verdicts() {
	# The roll-ups lead: the listener, what happened to it, how bad.
	expect_verdict accept-backlog-server "the overflow on the listener" \
		'^ Verdict +critical +192\.0\.2\.2:8080 +accept queue overflowed: 4 connections dropped' \
		'accept_queue_overflow' 'warning +192\.0\.2\.2:8080 .*listener_syn_drop' \
		'Check .*nstat -az TcpExtListenOverflows'
	expect_verdict close-wait-reuse-server "the leak on the listener" \
		'^ Verdict +critical +192\.0\.2\.2:8080 +leaves sockets in CLOSE-WAIT: 4 connections' \
		'close_wait_leak' 'syn_to_close_wait' \
		"Check .*ss -tan state close-wait"
	expect_verdict healthy-client "no problems, and what was checked" \
		'No problems found\.' 'Checked 4 connections .* for the [0-9]+ kinds of problem'
	if grep -q 'class="line ' "$TMP/healthy-client.html"; then
		fail "healthy-client: the verdict lists a problem"
	fi
}

# status_line SAMPLE: the one line under the page's title, tags removed.
status_line() {
	grep -o '<p class="status[^"]*">[^<]*</p>' "$TMP/$1.html" | sed 's/<[^>]*>//g'
}

# expect_page SAMPLE WHAT COMMAND...: COMMAND (given the page as its last argument) succeeds.
expect_page() {
	local sample=$1 what=$2
	shift 2
	if "$@" "$TMP/$sample.html"; then
		pass "$sample: $what"
	else
		fail "$sample: $what"
	fi
}

# expect_none SAMPLE WHAT ERE: no line of the page matches.
expect_none() {
	if grep -Eq -- "$3" "$TMP/$1.html"; then
		fail "$1: $2: $(grep -Eo -- ".{0,30}($3).{0,30}" "$TMP/$1.html" | head -n 1)"
	else
		pass "$1: $2"
	fi
}

# article_of SAMPLE ID: the <article> of finding ID.
article_of() {
	awk -v id="id=\"f$2\"" 'index($0, "<article ") && index($0, id) { on = 1 }
		on { print } on && /<\/article>/ { exit }' "$TMP/$1.html"
}

# What the release review of the pages found, one check per fix.
test_review() {
	local s
	# A damaged capture with only notes is not a plain all clear, in any of the three places.
	s=$(status_line truncated-tail)
	case $s in
	"Damaged capture: nothing serious found in the frames that could be read "*)
		pass "truncated-tail: the status says the capture is damaged" ;;
	*) fail "truncated-tail: status '$s' does not say the capture is damaged" ;;
	esac
	expect_page truncated-tail "the title says the capture is damaged" \
		grep -q '<title>[^<]*: damaged capture, nothing serious, 1 note - tcpautopsy</title>'
	expect_verdict truncated-tail "what was read" \
		'Nothing serious found in the frames that could be read\.'
	# Informational findings are acknowledged as notes, shown, not folded away.
	s=$(status_line mirror-duplicates)
	case $s in
	"Nothing serious found · 1 informational finding · "*)
		pass "mirror-duplicates: the status acknowledges the note" ;;
	*) fail "mirror-duplicates: status '$s'" ;;
	esac
	expect_verdict mirror-duplicates "nothing serious, with its note" \
		'Nothing serious found\.' 'None rose to a warning' 'capture_duplicates'
	expect_page mirror-duplicates "the notes are open" \
		grep -q '<details class="info-lines" open="open">'
	# A finding that sums up a roll-up of another kind is not a second line.
	section_text "$TMP/accept-backlog-reset-server.html" verdict >"$TMP/verdict.txt"
	s=$(grep -o 'accept queue overflowed' "$TMP/verdict.txt" | wc -l)
	[ "$s" -eq 1 ] && pass "accept-backlog-reset-server: the overflow is said once" ||
		fail "accept-backlog-reset-server: the overflow is said $s times in the verdict"
	# Both overflow kinds on one listener, summed up by one listener finding:
	# one verdict line, not the same sentence twice.
	"$TCPAUTOPSY" -q "$SAMPLES/accept-backlog-server.pcap" "$SAMPLES/accept-backlog-reset-server.pcap" \
		-o "$TMP/both-overflows.html" 2>"$TMP/stderr" || fail "both overflows: tcpautopsy failed"
	section_text "$TMP/both-overflows.html" verdict >"$TMP/verdict.txt"
	s=$(grep -o 'accept queue overflowed' "$TMP/verdict.txt" | wc -l)
	[ "$s" -eq 1 ] && pass "both overflow kinds on one listener: said once" ||
		fail "both overflow kinds on one listener: said $s times in the verdict"
	# A close_wait_leak roll-up below the finding's threshold is no louder than its findings.
	for s in fin-wait2-stall stale-socket; do
		section_text "$TMP/$s.html" verdict >"$TMP/verdict.txt"
		if grep -qi 'critical' "$TMP/verdict.txt" || grep -q 'status sev-critical' "$TMP/$s.html"; then
			fail "$s: a critical line or status without a critical finding"
		else
			pass "$s: no critical line without a critical finding"
		fi
	done
	s=$(grep -c 'class="todo"' <(section_text_raw "$TMP/fin-wait2-stall.html" verdict) || true)
	[ "$s" -eq 1 ] && pass "fin-wait2-stall: the same advice is given once" ||
		fail "fin-wait2-stall: $s pieces of advice in the verdict, expected 1"
	# A roll-up whose findings all say the same says it, not the kind's gist.
	expect_verdict refused-restart "what its findings all say" \
		'192\.0\.2\.2:8080 +connection refused while the port accepted other connections within 10 s \(5 connections,'
	# Words: no "1 connections", no ". ." at the end of advice.
	for s in refused-restart self-connect zero-window keepalive-dead-peer; do
		section_text "$TMP/$s.html" verdict >"$TMP/verdict.txt"
		if grep -Eq '(^|[^0-9,])1 connections|\. \.' "$TMP/verdict.txt"; then
			fail "$s: verdict: $(grep -Eo '.{30}(1 connections|\. \.)' "$TMP/verdict.txt")"
		else
			pass "$s: the verdict's words are right"
		fi
	done
	# Empty sections are left out, and so are their links.
	expect_none healthy-client "no empty Findings or Listeners section" \
		'id="(findings|listeners)"|href="#(findings|listeners)"'
	expect_page healthy-client "the sections that are there are linked" \
		grep -q 'href="#connections"' 
	# Plain words: how connections ended, where the capture was taken, µs.
	section_text "$TMP/healthy-client.html" charts >"$TMP/charts.txt"
	grep -q 'closed: closed normally at both ends' "$TMP/charts.txt" &&
		! grep -q 'capture_end' "$TMP/healthy-client.html" &&
		pass "healthy-client: connections ended 'closed', in words" ||
		fail "healthy-client: the chart does not say the connections closed"
	section_text "$TMP/accept-backlog-server.html" capture | grep -q 'near the server' &&
		pass "accept-backlog-server: the vantage in words" ||
		fail "accept-backlog-server: the vantage is not 'near the server'"
	expect_page healthy-client "durations in µs" grep -q '>731 µs<'
	expect_page bulk "one connection, said simply" grep -q 'The one connection\.'
	# A listener's summary lists frames of many connections: no ladder of gaps.
	article_of accept-backlog-server 15 >"$TMP/f15.html"
	if [ -s "$TMP/f15.html" ] && ! grep -q '<svg' "$TMP/f15.html" &&
		! grep -q 'not kept in the packet log' "$TMP/accept-backlog-server.html"; then
		pass "accept-backlog-server: no ladder of frames the log did not keep"
	else
		fail "accept-backlog-server: finding 15 has a ladder of missing frames"
	fi
	# A long figure key may wrap after its underscores.
	expect_page accept-backlog-server "figure keys wrap at underscores" \
		grep -q '<dt><span>handshakes_</span><span>waiting_</span><span>at_</span><span>first_</span>overflow</dt>'
	# One finding on a listener has no course over time to chart.
	expect_none keepalive-dead-peer "no chart of a single finding over time" \
		'Findings on 192\.0\.2\.2:8080'
	expect_page abortive-close "a chart of two findings over time" \
		grep -q 'Findings on 192\.0\.2\.2:8080'
	expect_page abortive-close "...over the whole capture" \
		grep -q 'chart-tick"[^>]*>10:31:44.500<' 
}

test_hostile_name() {
	# No '/' in a file name: the markup opens a script and a comment instead.
	local evil="$TMP/evil<script>alert(1)<!--&\"'"$'\x01\xff'".pcap"
	cp "$SAMPLES/healthy-client.pcap" "$evil"
	run_tcpautopsy -q "$evil" -o "$TMP/evil.html"
	if [ "$rc" -ne 0 ]; then
		fail "hostile file name: exit $rc"
		return
	fi
	well_formed "$TMP/evil.html" "hostile file name"
	if grep -q '<script>alert' "$TMP/evil.html"; then
		fail "hostile file name: <script> reached the page unescaped"
	fi
	if grep -qF "evil&lt;script&gt;alert(1)&lt;!--&amp;\"'"$'\xef\xbf\xbd\xef\xbf\xbd'".pcap" \
		"$TMP/evil.html"; then
		pass "hostile file name: escaped, control and invalid bytes replaced"
	else
		fail "hostile file name: not found escaped in the page:"
		grep -a -o 'evil[^<]*' "$TMP/evil.html" | head -n 3 >&2
	fi
}

# make_refused_pcap FILE N: N clients on 192.0.2.1 whose SYN to 192.0.2.2:80
# is answered by RST-ACK (nothing listens), 10 ms apart: N connection_refused
# findings in 2 N frames of 54 bytes.
make_refused_pcap() {
	local f=$1 n=$2 i hex="" frame eth_cs eth_sc sec usec port
	eth_cs="020000000002020000000001 0800"
	eth_sc="020000000001020000000002 0800"
	: >"$f"
	hex_to_file "$f" d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000
	for ((i = 0; i < n; i++)); do
		sec=$((100 + i / 100))
		usec=$((i % 100 * 10000))
		port=$((20000 + i))
		printf -v frame '%02x%02x0000%02x%02x%02x00 36000000 36000000 %s 45000028 00014000 40060000 c0000201 c0000202 %04x0050 000003e8 00000000 5002faf0 00000000 ' \
			$((sec & 255)) $((sec >> 8)) $((usec & 255)) $((usec >> 8 & 255)) \
			$((usec >> 16)) "$eth_cs" "$port"
		hex+=$frame
		usec=$((usec + 50))
		printf -v frame '%02x%02x0000%02x%02x%02x00 36000000 36000000 %s 45000028 00024000 40060000 c0000202 c0000201 0050%04x 00000000 000003e9 50140000 00000000 ' \
			$((sec & 255)) $((sec >> 8)) $((usec & 255)) $((usec >> 8 & 255)) \
			$((usec >> 16)) "$eth_sc" "$port"
		hex+=$frame
	done
	hex_to_file "$f" "$hex"
}

# The finding cap: 1,100 refused connections are one kind with 1,100
# findings: 20 in full, 500 in the table, the rest counted; and every
# connection has a finding, so the table shows the first 1,000.
test_finding_cap() {
	local f="$TMP/refused.html" full compact
	make_refused_pcap "$TMP/refused.pcap" 1100
	run_tcpautopsy -q "$TMP/refused.pcap" -o "$TMP/refused.json" -o "$f"
	if [ "$rc" -ne 0 ]; then
		fail "1,100 refused connections: exit $rc"
		sed 's/^/    /' "$TMP/stderr" >&2
		return
	fi
	well_formed "$f" "1,100 refused connections"
	"$JSON_EXPECT" "$TMP/refused.json" /dev/stdin >"$TMP/expect.out" 2>&1 <<-'EOF' ||
		summary.connections = 1100
		findings length = 1100
		findings[0].kind = "connection_refused"
		findings[1099].kind = "connection_refused"
	EOF
		{
			fail "1,100 refused connections: not the capture this test needs:"
			cat "$TMP/expect.out" >&2
			return
		}
	full=$(grep -c '<article class="finding' "$f" || true)
	compact=$(grep -c '<tr id="f[0-9]' "$f" || true)
	[ "$full" -eq 20 ] || fail "finding cap: $full findings in full, expected 20"
	[ "$compact" -eq 500 ] || fail "finding cap: $compact findings in the table, expected 500"
	grep -q '580 more connection_refused in the JSON report' "$f" ||
		fail "finding cap: no '580 more connection_refused in the JSON report'"
	grep -q 'id="f1100"' "$f" && fail "finding cap: finding 1100 is on the page"
	[ "$(grep -c '<tr id="c[0-9]' "$f" || true)" -eq 1000 ] ||
		fail "connection cap: not 1,000 rows when every connection has a finding"
	grep -q 'the first 1,000 of the 1,100 with findings' "$f" ||
		fail "connection cap: the note does not say which connections are shown"
	pass "finding cap: 20 in full, 500 in short, 580 counted"
}

# The connection cap: 1,500 generated connections, a few with findings (the
# ones the client resets): those first, then the lowest ids.
test_connection_cap() {
	local f="$TMP/big.html" rows with first_other
	if [ ! -x "$GENCAP" ]; then
		fail "$GENCAP is not built (make check builds it)"
		return
	fi
	"$GENCAP" -n 1500 -c 60 -k 200 -o "$TMP/big.pcap" >/dev/null 2>&1
	run_tcpautopsy -q "$TMP/big.pcap" -o "$f"
	if [ "$rc" -ne 0 ]; then
		fail "1,500 connections: exit $rc"
		return
	fi
	well_formed "$f" "1,500 connections"
	rows=$(grep -c '<tr id="c[0-9]' "$f" || true)
	with=$(grep -c '<tr id="c[0-9]*" class="has-findings"' "$f" || true)
	[ "$rows" -eq 1000 ] || fail "connection cap: $rows rows, expected 1000"
	[ "$with" -gt 0 ] || fail "connection cap: no connection with findings in the capture"
	# The rows with findings come first; the others are the lowest ids.
	grep -o '<tr id="c[0-9]*"[^>]*>' "$f" | head -n "$with" | grep -vq has-findings &&
		fail "connection cap: the connections with findings are not first"
	first_other=$(grep -o '<tr id="c[0-9]*">' "$f" | head -n 1)
	[ "$first_other" = '<tr id="c1">' ] ||
		fail "connection cap: the first other connection is $first_other, not c1"
	grep -q 'id="c1500"' "$f" && fail "connection cap: connection 1500 is in the table"
	grep -q '<strong>500 more in the JSON report</strong>' "$f" ||
		fail "connection cap: no '500 more in the JSON report'"
	pass "connection cap: 1,000 of 1,500 rows, $with with findings first"
}

test_outputs() {
	local tiny="$TMP/tiny.pcap"
	make_pcap "$tiny"
	run_tcpautopsy -q "$tiny" -F html -o -
	[ "$rc" -eq 0 ] && [ "$(head -n 1 "$TMP/stdout")" = "<!DOCTYPE html>" ] ||
		fail "-F html -o -: no HTML on standard output (exit $rc)"
	run_tcpautopsy -q "$tiny" -o "$TMP/tiny.HTM"
	[ "$rc" -eq 0 ] && [ "$(head -n 1 "$TMP/tiny.HTM")" = "<!DOCTYPE html>" ] ||
		fail ".HTM: not written as HTML (exit $rc)"
	pass "-F html and the .htm extension"
}

test_samples
test_verdicts
test_review
test_hostile_name
test_finding_cap
test_connection_cap
test_outputs
finish
