#!/bin/sh
# run-browser.sh: the Chromium page tests (node:test + playwright-core driving Debian's
# /usr/bin/chromium). Prints "browser: N passed, N failed".
out=$(node --test --test-reporter=tap tests/browser/ 2>&1)
rc=$?
pass=$(printf '%s\n' "$out" | sed -n 's/^# pass \([0-9]*\)$/\1/p')
fail=$(printf '%s\n' "$out" | sed -n 's/^# fail \([0-9]*\)$/\1/p')
if [ "$rc" -ne 0 ] || [ "${fail:-1}" -ne 0 ]; then
	printf '%s\n' "$out" | grep -v '^ok \|^# Subtest' | head -80
fi
echo "browser: ${pass:-0} passed, ${fail:-1} failed"
[ "$rc" -eq 0 ] && [ "${fail:-1}" -eq 0 ]
