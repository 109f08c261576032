#!/bin/bash
# accept-backlog: the classic full accept queue.  The server listens with a tiny backlog and
# does not call accept() for ACCEPT_AFTER seconds; 100 ms of one-way delay (AF_PACKET
# forwarder in a middle namespace) keeps handshakes in flight while the queue fills; the
# client opens COUNT connections SPACING s apart, each sending its request at once.
# Server namespace: tcp_synack_retries=2, so requests still waiting when their SYN-ACK
# budget is spent expire and the client's next segment is reset.
# Captures: samples/accept-backlog-server.pcap (s0) and samples/accept-backlog-client.pcap (c0).
# With ABORT=1 (accept-backlog-reset.sh) the server namespace has tcp_abort_on_overflow=1.
. "$(dirname "$0")/common.sh"

NAME=${NAME:-accept-backlog}
BACKLOG=${BACKLOG:-4}
COUNT=${COUNT:-12}
SPACING=${SPACING:-0.06}
ACCEPT_AFTER=${ACCEPT_AFTER:-5}
ACCEPT_GAP=${ACCEPT_GAP:-1}   # the first 4 accept()s are 1 s apart, then as fast as possible
ABORT=${ABORT:-0}

delayed_hosts ab 100 60
static_arp
sysctls "$SNS" net.ipv4.tcp_synack_retries=2 net.ipv4.tcp_abort_on_overflow=$ABORT
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/$NAME-client.pcap"; CC=$CAP_PID
cap_start "$SNS" s0 "$OUT/$NAME-server.pcap"; SC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --backlog "$BACKLOG" --accept-after "$ACCEPT_AFTER" --accept-gap "$ACCEPT_GAP" --gap-count 4 --run 50
wait_port "$SNS" 8080
witness_begin "$OUT/$NAME.witness.txt" "$NAME: listen backlog $BACKLOG, accept() after ${ACCEPT_AFTER}s, $COUNT connections ${SPACING}s apart, 100 ms one-way delay, server tcp_synack_retries=2 tcp_abort_on_overflow=$ABORT"
peer_bg "$CNS" burst --addr $SIP --port 8080 --count "$COUNT" --spacing "$SPACING" --timeout 25
CLIENT=$BG_PID
# Mid-scenario snapshot while the queue is full and nothing is accepted yet.
sleep $(echo "$ACCEPT_AFTER - 1" | bc)
witness_note "# ---- MID-SCENARIO snapshot, ~$((ACCEPT_AFTER - 1)) s after the first SYN, before any accept() ----"
witness_ss "$CNS" "client, mid-scenario"
witness_ss "$SNS" "server, mid-scenario"
wait $CLIENT || true
sleep 1
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC $SC
show "$OUT/$NAME-client.pcap"; show "$OUT/$NAME-server.pcap"
