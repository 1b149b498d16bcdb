#!/bin/sh
# run.sh: golden tests. Each case is a directory tests/golden/<case>/ with
#   cmd      a shell script run in a scratch copy of the case directory
#   setup    optional: run first, in the same place (builds inputs git cannot hold)
#   in/      optional: input files (usually a runs dir)
#   out/     expected stdout, stderr and status, diffed exactly
# The scratch directory also holds `corpus`, a link to the real tfruns runs in
# tests/corpus/tfruns-runs. $TFREPORT is the program (it may carry a valgrind prefix).
# With --update, the expected outputs are rewritten from what the program printed.
# Prints "golden: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
update=0
[ "${1:-}" = "--update" ] && { update=1; shift; }
: "${TFREPORT:?set TFREPORT to the program}"
export GOLDEN_LIB="$here/lib.sh"
export TFREPORT TZ=UTC LC_ALL=C COLUMNS=100 SOURCE_DATE_EPOCH=1800000000
unset TFRUNS_RUNS_DIR TFRUNS_RUN_DIR TFRUNS_CONFIG R_CONFIG_ACTIVE
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tfreport-golden.XXXXXX")
chmod 755 "$scratch"
trap 'chmod -R u+rwX "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT INT TERM
passed=0 failed=0
for case in "$here"/*/; do
	case=${case%/}
	name=$(basename "$case")
	[ -f "$case/cmd" ] || continue
	[ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name" && continue
	work="$scratch/$name"
	mkdir -p "$work"
	cp -R "$case/." "$work/"
	rm -rf "$work/out"
	ln -s "$root/tests/corpus/tfruns-runs" "$work/corpus"
	(cd "$work" && { [ ! -f setup ] || sh ./setup; } && sh ./cmd </dev/null >"$scratch/$name.stdout" 2>"$scratch/$name.stderr")
	echo $? >"$scratch/$name.status"
	if [ $update -eq 1 ]; then
		mkdir -p "$case/out"
		for f in stdout stderr status; do cp "$scratch/$name.$f" "$case/out/$f"; done
		passed=$((passed + 1))
		continue
	fi
	ok=1
	for f in stdout stderr status; do
		if ! cmp -s "$case/out/$f" "$scratch/$name.$f"; then
			[ $ok -eq 1 ] && echo "FAIL $name"
			ok=0
			diff -u "$case/out/$f" "$scratch/$name.$f" | head -40 | sed 's/^/    /'
		fi
	done
	if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "golden: $passed passed, $failed failed"
[ $failed -eq 0 ]
