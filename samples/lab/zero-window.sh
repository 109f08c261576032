#!/bin/bash
# zero-window: the client pushes 2 MB; the server accepts but does not read for 5 s, so its
# receive window closes; the client's kernel sends zero-window probes (backoff) until the
# server starts reading, the window reopens and the transfer completes; client closes first.
# Client vantage, snap length 128: samples/zero-window.pcap
. "$(dirname "$0")/common.sh"

two_hosts zwin
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/zero-window.pcap" -s 128; CC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --mode slowread --read-after 5 --run 30
wait_port "$SNS" 8080
peer "$CNS" send --addr $SIP --port 8080 --bytes 2000000
sleep 0.5

witness_begin "$OUT/zero-window.witness.txt" "zero-window: client sends 2 MB, server reads only after 5 s"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/zero-window.pcap"
