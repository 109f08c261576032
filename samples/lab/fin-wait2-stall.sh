#!/bin/bash
# fin-wait2-stall: the client sends a request, reads the answer and closes; the server never
# closes (CLOSE-WAIT), the client sits in FIN-WAIT-2 until its timer (tcp_fin_timeout=3 in the
# client namespace) expires silently.  ~10 s of idleness, made visible by the heartbeat
# connection to port 9000.  Then the server writes on the stale socket and the client host
# answers RST (seq = client FIN seq + 1).  Captured at the server: samples/fin-wait2-stall.pcap
. "$(dirname "$0")/common.sh"

two_hosts fw2
sysctls "$CNS" net.ipv4.tcp_fin_timeout=3
OUT=$SAMPLES_DIR
cap_start "$SNS" s0 "$OUT/fin-wait2-stall.pcap"; SC=$CAP_PID

heartbeat_start
peer_bg "$SNS" server --addr $SIP --port 8080 --no-close --late-write 10 --run 60
wait_port "$SNS" 8080
witness_begin "$OUT/fin-wait2-stall.witness.txt" "fin-wait2-stall: client closes, server never closes, late server write after 10 s, client tcp_fin_timeout=3, heartbeat :9000"
peer "$CNS" get --addr $SIP --port 8080 --count 1 --close c
sleep 1.5
witness_note "# ---- MID-SCENARIO snapshot, 1.5 s after the client's close ----"
witness_ss "$CNS" "client, mid-scenario"
witness_ss "$SNS" "server, mid-scenario"
sleep 4
witness_note "# ---- MID-SCENARIO snapshot, 5.5 s after the client's close (client timer expired) ----"
witness_ss "$CNS" "client, mid-scenario"
witness_ss "$SNS" "server, mid-scenario"
sleep 6     # the late write happens 10 s after the close
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $SC
show "$OUT/fin-wait2-stall.pcap"
