#!/bin/bash
# bench/run.sh - what `make bench` runs.
#
# Generates two deterministic captures with the same number of connections
# open at once, "small" and "large" (10x the connections, so 10x the frames,
# bytes and capture time), then times tcpautopsy and tshark on both in the same
# run and prints one table. The two claims it checks: frames per second on the
# large capture, and a peak RSS that stays (nearly) flat from small to large.
#
# Environment (all optional):
#   BENCH_DIR      where captures and results go (default: bench/out in the build dir)
#   BENCH_CONNS    connections in the small capture; large = 10x (default 4000)
#   BENCH_OPEN     connections open at once in both (default 200)
#   BENCH_HOLD_MS  mean keep-alive idle of a connection, ms (default 12000)
#   BENCH_RUNS     runs per tool and capture; the fastest is reported (default 3)
#   BENCH_TIMEOUT  seconds before a run is killed (default 1800)
#   BENCH_KEEP     1 keeps the captures after the run (default: deleted)
#   TCPAUTOPSY     the binary to measure (default: the build dir's)
#   TSHARK         tshark to compare with; "none" skips it (default: tshark)
set -eu

top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
BENCH_DIR=${BENCH_DIR:-$top_builddir/bench/out}
BENCH_CONNS=${BENCH_CONNS:-4000}
BENCH_OPEN=${BENCH_OPEN:-200}
BENCH_HOLD_MS=${BENCH_HOLD_MS:-12000}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-1800}
BENCH_KEEP=${BENCH_KEEP:-0}
TCPAUTOPSY=${TCPAUTOPSY:-$top_builddir/tcpautopsy}
TSHARK=${TSHARK:-tshark}
GENCAP=$top_builddir/bench/gencap
MEASURE=$top_builddir/bench/measure

# Everyone reads numbers the same way (decimal point, UTC dates).
LC_ALL=C
TZ=UTC
export LC_ALL TZ

die() {
	echo "bench: $*" >&2
	exit 1
}

for v in BENCH_CONNS BENCH_OPEN BENCH_HOLD_MS BENCH_RUNS BENCH_TIMEOUT; do
	val=${!v}
	case $val in
	'' | *[!0-9]*) die "$v must be a number, not '$val'" ;;
	esac
done
[ "$BENCH_CONNS" -ge 1 ] || die "BENCH_CONNS must be at least 1"
if [ "$BENCH_RUNS" -lt 1 ] || [ "$BENCH_RUNS" -gt 20 ]; then
	die "BENCH_RUNS must be 1-20"
fi
[ -x "$GENCAP" ] || die "$GENCAP not built (run 'make bench')"
[ -x "$MEASURE" ] || die "$MEASURE not built (run 'make bench')"
[ -x "$TCPAUTOPSY" ] || die "$TCPAUTOPSY not built (run 'make bench')"

have_tshark=0
if [ "$TSHARK" != none ] && command -v "$TSHARK" >/dev/null 2>&1; then
	have_tshark=1
elif [ "$TSHARK" != none ]; then
	echo "bench: tshark not found: measuring tcpautopsy only" \
		"(install Wireshark's tshark to compare)" >&2
fi

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
# tcpautopsy spools finalised connections to an unlinked file in $TMPDIR: keep
# it in BENCH_DIR too. (On a tmpfs it would be RAM that ru_maxrss does not
# show, and the flat-RSS claim would be hollow.)
TMPDIR=$BENCH_DIR
export TMPDIR
large_conns=$((BENCH_CONNS * 10))

# Check the disk first rather than fail halfway: the captures take ~8.4 kB per
# connection (11x BENCH_CONNS of them), and while tcpautopsy runs on the large
# one its JSON spool adds ~3.3 kB per connection.
need_kb=$((BENCH_CONNS * 130 + 65536))
avail_kb=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
[ "${avail_kb:-0}" -ge "$need_kb" ] ||
	die "need about $((need_kb / 1024)) MiB free in $BENCH_DIR, have $((${avail_kb:-0} / 1024))"

small=$BENCH_DIR/small.pcap
large=$BENCH_DIR/large.pcap
if [ "$BENCH_KEEP" != 1 ]; then
	trap 'rm -f "$small" "$large"' EXIT
fi

# key=value from a line such as gencap's or measure's report.
field() {
	tr ' ' '\n' <"$2" | sed -n "s/^$1=//p" | tail -n 1
}

