#!/bin/bash
# cli.sh - the command line as a user meets it: help, version, usage errors,
# file errors, stdin, -r, filters, outputs, several files, determinism, and
# the exit status of --fail-on.
#
# It builds its own tiny capture (make_pcap in lib.sh), so it does not depend
# on what samples/ holds, except for --fail-on, which needs real findings of
# known severities (samples/README.md says what each capture shows).

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy

TINY="$TMP/tiny.pcap"
make_pcap "$TINY"
cp "$TINY" "$TMP/tiny2.pcap"

# expect_rc WANT WHAT: compares the last run's exit status.
expect_rc() {
	if [ "$rc" -eq "$1" ]; then
		pass "$2: exit $rc"
	else
		fail "$2: exit $rc, expected $1"
		sed 's/^/    stderr: /' "$TMP/stderr" >&2
	fi
}

# expect_stderr REGEX WHAT
expect_stderr() {
	if grep -Eq -- "$1" "$TMP/stderr"; then
		pass "$2: stderr matches $1"
	else
		fail "$2: stderr does not match '$1':"
		sed 's/^/    stderr: /' "$TMP/stderr" >&2
	fi
}

# expect_json REPORT WHAT < expectations
expect_json() {
	local report=$1 what=$2
	cat >"$TMP/expect"
	if "$JSON_EXPECT" "$report" "$TMP/expect" >"$TMP/expect.out" 2>&1; then
		pass "$what"
	else
		fail "$what:"
		sed 's/^/    /' "$TMP/expect.out" >&2
	fi
}

test_help_version() {
	local version
	run_tcpautopsy --help
	expect_rc 0 "--help"
	grep -q '^Usage: tcpautopsy' "$TMP/stdout" || fail "--help: no Usage line"
	grep -q 'Exit status' "$TMP/stdout" || fail "--help: exit statuses not documented"
	for opt in --color --progress --fail-on; do
		grep -q -- "^ *$opt " "$TMP/stdout" || fail "--help: $opt not documented"
	done
	run_tcpautopsy -h
	expect_rc 0 "-h"

	version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
	run_tcpautopsy --version
	expect_rc 0 "--version"
	[ "$(head -n 1 "$TMP/stdout")" = "tcpautopsy $version" ] ||
		fail "--version: first line is '$(head -n 1 "$TMP/stdout")', not 'tcpautopsy $version'"
	run_tcpautopsy -V
	expect_rc 0 "-V"
}

test_usage_errors() {
	run_tcpautopsy
	expect_rc 1 "no file"
	expect_stderr '^tcpautopsy: no capture to read' "no file"
	run_tcpautopsy --no-such-option "$TINY"
	expect_rc 1 "unknown option"
	run_tcpautopsy -o
	expect_rc 1 "-o without argument"
	run_tcpautopsy --idle-timeout abc "$TINY"
	expect_rc 1 "--idle-timeout abc"
	run_tcpautopsy --idle-timeout 0 "$TINY"
	expect_rc 1 "--idle-timeout 0"
	run_tcpautopsy --linger -1 "$TINY"
	expect_rc 1 "--linger -1"
	run_tcpautopsy --max-connections 0 "$TINY"
	expect_rc 1 "--max-connections 0"
	run_tcpautopsy -F xml "$TINY"
	expect_rc 1 "-F xml"
	run_tcpautopsy -f 'tcp port' "$TINY"
	expect_rc 1 "bad filter"
	expect_stderr "^tcpautopsy: bad filter 'tcp port': " "bad filter"
	run_tcpautopsy "$TINY" -o "$TMP/report.xyz"
	expect_rc 1 "unknown output extension"
	[ ! -e "$TMP/report.xyz" ] || fail "unknown output extension: a file was written"
	run_tcpautopsy "$TINY" -o "$TMP/report.xyz" -F json
	expect_rc 0 "unknown output extension with -F json"
}

