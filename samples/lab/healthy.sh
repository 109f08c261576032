#!/bin/bash
# healthy: four HTTP-like exchanges over IPv4 veth, each closed FIN/FIN; the client closes
# first on connections 1 and 3, the server on 2 and 4.  Recorded at both ends of the link
# at once: samples/healthy-client.pcap (client veth) and samples/healthy-server.pcap.
. "$(dirname "$0")/common.sh"

two_hosts healthy
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/healthy-client.pcap"; CC=$CAP_PID
cap_start "$SNS" s0 "$OUT/healthy-server.pcap"; SC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --size 700 --run 30
wait_port "$SNS" 8080
peer "$CNS" get --addr $SIP --port 8080 --count 4 --close cscs --gap 0.3
sleep 0.5

witness_begin "$OUT/healthy.witness.txt" "healthy: 4 HTTP-like exchanges 192.0.2.1 -> 192.0.2.2:8080"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC $SC
show "$OUT/healthy-client.pcap"; show "$OUT/healthy-server.pcap"
