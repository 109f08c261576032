#!/bin/bash
# healthy-linktypes: one run of healthy traffic recorded four ways at the client namespace:
#   samples/healthy-linktypes-sll.pcap    tcpdump -i any -y LINUX_SLL   (LINUX_SLL; the default for "any" is SLL2 with this libpcap)
#   samples/healthy-linktypes-sll2.pcap   tcpdump -i any -y LINUX_SLL2  (LINUX_SLL2)
#   samples/healthy-linktypes-nano.pcap   tcpdump -i c0 --time-stamp-precision=nano
#   samples/healthy-linktypes.pcapng      dumpcap -i c0 -i lo           (pcapng, 2 interfaces)
# Traffic: two exchanges client -> 192.0.2.2:8080 over the veth (client closes first, then
# server first) and one exchange inside the client namespace over lo (203.0.113.1:8081).
. "$(dirname "$0")/common.sh"

two_hosts linktypes
addr "$CNS" lo 203.0.113.1/32
OUT=$SAMPLES_DIR
B=$OUT/healthy-linktypes
cap_start "$CNS" any "$B-sll.pcap" -y LINUX_SLL; C1=$CAP_PID
cap_start "$CNS" any "$B-sll2.pcap" -y LINUX_SLL2; C2=$CAP_PID
cap_start "$CNS" c0 "$B-nano.pcap" --time-stamp-precision=nano; C3=$CAP_PID
dumpcap_start "$CNS" "$B.pcapng" -i c0 -i lo; C4=$CAP_PID

peer_bg "$SNS" server --addr $SIP --port 8080 --size 500 --run 30
peer_bg "$CNS" server --addr 203.0.113.1 --port 8081 --size 500 --run 30
wait_port "$SNS" 8080
wait_port "$CNS" 8081
peer "$CNS" get --addr $SIP --port 8080 --count 2 --close cs --gap 0.3
sleep 0.3
peer "$CNS" get --addr 203.0.113.1 --port 8081 --count 1 --close c
sleep 0.5

witness_begin "$OUT/healthy-linktypes.witness.txt" "healthy-linktypes: 2 exchanges over veth + 1 over lo, recorded as SLL, SLL2, nanosecond pcap and 2-interface pcapng"
witness_ns "$CNS" "client (also both ends of the lo connection)"
witness_ns "$SNS" server
cap_stop $C1 $C2 $C3 $C4
chmod 644 "$B.pcapng"     # dumpcap creates it 0600
for f in "$B-sll.pcap" "$B-sll2.pcap" "$B-nano.pcap" "$B.pcapng"; do show "$f"; done
