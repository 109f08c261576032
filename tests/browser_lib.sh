# browser_lib.sh - what the browser tests share (sourced after lib.sh, not run).
#
# tests/browser_check.py needs Python 3 (its standard library only) and Chromium; without
# either, a browser test is skipped, saying what to install.

BROWSER_CHECK="$top_srcdir/tests/browser_check.py"
PYTHON=${PYTHON:-python3}

# require_browser: stops with "skipped" (77) when Python 3 or Chromium is missing; else
# leaves the interpreter's absolute path in $PYTHON and says which browser will run.
require_browser() {
	local rc=0 which path
	if ! path=$("$PYTHON" -c 'import sys; print(sys.executable)' 2>/dev/null) ||
		[ -z "$path" ]; then
		echo "no $PYTHON: skipped (apt-get install python3, or ./quickstart check)"
		exit "$SKIP"
	fi
	PYTHON=$path
	which=$("$PYTHON" "$BROWSER_CHECK" --which 2>&1) || rc=$?
	case $rc in
	0) echo "browser: $which" ;;
	"$SKIP")
		echo "$which"  # what to install, and "skipped"
		exit "$SKIP"
		;;
	*)
		echo "ERROR: $BROWSER_CHECK --which: $which" >&2
		exit 99
		;;
	esac
}

# browser_check ARGS...: runs the checker, leaving its exit status in $rc and its output
# in $TMP/check.out, shown indented in the log (a FAIL line there may be expected).
# shellcheck disable=SC2034 # rc is read by the caller
browser_check() {
	rc=0
	"$PYTHON" "$BROWSER_CHECK" "$@" >"$TMP/check.out" 2>&1 || rc=$?
	sed 's/^/    /' "$TMP/check.out"
}