gen() {
	local name=$1 conns=$2 file=$3
	echo "bench: generating $name capture: $conns connections, $BENCH_OPEN open at once" >&2
	"$GENCAP" -n "$conns" -c "$BENCH_OPEN" -k "$BENCH_HOLD_MS" -o "$file" \
		2>"$BENCH_DIR/gencap-$name.txt" || {
		cat "$BENCH_DIR/gencap-$name.txt" >&2
		die "gencap failed"
	}
	cat "$BENCH_DIR/gencap-$name.txt" >&2
}

gen small "$BENCH_CONNS" "$small"
gen large "$large_conns" "$large"

rows=$BENCH_DIR/rows.txt
: >"$rows"
failed=0

# run RUNS TOOL CAPTURE OUT CMD...: measures CMD RUNS times, keeps the
# fastest run, and appends a row: tool capture wall_s maxrss_kb status.
run() {
	local runs=$1 tool=$2 cap=$3 out=$4 i rc best_wall='' best_rss='' best_rc=0 m wall rss
	shift 4
	m=$BENCH_DIR/measure.txt
	for i in $(seq 1 "$runs"); do
		echo "bench: $tool on $cap (run $i/$runs)" >&2
		rc=0
		: >"$m"
		"$MEASURE" -o "$m" -t "$BENCH_TIMEOUT" -- "$@" \
			>"$out" 2>"$BENCH_DIR/$tool-$cap.stderr" || rc=$?
		wall=$(field wall_s "$m")
		rss=$(field maxrss_kb "$m")
		if [ "$rc" -ne 0 ]; then
			echo "bench: $tool on $cap exited with status $rc:" >&2
			tail -n 5 "$BENCH_DIR/$tool-$cap.stderr" >&2
			best_wall=$wall best_rss=$rss best_rc=$rc
			failed=1
			break
		fi
		if [ -z "$best_wall" ] || awk "BEGIN { exit !($wall < $best_wall) }"; then
			best_wall=$wall best_rss=$rss
		fi
	done
	rm -f "$m"
	echo "$tool $cap $best_wall $best_rss $best_rc" >>"$rows"
}

for cap in small large; do
	file=$BENCH_DIR/$cap.pcap
	# The JSON report goes to stdout, which run() sends to /dev/null: the
	# same work as "-o /dev/null" without asking tcpautopsy to replace
	# /dev/null by renaming a temporary file over it.
	run "$BENCH_RUNS" tcpautopsy "$cap" /dev/null "$TCPAUTOPSY" "$file" -o - -q -F json
	# The same analysis with only the text summary: the difference is what
	# the per-connection JSON report costs.
	run "$BENCH_RUNS" tcpautopsy-text "$cap" /dev/null "$TCPAUTOPSY" "$file" -o - -q -F text
	if [ "$have_tshark" = 1 ]; then
		run "$BENCH_RUNS" tshark "$cap" "$BENCH_DIR/tshark-$cap.conv.txt" \
			"$TSHARK" -n -r "$file" -q -z conv,tcp
		# Its conversation table shows it saw every connection.
		n=$(grep -c '<->' "$BENCH_DIR/tshark-$cap.conv.txt" || true)
		want=$(field connections "$BENCH_DIR/gencap-$cap.txt")
		[ "$n" = "$want" ] ||
			echo "bench: warning: tshark listed $n TCP conversations in $cap, expected $want" >&2
	fi
done