test_bad_inputs() {
	run_tcpautopsy "$TMP/missing.pcap" -o "$TMP/missing.json"
	expect_rc 2 "missing file"
	expect_stderr "^tcpautopsy: $TMP/missing.pcap: cannot open: " "missing file"

	echo "this is not a capture" >"$TMP/notes.txt"
	run_tcpautopsy "$TMP/notes.txt" -o "$TMP/notes.json"
	expect_rc 2 "non-capture file"
	expect_stderr "^tcpautopsy: $TMP/notes.txt: not a pcap or pcapng file" "non-capture file"

	gzip -c "$TINY" >"$TMP/tiny.pcap.gz"
	run_tcpautopsy "$TMP/tiny.pcap.gz" -o "$TMP/gz.json"
	expect_rc 2 "gzip file"
	expect_stderr "zcat $TMP/tiny.pcap.gz \\| tcpautopsy -" "gzip file"

	# A good file after a missing one: the run goes on and reports both.
	run_tcpautopsy "$TMP/missing.pcap" "$TINY" -o "$TMP/partial.json"
	expect_rc 2 "missing file then a good one"
	expect_json "$TMP/partial.json" "missing file then a good one: report" <<-'EOF2'
		captures length = 2
		captures[0].damaged.after_frame = 0
		captures[1].packets = 4
		captures[1].damaged = null
	EOF2

	# Cut inside the last frame (records end at 24 + 3 * 70 = 234): three frames remain.
	head -c 250 "$TINY" >"$TMP/cut.pcap"
	run_tcpautopsy "$TMP/cut.pcap" -o "$TMP/cut.json"
	expect_rc 2 "truncated file"
	expect_stderr "^tcpautopsy: $TMP/cut.pcap: damaged after frame 3: " "truncated file"
	expect_json "$TMP/cut.json" "truncated file: report" <<-'EOF2'
		captures[0].packets = 3
		captures[0].damaged.after_frame = 3
	EOF2
}

test_reading() {
	run_tcpautopsy "$TINY" -o "$TMP/plain.json"
	expect_rc 0 "one file"
	expect_stderr "^tcpautopsy: wrote $TMP/plain.json \\(1 connection, [0-9]+ findings?\\)$" \
		"wrote line"
	expect_json "$TMP/plain.json" "one file: report" <<-'EOF2'
		captures length = 1
		captures[0].format = "pcap"
		captures[0].packets = 4
		captures[0].tcp_packets = 3
		connections length = 1
	EOF2

	run_tcpautopsy -q "$TINY" -o "$TMP/quiet.json"
	expect_rc 0 "-q"
	[ ! -s "$TMP/stderr" ] || fail "-q: stderr is not empty"

	rc=0
	"$TCPAUTOPSY" - -o "$TMP/stdin.json" <"$TINY" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
	expect_rc 0 "stdin"
	expect_json "$TMP/stdin.json" "stdin: report" <<-'EOF2'
		captures[0].file = "-"
		captures[0].packets = 4
	EOF2

	run_tcpautopsy -r "$TINY" -o "$TMP/r.json"
	expect_rc 0 "-r"
	cmp -s "$TMP/r.json" "$TMP/plain.json" || fail "-r FILE and FILE differ"

	run_tcpautopsy -o "$TMP/two.json" "$TINY" -r "$TMP/tiny2.pcap"
	expect_rc 0 "two files"
	expect_json "$TMP/two.json" "two files: report" <<-'EOF2'
		captures length = 2
		captures[0].index = 0
		captures[1].index = 1
		captures[1].packets = 4
	EOF2
}

test_filter() {
	run_tcpautopsy "$TINY" -f 'tcp[tcpflags] & tcp-syn != 0' -o "$TMP/filtered.json"
	expect_rc 0 "filter"
	expect_json "$TMP/filtered.json" "filter keeps packets, lowers tcp_packets" <<-'EOF2'
		captures[0].packets = 4
		captures[0].filtered_packets = 2
		captures[0].tcp_packets = 2
	EOF2
	run_tcpautopsy "$TINY" --filter 'udp' -o "$TMP/udp.json"
	expect_rc 0 "--filter udp"
	expect_json "$TMP/udp.json" "--filter udp: no TCP left" <<-'EOF2'
		captures[0].packets = 4
		captures[0].filtered_packets = 3
		captures[0].tcp_packets = 0
		connections length = 0
	EOF2
}

test_outputs() {
	run_tcpautopsy "$TINY"
	expect_rc 0 "summary on stdout"
	[ -s "$TMP/stdout" ] || fail "no -o: nothing on stdout"
	! grep -q $'\033' "$TMP/stdout" || fail "no -o: colour codes although stdout is not a TTY"
	[ ! -s "$TMP/stderr" ] || fail "no -o: stderr is not empty"

	run_tcpautopsy "$TINY" -o - -F json
	expect_rc 0 "-o - -F json"
	expect_json "$TMP/stdout" "-o - -F json: JSON on stdout" </dev/null

	run_tcpautopsy "$TINY" -o "$TMP/both.json" -o -
	expect_rc 0 "two outputs"
	[ -s "$TMP/stdout" ] && [ -s "$TMP/both.json" ] || fail "two outputs: one is missing"

	run_tcpautopsy "$TINY" -o "$TMP/no/such/dir/out.json"
	expect_rc 4 "output in a missing directory"
	[ ! -e "$TMP/no" ] || fail "output in a missing directory: something was created"

	# The destination is a directory: the rename fails; nothing may be left.
	mkdir -p "$TMP/outdir/out.json"
	run_tcpautopsy "$TINY" -o "$TMP/outdir/out.json"
	expect_rc 4 "output onto a directory"
	[ "$(ls -A "$TMP/outdir")" = "out.json" ] ||
		fail "output onto a directory: left behind: $(ls -A "$TMP/outdir" | tr '\n' ' ')"

	run_tcpautopsy --stats "$TINY" -o "$TMP/stats.json"
	expect_rc 0 "--stats"
	expect_stderr '^tcpautopsy: stats: frames=4 tcp_segments=3 connections=1 ' "--stats"
}

