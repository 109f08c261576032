#!/bin/bash
# time-wait-reuse: the SERVER closes first, so the server side of each connection sits in
# TIME-WAIT; the client (SO_REUSEADDR + bind to source port 40000) connects again from the
# same port GAP s later, while the server's TIME-WAIT socket still exists
# (kernel-signatures.md §3).  COUNT connections on the one 4-tuple
# 192.0.2.1:40000 -> 192.0.2.2:8080.  Each: client sends "PUT <n>\r\n" + n bytes, the server
# reads them, answers "OK <n>\r\n" and closes at once; the client reads to EOF and closes.
#
# Default (timestamps on, 100-byte requests): the SYN is newer than the TIME-WAIT socket's
# last TSval, so the TIME-WAIT socket is recycled and the new SYN-ACK's ISN is the old
# server snd_nxt + 65537 (§3.1 step 3, §3.4 A).
# time-wait-reuse-rst.sh sets TS=0 (client namespace net.ipv4.tcp_timestamps=0) and 4 MB
# requests: the new SYN's ISN (ISN clock: +1 per 64 ns on the same 4-tuple) is then still
# below the old rcv_nxt, so the TIME-WAIT socket answers with a TW ACK, the client resets it
# and re-sends its SYN (§3.4 B).
# Captures: samples/$NAME-client.pcap (c0) and samples/$NAME-server.pcap (s0).
. "$(dirname "$0")/common.sh"

NAME=${NAME:-time-wait-reuse}
TS=${TS:-1}
BYTES=${BYTES:-100}
COUNT=${COUNT:-3}
GAP=${GAP:-0.5}
SNAP=${SNAP:-262144}

two_hosts "$NAME"
static_arp
sysctls "$CNS" net.ipv4.tcp_timestamps=$TS
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/$NAME-client.pcap" -s "$SNAP"; CC=$CAP_PID
cap_start "$SNS" s0 "$OUT/$NAME-server.pcap" -s "$SNAP"; SC=$CAP_PID

cat >"$LAB_TMP/twreuse.py" <<'EOF'
import socket, sys, time
T0 = time.monotonic()
def log(*a):
    print("[%7.3f]" % (time.monotonic() - T0), *a, file=sys.stderr, flush=True)
role, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
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
        buf = b""
        while b"\r\n" not in buf:
            d = c.recv(4096)
            if not d:
                break
            buf += d
        head, _, body = buf.partition(b"\r\n")
        n = int(head.split()[1])
        got = len(body)
        while got < n:
            d = c.recv(1 << 20)
            if not d:
                break
            got += len(d)
        c.sendall(b"OK %d\r\n" % got)
        c.close()
        log("server: %s:%d sent %d bytes, answered and closed first" % (peer + (got,)))
else:
    bport, count, n, gap = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
    payload = b"PUT %d\r\n" % n + (b"abcdefghijklmnop" * (n // 16 + 1))[:n]
    for i in range(1, count + 1):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", bport))
        s.settimeout(10)
        t = time.monotonic()
        s.connect((addr, port))
        log("conn %d: connected from port %d in %.1f ms" % (i, bport, 1000 * (time.monotonic() - t)))
        s.sendall(payload)
        reply = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            reply += d
        s.close()
        log("conn %d: got %r, EOF, closed" % (i, reply))
        if i < count:
            time.sleep(gap)
EOF
bg "$SNS" "$PY" "$LAB_TMP/twreuse.py" server $SIP 8080 30
wait_port "$SNS" 8080
nsx "$CNS" "$PY" "$LAB_TMP/twreuse.py" client $SIP 8080 40000 "$COUNT" "$BYTES" "$GAP"
sleep 0.5

witness_begin "$OUT/$NAME.witness.txt" "$NAME: $COUNT connections 192.0.2.1:40000 -> 192.0.2.2:8080, ${GAP}s apart, $BYTES-byte request each, server closes first (server TIME-WAIT reused); client tcp_timestamps=$TS"
witness_ns "$CNS" client
witness_ns "$SNS" server
cap_stop $CC $SC
show "$OUT/$NAME-client.pcap"; show "$OUT/$NAME-server.pcap"
