#!/bin/bash
# self-connect: a socket connected to itself (kernel-signatures.md §9).  One namespace,
# 192.0.2.1/32 on lo, ip_local_port_range "50000 50000" and nothing listening on 50000: a
# connect() to 192.0.2.1:50000 gets source port 50000, so its SYN comes back to the same
# SYN-SENT socket (bounded retry loop, in case an attempt fails).  The socket then writes 11
# bytes, reads them back (from itself) and closes: its own FIN comes back too (CLOSING, then
# TIME-WAIT).  Captured on lo: samples/self-connect.pcap
. "$(dirname "$0")/common.sh"

NS=tcpa-self-connect-h
IP=192.0.2.1
PORT=50000
ns_new $NS
addr $NS lo $IP/32
sysctls $NS "net.ipv4.ip_local_port_range=$PORT $PORT"
OUT=$SAMPLES_DIR
cap_start $NS lo "$OUT/self-connect.pcap"; C=$CAP_PID

cat >"$LAB_TMP/selfconn.py" <<'EOF'
import socket, sys, time
addr, port = sys.argv[1], int(sys.argv[2])
for attempt in range(1, 11):                      # bounded: at most 10 attempts
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((addr, port))
    except OSError as e:
        print("attempt %d: connect failed: %s" % (attempt, e), file=sys.stderr)
        s.close()
        time.sleep(0.3)
        continue
    me, peer = s.getsockname(), s.getpeername()
    print("attempt %d: connected %s:%d -> %s:%d%s" % ((attempt,) + me + peer + (
        " (SELF-CONNECT)" if me == peer else "",)), file=sys.stderr)
    if me != peer:
        s.close()
        time.sleep(0.3)
        continue
    time.sleep(0.2)
    s.sendall(b"hello, me\r\n")
    print("read back %r" % s.recv(100), file=sys.stderr)
    time.sleep(0.2)
    s.close()
    sys.exit(0)
sys.exit("no self-connect after 10 attempts")
EOF
nsx $NS "$PY" "$LAB_TMP/selfconn.py" $IP $PORT
sleep 0.5

witness_begin "$OUT/self-connect.witness.txt" "self-connect: ip_local_port_range $PORT $PORT, connect to $IP:$PORT (no listener) on lo, 11 bytes echoed to itself, close"
witness_ns $NS "the self-connected socket"
cap_stop $C
show "$OUT/self-connect.pcap"
