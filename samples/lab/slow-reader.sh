#!/bin/bash
# slow-reader (false-positive trap): the client sends 600 kB; the server (SO_RCVBUF 64 KiB on
# its listener) reads at most 64 KiB per burst, sleeping 0.1-0.45 s between them, so its receive window
# closes several times for a few hundred ms each (zero-window probes at most once or twice)
# and reopens; the transfer completes normally, the client closes first, then the server.
# Nothing is wrong here: short zero windows are ordinary flow control.
# Client (sender) vantage, snap length 128: samples/slow-reader.pcap
. "$(dirname "$0")/common.sh"

two_hosts slowrd
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/slow-reader.pcap" -s 128; CC=$CAP_PID

peer_bg "$SNS" slow-reader --addr $SIP --port 8080 --rcvbuf 65536 --chunk 65536 --pauses 0.15,0.3,0.1,0.45,0.2,0.35,0.25 --run 30 2>"$LAB_TMP/server.log"
SRV=$BG_PID
wait_port "$SNS" 8080
witness_begin "$OUT/slow-reader.witness.txt" "slow-reader: client sends 600 kB, server reads in bursts with 0.1-0.45 s pauses (SO_RCVBUF 64 KiB): repeated short zero windows, transfer completes; client vantage, snaplen 128"
peer "$CNS" send --addr $SIP --port 8080 --bytes 600000 2>"$LAB_TMP/client.log"
for _ in $(seq 100); do kill -0 "$SRV" 2>/dev/null || break; sleep 0.1; done
sleep 0.5
witness_note "# ---- client and server program logs ----"
sed 's/^/# /' "$LAB_TMP/client.log" "$LAB_TMP/server.log" >>"$WITNESS"
witness_note ""
witness_note "# ---- END of scenario (final states) ----"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC
show "$OUT/slow-reader.pcap"
