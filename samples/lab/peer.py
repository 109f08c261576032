#!/usr/bin/env python3
"""Small client/server behaviours for the tcpautopsy capture lab (samples/lab/*.sh).

Subcommands:
  server     HTTP-like server with knobs for misbehaviour (never close, late write, ...)
  get        HTTP-like client: N sequential connections, each closed by client or server
  burst      many connections opened quickly, each sends a request at once
  heartbeat  one idle connection with 1 s keep-alives (makes idle time visible in captures)
  fwd        AF_PACKET forwarder between two interfaces with a fixed one-way delay
  talk       one client connection: N exchanges, idle, then close / SO_LINGER 0 / request / wait
  fill-close client that fills the peer's window, then close()s and exits (zero-window orphan)
  abort-server  server that close()s with unread bytes after a /unread request (RST, not FIN)
  slow-reader   server that reads one connection in bursts with pauses (short zero windows)
  inject-rst    forge in-window, inexact RSTs into an observed IPv4 connection (challenge ACK)

Everything is bounded in time (--run / --timeout).  Progress goes to stderr.
"""
import argparse
import collections
import select
import socket
import struct
import sys
import threading
import time

T0 = time.monotonic()


def log(*a):
    print("[%7.3f]" % (time.monotonic() - T0), *a, file=sys.stderr, flush=True)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def set_keepalive(s, idle, intvl, cnt=5):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)


def read_request(conn, buf):
    """Read one request (up to the blank line). Returns (request, rest) or (None, rest) at EOF."""
    while b"\r\n\r\n" not in buf:
        data = conn.recv(4096)
        if not data:
            return None, buf
        buf += data
    req, _, rest = buf.partition(b"\r\n\r\n")
    return req.decode("latin-1"), rest


