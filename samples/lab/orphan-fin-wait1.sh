#!/bin/bash
# orphan-fin-wait1: the closing process is gone and its FIN is never ACKed; two variants,
# each in its own pair of namespaces, each with a heartbeat connection to :9000 so that the
# silence after the orphan's death is covered by frames.
#
# 1. zero-window (samples/orphan-fin-wait1-zero-window.pcap, snap length 256): the client
#    writes until the server's receive window is 0 and its own send buffer is full (the server
#    application does not read), then close()s and exits: an orphan in FIN-WAIT-1 with ~700 kB
#    unsent and its FIN queued behind them, probing the zero window (probes answered, win 0).
#    Client namespace: tcp_orphan_retries=5 and tcp_rto_max_ms=1000 (Linux >= 6.15): once the
#    backed-off probe interval reaches the 1 s cap the orphan is killed when its backoff count
#    reaches 5 (tcp_probe_timer), silently.  At 10 s the server application reads: its window
#    update is answered by a stateless `R` from the client host.
#    (With tcp_orphan_retries small but the default tcp_rto_max_ms of 120 s the orphan does NOT
#    die while the peer answers the probes: each answer resets the probe count.)
# 2. unreachable (samples/orphan-fin-wait1-unreachable.pcap): 2 request/response exchanges,
#    then the server namespace drops inbound TCP to :8080 (nft) and the client close()s and
#    exits: its FIN is retransmitted with backoff (TLP first) and never ACKed; client
#    namespace tcp_orphan_retries=4 (a 6.2 s budget), then the orphan vanishes silently.  The
#    server never saw the FIN: it stays ESTABLISHED.
# Client vantage for both.  Witness: samples/orphan-fin-wait1.witness.txt (both variants).
. "$(dirname "$0")/common.sh"

OUT=$SAMPLES_DIR
witness_begin "$OUT/orphan-fin-wait1.witness.txt" "orphan-fin-wait1: 1. zero-window orphan (client tcp_orphan_retries=5, tcp_rto_max_ms=1000; server reads after 10 s), 2. FIN to an unreachable server (nft drop; client tcp_orphan_retries=4); heartbeat :9000 in both; client vantage"

# ---------------------------------------------------------------- 1. zero window
two_hosts ofw1z
sysctls "$CNS" net.ipv4.tcp_orphan_retries=5 net.ipv4.tcp_rto_max_ms=1000
cap_start "$CNS" c0 "$OUT/orphan-fin-wait1-zero-window.pcap" -s 256; CC=$CAP_PID
heartbeat_start
peer_bg "$SNS" server --addr $SIP --port 8080 --mode slowread --read-after 10 --run 30 2>"$LAB_TMP/server1.log"
wait_port "$SNS" 8080
peer "$CNS" fill-close --addr $SIP --port 8080 --stall 0.5 2>"$LAB_TMP/client1.log"
sleep 1.5
witness_note "# ================ variant 1: zero-window orphan ================"
witness_note "# ---- MID-SCENARIO snapshot, 1.5 s after the client's close() (orphan probing) ----"
witness_ss "$CNS" "client, mid-scenario"
witness_ss "$SNS" "server, mid-scenario"
sleep 5
witness_note "# ---- MID-SCENARIO snapshot, 6.5 s after the close(): the orphan is gone, the server has not read yet ----"
witness_ss "$CNS" "client, mid-scenario"
sleep 4     # the server reads ~10 s after accept(): window update -> R
witness_note "# ---- client and server program logs ----"
sed 's/^/# /' "$LAB_TMP/client1.log" "$LAB_TMP/server1.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of variant 1 (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/orphan-fin-wait1-zero-window.pcap"

# ---------------------------------------------------------------- 2. unreachable peer
two_hosts ofw1u
sysctls "$CNS" net.ipv4.tcp_orphan_retries=4
cap_start "$CNS" c0 "$OUT/orphan-fin-wait1-unreachable.pcap"; CC=$CAP_PID
heartbeat_start
peer_bg "$SNS" server --addr $SIP --port 8080 --run 30
wait_port "$SNS" 8080
peer_bg "$CNS" talk --addr $SIP --port 8080 --requests 2 --gap 0.2 --hold 1.0 --end close 2>"$LAB_TMP/client2.log"
TALK=$BG_PID
sleep 0.8
nsx "$SNS" nft -f - <<NFT
table inet tcpa {
    chain in {
        type filter hook input priority 0; policy accept;
        tcp dport 8080 drop
    }
}
NFT
lab_log "server namespace now drops inbound TCP to :8080"
for _ in $(seq 50); do kill -0 "$TALK" 2>/dev/null || break; sleep 0.1; done
sleep 2
witness_note ""
witness_note "# ================ variant 2: FIN to an unreachable server ================"
witness_note "# ---- MID-SCENARIO snapshot, ~2 s after the client's close() ----"
witness_ss "$CNS" "client, mid-scenario"
sleep 7.5
witness_note "# ---- client program log ----"
sed 's/^/# /' "$LAB_TMP/client2.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of variant 2 (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/orphan-fin-wait1-unreachable.pcap"
