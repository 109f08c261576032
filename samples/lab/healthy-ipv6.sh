#!/bin/bash
# healthy-ipv6: three HTTP-like exchanges over IPv6 veth (2001:db8::1 -> [2001:db8::2]:8080),
# closed by client, server, client.  Captured at the client: samples/healthy-ipv6.pcap
. "$(dirname "$0")/common.sh"

two_hosts ipv6
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/healthy-ipv6.pcap"; CC=$CAP_PID

peer_bg "$SNS" server --addr $SIP6 --port 8080 --size 1200 --run 30
wait_port "$SNS" 8080
peer "$CNS" get --addr $SIP6 --port 8080 --count 3 --close csc --gap 0.3
sleep 0.5

witness_begin "$OUT/healthy-ipv6.witness.txt" "healthy-ipv6: 3 exchanges [2001:db8::1] -> [2001:db8::2]:8080"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/healthy-ipv6.pcap"
