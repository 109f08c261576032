#!/bin/bash
# terminal.sh - what a person at a terminal sees: colour in the text summary
# (--color, NO_COLOR, only on a terminal) and the progress bar on standard
# error (on a terminal unless -q, erased before the summary; --progress as
# plain lines elsewhere).
#
# A real terminal comes from util-linux script(1), which runs a command on a
# pseudo-terminal and copies what it writes there (with \n turned into \r\n).
# Without script, those checks are skipped and the others still run.
#
# The progress needs a run that lasts longer than its first interval: the
# capture is fed through a pipe that pauses part way (slow_feed).

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy
shopt -s extglob

ESC=$'\033'
CR=$'\r'
CRITICAL_SAMPLE="$SAMPLES/close-wait-reuse-server.pcap"
unset NO_COLOR

# make_big_pcap FILE DOUBLINGS: a pcap of 2^DOUBLINGS identical UDP frames
# (58 bytes each): enough frames for the progress to be looked at, and cheap
# to make, since records are independent and can be doubled with cat.
make_big_pcap() {
	local f=$1 i
	: >"$f"
	hex_to_file "$f" d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000
	: >"$TMP/rec"
	hex_to_file "$TMP/rec" 00e1f505 00000000 2a000000 2a000000 \
		020000000002 020000000001 0800 \
		4500001c 00044000 40110000 c0000201 c0000202 14e90035 00080000
	for ((i = 0; i < $2; i++)); do
		cat "$TMP/rec" "$TMP/rec" >"$TMP/rec2"
		mv "$TMP/rec2" "$TMP/rec"
	done
	cat "$TMP/rec" >>"$f"
	rm -f "$TMP/rec"
}

BIG="$TMP/big.pcap"
make_big_pcap "$BIG" 13
BIG_SIZE=$(wc -c <"$BIG" | tr -d ' ')

# A script that writes FILE to stdout with a pause of SECONDS after the first
# 4 kB, so that the reader has been running for that long when the rest comes.
cat >"$TMP/slow_feed" <<'EOF'
#!/bin/sh
head -c 4096 "$1"
sleep "$2"
tail -c +4097 "$1"
EOF
chmod +x "$TMP/slow_feed"

have_script=0
if command -v script >/dev/null 2>&1 && script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	have_script=1
fi

# on_tty OUT SHELL-COMMAND: runs the command with a pseudo-terminal as its
# terminal; what it writes there lands in OUT.
on_tty() {
	local out=$1
	SHELL=/bin/sh script -qec "$2" /dev/null </dev/null >"$out" 2>&1
}

# q ARGS...: the arguments quoted for a shell command line.
q() {
	printf '%q ' "$@"
}

has_colour() {
	grep -q "$ESC\\[" "$1"
}

test_colour_pipe() {
	run_tcpautopsy "$CRITICAL_SAMPLE"
	if has_colour "$TMP/stdout"; then
		fail "stdout not a terminal: colour codes in the summary"
	else
		pass "stdout not a terminal: no colour"
	fi

	run_tcpautopsy --color=always "$CRITICAL_SAMPLE"
	if grep -q "  ${ESC}\\[1;31mcritical${ESC}\\[0m  " "$TMP/stdout" &&
		grep -q "${ESC}\\[33mwarning${ESC}\\[0m\\|${ESC}\\[36minfo${ESC}\\[0m" "$TMP/stdout"; then
		pass "--color=always: severity words coloured on a pipe"
	else
		fail "--color=always: no coloured severity words on a pipe"
	fi

	rc=0
	NO_COLOR=1 "$TCPAUTOPSY" --color=always "$CRITICAL_SAMPLE" >"$TMP/stdout" 2>"$TMP/stderr" ||
		rc=$?
	if has_colour "$TMP/stdout"; then
		pass "--color=always beats NO_COLOR"
	else
		fail "--color=always with NO_COLOR=1: no colour"
	fi

	run_tcpautopsy --color=sometimes "$CRITICAL_SAMPLE"
	if [ "$rc" -eq 1 ] && grep -q \
		"^tcpautopsy: --color: unknown value 'sometimes': use auto, always or never$" \
		"$TMP/stderr"; then
		pass "--color=sometimes: usage error naming the values"
	else
		fail "--color=sometimes: exit $rc, stderr: $(cat "$TMP/stderr")"
	fi
}

test_colour_tty() {
	local out=$TMP/tty.out
	# stdout on the terminal, stderr elsewhere: only the summary is seen.
	on_tty "$out" "$(q "$TCPAUTOPSY" "$CRITICAL_SAMPLE") 2>/dev/null"
	if grep -q "${ESC}\\[1;31mcritical${ESC}\\[0m" "$out"; then
		pass "terminal: summary coloured"
	else
		fail "terminal: no colour in the summary"
		sed 's/^/    /' "$out" | cat -v >&2
	fi

	on_tty "$out" "NO_COLOR=1 $(q "$TCPAUTOPSY" "$CRITICAL_SAMPLE") 2>/dev/null"
	if has_colour "$out"; then
		fail "terminal with NO_COLOR=1: colour codes"
	elif grep -q "critical" "$out"; then
		pass "terminal with NO_COLOR=1: no colour"
	else
		fail "terminal with NO_COLOR=1: no summary at all"
	fi

	# NO_COLOR set but empty does not count (no-color.org).
	on_tty "$out" "NO_COLOR= $(q "$TCPAUTOPSY" "$CRITICAL_SAMPLE") 2>/dev/null"
	if has_colour "$out"; then
		pass "terminal with NO_COLOR empty: coloured"
	else
		fail "terminal with NO_COLOR empty: no colour"
	fi

	on_tty "$out" "$(q "$TCPAUTOPSY" --color=never "$CRITICAL_SAMPLE") 2>/dev/null"
	if has_colour "$out"; then
		fail "terminal with --color=never: colour codes"
	else
		pass "terminal with --color=never: no colour"
	fi
}

