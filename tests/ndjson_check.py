#!/usr/bin/env python3
"""ndjson_check.py - an NDJSON output against the JSON report of the same run.

    ndjson_check.py REPORT.json OUTPUT.ndjson

Python's standard library only. Checks what a log pipeline relies on: every
line is one JSON object that parses alone, the ECS fields are there with the
right types and agree with the report, there is one event line per connection
and one alert line per finding, in the report's order, and the tcpautopsy
object of each line is exactly the report's. Prints one line per problem;
exit status 1 when there is any, 2 when a file cannot be read.
"""

import decimal
import json
import re
import sys

TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$")
SEVERITY = {"info": 1, "warning": 2, "critical": 3}


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def parse(text):
    return json.loads(text, parse_float=decimal.Decimal, parse_constant=refuse_constant)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


class Checker:
    def __init__(self, name):
        self.name = name
        self.problems = []

    def expect(self, ok, where, what):
        if not ok:
            self.problems.append(f"{self.name}:{where}: {what}")
        return ok

    def field(self, obj, path, where, kind):
        """The value at a dotted path, checked for its type (None if absent)."""
        cur = obj
        for key in path.split("."):
            if not isinstance(cur, dict) or key not in cur:
                self.expect(False, where, f"{path} is missing")
                return None
            cur = cur[key]
        ok = {"str": lambda v: isinstance(v, str), "int": is_int,
              "time": lambda v: isinstance(v, str) and TIME.match(v),
              "list": lambda v: isinstance(v, list),
              "dict": lambda v: isinstance(v, dict)}[kind](cur)
        self.expect(ok, where, f"{path} is {cur!r}, not a {kind}")
        return cur

    def common(self, line, where, first_ts, last_ts):
        """The ECS head of every line."""
        self.expect(self.field(line, "@timestamp", where, "time") == first_ts, where,
                    "@timestamp is not the first time")
        self.expect(self.field(line, "ecs.version", where, "str") == "8.11.0", where,
                    "ecs.version is not 8.11.0")
        self.expect(self.field(line, "event.category", where, "list") == ["network"], where,
                    "event.category is not [network]")
        self.field(line, "event.type", where, "list")
        self.field(line, "event.dataset", where, "str")
        self.expect(self.field(line, "event.start", where, "time") == first_ts, where,
                    "event.start is not the first time")
        self.expect(self.field(line, "event.end", where, "time") == last_ts, where,
                    "event.end is not the last time")
        self.field(line, "event.duration", where, "int")
        self.field(line, "message", where, "str")
        self.expect(self.field(line, "network.transport", where, "str") == "tcp", where,
                    "network.transport is not tcp")

    def duration(self, line, where, seconds):
        """event.duration (ns) agrees with the report's seconds (floored us)."""
        ns = line.get("event", {}).get("duration")
        if is_int(ns):
            self.expect(abs(ns / 1000 - float(seconds) * 1e6) <= 1.001, where,
                        f"event.duration {ns} ns disagrees with {seconds} s")

    def address(self, line, key, where, addr):
        """source/destination against a report address (None: must be absent)."""
        if addr is None:
            self.expect(key not in line, where, f"{key} present for no address")
            return
        self.expect(self.field(line, f"{key}.ip", where, "str") == addr["ip"], where,
                    f"{key}.ip is not {addr['ip']}")
        if addr["port"] is None:
            self.expect("port" not in line.get(key, {}), where, f"{key}.port for a whole host")
        else:
            self.expect(self.field(line, f"{key}.port", where, "int") == addr["port"], where,
                        f"{key}.port is not {addr['port']}")

    def connection(self, line, where, conn, captures):
        self.common(line, where, conn["first_ts"], conn["last_ts"])
        self.duration(line, where, conn["duration_s"])
        self.expect(line.get("event", {}).get("kind") == "event", where, "not an event line")
        self.expect(line["event"].get("id") == f"connection-{conn['id']}", where,
                    f"event.id is not connection-{conn['id']}")
        for key, side in (("source", "client"), ("destination", "server")):
            self.address(line, key, where, conn[side])
            self.expect(self.field(line, f"{key}.bytes", where, "int") == conn["bytes"][side],
                        where, f"{key}.bytes is not the {side}'s")
            self.expect(self.field(line, f"{key}.packets", where, "int") ==
                        conn["packets"][side], where, f"{key}.packets is not the {side}'s")
        self.expect(self.field(line, "network.bytes", where, "int") ==
                    conn["bytes"]["client"] + conn["bytes"]["server"], where,
                    "network.bytes is not the sum")
        self.expect(line.get("tcpautopsy", {}).get("connection") == conn, where,
                    "tcpautopsy.connection is not the report's connection")
        self.expect(line.get("tcpautopsy", {}).get("capture") ==
                    captures[conn["capture"]]["file"], where, "tcpautopsy.capture is wrong")

    def finding(self, line, where, f, captures):
        self.common(line, where, f["first_ts"], f["last_ts"])
        self.expect(line.get("event", {}).get("kind") == "alert", where, "not an alert line")
        self.expect(line["event"].get("id") == f"finding-{f['id']}", where,
                    f"event.id is not finding-{f['id']}")
        self.expect(self.field(line, "event.severity", where, "int") ==
                    SEVERITY[f["severity"]], where, "event.severity does not match")
        self.expect(self.field(line, "log.level", where, "str") == f["severity"], where,
                    "log.level is not the severity")
        self.expect(self.field(line, "rule.name", where, "str") == f["kind"], where,
                    "rule.name is not the kind")
        self.field(line, "rule.category", where, "str")
        self.field(line, "rule.description", where, "str")
        self.expect(line.get("message") == f["summary"], where, "message is not the summary")
        self.address(line, "source", where, f["client"])
        self.address(line, "destination", where, f["server"])
        self.expect(line.get("tcpautopsy", {}).get("finding") == f, where,
                    "tcpautopsy.finding is not the report's finding")
        self.expect(line.get("tcpautopsy", {}).get("capture") ==
                    captures[f["capture"]]["file"], where, "tcpautopsy.capture is wrong")


