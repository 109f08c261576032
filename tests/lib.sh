# lib.sh - helpers shared by the shell tests (sourced, not run).
#
# The harness exports top_srcdir and top_builddir (see AM_TESTS_ENVIRONMENT);
# run by hand from a build directory, both default to sensible values. Paths
# are made absolute so a test may cd without losing them.

set -eu

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
export top_srcdir top_builddir
export TZ=UTC LC_ALL=C

TCPAUTOPSY="$top_builddir/tcpautopsy"
JSON_EXPECT="$top_builddir/tests/json_expect"
SAMPLES="$top_srcdir/samples"
GOLDEN="$top_srcdir/tests/golden"

# automake's convention: 77 means "skipped", 99 a hard error.
# shellcheck disable=SC2034 # used by the scripts that source this file
SKIP=77

# require_tcpautopsy: stops with a hard error when the tools are not built.
require_tcpautopsy() {
	local prog
	for prog in "$TCPAUTOPSY" "$JSON_EXPECT"; do
		if [ ! -x "$prog" ]; then
			echo "ERROR: $prog is not built" >&2
			exit 99
		fi
	done
}

# require_jsonschema: skips the test unless python3 and its jsonschema module
# are installed (./quickstart check installs python3-jsonschema, so CI never
# skips).
require_jsonschema() {
	if ! command -v python3 >/dev/null 2>&1; then
		echo "SKIP: python3 is not installed (apt-get install python3 python3-jsonschema)"
		exit "$SKIP"
	fi
	if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
		echo "SKIP: the Python jsonschema module is missing (apt-get install python3-jsonschema)"
		exit "$SKIP"
	fi
}

# One scratch directory per test, removed however the test ends.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tcpautopsy-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

failures=0

# fail MESSAGE...: records a failure and carries on, so one run shows them all.
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# pass MESSAGE...: a line in the test's log for what was checked.
pass() {
	echo "ok: $*"
}

# finish: the exit status automake reads.
finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed" >&2
		exit 1
	fi
	exit 0
}

# run_tcpautopsy ARGS...: runs the tool, leaving its exit status in $rc, its
# stdout in $TMP/stdout and its stderr in $TMP/stderr.
# shellcheck disable=SC2034 # rc is read by the caller
run_tcpautopsy() {
	rc=0
	"$TCPAUTOPSY" "$@" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
}

# sanitizer_report FILE: true when FILE holds an ASan/LSan/UBSan report.
sanitizer_report() {
	grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' "$1"
}

# sample_captures: every capture in samples/, sorted, one per line.
sample_captures() {
	find "$SAMPLES" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' \) \
		-print 2>/dev/null | LC_ALL=C sort
}

# sample_args NAME: the extra arguments of samples/NAME.*, one per line in
# tests/golden/NAME.args, into the array args.
sample_args() {
	local line
	args=()
	if [ -f "$GOLDEN/$1.args" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			[ -n "$line" ] && args+=("$line")
		done <"$GOLDEN/$1.args"
	fi
	return 0
}

# sample_paths: every sample as samples/FILE, the path to give the tool from
# $top_srcdir, into the array all.
sample_paths() {
	local file
	all=()
	while IFS= read -r file; do
		all+=("samples/$(basename "$file")")
	done < <(sample_captures)
}

# run_sample FILE ARGS...: runs the tool on samples/BASENAME-of-FILE from
# $top_srcdir (reports record the path as given) with the sample's .args and
# ARGS; stdout is the caller's, stderr goes to $TMP/stderr, the exit status to
# $rc. True when it exits 0 or 2 (a sample may be damaged on purpose: the
# report still says so).
# shellcheck disable=SC2034 # rc is read by the caller
run_sample() {
	local base
	rc=0
	base=$(basename "$1")
	shift
	sample_args "${base%.*}"
	(cd "$top_srcdir" && "$TCPAUTOPSY" -q "samples/$base" ${args[@]+"${args[@]}"} "$@") \
		2>"$TMP/stderr" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ]
}

# hex_to_file FILE HEX...: appends the bytes written in hex (spaces allowed).
hex_to_file() {
	local file=$1 hex
	shift
	hex=$(printf '%s' "$*" | tr -d ' \n')
	# shellcheck disable=SC2059 # the format is built from hex digits only
	printf "$(printf '%s' "$hex" | sed 's/../\\x&/g')" >>"$file"
}

# make_pcap FILE: a tiny Ethernet pcap (microseconds, little-endian) that does
# not depend on samples/: a TCP handshake 192.0.2.1:40000 -> 192.0.2.2:80
# (SYN, SYN-ACK, ACK) and one UDP datagram, four frames in all. Checksums are
# zero: nothing here verifies them.
make_pcap() {
	local f=$1 eth_cs eth_sc
	: >"$f"
	hex_to_file "$f" d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000
	eth_cs="020000000002 020000000001 0800"
	eth_sc="020000000001 020000000002 0800"
	# frame 1, t=1.0: SYN, seq 1000
	hex_to_file "$f" 00e1f505 00000000 36000000 36000000 "$eth_cs" \
		45000028 00014000 40060000 c0000201 c0000202 \
		9c400050 000003e8 00000000 5002faf0 00000000
	# frame 2, t=1.001: SYN-ACK, seq 5000 ack 1001
	hex_to_file "$f" 00e1f505 e8030000 36000000 36000000 "$eth_sc" \
		45000028 00024000 40060000 c0000202 c0000201 \
		00509c40 00001388 000003e9 5012faf0 00000000
	# frame 3, t=1.002: ACK
	hex_to_file "$f" 00e1f505 d0070000 36000000 36000000 "$eth_cs" \
		45000028 00034000 40060000 c0000201 c0000202 \
		9c400050 000003e9 00001389 5010faf0 00000000
	# frame 4, t=1.003: UDP 192.0.2.1:5353 -> 192.0.2.2:53, no payload
	hex_to_file "$f" 00e1f505 b80b0000 2a000000 2a000000 "$eth_cs" \
		4500001c 00044000 40110000 c0000201 c0000202 \
		14e90035 00080000
}
