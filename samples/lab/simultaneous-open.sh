#!/bin/bash
# simultaneous-open: two sockets, 192.0.2.1:40001 and 192.0.2.2:40002, each bound to its port
# and connect()ing to the other at the same wall-clock moment; nobody listens.  100 ms of
# one-way delay (AF_PACKET forwarder in tcpa-simultaneous-open-m) so the SYNs cross on the
# way (kernel-signatures.md §10.1).  Then A sends 14 bytes, B answers 14 bytes, A closes
# first, B closes on EOF.  Permanent neighbour entries (no ARP).
# Captures: samples/simultaneous-open-client.pcap (A's veth c0) and
# samples/simultaneous-open-server.pcap (B's veth s0); neither end is a server.
. "$(dirname "$0")/common.sh"

delayed_hosts simultaneous-open 100 30
static_arp
OUT=$SAMPLES_DIR
cap_start "$CNS" c0 "$OUT/simultaneous-open-client.pcap"; CC=$CAP_PID
cap_start "$SNS" s0 "$OUT/simultaneous-open-server.pcap"; SC=$CAP_PID

cat >"$LAB_TMP/simopen.py" <<'EOF'
import socket, sys, time
lip, lport, rip, rport, start, role = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
def log(*a):
    print("[%s %.3f]" % (role, time.time() - start), *a, file=sys.stderr, flush=True)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((lip, lport))
s.settimeout(5)
time.sleep(max(0.0, start - time.time()))
t = time.monotonic()
s.connect((rip, rport))
log("connected %s:%d -> %s:%d in %.1f ms" % (s.getsockname() + s.getpeername() + (1000 * (time.monotonic() - t),)))
if role == "A":
    time.sleep(0.1)
    s.sendall(b"hello from A\r\n")
    log("got %r" % s.recv(100))
    time.sleep(0.3)
    s.close()
    log("closed first")
else:
    log("got %r" % s.recv(100))
    s.sendall(b"hello from B\r\n")
    while s.recv(100):
        pass
    s.close()
    log("EOF, closed")
EOF
START=$(python3 -c 'import time; print("%.3f" % (time.time() + 1.0))')
bg "$CNS" "$PY" "$LAB_TMP/simopen.py" $CIP 40001 $SIP 40002 "$START" A; A=$BG_PID
bg "$SNS" "$PY" "$LAB_TMP/simopen.py" $SIP 40002 $CIP 40001 "$START" B; B=$BG_PID
wait $A; wait $B
sleep 0.5

witness_begin "$OUT/simultaneous-open.witness.txt" "simultaneous-open: 192.0.2.1:40001 and 192.0.2.2:40002 connect() to each other at the same moment, 100 ms one-way delay, 14 bytes each way, A (192.0.2.1) closes first"
witness_ns "$CNS" "A, 192.0.2.1:40001"
witness_ns "$SNS" "B, 192.0.2.2:40002"
cap_stop $CC $SC
show "$OUT/simultaneous-open-client.pcap"; show "$OUT/simultaneous-open-server.pcap"
