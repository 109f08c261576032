#!/bin/bash
# rto-death: an established connection (3 request/response exchanges), then the server
# becomes unreachable (nft drop of inbound TCP to :8080 in the server namespace) and the
# client sends one more request: the client's kernel retransmits it with doubling gaps until
# tcp_retries2 (4 in the client namespace, a 6.2 s budget) is exhausted; the connection dies
# with ETIMEDOUT, silently (no RST).  A heartbeat connection to :9000 (not filtered) keeps
# frames flowing, so the silence afterwards is covered by the capture.
# Client vantage: samples/rto-death.pcap
. "$(dirname "$0")/common.sh"

# drop_inbound NS PORT: nft rule in NS dropping every inbound TCP segment to PORT.
drop_inbound() {
    nsx "$1" nft -f - <<NFT
table inet tcpa {
    chain in {
        type filter hook input priority 0; policy accept;
        tcp dport $2 drop
    }
}
NFT
}

two_hosts rtod
sysctls "$CNS" net.ipv4.tcp_retries2=4
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/rto-death.pcap"; CC=$CAP_PID

heartbeat_start
peer_bg "$SNS" server --addr $SIP --port 8080 --run 60
wait_port "$SNS" 8080
witness_begin "$OUT/rto-death.witness.txt" "rto-death: 3 exchanges, then nft drops inbound TCP :8080 at the server, the client's 4th request is retransmitted until tcp_retries2=4 expires (ETIMEDOUT, no RST); heartbeat :9000; client vantage"
peer_bg "$CNS" talk --addr $SIP --port 8080 --requests 3 --gap 0.2 --hold 1.5 --end request 2>"$LAB_TMP/talk.log"
TALK=$BG_PID
sleep 1.0
drop_inbound "$SNS" 8080
lab_log "server namespace now drops inbound TCP to :8080"
sleep 2.5
witness_note "# ---- MID-SCENARIO snapshot, ~2 s after the unanswered request ----"
witness_ss "$CNS" "client, mid-scenario"
for _ in $(seq 150); do kill -0 "$TALK" 2>/dev/null || break; sleep 0.1; done
sleep 3     # silence after the death (the heartbeat still runs)
witness_note "# ---- client program log ----"
sed 's/^/# /' "$LAB_TMP/talk.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/rto-death.pcap"
