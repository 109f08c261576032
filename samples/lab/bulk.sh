#!/bin/bash
# bulk: one 3 MB transfer server -> client over IPv4 veth, captured at the client with a
# snap length of 128 bytes (frames are truncated), then closed: server first (FIN right
# after the data), client reads to EOF and closes.  samples/bulk.pcap
. "$(dirname "$0")/common.sh"

two_hosts bulk
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/bulk.pcap" -s 128; CC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --mode bulk --bytes 3000000 --run 30
wait_port "$SNS" 8080
peer "$CNS" bulk-get --addr $SIP --port 8080
sleep 0.5

witness_begin "$OUT/bulk.witness.txt" "bulk: 3 MB 192.0.2.2:8080 -> 192.0.2.1, snaplen 128, client vantage"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/bulk.pcap"
