#!/bin/sh
# man-examples.sh: runs every example in the EXAMPLES section of the man page given and
# compares its output (stdout and stderr together) with the lines the page shows under it.
# Examples run from the repository root over examples/runs (written first).
# Prints "man-examples: N passed, N failed".
set -u
page=$1
: "${TFREPORT:?set TFREPORT to the program}"
export TZ=UTC LC_ALL=C COLUMNS=100
unset TFRUNS_RUNS_DIR
examples/make-runs.sh >/dev/null
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tfreport-man.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
# Split the EXAMPLES section into scratch/N.cmd and scratch/N.out, troff escapes undone.
awk -v dir="$scratch" '
	/^\.SH / { in_ex = ($2 == "EXAMPLES"); next }
	!in_ex { next }
	/^\.nf/ { in_nf = 1; next }
	/^\.fi/ { in_nf = 0; cur = ""; next }
	!in_nf || /^\.RS/ || /^\.RE/ { next }
	{
		line = $0
		gsub(/\\-/, "-", line); gsub(/\\\(dq/, "\"", line); gsub(/\\&/, "", line); gsub(/\\e/, "\\", line)
		if (substr(line, 1, 2) == "$ ") {
			n++; cur = dir "/" n
			print substr(line, 3) > (cur ".cmd")
			printf "" > (cur ".out")
		} else if (cur != "") {
			print line > (cur ".out")
		}
	}' "$page"
passed=0 failed=0
for cmd in "$scratch"/*.cmd; do
	[ -f "$cmd" ] || continue
	n=${cmd%.cmd}
	line=$(cat "$cmd")
	case $line in tfreport\ *) ;; *) echo "FAIL: example does not start with tfreport: $line"; failed=$((failed + 1)); continue ;; esac
	eval "$TFREPORT ${line#tfreport }" >"$n.got" 2>&1 </dev/null
	if cmp -s "$n.out" "$n.got"; then
		passed=$((passed + 1))
	else
		echo "FAIL: $line"
		diff -u "$n.out" "$n.got" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
[ $((passed + failed)) -gt 0 ] || { echo "man-examples: no examples found in $page"; failed=1; }
echo "man-examples: $passed passed, $failed failed"
[ $failed -eq 0 ]