def read_response(s):
    """Read one response with Content-Length. Returns (status line, body length)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = s.recv(4096)
        if not data:
            raise ConnectionError("EOF before response headers")
        buf += data
    head, _, body = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(body) < length:
        data = s.recv(65536)
        if not data:
            raise ConnectionError("EOF in response body")
        body += data
    return head.split(b"\r\n")[0].decode(), len(body)


def response(n, close):
    body = (b"0123456789abcdef" * (n // 16 + 1))[:n]
    head = "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n" % (n, "Connection: close\r\n" if close else "")
    return head.encode() + body


# ---------------------------------------------------------------- server

HELD = []  # sockets the server deliberately never closes


def serve_conn(conn, peer, a):
    name = "%s:%d" % peer[:2]
    buf = b""
    try:
        if a.mode == "hold":
            HELD.append(conn)
            while conn.recv(4096):
                pass
            log("hold", name, "EOF (socket kept open)")
            return
        if a.mode == "bulk":
            req, buf = read_request(conn, buf)
            conn.sendall(response(a.bytes, True))
            log("bulk", name, "sent %d bytes, closing" % a.bytes)
            conn.close()
            return
        if a.mode == "halfclose":
            req, buf = read_request(conn, buf)
            while conn.recv(4096):       # the client half-closes after its request
                pass
            log("halfclose", name, "got EOF, sending %d chunks" % a.chunks)
            for i in range(a.chunks):
                conn.sendall(("chunk %d of %d " % (i + 1, a.chunks)).encode() + b"." * 400 + b"\n")
                time.sleep(a.chunk_gap)
            conn.close()
            log("halfclose", name, "closed")
            return
        if a.mode == "slowread":
            time.sleep(a.read_after)
            total = 0
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                total += len(data)
            log("slowread", name, "read %d bytes, closing" % total)
            conn.close()
            return
        # mode http: persistent connection, one response per request.
        while True:
            req, buf = read_request(conn, buf)
            if req is None:
                break
            close = "connection: close" in req.lower()
            log("http", name, req.split("\r\n")[0], "(server closes)" if close else "")
            conn.sendall(response(a.size, close))
            if close and not a.no_close:
                conn.close()
                return
        log("http", name, "EOF from client")
        if a.no_close:
            HELD.append(conn)
            if a.late_write:
                time.sleep(a.late_write)
                log("http", name, "late write on the stale socket")
                try:
                    conn.send(b"late data after the peer closed\r\n")
                except OSError as e:
                    log("late write failed:", e)
            return
        conn.close()
    except OSError as e:
        log("conn", name, "error:", e)


def cmd_server(a):
    ls = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(a.backlog)
    log("listening on %s:%d backlog %d, mode %s" % (a.addr, a.port, a.backlog, a.mode))
    if a.accept_after:
        log("not accepting for %.1f s" % a.accept_after)
        time.sleep(a.accept_after)
        log("accepting now")
    deadline = T0 + a.run
    accepted = 0
    while time.monotonic() < deadline:
        r, _, _ = select.select([ls], [], [], max(0.0, min(0.5, deadline - time.monotonic())))
        if not r:
            continue
        conn, peer = ls.accept()
        log("accepted", peer[:2])
        threading.Thread(target=serve_conn, args=(conn, peer, a), daemon=True).start()
        accepted += 1
        if a.accept_gap and accepted <= a.gap_count:
            time.sleep(a.accept_gap)
    log("run time over, exiting")


# ---------------------------------------------------------------- clients

def client_socket(a):
    s = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    if a.bind_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if ":" in a.addr else "0.0.0.0", a.bind_port))
    if a.linger2:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_LINGER2, a.linger2)
    if a.syncnt:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, a.syncnt)
    if a.keepalive:
        idle, intvl = (int(x) for x in a.keepalive.split(","))
        set_keepalive(s, idle, intvl)
    s.settimeout(a.timeout)
    return s


def cmd_get(a):
    """N sequential connections. --close is a pattern of c/s (who closes first), cycled."""
    for i in range(a.count):
        closer = a.close[i % len(a.close)]
        s = client_socket(a)
        t = time.monotonic()
        try:
            s.connect((a.addr, a.port))
        except OSError as e:
            log("conn %d: connect failed after %.1f ms: %s" % (i + 1, 1000 * (time.monotonic() - t), e))
            s.close()
            if i + 1 < a.count:
                time.sleep(a.gap)
            continue
        log("conn %d: connected from port %d in %.1f ms" % (i + 1, s.getsockname()[1], 1000 * (time.monotonic() - t)))
        if a.shutwr:
            s.sendall(b"GET /%d HTTP/1.0\r\nHost: example.test\r\n\r\n" % (i + 1))
            s.shutdown(socket.SHUT_WR)
            total = 0
            while True:
                data = s.recv(65536)
                if not data:
                    break
                total += len(data)
            log("conn %d: half-closed, received %d bytes until EOF" % (i + 1, total))
            s.close()
        else:
            for r in range(a.requests):
                if r:
                    log("conn %d: idle %.1f s" % (i + 1, a.idle))
                    time.sleep(a.idle)
                last = r == a.requests - 1 and closer == "s"
                s.sendall(b"GET /%d/%d HTTP/1.1\r\nHost: example.test\r\n%s\r\n"
                          % (i + 1, r + 1, b"Connection: close\r\n" if last else b""))
                status, n = read_response(s)
                log("conn %d: %s, %d body bytes" % (i + 1, status, n))
            if closer == "s":
                while s.recv(4096):
                    pass
                log("conn %d: server closed, closing" % (i + 1))
            else:
                log("conn %d: client closes first" % (i + 1))
            s.close()
        if i + 1 < a.count:
            time.sleep(a.gap)


def cmd_bulk_get(a):
    s = client_socket(a)
    s.connect((a.addr, a.port))
    s.sendall(b"GET /bulk HTTP/1.1\r\nHost: example.test\r\n\r\n")
    total = 0
    while True:
        data = s.recv(262144)
        if not data:
            break
        total += len(data)
    log("bulk: received %d bytes until EOF, closing" % total)
    s.close()


def cmd_burst(a):
    """Open --count connections, --spacing s apart; each sends a request immediately."""
    results = {}

    def one(i):
        s = client_socket(a)
        try:
            s.connect((a.addr, a.port))
            port = s.getsockname()[1]
            log("conn %d: port %d established, sending request" % (i, port))
            s.sendall(b"GET /%d HTTP/1.1\r\nHost: example.test\r\n\r\n" % i)
            status, n = read_response(s)
            results[i] = "port %d: %s" % (port, status)
        except OSError as e:
            results[i] = "error %s" % e
        log("conn %d: %s" % (i, results[i]))
        s.close()

    threads = []
    for i in range(1, a.count + 1):
        th = threading.Thread(target=one, args=(i,), daemon=True)
        th.start()
        threads.append(th)
        time.sleep(a.spacing)
    for th in threads:
        th.join(a.timeout + 1)
    for i in sorted(results):
        log("result conn %d: %s" % (i, results[i]))


def cmd_send(a):
    """Connect and push --bytes of data as fast as the window allows, then close."""
    s = client_socket(a)
    s.connect((a.addr, a.port))
    chunk = b"z" * 16384
    sent = 0
    while sent < a.bytes:
        sent += s.send(chunk[: a.bytes - sent])
    log("send: %d bytes written, closing" % sent)
    s.close()


def cmd_heartbeat(a):
    s = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    set_keepalive(s, 1, 1)
    s.connect((a.addr, a.port))
    s.sendall(b"HEARTBEAT\r\n")
    log("heartbeat connected from port %d, idling %d s" % (s.getsockname()[1], a.run))
    time.sleep(a.run)
    s.close()


# ---------------------------------------------------------------- forwarder

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def fix_tcp_checksum(frame):
    """Frames read from a veth carry the sender's unfinished (offloaded) TCP checksum;
    a frame re-sent by AF_PACKET would be dropped by the receiver, so finish it here."""
    if len(frame) < 34:
        return frame
    ethertype = struct.unpack("!H", frame[12:14])[0]
    if ethertype == 0x0800 and frame[23] == 6:
        ihl = (frame[14] & 0x0F) * 4
        total = struct.unpack("!H", frame[16:18])[0]
        start = 14 + ihl
        seg = bytearray(frame[start:14 + total])
        pseudo = frame[26:34] + struct.pack("!BBH", 0, 6, len(seg))
    elif ethertype == 0x86DD and len(frame) >= 54 and frame[20] == 6:
        plen = struct.unpack("!H", frame[18:20])[0]
        start = 54
        seg = bytearray(frame[start:start + plen])
        pseudo = frame[22:54] + struct.pack("!IxxxB", len(seg), 6)
    else:
        return frame
    if len(seg) < 20:
        return frame
    seg[16:18] = b"\0\0"
    seg[16:18] = struct.pack("!H", ~csum16(pseudo + bytes(seg)) & 0xFFFF)
    return frame[:start] + bytes(seg) + frame[start + len(seg):]


def cmd_fwd(a):
    """Bridge two interfaces: every frame received on one is sent on the other --delay ms later."""
    socks = {}
    for ifname in (a.a, a.b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind((ifname, ETH_P_ALL))
        socks[ifname] = s
    other = {socks[a.a]: socks[a.b], socks[a.b]: socks[a.a]}
    queue = collections.deque()  # (due, out socket, frame); constant delay keeps it ordered
    delay = a.delay / 1000.0
    deadline = time.monotonic() + a.run
    fwd = dropped = 0
    log("forwarding %s <-> %s with %d ms one-way delay" % (a.a, a.b, a.delay))
    while time.monotonic() < deadline:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, out, frame = queue.popleft()
            try:
                out.send(frame)
                fwd += 1
            except OSError:
                dropped += 1
        timeout = 0.2 if not queue else max(0.0, queue[0][0] - time.monotonic())
        r, _, _ = select.select(list(other), [], [], timeout)
        for s in r:
            frame, sa = s.recvfrom(65600)
            if sa[2] == PACKET_OUTGOING:
                continue
            queue.append((time.monotonic() + delay, other[s], fix_tcp_checksum(frame)))
    log("forwarder done: %d frames forwarded, %d could not be sent" % (fwd, dropped))


# ---------------------------------------------------------------- failure scenarios
# (orphan-fin-wait1, rto-death, keepalive-dead-peer, abortive-close, rst-no-socket,
#  challenge-ack-rst, slow-reader, mid-stream)

TCP_RTO_MAX_MS = 44  # include/uapi/linux/tcp.h, Linux >= 6.15


def cmd_talk(a):
    """One client connection: --requests exchanges --gap s apart, optional --extra bytes the
    server will not read, --hold s of idleness, then --end: close, linger0 (SO_LINGER {1,0}
    then close), request (one more request, waits for the answer or the error) or wait
    (block in recv() until EOF or an error such as a keep-alive timeout)."""
    s = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    if a.keepalive:
        idle, intvl, cnt = (int(x) for x in a.keepalive.split(","))
        set_keepalive(s, idle, intvl, cnt)
    if a.user_timeout:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, a.user_timeout)
    s.settimeout(a.timeout)
    s.connect((a.addr, a.port))
    port = s.getsockname()[1]
    log("talk: connected from port %d" % port)
    t = time.monotonic()
    step = "requests"
    try:
        for r in range(a.requests):
            if r:
                time.sleep(a.gap)
            s.sendall(b"GET %s/%d HTTP/1.1\r\nHost: example.test\r\n\r\n" % (a.path.encode(), r + 1))
            status, n = read_response(s)
            if r == 0 or r == a.requests - 1:
                log("talk: port %d: request %d: %s, %d body bytes" % (port, r + 1, status, n))
        if a.extra:
            s.sendall(b"x" * a.extra)
            log("talk: port %d: sent %d extra bytes" % (port, a.extra))
        if a.hold:
            log("talk: port %d: idle %.1f s" % (port, a.hold))
            time.sleep(a.hold)
        step = a.end
        t = time.monotonic()
        if a.end == "close":
            s.close()
            log("talk: port %d: closed" % port)
        elif a.end == "linger0":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            log("talk: port %d: closed with SO_LINGER {1,0}" % port)
        elif a.end == "request":
            log("talk: port %d: one more request" % port)
            s.sendall(b"GET %s/last HTTP/1.1\r\nHost: example.test\r\n\r\n" % a.path.encode())
            status, n = read_response(s)
            log("talk: port %d: %s, %d body bytes" % (port, status, n))
            s.close()
        else:
            while True:
                data = s.recv(4096)
                if not data:
                    log("talk: port %d: EOF after %.3f s, closing" % (port, time.monotonic() - t))
                    break
            s.close()
    except (OSError, ConnectionError) as e:
        log("talk: port %d: %s: error after %.3f s: %s" % (port, step, time.monotonic() - t, e))
        s.close()


def cmd_fill_close(a):
    """Connect, write until the socket blocks for --stall s (the peer's window is closed and
    the send buffer full), optionally set TCP_USER_TIMEOUT / TCP_RTO_MAX_MS, close(), exit:
    the socket becomes an orphan in FIN-WAIT-1 with unsent data and FIN queued."""
    s = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    s.connect((a.addr, a.port))
    port = s.getsockname()[1]
    s.setblocking(False)
    chunk = b"z" * 16384
    sent = 0
    stalled = None
    deadline = time.monotonic() + a.timeout
    while time.monotonic() < deadline:
        try:
            sent += s.send(chunk)
            stalled = None
        except BlockingIOError:
            now = time.monotonic()
            if stalled is None:
                stalled = now
            elif now - stalled >= a.stall:
                break
            select.select([], [s], [], 0.05)
    log("fill-close: port %d: %d bytes written, blocked for %.1f s" % (port, sent, a.stall))
    if a.user_timeout:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, a.user_timeout)
    if a.rto_max:
        s.setsockopt(socket.IPPROTO_TCP, TCP_RTO_MAX_MS, a.rto_max)
    s.close()
    log("fill-close: port %d: closed, exiting" % port)


def cmd_abort_server(a):
    """Persistent HTTP-like server; after answering a request whose path starts with
    /unread it waits --unread-wait s (the client sends more bytes meanwhile) and close()s
    without reading them: RST instead of FIN (RFC 2525 2.17)."""
    ls = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(16)
    log("abort-server listening on %s:%d" % (a.addr, a.port))

    def one(conn, peer):
        name = "%s:%d" % peer[:2]
        buf = b""
        try:
            while True:
                req, buf = read_request(conn, buf)
                if req is None:
                    log("abort-server", name, "EOF, closing")
                    break
                conn.sendall(response(a.size, False))
                if req.startswith("GET /unread"):
                    time.sleep(a.unread_wait)
                    log("abort-server", name, "close() with unread bytes pending")
                    break
        except OSError as e:
            log("abort-server", name, "error:", e)
        conn.close()

    deadline = T0 + a.run
    while time.monotonic() < deadline:
        r, _, _ = select.select([ls], [], [], max(0.0, min(0.5, deadline - time.monotonic())))
        if r:
            conn, peer = ls.accept()
            threading.Thread(target=one, args=(conn, peer), daemon=True).start()


def cmd_slow_reader(a):
    """Accept one connection (SO_RCVBUF --rcvbuf on the listener) and read it in bursts:
    sleep the next of --pauses (cycled), then read at most --chunk bytes, until EOF."""
    ls = socket.socket(family_of(a.addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if a.rcvbuf:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    ls.bind((a.addr, a.port))
    ls.listen(4)
    ls.settimeout(a.run)
    log("slow-reader listening on %s:%d" % (a.addr, a.port))
    conn, peer = ls.accept()
    pauses = [float(x) for x in a.pauses.split(",")]
    total = cycles = 0
    eof = False
    deadline = time.monotonic() + a.run
    while not eof and time.monotonic() < deadline:
        time.sleep(pauses[cycles % len(pauses)])
        cycles += 1
        got = 0
        while got < a.chunk:
            try:
                data = conn.recv(min(65536, a.chunk - got), socket.MSG_DONTWAIT)
            except BlockingIOError:
                break
            if not data:
                eof = True
                break
            got += len(data)
        total += got
    log("slow-reader: %d bytes in %d read bursts, %s, closing" % (total, cycles, "EOF" if eof else "timeout"))
    conn.close()


def _inet_csum(data):
    return ~csum16(data) & 0xFFFF


def cmd_inject_rst(a):
    """Watch --iface for the IPv4 connection --src:* -> --dst:--dport; --after s later (and
    then every --gap s, --count times) send a forged RST from --src with seq = the receiver's
    rcv_nxt (the sender's latest seq + length) + --offset, in window but inexact: RFC 5961
    challenge ACK.  --flags R or RA (RST+ACK, ack = the sender's latest ack)."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((a.iface, ETH_P_ALL))
    src, dst = socket.inet_aton(a.src), socket.inet_aton(a.dst)
    last = None  # (eth header, sport, snd_nxt, ack, time)
    flags = a.flags.split(",")
    start = time.monotonic()
    for k in range(a.count):
        due = start + a.after + k * a.gap
        while True:
            left = due - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([s], [], [], left)
            if not r:
                continue
            frame = s.recv(65600)
            if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
                continue
            if frame[26:30] != src or frame[30:34] != dst:
                continue
            ihl = (frame[14] & 0x0F) * 4
            tl = struct.unpack("!H", frame[16:18])[0]
            t = 14 + ihl
            sport, dport, seq, ack = struct.unpack("!HHII", frame[t:t + 12])
            if dport != a.dport:
                continue
            doff = (frame[t + 12] >> 4) * 4
            fl = frame[t + 13]
            plen = tl - ihl - doff + (1 if fl & 0x01 else 0) + (1 if fl & 0x02 else 0)
            last = (frame[:14], sport, (seq + plen) & 0xFFFFFFFF, ack, time.monotonic())
        if last is None:
            log("inject-rst: no segment of the connection seen, nothing sent")
            return
        eth, sport, nxt, ack, seen = last
        rseq = (nxt + a.offset) & 0xFFFFFFFF
        f = flags[k % len(flags)]
        tflags = 0x14 if f == "RA" else 0x04
        tack = ack if f == "RA" else 0
        tcp = struct.pack("!HHIIBBHHH", sport, a.dport, rseq, tack, 5 << 4, tflags, a.window, 0, 0)
        tcp = tcp[:16] + struct.pack("!H", _inet_csum(src + dst + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), a.ip_id + k, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", _inet_csum(ip)) + ip[12:]
        s.send(eth + ip + tcp)
        log("inject-rst: %s:%d > %s:%d flags %s seq %d (rcv_nxt %d + %d) ack %d; last segment seen %.3f s before"
            % (a.src, sport, a.dst, a.dport, f, rseq, nxt, a.offset, tack, time.monotonic() - seen))


# ---------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    sv = sub.add_parser("server")
    sv.add_argument("--addr", required=True)
    sv.add_argument("--port", type=int, default=8080)
    sv.add_argument("--backlog", type=int, default=16)
    sv.add_argument("--mode", choices=["http", "bulk", "halfclose", "hold", "slowread"], default="http")
    sv.add_argument("--size", type=int, default=300, help="response body bytes (http)")
    sv.add_argument("--bytes", type=int, default=3000000, help="bulk bytes")
    sv.add_argument("--chunks", type=int, default=5)
    sv.add_argument("--chunk-gap", type=float, default=0.3)
    sv.add_argument("--read-after", type=float, default=5.0, help="slowread: seconds before reading")
    sv.add_argument("--no-close", action="store_true", help="never close accepted sockets")
    sv.add_argument("--late-write", type=float, default=0, help="with --no-close: write this long after EOF")
    sv.add_argument("--accept-after", type=float, default=0)
    sv.add_argument("--accept-gap", type=float, default=0, help="pause after each of the first --gap-count accept()s")
    sv.add_argument("--gap-count", type=int, default=1000000)
    sv.add_argument("--run", type=float, default=60)

    def client_args(c):
        c.add_argument("--addr", required=True)
        c.add_argument("--port", type=int, default=8080)
        c.add_argument("--bind-port", type=int, default=0)
        c.add_argument("--linger2", type=int, default=0)
        c.add_argument("--keepalive", default="", help="idle,intvl seconds")
        c.add_argument("--syncnt", type=int, default=0, help="TCP_SYNCNT (SYN retries)")
        c.add_argument("--timeout", type=float, default=20)

    g = sub.add_parser("get")
    client_args(g)
    g.add_argument("--count", type=int, default=1)
    g.add_argument("--close", default="c", help="pattern of c/s: who closes first, per connection")
    g.add_argument("--requests", type=int, default=1, help="requests per connection")
    g.add_argument("--idle", type=float, default=0, help="pause between requests")
    g.add_argument("--gap", type=float, default=0.2, help="pause between connections")
    g.add_argument("--shutwr", action="store_true", help="half-close after the request")

    b = sub.add_parser("bulk-get")
    client_args(b)

    u = sub.add_parser("burst")
    client_args(u)
    u.add_argument("--count", type=int, default=10)
    u.add_argument("--spacing", type=float, default=0.02)

    sd = sub.add_parser("send")
    client_args(sd)
    sd.add_argument("--bytes", type=int, default=1000000)

    h = sub.add_parser("heartbeat")
    h.add_argument("--addr", required=True)
    h.add_argument("--port", type=int, default=9000)
    h.add_argument("--run", type=int, default=120)

    f = sub.add_parser("fwd")
    f.add_argument("--a", required=True)
    f.add_argument("--b", required=True)
    f.add_argument("--delay", type=int, default=100, help="one-way delay, ms")
    f.add_argument("--run", type=float, default=60)

    tk = sub.add_parser("talk")
    tk.add_argument("--addr", required=True)
    tk.add_argument("--port", type=int, default=8080)
    tk.add_argument("--requests", type=int, default=1)
    tk.add_argument("--gap", type=float, default=0.2, help="pause between requests")
    tk.add_argument("--path", default="/talk")
    tk.add_argument("--extra", type=int, default=0, help="bytes sent after the last answer")
    tk.add_argument("--hold", type=float, default=0, help="idle time before --end")
    tk.add_argument("--end", choices=["close", "linger0", "request", "wait"], default="close")
    tk.add_argument("--keepalive", default="", help="idle,intvl,cnt seconds/probes")
    tk.add_argument("--user-timeout", type=int, default=0, help="TCP_USER_TIMEOUT ms")
    tk.add_argument("--timeout", type=float, default=30)

    fc = sub.add_parser("fill-close")
    fc.add_argument("--addr", required=True)
    fc.add_argument("--port", type=int, default=8080)
    fc.add_argument("--stall", type=float, default=0.5)
    fc.add_argument("--user-timeout", type=int, default=0, help="TCP_USER_TIMEOUT ms, set before close")
    fc.add_argument("--rto-max", type=int, default=0, help="TCP_RTO_MAX_MS, set before close")
    fc.add_argument("--timeout", type=float, default=20)

    ab = sub.add_parser("abort-server")
    ab.add_argument("--addr", required=True)
    ab.add_argument("--port", type=int, default=8080)
    ab.add_argument("--size", type=int, default=300)
    ab.add_argument("--unread-wait", type=float, default=0.3)
    ab.add_argument("--run", type=float, default=60)

    sr = sub.add_parser("slow-reader")
    sr.add_argument("--addr", required=True)
    sr.add_argument("--port", type=int, default=8080)
    sr.add_argument("--rcvbuf", type=int, default=0)
    sr.add_argument("--pauses", default="0.3", help="comma-separated seconds, cycled")
    sr.add_argument("--chunk", type=int, default=1 << 30, help="max bytes read per burst")
    sr.add_argument("--run", type=float, default=60)

    ir = sub.add_parser("inject-rst")
    ir.add_argument("--iface", required=True)
    ir.add_argument("--src", required=True)
    ir.add_argument("--dst", required=True)
    ir.add_argument("--dport", type=int, default=8080)
    ir.add_argument("--after", type=float, default=1.0)
    ir.add_argument("--gap", type=float, default=1.0)
    ir.add_argument("--count", type=int, default=1)
    ir.add_argument("--offset", type=int, default=1000)
    ir.add_argument("--flags", default="R", help="comma-separated R or RA, per injection")
    ir.add_argument("--window", type=int, default=0)
    ir.add_argument("--ip-id", type=int, default=4242)

    a = p.parse_args()
    {"server": cmd_server, "get": cmd_get, "bulk-get": cmd_bulk_get, "burst": cmd_burst,
     "send": cmd_send, "heartbeat": cmd_heartbeat, "fwd": cmd_fwd,
     "talk": cmd_talk, "fill-close": cmd_fill_close, "abort-server": cmd_abort_server,
     "slow-reader": cmd_slow_reader, "inject-rst": cmd_inject_rst}[a.cmd](a)


if __name__ == "__main__":
    main()
