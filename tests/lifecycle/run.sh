#!/bin/sh
# run.sh: lifecycle tests: real processes under `tfreport run`, tune, flags, write, clean,
# purge, copy. Each tests/lifecycle/*.test.sh is sourced in a fresh shell, in its own scratch
# directory, after lib.sh; it calls the check helpers of lib.sh. Names given as arguments
# (without .test.sh) select files. Prints "lifecycle: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${TFREPORT:?set TFREPORT to the program}"
export TFREPORT LIFECYCLE_LIB="$here/lib.sh" LIFECYCLE_ROOT="$root" TZ=UTC LC_ALL=C COLUMNS=100
unset TFRUNS_RUNS_DIR TFRUNS_RUN_DIR TFRUNS_CONFIG TFRUNS_FLAGS R_CONFIG_ACTIVE
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tfreport-lifecycle.XXXXXX")
trap 'chmod -R u+rwX "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT INT TERM
passed=0 failed=0
for t in "$here"/*.test.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .test.sh)
	[ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name" && continue
	work="$scratch/$name"
	mkdir -p "$work"
	(cd "$work" && . "$LIFECYCLE_LIB" && . "$t" && lc_summary) >"$scratch/$name.log" 2>&1 </dev/null
	p=$(grep -c '^ok ' "$scratch/$name.log")
	f=$(grep -c '^not ok ' "$scratch/$name.log")
	if ! grep -q '^# done$' "$scratch/$name.log"; then
		echo "$name: did not finish:"
		tail -n 20 "$scratch/$name.log" | sed "s|^|$name: |"
		f=$((f + 1))
	elif [ "$f" -gt 0 ]; then
		grep -v '^ok ' "$scratch/$name.log" | sed "s|^|$name: |"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "lifecycle: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
