#!/bin/bash
# derive-capture-quality: captures with capture-quality defects, DERIVED from committed
# recordings with Wireshark's command-line tools (no namespaces, no root needed):
#   mirror-duplicates.pcap  every frame of healthy-client.pcap twice (a copy 1 us later),
#                           as from a SPAN/mirror port.  editcap -t + mergecap.
#   missed-packets.pcap     healthy-server.pcap without 3 frames that carry data (the peer
#                           then ACKs bytes the capture never saw).  editcap (delete frames).
#   truncated-tail.pcap     healthy-client.pcap cut short in the middle of its last record,
#                           as when tcpdump is killed.  head -c.
# Each gets a witness samples/<name>.witness.txt naming the exact commands and inputs.
# The frame numbers and offsets are checked against the input, so a re-recorded input with a
# different layout makes the script stop instead of producing a wrong sample.
# Output is deterministic: rerunning with the same inputs gives byte-identical files.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES_DIR=$(cd "$LAB_DIR/.." && pwd)
TMP=$(mktemp -d /tmp/tcpa-derive.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$SAMPLES_DIR"

for t in editcap mergecap tshark tcpdump sha256sum; do
    command -v $t >/dev/null || { echo "needs $t" >&2; exit 1; }
done
TOOLS="$(editcap --version | head -1); $(mergecap --version | head -1)"

die() { echo "derive-capture-quality: $*" >&2; exit 1; }
nframes() { tshark -r "$1" -T fields -e frame.number 2>/dev/null | wc -l; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# witness_head FILE TITLE SOURCE...: header common to the three witnesses.
witness_head() {
    local w=$1 title=$2 src; shift 2
    {
        echo "# $title"
        echo "# DERIVED (not recorded) $(date -u +%Y-%m-%dT%H:%M:%SZ) by samples/lab/$(basename "$0")"
        echo "# tools: $TOOLS"
        for src in "$@"; do echo "# input:  samples/$src ($(nframes "$src") frames, sha256 $(sha "$src"))"; done
        echo "# The commands below were run in samples/ (\$TMP = a temporary directory, deleted afterwards)."
        echo
    } >"$w"
}

# ---------------------------------------------------------------- 2. mirror-duplicates
SRC=healthy-client.pcap OUT=mirror-duplicates.pcap OFFSET=0.000001
# The copy must land between a frame and the next one, so the offset has to be smaller than
# the smallest gap between consecutive frames (2 us in this recording).
mingap=$(tshark -r $SRC -T fields -e frame.time_delta 2>/dev/null | tail -n +2 | sort -g | head -1)
awk -v g="$mingap" -v o="$OFFSET" 'BEGIN { exit !(g > o) }' \
    || die "$SRC: smallest inter-frame gap $mingap s is not above the offset $OFFSET s"
CMD1="editcap -F pcap -t $OFFSET $SRC \$TMP/copy.pcap"
CMD2="mergecap -F pcap -w $OUT $SRC \$TMP/copy.pcap"
editcap -F pcap -t $OFFSET $SRC "$TMP/copy.pcap"
mergecap -F pcap -w $OUT $SRC "$TMP/copy.pcap"
n_in=$(nframes $SRC); n_out=$(nframes $OUT)
[ "$n_out" -eq $((2 * n_in)) ] || die "$OUT: $n_out frames, expected $((2 * n_in))"
# every odd frame must be identical (bytes) to the next one, 1 us earlier
tshark -o frame.generate_md5_hash:TRUE -r $OUT -T fields -e frame.number -e frame.time_epoch -e frame.md5_hash 2>/dev/null \
  | awk -F'\t' 'NR % 2 == 1 { t = $2; h = $3; next }
                { if ($3 != h || sprintf("%.6f", $2 - t) != "0.000001") { print "pair ending at frame " $1 " broken"; bad = 1 } }
                END { exit bad }' || die "$OUT: duplicated frames are not adjacent pairs"
W=mirror-duplicates.witness.txt
witness_head $W "mirror-duplicates: every frame of healthy-client.pcap twice, the copy $OFFSET s later (SPAN/mirror-port duplicates)" $SRC
{
    echo "## commands"
    echo "$CMD1"
    echo "$CMD2"
    echo
    echo "## result"
    echo "samples/$OUT: $n_out frames = $n_in original frames, each followed at once by its copy"
    echo "(frames 2k-1 and 2k, k = 1..$n_in: identical bytes, timestamps 1 us apart; the smallest gap"
    echo "between two original frames is $mingap s, so no pair is split).  sha256 $(sha $OUT)"
    echo "Frame k of $SRC = frame 2k-1 (original) and frame 2k (copy) here."
    echo
    echo "## what the analyzer should say"
    echo "One capture-quality note: duplicated frames (mirror port), $n_in of $n_out frames are exact copies"
    echo "of the preceding frame ~1 us earlier.  After discarding the copies the analysis is that of"
    echo "$SRC (4 connections, normal FIN/FIN closes, see healthy.witness.txt for the kernel's final"
    echo "states).  No retransmissions, duplicate ACKs, out-of-order or spurious-retransmission"
    echo "findings must come from the copies."
} >>$W

# ---------------------------------------------------------------- 3. missed-packets
SRC=healthy-server.pcap OUT=missed-packets.pcap
# frame:payload bytes:what it carries (numbers as in $SRC)
DROP="10:740:#1 192.0.2.1:38476 server->client response 43719874:43720614
29:41:#3 192.0.2.1:38484 client->server request 1174798274:1174798315
43:759:#4 192.0.2.1:38494 server->client response 3887239573:3887240332"
frames=""
while IFS=: read -r f len what; do
    got=$(tshark -r $SRC -Y "frame.number == $f" -T fields -e tcp.len -e tcp.seq_raw 2>/dev/null)
    want_seq=${what##* }; want_seq=${want_seq%%:*}
    [ "$got" = "$len	$want_seq" ] || die "$SRC frame $f: tcp.len/seq '$got', expected '$len	$want_seq' (input re-recorded?)"
    frames="$frames $f"
done <<<"$DROP"
frames=${frames# }
CMD="editcap -F pcap $SRC $OUT $frames"
editcap -F pcap $SRC $OUT $frames
n_in=$(nframes $SRC); n_out=$(nframes $OUT)
[ "$n_out" -eq $((n_in - 3)) ] || die "$OUT: $n_out frames, expected $((n_in - 3))"
W=missed-packets.witness.txt
witness_head $W "missed-packets: healthy-server.pcap with 3 data-carrying frames deleted (the capture missed them)" $SRC
{
    echo "## command"
    echo "$CMD"
    echo
    echo "## removed frames (numbers in $SRC; payload; what they carried)"
    while IFS=: read -r f len what; do echo "frame $f: $len bytes, $what"; done <<<"$DROP"
    echo
    echo "## result"
    echo "samples/$OUT: $n_out frames (of $n_in).  sha256 $(sha $OUT)"
    echo "Frames of $SRC after a removed one move down: old 11..28 -> 10..27, old 30..42 -> 28..40,"
    echo "old 44..50 -> 41..47.  In $OUT the first ACK covering bytes the capture never saw is:"
    echo "  frame 10 (#1): client ACK 43720614 (740 unseen bytes; the server's FIN, frame 12, seq 43720614)"
    echo "  frame 28 (#3): server ACK 1174798315 (41 unseen bytes of request; the response, frame 29, acks them too)"
    echo "  frame 41 (#4): client ACK 3887240332 (759 unseen bytes; the server's FIN, frame 42, seq 3887240332)"
    echo "Connection #2 (192.0.2.1:38482) is untouched (control)."
    echo
    echo "## what the analyzer should say"
    echo "One capture-quality note: packets missing from the capture (ACKed data never seen), 3 gaps,"
    echo "1540 bytes in all, on connections #1, #3, #4.  NOT a network problem: no loss,"
    echo "retransmission or stall finding (nothing was retransmitted; the kernel's counters in"
    echo "healthy.witness.txt show TcpRetransSegs 0).  Connections and final states as in $SRC"
    echo "(see healthy.witness.txt)."
} >>$W

# ---------------------------------------------------------------- 4. truncated-tail
SRC=healthy-client.pcap OUT=truncated-tail.pcap KEEP=40
size=$(stat -c %s $SRC)
n_in=$(nframes $SRC)
last_cap=$(tshark -r $SRC -T fields -e frame.cap_len 2>/dev/null | tail -1)
last_what=$(tcpdump -nr $SRC 2>/dev/null | tail -1 | cut -d' ' -f2-)
# keep the last record's 16-byte header and the first $KEEP bytes of its packet data
cut=$((size - last_cap + KEEP))
[ "$KEEP" -lt "$last_cap" ] || die "$SRC: last frame only $last_cap bytes"
CMD="head -c $cut $SRC > $OUT"
head -c $cut $SRC >$OUT
tcpdump_err=$(tcpdump -nr $OUT 2>&1 >/dev/null | grep -v '^reading from' || true)
n_ok=$( (tcpdump -nr $OUT 2>/dev/null || true) | wc -l)
[ "$n_ok" -eq $((n_in - 1)) ] || die "$OUT: tcpdump reads $n_ok frames, expected $((n_in - 1))"
W=truncated-tail.witness.txt
witness_head $W "truncated-tail: healthy-client.pcap cut short in the middle of its last record (as when tcpdump is killed)" $SRC
{
    echo "## command"
    echo "$CMD"
    echo
    echo "## result"
    echo "samples/$OUT: $cut of $size bytes.  Frames 1..$((n_in - 1)) are complete; the last record,"
    echo "frame $n_in ($last_what), has its full 16-byte record header (incl_len $last_cap) but"
    echo "only $KEEP of its $last_cap bytes of packet data: the file ends $((last_cap - KEEP)) bytes short."
    echo "sha256 $(sha $OUT)"
    echo "tcpdump -nr $OUT: $n_ok frames, then: $tcpdump_err"
    echo
    echo "## what the analyzer should say"
    echo "Read the $((n_in - 1)) complete frames and analyse them normally: the same 4 connections and"
    echo "states as $SRC (all TCP frames are complete; the cut frame is ICMPv6 noise).  Report the"
    echo "truncation once as a capture-quality note (file ends in the middle of record $n_in:"
    echo "$KEEP of $last_cap bytes present), not as a network problem.  The report on the complete"
    echo "frames must still be written; tcpautopsy's documented exit status for a damaged input is 2."
} >>$W

for f in mirror-duplicates.pcap missed-packets.pcap truncated-tail.pcap; do
    echo "$f: $(stat -c %s $f) bytes" >&2
done
