#!/bin/sh
# bench/lifecycle.sh: the `run` budgets of issue 6, from the repo root after ./tfreport is
# built (bench/run.sh calls it last; it also runs alone). Prints figures; exits 0 unless a
# command fails.
#  1. the artifacts snapshot over a generated working directory of 100,000 files
#     (bench/genfiles.c; budget: under 1 s), read from tfreport's own timing lines
#     (TFREPORT_TIMING=1): the snapshot before the command, and the second walk + copy after;
#  2. the overhead of `tfreport run -- true` (budget: under 20 ms): the median wall time of
#     LC_REPEAT runs, next to the median of `true` itself and of `tfreport --version` (the
#     process start-up every command pays: loading its shared libraries).
# Knobs: TFREPORT [./tfreport]  LC_FILES [100000]  LC_REPEAT [50]  CC [cc]
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
TFREPORT=${TFREPORT:-./tfreport}
case $TFREPORT in /*) ;; *) TFREPORT=$root/$TFREPORT ;; esac
FILES=${LC_FILES:-100000}
REPEAT=${LC_REPEAT:-50}
CC=${CC:-cc}
OUT=$root/bench/out
GEN=$OUT/genfiles
TIMEIT=$OUT/timeit

mkdir -p "$OUT" || exit 1
$CC -O2 -std=c11 -Wall -o "$GEN" bench/genfiles.c || exit 1
$CC -O2 -std=c11 -Wall -o "$TIMEIT" bench/timeit.c || exit 1
[ -x "$TFREPORT" ] || { echo "bench: $TFREPORT not found; build it first (make)" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
failed=0

# ---- 1. artifacts snapshot ----
work=$OUT/work-$FILES
if [ ! -f "$work.stamp" ] || [ "$(cat "$work.stamp")" != "genfiles $FILES" ]; then
	rm -rf "$work" "$work.stamp"
	"$GEN" "$work" "$FILES" || exit 1
	echo "genfiles $FILES" >"$work.stamp"
fi
lcruns=$OUT/lifecycle-runs
rm -rf "$lcruns"
: >"$OUT/lifecycle-timing.txt"
i=0
while [ $i -lt 6 ]; do # the first one warms the cache and is not counted
	if ! TFREPORT_TIMING=1 "$TFREPORT" --runs-dir "$lcruns" run --artifacts-dir "$work" -- true \
		2>"$OUT/lifecycle-err.txt"; then
		echo "bench: tfreport run --artifacts-dir $work failed:" >&2
		cat "$OUT/lifecycle-err.txt" >&2
		exit 1
	fi
	[ $i -gt 0 ] && grep '^tfreport: timing:' "$OUT/lifecycle-err.txt" >>"$OUT/lifecycle-timing.txt"
	i=$((i + 1))
done
# "tfreport: timing: artifacts snapshot: N files in W s (cpu C s)"
snap=$(awk '/artifacts snapshot/ { print $(NF - 4) }' "$OUT/lifecycle-timing.txt" | median)
snapcpu=$(awk '/artifacts snapshot/ { print $(NF - 1) }' "$OUT/lifecycle-timing.txt" | median)
walk2=$(awk '/artifacts copy/ { print $(NF - 4) }' "$OUT/lifecycle-timing.txt" | median)
nfiles=$(awk '/artifacts snapshot/ { print $5; exit }' "$OUT/lifecycle-timing.txt")
rm -rf "$lcruns"

# ---- 2. run overhead ----
empty=$OUT/lifecycle-empty
rm -rf "$empty" && mkdir -p "$empty" || exit 1
t_run=$(cd "$empty" && "$TIMEIT" "$REPEAT" "$TFREPORT" run -- true 2>/dev/null) || failed=1
t_true=$("$TIMEIT" "$REPEAT" true 2>/dev/null) || failed=1
t_ver=$("$TIMEIT" "$REPEAT" "$TFREPORT" --version 2>/dev/null) || failed=1
nruns=$(ls "$empty/runs" 2>/dev/null | wc -l | tr -d ' ')
rm -rf "$empty"

echo
echo "run benchmark (issue 6; $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores, warm cache)"
echo "load average: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)"
awk -v s="$snap" -v c="$snapcpu" -v w="$walk2" -v n="$nfiles" 'BEGIN {
	printf "artifacts snapshot of %s files (median of 5): %.3f s wall, %.3f s cpu   %s\n", n, s, c,
		s < 1 ? "ok (budget < 1 s)" : "OVER BUDGET (1 s)"
	printf "after the command, second walk + copy of nothing: %.3f s\n", w }'
awk -v r="${t_run%% *}" -v t="${t_true%% *}" -v v="${t_ver%% *}" -v rep="$REPEAT" -v nr="$nruns" 'BEGIN {
	o = (r - t) * 1000
	printf "tfreport run -- true (median of %s, %s runs made): %.1f ms; true alone %.1f ms\n", rep, nr, r * 1000, t * 1000
	printf "  overhead over true: %.1f ms   %s\n", o, o < 20 ? "ok (budget < 20 ms)" : "OVER BUDGET (20 ms)"
	printf "  of which process start-up (tfreport --version): %.1f ms; run itself: %.1f ms\n", v * 1000, (r - v) * 1000 }'
exit $failed
