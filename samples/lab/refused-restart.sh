#!/bin/bash
# refused-restart: the listener on :8080 is stopped (process killed with SIGTERM, so the
# listening socket is closed) and started again ~1 s later while a client opens one
# connection every ~200 ms (20 in all, each one HTTP-like exchange, client closes first).
# SYNs that arrive while nothing listens are answered by `R.` seq 0 ack ISN+1 (connection
# refused), although the same port accepted SYNs just before and accepts them again just
# after.  Client vantage: samples/refused-restart.pcap
. "$(dirname "$0")/common.sh"

two_hosts refused-restart
static_arp
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/refused-restart.pcap"; CC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --run 30; S1=$BG_PID
wait_port "$SNS" 8080
peer_bg "$CNS" get --addr $SIP --port 8080 --count 20 --gap 0.2 --close c --timeout 5; CLIENT=$BG_PID
sleep 1.3
lab_log "stopping the listener (pid $S1)"
kill -TERM $S1; wait $S1 || true
sleep 1.0
lab_log "starting the listener again"
peer_bg "$SNS" server --addr $SIP --port 8080 --run 30
wait_port "$SNS" 8080
wait $CLIENT
sleep 0.5

witness_begin "$OUT/refused-restart.witness.txt" "refused-restart: 20 connections to 192.0.2.2:8080 ~200 ms apart; the listener is stopped at ~1.3 s and restarted ~1 s later"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/refused-restart.pcap"
