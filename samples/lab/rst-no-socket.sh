#!/bin/bash
# rst-no-socket: one exchange, then, while the client is idle, the server's socket is
# destroyed with `ss -K` in the server namespace.  tcp_abort() sends an `R.` for it; an nft
# output rule (with a counter, listed in the witness) drops that RST for the ~0.2 s around
# `ss -K`, so the client never learns, as after a peer reboot or a failover.  The client then
# sends a second request and the server host, which has no socket for it any more, answers
# with a stateless `R` (seq = the request's ack, ACK flag clear, window 0, no options).
# Client vantage samples/rst-no-socket-client.pcap, server vantage samples/rst-no-socket-server.pcap
. "$(dirname "$0")/common.sh"

two_hosts rstns
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/rst-no-socket-client.pcap"; CC=$CAP_PID
cap_start "$SNS" s0 "$OUT/rst-no-socket-server.pcap"; SC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --run 30
wait_port "$SNS" 8080
witness_begin "$OUT/rst-no-socket.witness.txt" "rst-no-socket: one exchange, server socket destroyed by ss -K while the client idles (its R. dropped by nft output), then a client request answered by a stateless R; both vantages"
peer_bg "$CNS" talk --addr $SIP --port 8080 --requests 1 --hold 2.0 --end request 2>"$LAB_TMP/talk.log"
TALK=$BG_PID
sleep 0.8
witness_note "# ---- before ss -K ----"
witness_ss "$SNS" "server, before ss -K"
nsx "$SNS" nft -f - <<NFT
table inet tcpa {
    chain out {
        type filter hook output priority 0; policy accept;
        tcp sport 8080 tcp flags rst counter drop
    }
}
NFT
witness_note "# ---- ss -K -tn state established '( sport = :8080 )' in the server namespace (the socket it destroyed) ----"
nsx "$SNS" ss -K -tn state established '( sport = :8080 )' >>"$WITNESS"
sleep 0.2
witness_note "# ---- nft ruleset in the server namespace after ss -K (the counter shows the dropped abort RST) ----"
nsx "$SNS" nft list ruleset >>"$WITNESS"
nsx "$SNS" nft delete table inet tcpa
lab_log "server socket destroyed, its RST dropped; nft rule removed"
for _ in $(seq 100); do kill -0 "$TALK" 2>/dev/null || break; sleep 0.1; done
sleep 0.5
witness_note ""
witness_note "# ---- client program log ----"
sed 's/^/# /' "$LAB_TMP/talk.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC $SC
show "$OUT/rst-no-socket-client.pcap"; show "$OUT/rst-no-socket-server.pcap"
