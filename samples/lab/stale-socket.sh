#!/bin/bash
# stale-socket: like close-wait-reuse (the server never close()s accepted sockets; the client
# binds source port 40000, sends a request, reads the answer and closes, TCP_LINGER2 = 1 s and
# tcp_fin_timeout = 1 in the client namespace so its orphaned FIN-WAIT-2 expires), but the
# capture is started only AFTER that first connection: the server's socket is CLOSE-WAIT, the
# client's FIN-WAIT-2 has expired (checked with ss and written to the witness).  Then the
# client connects again from port 40000: SYN -> challenge ACK from the stale socket -> client
# `R` -> SYN retried ms later -> connected, request/answer, client closes (server CLOSE-WAIT
# again).  The capture holds no trace of the earlier connection (syn_to_stale_socket).
# Captured at the server: samples/stale-socket.pcap
. "$(dirname "$0")/common.sh"

two_hosts stalesock
sysctls "$CNS" net.ipv4.tcp_fin_timeout=1
OUT=$SAMPLES_DIR

peer_bg "$SNS" server --addr $SIP --port 8080 --no-close --run 40
wait_port "$SNS" 8080
witness_begin "$OUT/stale-socket.witness.txt" "stale-socket: server never closes; first connection from 192.0.2.1:40000 made BEFORE the capture, capture started after the client's FIN-WAIT-2 expired, then a second connection from port 40000 (server vantage)"

# 1st connection: not captured.
peer "$CNS" get --addr $SIP --port 8080 --bind-port 40000 --linger2 1 --count 1 --close c
sleep 3     # the client's orphaned FIN-WAIT-2 (1 s) expires silently; the server stays CLOSE-WAIT

# Prove the precondition: client has no socket on :40000, server is CLOSE-WAIT on it.
for _ in $(seq 20); do
    nsx "$CNS" ss -Htan "sport = :40000" | grep -q . || break
    sleep 0.25
done
if nsx "$CNS" ss -Htan "sport = :40000" | grep -q .; then
    echo "client still has a socket on port 40000" >&2; exit 1
fi
nsx "$SNS" ss -Htan state close-wait "dport = :40000" | grep -q . \
    || { echo "server has no CLOSE-WAIT socket for port 40000" >&2; exit 1; }
witness_note "# ---- BEFORE the capture: 1st connection closed by the client ~3 s ago, client FIN-WAIT-2 expired ----"
witness_ss "$CNS" "client, before the capture"
witness_ss "$SNS" "server, before the capture"

cap_start "$SNS" s0 "$OUT/stale-socket.pcap"; SC=$CAP_PID
sleep 0.5

# 2nd connection from the same source port: hits the stale CLOSE-WAIT socket.
peer "$CNS" get --addr $SIP --port 8080 --bind-port 40000 --linger2 1 --count 1 --close c
sleep 3     # its client FIN-WAIT-2 expires too; the server is CLOSE-WAIT again

witness_note "# ---- END of scenario (final states) ----"
witness_note "# nstat counters are absolute since the namespaces were made: they include the 1st (uncaptured) connection"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $SC
show "$OUT/stale-socket.pcap"
