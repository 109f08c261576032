#!/bin/bash
# abortive-close: three connections to the same server (192.0.2.2:8080):
#  1. the client sends a request, reads the answer, then sends 64 more bytes; the server
#     application close()s 0.3 s later without reading them: `R.` instead of FIN (RFC 2525
#     2.17, unread data in the receive buffer);
#  2. two exchanges, then the client sets SO_LINGER {1,0} and close()s: `R.` from the client;
#  3. one normal exchange, client closes first, FIN/FIN.
# Client vantage: samples/abortive-close.pcap
. "$(dirname "$0")/common.sh"

two_hosts abort
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/abortive-close.pcap"; CC=$CAP_PID

peer_bg "$SNS" abort-server --addr $SIP --port 8080 --unread-wait 0.3 --run 30
wait_port "$SNS" 8080
witness_begin "$OUT/abortive-close.witness.txt" "abortive-close: 1. server close() with 64 unread bytes (R.), 2. client SO_LINGER {1,0} close (R.), 3. normal; client vantage"
peer "$CNS" talk --addr $SIP --port 8080 --path /unread --requests 1 --extra 64 --end wait 2>>"$LAB_TMP/talk.log"
sleep 0.3
peer "$CNS" talk --addr $SIP --port 8080 --requests 2 --gap 0.2 --end linger0 2>>"$LAB_TMP/talk.log"
sleep 0.3
peer "$CNS" talk --addr $SIP --port 8080 --requests 1 --end close 2>>"$LAB_TMP/talk.log"
sleep 0.5
witness_note "# ---- client program log (3 runs of peer.py talk) ----"
sed 's/^/# /' "$LAB_TMP/talk.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/abortive-close.pcap"
