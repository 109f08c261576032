# samples/lab/common.sh: helpers shared by the scenario scripts (source it, do not run it).
#
# Every scenario builds its own network namespaces (names start with "tcpa-"), records
# captures inside them, writes a witness file with the kernel's own view (ss, nstat) and
# cleans everything up on exit, also after an error or ^C.  Run the scenarios as root.
#
# Only TEST-NET addresses are used and no namespace gets a route out.

set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES_DIR=$(cd "$LAB_DIR/.." && pwd)
PY=${PYTHON:-python3}
PEER="$LAB_DIR/peer.py"

LAB_PIDS=()      # background processes we started (killed in reverse order on exit)
LAB_NS=()        # namespaces we created (deleted on exit)
LAB_TMP=$(mktemp -d /tmp/tcpa-lab.XXXXXX)
WITNESS=""       # current witness file (set by witness_begin)

lab_log() { printf '[%s] %s\n' "$(date +%T.%3N)" "$*" >&2; }

lab_cleanup() {
    local rc=$? i pid ns
    trap - EXIT INT TERM
    for ((i = ${#LAB_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${LAB_PIDS[i]}
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${LAB_PIDS[@]}"; do
        # bounded wait: 20 x 0.1 s, then SIGKILL
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    for ns in "${LAB_NS[@]}"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$LAB_TMP"
    exit "$rc"
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }

# ns_new NAME: create namespace NAME (must start with tcpa-), loopback up.
ns_new() {
    case $1 in tcpa-*) ;; *) echo "namespace name must start with tcpa-" >&2; return 1;; esac
    ip netns del "$1" 2>/dev/null || true     # stale one from an aborted run
    ip netns add "$1"
    LAB_NS+=("$1")
    ip -n "$1" link set lo up
}

# nsx NS CMD...: run CMD inside namespace NS (foreground).
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# veth NS1 IF1 NS2 IF2: veth pair between two namespaces, both ends up.
veth() {
    ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
    ip -n "$1" link set "$2" up
    ip -n "$3" link set "$4" up
}

# addr NS IF ADDR/PREFIX: add an address (IPv6 without duplicate address detection).
addr() {
    case $3 in
        *:*) ip -n "$1" addr add "$3" dev "$2" nodad ;;
        *)   ip -n "$1" addr add "$3" dev "$2" ;;
    esac
}

# sysctls NS key=value...: set sysctls inside the namespace only.
sysctls() {
    local ns=$1; shift
    local kv
    for kv in "$@"; do ip netns exec "$ns" sysctl -qw "$kv"; done
}

# bg NS CMD...: start CMD in the background inside NS; its PID is left in $BG_PID.
# (ip netns exec execs the command, so the PID is the command's own.)
bg() {
    local ns=$1; shift
    ip netns exec "$ns" "$@" &
    BG_PID=$!
    LAB_PIDS+=("$BG_PID")
}

# peer NS ARGS...: run peer.py in NS in the foreground.
peer() { local ns=$1; shift; ip netns exec "$ns" "$PY" "$PEER" "$@"; }
# peer_bg NS ARGS...: run peer.py in NS in the background ($BG_PID).
peer_bg() { local ns=$1; shift; bg "$ns" "$PY" "$PEER" "$@"; }

# wait_port NS PORT: wait (max 5 s) until something listens on TCP PORT in NS.
wait_port() {
    for _ in $(seq 50); do
        if ip netns exec "$1" ss -Htln "sport = :$2" | grep -q .; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on port $2 in $1" >&2; return 1
}

# cap_start NS IFACE FILE [tcpdump options...]: start tcpdump in NS, wait until it is
# capturing; its PID is left in $CAP_PID.
cap_start() {
    local ns=$1 ifc=$2 file=$3; shift 3
    local log="$LAB_TMP/cap.$RANDOM.log"
    rm -f "$file"
    ip netns exec "$ns" tcpdump -U --immediate-mode -i "$ifc" -w "$file" "$@" 2>"$log" &
    CAP_PID=$!
    LAB_PIDS+=("$CAP_PID")
    for _ in $(seq 50); do grep -q 'listening on' "$log" && break; sleep 0.1; done
    grep -q 'listening on' "$log" || { cat "$log" >&2; return 1; }
}

# dumpcap_start NS FILE DUMPCAP-ARGS...: same with dumpcap (pcapng); PID in $CAP_PID.
dumpcap_start() {
    local ns=$1 file=$2; shift 2
    local log="$LAB_TMP/cap.$RANDOM.log"
    rm -f "$file"
    ip netns exec "$ns" dumpcap -q "$@" -w "$file" 2>"$log" &
    CAP_PID=$!
    LAB_PIDS+=("$CAP_PID")
    # dumpcap says "Capturing on ..." before it is ready; give it a moment more.
    for _ in $(seq 50); do grep -q 'Capturing on' "$log" && break; sleep 0.1; done
    grep -q 'Capturing on' "$log" || { cat "$log" >&2; return 1; }
    sleep 0.5
}

# cap_stop PID...: let the last packets reach the file, then stop the captures cleanly.
cap_stop() {
    local pid
    sleep 0.5
    for pid in "$@"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
}

# witness_begin FILE TITLE...: start a witness file.
witness_begin() {
    WITNESS=$1; shift
    {
        echo "# $*"
        echo "# recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) on Linux $(uname -r) by samples/lab/$(basename "$0")"
        echo
    } >"$WITNESS"
}

