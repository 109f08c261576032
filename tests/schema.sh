#!/bin/bash
# schema.sh - the published JSON Schema of the report,
# doc/tcpautopsy-report.schema.json, holds for every golden output and for a
# fresh run over every sample; its lists of kinds and families are the
# program's; and it can fail: edited copies of a golden (a key missing, a wrong
# type, an unknown key, ...) are refused, each for its own reason.
#
# Needs python3 and its jsonschema module (tests/schema_check.py); skipped
# without them.

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
require_tcpautopsy
require_jsonschema

SCHEMA="$top_srcdir/doc/tcpautopsy-report.schema.json"
NDJSON_SCHEMA="$top_srcdir/doc/tcpautopsy-ndjson.schema.json"
CHECK="$top_srcdir/tests/schema_check.py"
# A golden with every part: a previous connection, findings of each scope but
# host, a close_wait_leak roll-up.
BASE="$GOLDEN/close-wait-reuse-server.json"

# validate WHAT FILE...: the files must all hold.
validate() {
	local what=$1
	shift
	if python3 "$CHECK" "$SCHEMA" "$@" >"$TMP/check.out" 2>&1; then
		pass "$what"
	else
		fail "$what:"
		sed 's/^/    /' "$TMP/check.out" | head -n 40 >&2
	fi
}

test_goldens() {
	local goldens=("$GOLDEN"/*.json)
	[ -f "${goldens[0]}" ] || { fail "no golden JSON in tests/golden"; return; }
	validate "${#goldens[@]} golden reports hold" "${goldens[@]}"
}

# The report of each sample as this build writes it, and of all of them in one
# run (several captures, connections spread over them).
test_fresh_runs() {
	local file base rc outs=() all
	while IFS= read -r file; do
		base=$(basename "$file")
		if run_sample "$file" -o "$TMP/$base.json"; then
			outs+=("$TMP/$base.json")
		else
			fail "samples/$base: tcpautopsy failed:"
			sed 's/^/    /' "$TMP/stderr" >&2
		fi
	done < <(sample_captures)
	[ ${#outs[@]} -gt 0 ] || { fail "no sample to run"; return; }
	validate "fresh reports of ${#outs[@]} samples hold" "${outs[@]}"
	sample_paths
	(cd "$top_srcdir" && "$TCPAUTOPSY" -q "${all[@]}" -o "$TMP/all.json") 2>"$TMP/stderr" || true
	validate "one report of all samples holds" "$TMP/all.json"
}

# The schemas list every kind (as examples) and every family (rule.category);
# both must be the program's own catalog.
test_catalog() {
	"$TCPAUTOPSY" --list-kinds=json >"$TMP/kinds.json" || { fail "--list-kinds=json failed"; return; }
	if python3 - "$TMP/kinds.json" "$SCHEMA" "$NDJSON_SCHEMA" >"$TMP/catalog.out" 2>&1 <<-'EOF'
		import json, sys
		kinds = json.load(open(sys.argv[1]))["kinds"]
		report = json.load(open(sys.argv[2]))
		ndjson = json.load(open(sys.argv[3]))
		bad = 0
		for what, listed, known in (
		        ("kinds ($defs.kind.examples of the report schema)",
		         report["$defs"]["kind"]["examples"], [k["id"] for k in kinds]),
		        ("families (rule.category of the NDJSON schema)",
		         ndjson["$defs"]["alert_line"]["properties"]["rule"]["properties"]["category"]["enum"],
		         list(dict.fromkeys(k["family"] for k in kinds)))):
		    if sorted(listed) != sorted(known) or len(set(listed)) != len(listed):
		        bad = 1
		        print(f"{what}: missing {sorted(set(known) - set(listed))}, "
		              f"unknown {sorted(set(listed) - set(known))}")
		sys.exit(bad)
	EOF
	then
		pass "the schemas' kinds and families are --list-kinds=json's"
	else
		fail "a schema's catalog differs from tcpautopsy --list-kinds=json (update the schema):"
		sed 's/^/    /' "$TMP/catalog.out" >&2
	fi
}

# mutant NAME VERDICT EXPECT SED_SCRIPT: a copy of the base golden edited by
# SED_SCRIPT must be refused (VERDICT reject, with EXPECT in the message) or
# accepted (VERDICT accept).
mutant() {
	local name=$1 verdict=$2 expect=$3 script=$4 out="$TMP/mutant-$1.json" rc=0
	sed "$script" "$BASE" >"$out"
	if cmp -s "$out" "$BASE"; then
		fail "mutant $name: the edit '$script' changed nothing"
		return
	fi
	python3 "$CHECK" "$SCHEMA" "$out" >"$TMP/mutant.out" 2>&1 || rc=$?
	if [ "$verdict" = accept ] && [ "$rc" -eq 0 ]; then
		pass "mutant $name is accepted"
	elif [ "$verdict" = reject ] && [ "$rc" -eq 1 ] && grep -qF -- "$expect" "$TMP/mutant.out"; then
		pass "mutant $name is refused: $(head -n 1 "$TMP/mutant.out")"
	else
		fail "mutant $name: exit $rc, expected to $verdict it${expect:+ with '$expect'}:"
		sed 's/^/    /' "$TMP/mutant.out" | head -n 10 >&2
	fi
}

test_mutants() {
	mutant missing-key reject "at /findings/0: 'summary' is a required property" \
		'0,/^\t\t\t"summary":\t".*",$/{//d}'
	mutant wrong-type reject "at /connections/0/id:" \
		'0,/"id":\t2,/s//"id":\t"2",/'
	mutant unknown-key reject "'comment' was unexpected" \
		'0,/"snaplen":/s//"comment":\t"x",\n\t\t\t"snaplen":/'
	mutant integer-with-fraction reject "at /captures/0/snaplen:" \
		'0,/"snaplen":\t262144,/s//"snaplen":\t262144.0,/'
	mutant lost-decimals reject "not written with exactly 6 decimals" \
		'0,/"duration_s":\t0.045556,/s//"duration_s":\t0.04556,/'
	mutant unknown-state reject "at /connections/0/client_state:" \
		'0,/"client_state":\t"CLOSED",/s//"client_state":\t"LISTEN",/'
	mutant local-time reject "at /connections/0/first_ts:" \
		'0,/"first_ts":\t"2026-11-21T10:12:54.251999Z",/s//"first_ts":\t"2026-11-21T10:12:54.251999",/'
	mutant kind-spelling reject "at /findings/0/kind:" \
		'0,/"kind":\t"syn_to_close_wait"/s//"kind":\t"Syn-To-Close-Wait"/'
	mutant gap-without-previous reject "False schema does not allow" \
		'0,/"previous":\t2,/s//"previous":\tnull,/'
	mutant host-without-listeners reject "'listeners' is a required property" \
		'/"aggregates":/,${/"port":\t8080/{s//"port":\tnull/;:a;n;ba}}'
	mutant packet-bad-direction reject "at /findings/0/packets/0/direction:" \
		'0,/"direction":\t"client_to_server",/s//"direction":\t"up",/'
	mutant packet-without-state reject "'client_state' is a required property" \
		'0,/^\t\t\t\t\t"client_state":\t"[A-Z-]*",$/{//d}'
}

test_goldens
test_fresh_runs
test_catalog
test_mutants
finish
