#!/bin/bash
# syn-unanswered: the server namespace silently drops TCP to port 8082
# (ip rule ... ipproto tcp dport 8082 blackhole); the client's SYNs go
# unanswered until connect() times out (TCP_SYNCNT 2).  Then one normal exchange with port 8080.
# Captured at the server: samples/syn-unanswered.pcap (the SYNs arrive, nothing leaves).
. "$(dirname "$0")/common.sh"

two_hosts synun
# the "lookup local" rule (pref 0) would deliver locally before any other rule: move it
# behind the blackhole rule
ip -n "$SNS" rule add pref 100 lookup local
ip -n "$SNS" rule del pref 0
ip -n "$SNS" rule add pref 10 ipproto tcp dport 8082 blackhole
OUT=$SAMPLES_DIR
cap_start "$SNS" s0 "$OUT/syn-unanswered.pcap"; SC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --run 40
peer_bg "$SNS" server --addr $SIP --port 8082 --run 40
wait_port "$SNS" 8082
peer "$CNS" get --addr $SIP --port 8082 --count 1 --syncnt 2
peer "$CNS" get --addr $SIP --port 8080 --count 1 --close c
sleep 0.5

witness_begin "$OUT/syn-unanswered.witness.txt" "syn-unanswered: SYNs to :8082 blackholed in the server namespace, client TCP_SYNCNT=2; then 1 exchange with :8080"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $SC
show "$OUT/syn-unanswered.pcap"