# witness_note TEXT...: free text line in the witness.
witness_note() { echo "$*" >>"$WITNESS"; }

# witness_ss NS LABEL: `ss -tanoi` as seen inside NS at this moment.
witness_ss() {
    {
        echo "## ss -tanoi in $1 ($2) at $(date +%T.%3N)"
        ip netns exec "$1" ss -tanoi
        echo
    } >>"$WITNESS"
}

# Counters always listed (even when zero); every other non-zero counter is listed too.
NSTAT_KEYS='TcpActiveOpens|TcpPassiveOpens|TcpAttemptFails|TcpEstabResets|TcpOutRsts|TcpRetransSegs|TcpExtListenOverflows|TcpExtListenDrops|TcpExtTCPChallengeACK|TcpExtTCPSYNChallenge|TcpExtTCPAbortOnData|TcpExtTCPAbortOnClose|TcpExtTCPAbortOnTimeout|TcpExtTCPReqQFullDrop|TcpExtTCPReqQFullDoCookies|TcpExtSyncookiesSent|TcpExtSyncookiesRecv|TcpExtSyncookiesFailed|TcpExtTCPKeepAlive|TcpExtTCPSynRetrans|TcpExtTCPTimeouts|TcpExtTW'

# witness_nstat NS LABEL: kernel TCP counters of NS (absolute, since the namespace was made).
witness_nstat() {
    {
        echo "## nstat -az in $1 ($2), TCP counters (all non-zero ones plus the key ones)"
        ip netns exec "$1" env NSTAT_HISTORY="$LAB_TMP/nstat.$1" nstat -az \
            | awk -v keys="^($NSTAT_KEYS)\$" '$1 ~ /^(Tcp|TcpExt)/ && ($2 != 0 || $1 ~ keys) { printf "%-32s %s\n", $1, $2 }'
        echo
    } >>"$WITNESS"
}

# witness_ns NS LABEL: ss and nstat of NS.
witness_ns() { witness_ss "$1" "$2"; witness_nstat "$1" "$2"; }

# show FILE: short summary of a capture on stderr (for the person running the script).
show() { lab_log "$(basename "$1"): $(stat -c %s "$1") bytes, $(tcpdump -r "$1" 2>/dev/null | wc -l) frames"; }

# two_hosts NAME: namespaces tcpa-NAME-c (client, 192.0.2.1 and 2001:db8::1 on veth c0) and
# tcpa-NAME-s (server, 192.0.2.2 and 2001:db8::2 on veth s0), directly connected.
# Sets CNS, SNS, CIP, SIP, CIP6, SIP6.
two_hosts() {
    CNS=tcpa-$1-c SNS=tcpa-$1-s
    CIP=192.0.2.1 SIP=192.0.2.2 CIP6=2001:db8::1 SIP6=2001:db8::2
    ns_new "$CNS"
    ns_new "$SNS"
    veth "$CNS" c0 "$SNS" s0
    addr "$CNS" c0 $CIP/24
    addr "$SNS" s0 $SIP/24
    addr "$CNS" c0 $CIP6/64
    addr "$SNS" s0 $SIP6/64
}

# delayed_hosts NAME DELAY_MS: like two_hosts, but client and server are each linked to a
# middle namespace tcpa-NAME-m (veths c0<->cm, sm<->s0) whose AF_PACKET forwarder
# (peer.py fwd) bridges cm and sm with DELAY_MS of one-way delay in each direction.
# Same subnet, so ARP crosses the forwarder too.  Sets CNS, SNS, MNS, CIP, SIP, FWD_PID.
delayed_hosts() {
    CNS=tcpa-$1-c SNS=tcpa-$1-s MNS=tcpa-$1-m
    CIP=192.0.2.1 SIP=192.0.2.2
    ns_new "$CNS"; ns_new "$MNS"; ns_new "$SNS"
    veth "$CNS" c0 "$MNS" cm
    veth "$SNS" s0 "$MNS" sm
    addr "$CNS" c0 $CIP/24
    addr "$SNS" s0 $SIP/24
    # keep the middle quiet: no IPv6 on its ports
    sysctls "$MNS" net.ipv6.conf.all.disable_ipv6=1
    peer_bg "$MNS" fwd --a cm --b sm --delay "$2" --run "${3:-80}"
    FWD_PID=$BG_PID
    sleep 0.3
}

# static_arp: permanent neighbour entries between client and server (no ARP in the capture
# delaying the first SYN by a round trip).  Needs CNS, SNS, CIP, SIP.
static_arp() {
    local cmac smac
    cmac=$(ip -n "$CNS" -br link show c0 | awk '{print $3}')
    smac=$(ip -n "$SNS" -br link show s0 | awk '{print $3}')
    ip -n "$CNS" neigh replace $SIP lladdr "$smac" dev c0 nud permanent
    ip -n "$SNS" neigh replace $CIP lladdr "$cmac" dev s0 nud permanent
}

# heartbeat_start: idle keep-alive connection client -> server:9000 (needs CNS SNS SIP);
# stays ESTABLISHED until the cleanup kills both ends (after the captures stopped).
heartbeat_start() {
    peer_bg "$SNS" server --addr "$SIP" --port 9000 --mode hold --run 120
    wait_port "$SNS" 9000
    peer_bg "$CNS" heartbeat --addr "$SIP" --port 9000 --run 120
    sleep 0.3
}
