#!/bin/sh
# fail.sh: prints a line on stdout and 30 numbered lines on stderr, then exits with status 2.
echo "about to fail"
i=1
while [ "$i" -le 30 ]; do
	echo "trace line $i" >&2
	i=$((i + 1))
done
exit 2
