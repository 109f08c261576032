#!/bin/bash
# mid-stream (false-positive trap): a healthy long-lived connection (request/response every
# 0.2 s, 25 exchanges, ~5 s) whose capture starts ~0.8 s AFTER its handshake and stops ~2 s
# BEFORE the client's close, plus one complete short connection (handshake, exchange, client
# closes first, FIN/FIN) in the middle of the capture.  Nothing is wrong: the first connection
# is simply picked up mid-stream and still open when the capture ends.
# Client vantage: samples/mid-stream.pcap
. "$(dirname "$0")/common.sh"

two_hosts midstr
OUT=$SAMPLES_DIR
peer_bg "$SNS" server --addr $SIP --port 8080 --run 30
wait_port "$SNS" 8080
witness_begin "$OUT/mid-stream.witness.txt" "mid-stream: long-lived connection (25 exchanges 0.2 s apart) captured without its handshake and close, plus one complete short connection; client vantage"
peer_bg "$CNS" talk --addr $SIP --port 8080 --requests 25 --gap 0.2 --end close 2>"$LAB_TMP/talk.log"
TALK=$BG_PID
sleep 0.8
cap_start "$CNS" c0 "$OUT/mid-stream.pcap"; CC=$CAP_PID
sleep 1.0
peer "$CNS" get --addr $SIP --port 8080 --count 1 --close c 2>"$LAB_TMP/get.log"
sleep 0.7
witness_note "# ---- snapshot just before the capture stops (the long-lived connection is still open) ----"
witness_ns "$CNS" "client, capture end"
witness_ss "$SNS" "server, capture end"
cap_stop $CC
for _ in $(seq 50); do kill -0 "$TALK" 2>/dev/null || break; sleep 0.1; done
sleep 0.3
witness_note "# ---- client program logs ----"
sed 's/^/# /' "$LAB_TMP/talk.log" "$LAB_TMP/get.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of scenario, after the capture (the long-lived connection closed by the client ~2 s after the capture stopped) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
show "$OUT/mid-stream.pcap"
