#!/bin/bash
# challenge-ack-rst: a persistent connection with a request/response every 0.3 s; a forged
# RST is injected twice from the client namespace (AF_PACKET on c0, source 192.0.2.1 and the
# connection's port): first `R` (ACK clear), 1 s later `R.`, each with seq = the server's
# rcv_nxt + 1000 (inside its receive window, but not exact).  RFC 5961 3.2: the server
# answers each with a challenge ACK (seq = snd_nxt, ack = rcv_nxt) and the connection goes on
# normally; the client's stack ignores the challenge ACKs (duplicate ACKs to it).  The client
# closes first at the end.  Server vantage: samples/challenge-ack-rst.pcap
. "$(dirname "$0")/common.sh"

two_hosts chack
OUT=$SAMPLES_DIR
cap_start "$SNS" s0 "$OUT/challenge-ack-rst.pcap"; SC=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --run 30
wait_port "$SNS" 8080
witness_begin "$OUT/challenge-ack-rst.witness.txt" "challenge-ack-rst: 12 exchanges 0.3 s apart, two injected in-window inexact RSTs (R, then R.) at rcv_nxt+1000, each answered by a challenge ACK; server vantage"
peer_bg "$CNS" inject-rst --iface c0 --src $CIP --dst $SIP --dport 8080 --after 1.35 --gap 1.0 --count 2 --flags R,RA --offset 1000 2>"$LAB_TMP/inject.log"
INJ=$BG_PID
sleep 0.2
peer "$CNS" talk --addr $SIP --port 8080 --requests 12 --gap 0.3 --end close 2>"$LAB_TMP/talk.log"
for _ in $(seq 50); do kill -0 "$INJ" 2>/dev/null || break; sleep 0.1; done
sleep 0.5
witness_note "# ---- injector and client program logs ----"
sed 's/^/# /' "$LAB_TMP/inject.log" "$LAB_TMP/talk.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $SC
show "$OUT/challenge-ack-rst.pcap"