def lines_of(checker, text):
    """Each line parsed alone: (line number, object)."""
    checker.expect(text.endswith("\n") or not text, "end", "the last line has no newline")
    out = []
    for number, raw in enumerate(text.split("\n")[:-1] if text else [], 1):
        checker.expect("\r" not in raw, number, "a carriage return inside the line")
        try:
            obj = parse(raw)
        except ValueError as e:
            checker.expect(False, number, f"does not parse alone: {e}")
            continue
        if checker.expect(isinstance(obj, dict), number, "not a JSON object"):
            out.append((number, obj))
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            report = parse(f.read())
        with open(sys.argv[2], encoding="utf-8", newline="") as f:
            text = f.read()
    except (OSError, ValueError) as e:
        print(f"ndjson_check.py: {e}", file=sys.stderr)
        return 2
    c = Checker(sys.argv[2])
    lines = lines_of(c, text)
    events = [(n, o) for n, o in lines if o.get("event", {}).get("kind") == "event"]
    alerts = [(n, o) for n, o in lines if o.get("event", {}).get("kind") == "alert"]
    conns, findings = report["connections"], report["findings"]
    c.expect(len(events) + len(alerts) == len(lines), "all", "lines that are neither kind")
    c.expect(len(events) == len(conns), "all",
             f"{len(events)} event lines for {len(conns)} connections")
    c.expect(len(alerts) == len(findings), "all",
             f"{len(alerts)} alert lines for {len(findings)} findings")
    c.expect(not events or not alerts or events[-1][0] < alerts[0][0], "all",
             "connections do not all come before the findings")
    for (number, line), conn in zip(events, conns):
        c.connection(line, number, conn, report["captures"])
    for (number, line), f in zip(alerts, findings):
        c.finding(line, number, f, report["captures"])
    for p in c.problems[:20]:
        print(p)
    if len(c.problems) > 20:
        print(f"... and {len(c.problems) - 20} more")
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
