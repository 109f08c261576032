#!/bin/bash
# time-wait-reuse-rst: time-wait-reuse.sh with net.ipv4.tcp_timestamps=0 in the client
# namespace, 1 MB requests (snap length 128) and only 20 ms between connections: the
# reconnect's SYN carries no timestamp and its ISN (ISN clock on one 4-tuple: +1 per 64 ns,
# i.e. ~0.4 M in 25 ms) is still below the old rcv_nxt (old ISN + 1 MB), so the server's
# TIME-WAIT socket does not accept it: it answers with a TW ACK (old snd_nxt / rcv_nxt), the
# client resets it (`R` seq = that ack) and re-sends its SYN, which then reaches the
# listener (kernel-signatures.md §3.4 B).
# Captures: samples/time-wait-reuse-rst-client.pcap and samples/time-wait-reuse-rst-server.pcap.
NAME=time-wait-reuse-rst TS=0 BYTES=1000000 GAP=0.02 SNAP=128 exec bash "$(dirname "$0")/time-wait-reuse.sh"