# Once, a real JSON report of the small capture, to show that the run above
# produced a complete report and not just a fast exit.
json=$BENCH_DIR/small.json
rm -f "$json"
run 1 tcpautopsy+json small /dev/null "$TCPAUTOPSY" "$small" -o "$json" -q -F json
json_note="MISSING"
[ -s "$json" ] || failed=1
if [ -s "$json" ]; then
	json_note="$(wc -c <"$json" | tr -d ' ') bytes"
	# report/ owns the schema: count the "connections" array if there is
	# one, else the longest array in the document, whatever its name.
	longest=''
	peak=''
	if command -v jq >/dev/null 2>&1; then
		longest=$(jq 'if (.connections | type) == "array" then .connections | length
			else [.. | arrays | length] | max end' "$json" 2>/dev/null) || longest=invalid
		peak=$(jq -r '[.. | objects | .peak_open_connections? // empty][0] // empty' \
			"$json" 2>/dev/null) || peak=''
	elif command -v python3 >/dev/null 2>&1; then
		longest=$(python3 -c '
import json, sys
def walk(v):
    if isinstance(v, list):
        yield len(v)
        for x in v: yield from walk(x)
    elif isinstance(v, dict):
        for x in v.values(): yield from walk(x)
doc = json.load(open(sys.argv[1]))
conns = doc.get("connections") if isinstance(doc, dict) else None
print(len(conns) if isinstance(conns, list) else max(walk(doc), default=0))' "$json" 2>/dev/null) ||
			longest=invalid
	fi
	if [ "$longest" = invalid ]; then
		json_note="$json_note, NOT valid JSON"
		failed=1
	elif [ -n "$longest" ]; then
		json_note="$json_note, $longest connections listed (capture has $BENCH_CONNS)"
		[ "$longest" = "$BENCH_CONNS" ] || failed=1
	fi
	if [ -n "$peak" ]; then
		json_note="$json_note, peak_open_connections $peak"
	fi
fi

# --- the table -----------------------------------------------------------------
results=$BENCH_DIR/results.txt
{
	echo "tcpautopsy benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
		"$(uname -sr)"
	echo "tcpautopsy: $("$TCPAUTOPSY" --version 2>/dev/null | head -n 1 || true)"
	if [ "$have_tshark" = 1 ]; then
		echo "tshark: $("$TSHARK" --version 2>/dev/null | head -n 1 || true)"
	else
		echo "tshark: not measured (not found or TSHARK=none)"
	fi
	echo "TMPDIR (tcpautopsy's spool): $BENCH_DIR ($(stat -f -c %T "$BENCH_DIR" 2>/dev/null || echo '?'))"
	echo "captures: gencap -c $BENCH_OPEN -k $BENCH_HOLD_MS, small -n $BENCH_CONNS, large -n $large_conns;" \
		"best of $BENCH_RUNS run(s)"
	echo "commands: tcpautopsy FILE -o - -q -F json >/dev/null"
	echo "          tcpautopsy-text: tcpautopsy FILE -o - -q -F text >/dev/null"
	echo "          tshark -n -r FILE -q -z conv,tcp >FILE.conv.txt"
	echo "          tcpautopsy+json: tcpautopsy small.pcap -o small.json -q -F json (once)"
	echo
	for cap in small large; do
		f=$BENCH_DIR/gencap-$cap.txt
		echo "$cap $(field connections "$f") $(field frames "$f") $(field bytes "$f")" \
			"$(field duration_s "$f")"
	done >"$BENCH_DIR/caps.txt"
	awk '
	NR == FNR { conns[$1] = $2; frames[$1] = $3; bytes[$1] = $4; next }
	{
		tool = $1; cap = $2; wall = $3; rss = $4; rc = $5
		mb = bytes[cap] / 1e6
		if (wall >= 0.001) {
			fps = sprintf("%.0f", frames[cap] / wall)
			mbps = sprintf("%.1f", mb / wall)
		} else {
			fps = "-"
			mbps = "-"
		}
		note = rc == 0 ? "" : "  FAILED (exit " rc ")"
		printf "%-16s %-6s %9d %10d %9.1f %8.3f %11s %8s %9.1f%s\n", tool, cap,
			conns[cap], frames[cap], mb, wall, fps, mbps, rss / 1024, note
		if (rc == 0)
			peak[tool, cap] = rss
		if (!(tool in seen)) {
			seen[tool] = 1
			order[++ntools] = tool
		}
	}
	BEGIN {
		printf "%-16s %-6s %9s %10s %9s %8s %11s %8s %9s\n", "tool", "capture",
			"conns", "frames", "MB", "wall_s", "frames/s", "MB/s", "RSS_MiB"
	}
	END {
		print ""
		for (i = 1; i <= ntools; i++) {
			t = order[i]
			if ((t, "small") in peak && (t, "large") in peak)
				printf "peak RSS large/small, %s: %.2f\n", t,
					peak[t, "large"] / peak[t, "small"]
		}
	}' "$BENCH_DIR/caps.txt" "$rows"
	echo "JSON report of the small capture: $json_note"
} >"$results"
rm -f "$rows" "$BENCH_DIR/caps.txt"

echo >&2
cat "$results"
echo "bench: table saved to $results" >&2
if [ "$BENCH_KEEP" != 1 ]; then
	echo "bench: captures deleted (BENCH_KEEP=1 keeps them)" >&2
fi
exit "$failed"
