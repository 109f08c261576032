#!/bin/bash
# accept-backlog-reset: accept-backlog.sh with net.ipv4.tcp_abort_on_overflow=1 in the server
# namespace: a handshake ACK that finds the accept queue full is answered by RST.
# Captures: samples/accept-backlog-reset-server.pcap and samples/accept-backlog-reset-client.pcap.
NAME=accept-backlog-reset ABORT=1 exec bash "$(dirname "$0")/accept-backlog.sh"