test_progress_tty() {
	local out=$TMP/tty.out s
	# The bar, spaces over it, back to the start, then the (bold) summary.
	local erased=$'standard input *\r +\r(\033\\[1m)?tcpautopsy [0-9.]+(\033\\[0m)?: 1 capture'
	# Both streams on the terminal: the bar must be gone before the summary.
	on_tty "$out" "$(q "$TMP/slow_feed" "$BIG" 0.4) | $(q "$TCPAUTOPSY" -)"
	s=$(cat "$out")
	if [[ $s == *"kB  "+([0-9.])" MB/s  standard input"* ]]; then
		pass "terminal: progress bar on stderr"
	else
		fail "terminal: no progress bar: $(cat -v "$out" | head -c 300)"
	fi
	if [[ $s =~ $erased ]]; then
		pass "terminal: the bar is erased before the summary"
	else
		fail "terminal: the bar is not erased before the summary: $(cat -v "$out" | head -c 400)"
	fi

	# Only stderr on the terminal: the bar is drawn and wiped, nothing else.
	on_tty "$out" "$(q "$TMP/slow_feed" "$BIG" 0.4) | $(q "$TCPAUTOPSY" -) >/dev/null"
	s=$(cat "$out")
	if [[ $s == *"MB/s"* ]] && [[ $s == *"$CR"+( )"$CR" ]]; then
		pass "terminal: stderr ends with the bar erased"
	else
		fail "terminal: stderr does not end with the erased bar: $(cat -v "$out" | head -c 300)"
	fi

	on_tty "$out" "$(q "$TMP/slow_feed" "$BIG" 0.4) | $(q "$TCPAUTOPSY" -q -) >/dev/null"
	if [ -s "$out" ]; then
		fail "terminal with -q: something on stderr: $(cat -v "$out" | head -c 300)"
	else
		pass "terminal with -q: no progress bar"
	fi
}

test_progress_forced() {
	local s
	# Not a terminal: no progress unless asked for.
	rc=0
	"$TMP/slow_feed" "$BIG" 0.2 | "$TCPAUTOPSY" - >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$TMP/stderr" ]; then
		pass "stderr not a terminal: no progress"
	else
		fail "stderr not a terminal: exit $rc, stderr: $(cat -v "$TMP/stderr")"
	fi

	# --progress on a pipe: plain lines (a line a second), then a last line
	# with every byte read; -q does not silence what was asked for.
	rc=0
	"$TMP/slow_feed" "$BIG" 1.3 | "$TCPAUTOPSY" --progress -q - >"$TMP/stdout" 2>"$TMP/stderr" ||
		rc=$?
	s=$(cat "$TMP/stderr")
	if [ "$rc" -eq 0 ] && grep -Eq '^tcpautopsy: progress: [0-9.]+ kB  [0-9.]+ MB/s  standard input$' \
		"$TMP/stderr"; then
		pass "--progress on a pipe: progress lines"
	else
		fail "--progress on a pipe: exit $rc, stderr: $(cat -v "$TMP/stderr")"
	fi
	if [[ $s == *"$CR"* ]]; then
		fail "--progress on a pipe: carriage returns in the log"
	fi
	local done_re='^tcpautopsy: progress: done: \([0-9]*\) bytes read in [0-9.]* s ([0-9.]* MB/s)$'
	if [ "$(tail -n 1 "$TMP/stderr" | sed -n "s|$done_re|\\1|p")" = "$BIG_SIZE" ]; then
		pass "--progress on a pipe: every byte counted ($BIG_SIZE)"
	else
		fail "--progress on a pipe: last line is '$(tail -n 1 "$TMP/stderr")', expected $BIG_SIZE bytes"
	fi

	# Several regular files in a row: their sizes add up, whatever the order
	# of failures in between.
	rc=0
	"$TCPAUTOPSY" --progress -q "$BIG" "$TMP/missing.pcap" "$CRITICAL_SAMPLE" "$BIG" \
		>"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
	local want=$((2 * BIG_SIZE + $(wc -c <"$CRITICAL_SAMPLE")))
	if [ "$rc" -eq 2 ] &&
		grep -q "^tcpautopsy: progress: done: $want bytes read in " "$TMP/stderr"; then
		pass "--progress on three files and a missing one: $want bytes"
	else
		fail "--progress on several files: exit $rc, expected $want bytes: $(cat "$TMP/stderr")"
	fi
}

test_colour_pipe
test_progress_forced
if [ "$have_script" = 1 ]; then
	test_colour_tty
	test_progress_tty
else
	echo "skip: no working script(1) (util-linux): terminal checks not run"
fi
finish
