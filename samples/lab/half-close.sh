#!/bin/bash
# half-close: the client sends its request and calls shutdown(SHUT_WR); the server reads to
# EOF, then sends 6 chunks 0.3 s apart (each ACKed by the client) and closes.  Legitimate
# half-close, no anomaly.  Captured at the client: samples/half-close.pcap
. "$(dirname "$0")/common.sh"

two_hosts halfclose
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/half-close.pcap"; CC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --mode halfclose --chunks 6 --chunk-gap 0.3 --run 30
wait_port "$SNS" 8080
peer "$CNS" get --addr $SIP --port 8080 --shutwr
sleep 0.5

witness_begin "$OUT/half-close.witness.txt" "half-close: client shutdown(SHUT_WR) after request, server sends 6 chunks then closes, client vantage"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/half-close.pcap"
