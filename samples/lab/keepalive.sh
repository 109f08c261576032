#!/bin/bash
# keepalive: one connection, request/response, then idle ~5.5 s with client keep-alives
# (TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s) answered by the server, a second request/response,
# then the client closes first.  Captured at the server: samples/keepalive.pcap
. "$(dirname "$0")/common.sh"

two_hosts keepalive
OUT=$SAMPLES_DIR
cap_start "$SNS" s0 "$OUT/keepalive.pcap"; SC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --run 30
wait_port "$SNS" 8080
peer "$CNS" get --addr $SIP --port 8080 --keepalive 1,1 --requests 2 --idle 5.5 --close c
sleep 0.5

witness_begin "$OUT/keepalive.witness.txt" "keepalive: idle connection with 1 s keep-alives, server vantage"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $SC
show "$OUT/keepalive.pcap"
