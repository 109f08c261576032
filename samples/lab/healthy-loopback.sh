#!/bin/bash
# healthy-loopback: two HTTP-like exchanges over the loopback interface of one namespace
# (203.0.113.1 on lo, both endpoints in the same namespace), client closes first on #1,
# server on #2.  Captured on lo (DLT_EN10MB with zero MACs): samples/healthy-loopback.pcap
. "$(dirname "$0")/common.sh"

NS=tcpa-loop
ns_new $NS
addr $NS lo 203.0.113.1/32
OUT=$SAMPLES_DIR
cap_start $NS lo "$OUT/healthy-loopback.pcap"; C=$CAP_PID

peer_bg $NS server --addr 203.0.113.1 --port 8080 --size 2000 --run 30
wait_port $NS 8080
peer $NS get --addr 203.0.113.1 --port 8080 --count 2 --close cs --gap 0.3
sleep 0.5

witness_begin "$OUT/healthy-loopback.witness.txt" "healthy-loopback: 2 exchanges over lo, 203.0.113.1 -> 203.0.113.1:8080 (both endpoints in one namespace)"
witness_ns $NS "client and server"
cap_stop $C
show "$OUT/healthy-loopback.pcap"
