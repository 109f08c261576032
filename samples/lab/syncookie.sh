#!/bin/bash
# syncookie: a listener that answers every SYN with a SYN cookie (server namespace
# net.ipv4.tcp_syncookies=2, "always"), kernel-signatures.md §1.7.  Two clients on one
# bridge in the server namespace (br0 = 192.0.2.2, ports s0 and s1):
#   tcpa-syncookie-c  192.0.2.1  default sysctls (timestamps on): the cookie SYN-ACK keeps
#                     wscale/SACK/TS (encoded in the low 6 bits of the TSval);
#   tcpa-syncookie-n  192.0.2.3  net.ipv4.tcp_timestamps=0: the cookie SYN-ACK carries no
#                     wscale and no SACK-permitted although the client offered both.
# Each client makes one HTTP-like exchange with :8080 (client closes first), the timestamp
# client first.  Server vantage (br0): samples/syncookie.pcap
. "$(dirname "$0")/common.sh"

CNS=tcpa-syncookie-c NNS=tcpa-syncookie-n SNS=tcpa-syncookie-s
CIP=192.0.2.1 NIP=192.0.2.3 SIP=192.0.2.2
ns_new $CNS; ns_new $NNS; ns_new $SNS
veth $CNS c0 $SNS s0
veth $NNS c0 $SNS s1
ip -n $SNS link add br0 type bridge
ip -n $SNS link set s0 master br0
ip -n $SNS link set s1 master br0
ip -n $SNS link set br0 up
addr $SNS br0 $SIP/24
addr $CNS c0 $CIP/24
addr $NNS c0 $NIP/24
sysctls $SNS net.ipv4.tcp_syncookies=2
sysctls $NNS net.ipv4.tcp_timestamps=0
# permanent neighbour entries (no ARP in the capture)
brmac=$(ip -n $SNS -br link show br0 | awk '{print $3}')
for ns_ip in "$CNS $CIP" "$NNS $NIP"; do
    set -- $ns_ip
    ip -n "$1" neigh replace $SIP lladdr "$brmac" dev c0 nud permanent
    ip -n $SNS neigh replace "$2" lladdr "$(ip -n "$1" -br link show c0 | awk '{print $3}')" dev br0 nud permanent
done
OUT=$SAMPLES_DIR
cap_start $SNS br0 "$OUT/syncookie.pcap"; SC=$CAP_PID

peer_bg $SNS server --addr $SIP --port 8080 --run 30
wait_port $SNS 8080
peer $CNS get --addr $SIP --port 8080 --count 1 --close c
sleep 0.3
peer $NNS get --addr $SIP --port 8080 --count 1 --close c
sleep 0.5

witness_begin "$OUT/syncookie.witness.txt" "syncookie: server tcp_syncookies=2 (always), client 192.0.2.1 with timestamps, client 192.0.2.3 with tcp_timestamps=0, one exchange each with 192.0.2.2:8080 (bridge br0 in the server namespace)"
witness_ns $CNS "client 192.0.2.1, timestamps on"
witness_ns $NNS "client 192.0.2.3, tcp_timestamps=0"
witness_ns $SNS "server, tcp_syncookies=2"
cap_stop $SC
show "$OUT/syncookie.pcap"
