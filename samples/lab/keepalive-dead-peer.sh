#!/bin/bash
# keepalive-dead-peer: one connection with SO_KEEPALIVE (TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s,
# TCP_KEEPCNT 3) on the client: 2 request/response exchanges, idle with keep-alive probes
# answered by the server, then the server becomes unreachable (nft drop of inbound TCP to
# :8080 in the server namespace): 3 probes 1 s apart go unanswered, then the client's kernel
# gives up with an `R.` (its application's recv() fails with ETIMEDOUT).  The server never
# sees the RST (dropped) and stays ESTABLISHED.  Client (prober) vantage:
# samples/keepalive-dead-peer.pcap
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

two_hosts kadead
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/keepalive-dead-peer.pcap"; CC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --run 60
wait_port "$SNS" 8080
witness_begin "$OUT/keepalive-dead-peer.witness.txt" "keepalive-dead-peer: keep-alive 1,1,3 on the client, 2 exchanges, 2 answered probes, then nft drops inbound TCP :8080 at the server: 3 unanswered probes, client R. (ETIMEDOUT); client vantage"
peer_bg "$CNS" talk --addr $SIP --port 8080 --requests 2 --gap 0.2 --keepalive 1,1,3 --end wait 2>"$LAB_TMP/talk.log"
TALK=$BG_PID
sleep 2.7
drop_inbound "$SNS" 8080
lab_log "server namespace now drops inbound TCP to :8080"
for _ in $(seq 150); do kill -0 "$TALK" 2>/dev/null || break; sleep 0.1; done
sleep 1.5
witness_note "# ---- client program log ----"
sed 's/^/# /' "$LAB_TMP/talk.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/keepalive-dead-peer.pcap"
