#!/bin/bash
# layering.sh - the include rules behind `report -> analyzer -> dissect`.
#
#  - dissect/ includes nothing from analyzer/ or report/;
#  - analyzer/ includes nothing from report/, and no third-party header (only
#    the C library, POSIX, and our own headers);
#  - only report/ and tests/ include cJSON or libxml2;
#  - only dissect/, cli/ and bench/ include pcap.h.
# The build enforces most of this through include paths and link order; this
# test names the offending line.

# The harness runs this with $(SHELL), which may not be bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

cd "$top_srcdir"

# Every C source and header of the project, as paths relative to the top.
sources() {
	find . \( -path ./_build -o -path ./.git -o -path ./autom4te.cache -o -name '.deps' \
		-o -path './tcpautopsy-*' \) -prune -o -type f \( -name '*.c' -o -name '*.h' \) \
		-print | sed 's|^\./||' | LC_ALL=C sort
}

# includes FILE: "FILE:LINE:HEADER" for each #include.
includes() {
	grep -n '^[[:space:]]*#[[:space:]]*include' "$1" |
		sed 's/^\([0-9]*\):[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1 \2/' |
		while read -r line header; do
			printf '%s:%s:%s\n' "$1" "$line" "$header"
		done
}

# Headers analyzer/ may include from outside the project: C11 and POSIX.
system_header() {
	case $1 in
	assert.h | complex.h | ctype.h | errno.h | fenv.h | float.h | inttypes.h | iso646.h | \
		limits.h | locale.h | math.h | setjmp.h | signal.h | stdalign.h | stdarg.h | \
		stdatomic.h | stdbool.h | stddef.h | stdint.h | stdio.h | stdlib.h | \
		stdnoreturn.h | string.h | tgmath.h | threads.h | time.h | uchar.h | wchar.h | \
		wctype.h) return 0 ;;
	arpa/inet.h | netinet/in.h | sys/socket.h | sys/types.h | strings.h | unistd.h | \
		fcntl.h) return 0 ;;
	esac
	return 1
}

# check FILE:LINE:HEADER: applies the rules to one include.
check() {
	local where=${1%:*} header=${1##*:} dir name
	dir=${where%%/*}
	name=${header:1:${#header}-2}
	case $dir/$header in
	dissect/\"analyzer/* | dissect/\"report/*)
		fail "$where: dissect/ must not include $header (dependencies run report -> analyzer -> dissect)" ;;
	analyzer/\"report/*)
		fail "$where: analyzer/ must not include $header" ;;
	esac
	if [ "$dir" = analyzer ] && [ "${header:0:1}" = '<' ] && ! system_header "$name"; then
		fail "$where: analyzer/ must not include the third-party header $header"
	fi
	case $name in
	cJSON.h | cjson/* | libxml/*)
		[ "$dir" = report ] || [ "$dir" = tests ] ||
			fail "$where: only report/ may include $header" ;;
	pcap.h | pcap/* | pcap-*.h)
		[ "$dir" = dissect ] || [ "$dir" = cli ] || [ "$dir" = bench ] ||
			fail "$where: only dissect/, cli/ and bench/ may include $header" ;;
	esac
}

n=0
while IFS= read -r file; do
	while IFS= read -r inc; do
		check "$inc"
		n=$((n + 1))
	done < <(includes "$file")
done < <(sources)

echo "$n includes checked"
finish