test_deterministic() {
	local samples
	samples=$(sample_captures | head -n 3)
	# shellcheck disable=SC2086 # one path per line, no spaces in samples/
	run_tcpautopsy "$TINY" $samples -o "$TMP/det1.json"
	expect_rc 0 "determinism: first run"
	# shellcheck disable=SC2086
	run_tcpautopsy "$TINY" $samples -o "$TMP/det2.json"
	if cmp -s "$TMP/det1.json" "$TMP/det2.json"; then
		pass "two runs are byte-identical"
	else
		fail "two runs differ:"
		diff -u "$TMP/det1.json" "$TMP/det2.json" | head -n 40 >&2
	fi
	# shellcheck disable=SC2086
	run_tcpautopsy "$TINY" $samples
	cp "$TMP/stdout" "$TMP/sum1"
	# shellcheck disable=SC2086
	run_tcpautopsy "$TINY" $samples
	cmp -s "$TMP/sum1" "$TMP/stdout" || fail "two text summaries differ"
}

# Outputs that are devices are written in place: renaming a temporary file
# over /dev/null (as root) would replace the device for the whole machine.
test_device_output() {
	run_tcpautopsy "$TINY" -o /dev/null -F json
	expect_rc 0 "-o /dev/null"
	if [ -c /dev/null ]; then
		pass "/dev/null is still a character device"
	else
		fail "/dev/null was replaced by a regular file"
	fi
}

# --fail-on: 3 when a finding that severe exists; errors (2, 4) win over it.
test_fail_on() {
	local warn=$SAMPLES/fin-wait2-stall.pcap healthy=$SAMPLES/healthy-client.pcap
	local crit=$SAMPLES/close-wait-reuse-server.pcap

	run_tcpautopsy --fail-on warning "$warn" -o "$TMP/failon.json"
	expect_rc 3 "--fail-on warning, a warning"
	expect_stderr '^tcpautopsy: --fail-on warning: 1 finding of severity warning or worse$' \
		"--fail-on warning, a warning"
	[ -s "$TMP/failon.json" ] || fail "--fail-on: the report was not written"
	run_tcpautopsy --fail-on=info "$warn" -q
	expect_rc 3 "--fail-on=info, a warning"
	[ ! -s "$TMP/stderr" ] || fail "--fail-on with -q: stderr is not empty"
	run_tcpautopsy --fail-on critical "$warn"
	expect_rc 0 "--fail-on critical, a warning only"
	run_tcpautopsy --fail-on critical "$crit"
	expect_rc 3 "--fail-on critical, critical findings"
	run_tcpautopsy --fail-on info "$healthy"
	expect_rc 0 "--fail-on info, no findings"
	run_tcpautopsy "$crit"
	expect_rc 0 "no --fail-on, critical findings"

	# Errors win: a damaged input (2) and a failed output (4) over 3.
	run_tcpautopsy --fail-on info "$SAMPLES/truncated-tail.pcap"
	expect_rc 2 "--fail-on info, damaged input with a finding"
	run_tcpautopsy --fail-on warning "$warn" "$TMP/missing.pcap"
	expect_rc 2 "--fail-on warning, a warning and a missing file"
	run_tcpautopsy --fail-on warning "$warn" -o "$TMP/no/such/dir/out.json"
	expect_rc 4 "--fail-on warning, a warning and an output that fails"

	run_tcpautopsy --fail-on high "$warn"
	expect_rc 1 "--fail-on high"
	expect_stderr "^tcpautopsy: --fail-on: unknown severity 'high': use info, warning or critical$" \
		"--fail-on high"
}

test_help_version
test_usage_errors
test_bad_inputs
test_reading
test_filter
test_outputs
test_device_output
test_deterministic
test_fail_on
finish
