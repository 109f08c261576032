#!/bin/bash
# close-wait-reuse: the server never close()s accepted sockets.  The client binds source
# port 40000, sends a request, reads the answer and closes (TCP_LINGER2 = 1 s and
# tcp_fin_timeout = 1 in the client namespace, so its orphaned FIN-WAIT-2 expires), waits 4 s
# and connects again from port 40000: the SYN hits the server's stale CLOSE-WAIT socket,
# which answers with a challenge ACK; the client resets it and its SYN is retried ms later.
# 4 connections (3 reuses).  Heartbeat connection to port 9000 running throughout.
# Captures: samples/close-wait-reuse-server.pcap (s0), samples/close-wait-reuse-client.pcap (c0).
. "$(dirname "$0")/common.sh"

two_hosts cwreuse
sysctls "$CNS" net.ipv4.tcp_fin_timeout=1
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/close-wait-reuse-client.pcap"; CC=$CAP_PID
cap_start "$SNS" s0 "$OUT/close-wait-reuse-server.pcap"; SC=$CAP_PID

heartbeat_start
peer_bg "$SNS" server --addr $SIP --port 8080 --no-close --run 60
wait_port "$SNS" 8080
peer "$CNS" get --addr $SIP --port 8080 --bind-port 40000 --linger2 1 --count 4 --close c --gap 4
sleep 3     # the last connection's client FIN-WAIT-2 expires silently; the server stays CLOSE-WAIT

witness_begin "$OUT/close-wait-reuse.witness.txt" "close-wait-reuse: server never closes, client reuses source port 40000 every ~4 s (4 connections), heartbeat :9000"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC $SC
show "$OUT/close-wait-reuse-client.pcap"; show "$OUT/close-wait-reuse-server.pcap"
