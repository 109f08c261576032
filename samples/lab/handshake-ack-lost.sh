#!/bin/bash
# handshake-ack-lost: exactly one lost handshake ACK (kernel-signatures.md §1.6 "Lost 3rd
# ACK").  Server-speaks-first protocol (SMTP-like): the server sends a banner as soon as it
# accepts, the client sends nothing before it has read the banner.  An nftables rule in the
# server namespace (input hook, so after the s0 capture point) drops the first pure ACK from
# the client to :8080 and nothing else ("quota until 100 bytes": one 52-byte ACK fits, the
# next one exhausts it).  So the server stays SYN-RECEIVED and the client ESTABLISHED, waiting
# for the banner, until the server's SYN-ACK timer re-sends the SYN-ACK (~1 s); the client
# ACKs it again, the child is created, the banner goes out, then "QUIT", "221 bye" and the
# server closes first.  A second, normal connection follows 0.5 s later.
# Captures: samples/handshake-ack-lost-client.pcap (c0) and
# samples/handshake-ack-lost-server.pcap (s0; the dropped ACK is visible there too, since
# tcpdump sees ingress frames before netfilter).
. "$(dirname "$0")/common.sh"

two_hosts handshake-ack-lost
static_arp
nsx "$SNS" nft -f - <<EOF
table inet tcpa {
    chain input {
        type filter hook input priority 0; policy accept;
        ip saddr $CIP tcp dport 8080 tcp flags == ack quota until 100 bytes counter drop
    }
}
EOF
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/handshake-ack-lost-client.pcap"; CC=$CAP_PID
cap_start "$SNS" s0 "$OUT/handshake-ack-lost-server.pcap"; SC=$CAP_PID

cat >"$LAB_TMP/banner.py" <<'EOF'
import socket, sys, time
T0 = time.monotonic()
def log(*a):
    print("[%7.3f]" % (time.monotonic() - T0), *a, file=sys.stderr, flush=True)
role, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
def readline(s):
    buf = b""
    while not buf.endswith(b"\n"):
        d = s.recv(1)
        if not d:
            break
        buf += d
    return buf
if role == "server":
    run = float(sys.argv[4])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(16)
    ls.settimeout(0.5)
    while time.monotonic() - T0 < run:
        try:
            c, peer = ls.accept()
        except socket.timeout:
            continue
        log("server: accepted %s:%d, sending banner" % peer)
        c.sendall(b"220 tcpa.example ready\r\n")
        line = readline(c)
        c.sendall(b"221 bye\r\n")
        c.close()
        log("server: got %r, answered, closed first" % line)
else:
    count, gap = int(sys.argv[4]), float(sys.argv[5])
    for i in range(1, count + 1):
        s = socket.socket()
        s.settimeout(10)
        t = time.monotonic()
        s.connect((addr, port))
        log("conn %d: connected from port %d in %.1f ms, waiting for the banner" % (i, s.getsockname()[1], 1000 * (time.monotonic() - t)))
        t = time.monotonic()
        banner = readline(s)
        log("conn %d: banner %r after %.1f ms" % (i, banner, 1000 * (time.monotonic() - t)))
        s.sendall(b"QUIT\r\n")
        while s.recv(100):
            pass
        s.close()
        log("conn %d: EOF, closed" % i)
        if i < count:
            time.sleep(gap)
EOF
bg "$SNS" "$PY" "$LAB_TMP/banner.py" server $SIP 8080 30
wait_port "$SNS" 8080
nsx "$CNS" "$PY" "$LAB_TMP/banner.py" client $SIP 8080 2 0.5
sleep 0.5

witness_begin "$OUT/handshake-ack-lost.witness.txt" "handshake-ack-lost: server-speaks-first, the client's first handshake ACK to :8080 dropped by nft in the server namespace, SYN-ACK re-sent by timer; then 1 normal connection"
witness_ns "$CNS" client
witness_ns "$SNS" server
{ echo "## nft list ruleset in $SNS (server) at $(date +%T.%3N)"; nsx "$SNS" nft list ruleset; echo; } >>"$WITNESS"
cap_stop $CC $SC
show "$OUT/handshake-ack-lost-client.pcap"; show "$OUT/handshake-ack-lost-server.pcap"
