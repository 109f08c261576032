#!/bin/bash
# refused: a SYN to a port nobody listens on (8081) is answered by RST, twice; then one
# normal exchange with port 8080 on the same server.  Client vantage: samples/refused.pcap
. "$(dirname "$0")/common.sh"

two_hosts refused
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/refused.pcap"; CC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --run 30
wait_port "$SNS" 8080
peer "$CNS" get --addr $SIP --port 8081 --count 2 --gap 0.3
sleep 0.3
peer "$CNS" get --addr $SIP --port 8080 --count 1 --close c
sleep 0.5

witness_begin "$OUT/refused.witness.txt" "refused: 2 SYNs to closed port 8081 (RST), then 1 exchange with :8080"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/refused.pcap"
