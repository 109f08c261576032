#!/bin/bash
# browser_selftest.sh - tests/browser_check.py catches what it is there to catch.
#
# tests/browser/good.html (polyglot XHTML, a CSP, inline CSS, SVG and script) must pass,
# with and without JavaScript, and give a light and a dark screenshot; each
# tests/browser/bad-*.html must fail, for its own reason and no other. Without python3 or
# Chromium the test is skipped (77), as tests/browser.sh is.

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/browser_lib.sh"
require_browser

FIXTURES="$top_srcdir/tests/browser"
# Relative names from here on, so the expected lines need no path in a regex.
cd "$FIXTURES" || exit 99

# expect_line REGEX WHAT: one line of the last run's output matches REGEX (ERE).
expect_line() {
	if grep -Eq -- "$1" "$TMP/check.out"; then
		pass "$2"
	else
		fail "$2: no line matches '$1'"
	fi
}

# expect_fail FILE REASON WHAT: the last run's line for FILE is "FAIL FILE: REASON" (an
# ERE; FILE's dots are escaped here).
expect_fail() {
	expect_line "^FAIL ${1//./\\.}: $2\$" "$1: $3"
}

# expect_rc WANT WHAT: the last run's exit status.
expect_rc() {
	if [ "$rc" -eq "$1" ]; then
		pass "$2: exit $rc"
	else
		fail "$2: exit $rc, expected $1"
	fi
}

# png_width FILE: the width in an PNG's IHDR chunk, or nothing when FILE is no PNG.
png_width() {
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || return 0
	od -An -tu4 --endian=big -j16 -N4 "$1" | tr -d ' '
}

test_good() {
	local shots="$TMP/shots" f
	mkdir "$shots"
	if command -v xmllint >/dev/null 2>&1; then
		if xmllint --noout good.html; then
			pass "good.html is well-formed XML"
		else
			fail "good.html is not well-formed XML: it is meant to be polyglot XHTML"
		fi
	fi
	browser_check --no-script --screenshot-dir "$shots" good.html
	expect_rc 0 "good.html"
	expect_line "^OK good\.html \('browser_check fixture: a good page', [0-9]+ characters\)\$" \
		"good.html: OK, with its title"
	for f in good-light.png good-dark.png; do
		if [ "$(png_width "$shots/$f")" = 1366 ]; then
			pass "$f: a PNG 1366 pixels wide"
		else
			fail "$f: not a PNG 1366 pixels wide"
		fi
	done
	# good.html has a dark palette: the same picture twice means dark was not emulated.
	if cmp -s "$shots/good-light.png" "$shots/good-dark.png"; then
		fail "good-light.png and good-dark.png are the same picture"
	else
		pass "the dark screenshot differs from the light one"
	fi
}

test_bad() {
	local started=$SECONDS
	browser_check --no-script --timeout 3 bad-*.html
	expect_rc 1 "bad-*.html"
	# Seconds when all is well, even on a loaded machine; bad-hang.html alone would take
	# minutes if --timeout were not obeyed.
	if [ $((SECONDS - started)) -lt 60 ]; then
		pass "bad-*.html checked in $((SECONDS - started))s"
	else
		fail "bad-*.html took $((SECONDS - started))s: is --timeout 3 obeyed?"
	fi
	# Each line whole, so a page failing for a second reason fails here too.
	expect_fail bad-network.html 'requests http://192\.0\.2\.1/x\.png' \
		"the request is reported, with JavaScript or without"
	expect_fail bad-console.html 'console\.error: bad-console fixture: something is wrong' \
		"the console error is reported"
	expect_fail bad-exception.html \
		'uncaught exception: Error: bad-exception fixture: thrown on purpose[^;]*' \
		"the exception is reported"
	# Chromium has worded CSP messages differently over the years; these words have stayed.
	local blocked='browser error \(security\): [^;]*inline %s[^;]*Content Security Policy[^;]*'
	# shellcheck disable=SC2059 # the format is ours
	expect_fail bad-csp.html "$(printf "$blocked; $blocked" style script)" \
		"the blocked inline style and script are reported"
	expect_fail bad-needs-script.html 'without JavaScript, shows no text' \
		"empty without JavaScript"
	expect_fail bad-no-title.html 'has no title' "the blank title is reported"
	expect_fail bad-overflow.html \
		'content sticks out of its box: div\.narrow by [0-9]+px \("a_figure_key_too_long_for_its_column"\)' \
		"text running out of its column is reported"
	expect_fail bad-hang.html 'did not finish loading within 3s' \
		"the load gives up after --timeout"
}

test_options() {
	# With scripts on, bad-needs-script.html is fine: only --no-script can catch it.
	browser_check bad-needs-script.html
	expect_rc 0 "bad-needs-script.html with scripts on"

	# No browser on PATH: skipped, not failed.
	rc=0
	env -u CHROMIUM PATH=/nonexistent "$PYTHON" "$BROWSER_CHECK" good.html \
		>"$TMP/check.out" 2>&1 || rc=$?
	expect_rc "$SKIP" "no browser"

	# A browser that does not start is a failure that says so, not a hang.
	CHROMIUM=false browser_check good.html
	expect_rc 1 "a browser that exits at once"
	expect_line "the browser exited \(exit status 1\)" "a browser that exits at once: said so"
}

test_good
test_bad
test_options
finish
