#!/bin/sh
# run-unit.sh: runs each cmocka unit-test binary given (TAP output) and prints
# "unit: N passed, N failed". $VALGRIND, when set, prefixes each binary.
# Tests find fixtures relative to the repository root (the current directory).
passed=0 failed=0 crashed=0
for t in "$@"; do
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP $VALGRIND "$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" | grep -v '^ok ' | sed "s|^|$(basename "$t"): |"
		if [ "$f" -eq 0 ]; then
			echo "$(basename "$t"): exited with status $rc"
			failed=$((failed + 1))
		fi
	fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
