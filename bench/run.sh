#!/bin/sh
# bench/run.sh: the `ls` benchmark (SPEC section 7). Run by `make bench` from the repo root
# after ./tfreport is built; prints figures and exits 0 unless a command fails.
# See bench/README.md.  Environment knobs (defaults in brackets):
#   TFREPORT [./tfreport]  BENCH_SIZES ["1000 10000"]  BENCH_REPEAT [5]  BENCH_SEED [42]
#   CC [cc]
set -u
cd "$(dirname "$0")/.." || exit 1

TFREPORT=${TFREPORT:-./tfreport}
SIZES=${BENCH_SIZES:-"1000 10000"}
REPEAT=${BENCH_REPEAT:-5}
SEED=${BENCH_SEED:-42}
CC=${CC:-cc}
OUT=bench/out
GEN=$OUT/genruns
TIMEIT=$OUT/timeit
RATIO_BUDGET=1.5
RSS_BUDGET_MB=100
LINEAR_SLACK=1.25 # time(N_big)/time(N_small) may be up to 1.25x the ratio of N

mkdir -p "$OUT" || exit 1
$CC -O2 -std=c11 -Wall -o "$GEN" bench/genruns.c || exit 1
$CC -O2 -std=c11 -Wall -o "$TIMEIT" bench/timeit.c || exit 1
if [ ! -x "$TFREPORT" ]; then
	echo "bench: $TFREPORT not found; build it first (make)" >&2
	exit 1
fi

cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
failed=0
rows=$OUT/rows.txt     # N cmd wall floor rss_kb, one line per measured command
errlog=$OUT/stderr.txt # everything tfreport wrote to stderr
: >"$rows"
: >"$errlog"

# ---- data ----
for n in $SIZES; do
	dir=$OUT/runs-$n
	want="$("$GEN" --version) n=$n seed=$SEED"
	if [ -d "$dir" ] && [ -f "$dir.stamp" ] && [ "$(cat "$dir.stamp")" = "$want" ]; then
		echo "reusing $dir ($want)"
	else
		rm -rf "$dir" "$dir.stamp"
		if ! t=$("$TIMEIT" 1 "$GEN" "$dir" "$n" "$SEED"); then
			echo "bench: generating $dir failed" >&2
			exit 1
		fi
		echo "$want" >"$dir.stamp"
		echo "generated $dir in ${t%% *} s ($want)"
	fi
	# The files `ls` reads for its default columns (run_dir, start, eval_*), and for
	# --columns all: all metadata except the console output, model summary and source.
	find "$dir" -type f \( -path '*/tfruns.d/metrics.json' -o -path '*/tfruns.d/evaluation.json' \
		-o -path '*/tfruns.d/properties/start' \) | sort >"$OUT/files-$n-default.txt"
	find "$dir" -type f -path '*/tfruns.d/*' ! -name output ! -name model \
		! -name source.tar.gz | sort >"$OUT/files-$n-all.txt"
done

# measure LABEL -- CMD...: warm-up once, then median of $REPEAT; prints "wall rss_kb".
measure() {
	label=$1
	shift 2
	echo "== $label" >>"$errlog"
	if ! "$TIMEIT" 1 "$@" >/dev/null 2>>"$errlog" ||
		! "$TIMEIT" "$REPEAT" "$@" 2>>"$errlog"; then
		echo "bench: command failed: $*" >&2
		tail -n 5 "$errlog" | sed 's/^/  /' >&2
		return 1
	fi
}

# ---- measurements ----
for n in $SIZES; do
	dir=$OUT/runs-$n
	for cols in default all; do
		if [ "$cols" = default ]; then
			set -- "$TFREPORT" --runs-dir "$dir" ls
			name="ls"
		else
			set -- "$TFREPORT" --runs-dir "$dir" ls --columns all
			name="ls --columns all"
		fi
		echo "measuring $n: $name" >&2
		if ! r=$(measure "$n $name" -- "$@"); then
			failed=1
			continue
		fi
		if ! f=$(measure "$n floor $cols" -- --cat "$OUT/files-$n-$cols.txt"); then
			failed=1
			continue
		fi
		echo "$n|$name|${r% *}|${f% *}|${r#* }" >>"$rows"
	done
done

# A check of the floor: the real /bin/cat (via xargs) on the largest default list. It is
# slower than the floor where per-file mmap/munmap of cat's buffer is costly (see timeit.c).
big=$(echo "$SIZES" | awk '{print $NF}')
catcheck=$(measure "cat check" -- -i "$OUT/files-$big-default.txt" xargs cat) || catcheck=

# ---- report ----
echo
awk -F'|' -v cores="$cores" -v rep="$REPEAT" -v rb="$RATIO_BUDGET" -v mb="$RSS_BUDGET_MB" \
	-v slack="$LINEAR_SLACK" -v catcheck="$catcheck" -v big="$big" '
{
	n[NR] = $1; c[NR] = $2; w[NR] = $3; f[NR] = $4; rss[NR] = $5 / 1024
	if (!($2 in lo) || $1 + 0 < lo[$2] + 0) { lo[$2] = $1; wlo[$2] = $3 }
	if (!($2 in hi) || $1 + 0 > hi[$2] + 0) { hi[$2] = $1; whi[$2] = $3 }
	if ($2 == "ls" && $1 == big) { bigfloor = $4; bigwall = $3 }
}
END {
	printf "ls benchmark (%s cores; median of %s, warm cache)\n", cores, rep
	printf "budget (SPEC 7): ls within %.1fx of the cat floor, linear in N, peak RSS under %d MB\n", rb, mb
	printf "%-7s %-18s %8s %8s %7s %12s  %s\n", "runs", "command", "wall s", "floor s", "ratio", "peak RSS MB", "budget"
	for (i = 1; i <= NR; i++) {
		ratio = f[i] > 0 ? w[i] / f[i] : 0
		v = "ok"
		if (ratio > rb && rss[i] >= mb) v = "OVER BUDGET (time, RSS)"
		else if (ratio > rb) v = "OVER BUDGET (time)"
		else if (rss[i] >= mb) v = "OVER BUDGET (RSS)"
		printf "%-7s %-18s %8.3f %8.3f %6.2fx %12.1f  %s\n", n[i], c[i], w[i], f[i], ratio, rss[i], v
	}
	for (k in lo) order[k == "ls" ? 1 : 2] = k
	for (j = 1; j <= 2; j++) {
		k = order[j]
		if (k == "" || lo[k] == hi[k]) continue
		x = wlo[k] > 0 ? whi[k] / wlo[k] : 0
		lim = (hi[k] / lo[k]) * slack
		printf "linear: %s %s/%s = %.1fx (%s: budget %.1fx for %gx the runs)\n", k, hi[k], lo[k], x,
			x <= lim ? "ok" : "OVER BUDGET", lim, hi[k] / lo[k]
	}
	if (catcheck != "" && bigfloor > 0 && bigwall > 0) {
		split(catcheck, cc, " ")
		cf = bigfloor > 0 ? cc[1] / bigfloor : 0
		lc = cc[1] > 0 ? bigwall / cc[1] : 0
		printf "floor check: real /bin/cat (via xargs) on the %s-run ls list: %.3f s = %.2fx the floor; ls = %.2fx real cat\n", big, cc[1], cf, lc
	}
}' "$rows"

SITE_SIZES=${SITE_SIZES:-1000 10000}

# ---- view: a typical run and a run with 1,000,000 metric rows (SPEC 7) ----
vdir="$OUT/view"
mkdir -p "$vdir/runs"
if [ ! -d "$vdir/runs/long" ]; then
	cp -R tests/corpus/tfruns-runs/2026-11-28T01-50-12Z "$vdir/runs/long"
	chmod -R u+w "$vdir/runs/long"
	awk 'BEGIN { split("loss acc val_loss val_acc", k, " "); printf "{\n"
		for (j = 1; j <= 4; j++) { printf "  \"%s\": [", k[j]
			for (i = 0; i < 1000000; i++) printf "%s%.4f", (i ? ", " : ""), (j % 2 ? 1 : 0) + (j % 2 ? -1 : 1) * 0.5 / (1 + i / 5000) + (i % 9973 == 0 ? 0.3 : 0)
			printf "]%s\n", (j < 4 ? "," : "") }
		printf "}\n" }' >"$vdir/runs/long/tfruns.d/metrics.json"
fi
echo
echo "view benchmark (median of 5)"
printf '%-44s %8s %10s   %s\n' "page" "wall s" "size KB" "budget"
for spec in "typical run (corpus 2026-11-28T01-50-12Z)|tests/corpus/tfruns-runs/2026-11-28T01-50-12Z|210" \
	    "1,000,000 rows x 4 metrics|$vdir/runs/long|1000"; do
	label=${spec%%|*}; rest=${spec#*|}; run=${rest%%|*}; maxkb=${rest#*|}
	res=$("$TIMEIT" 5 ./tfreport view "$run" -o "$vdir/page.html") || { failed=1; continue; }
	kb=$(( $(wc -c <"$vdir/page.html") / 1024 ))
	verdict="ok (under ${maxkb} KB)"
	[ "$kb" -ge "$maxkb" ] && verdict="OVER BUDGET (${maxkb} KB)"
	printf '%-44s %8s %10s   %s\n' "$label" "${res%% *}" "$kb" "$verdict"
done
echo "(tfruns's run page weighs about 1.05 MB: a fifth is 210 KB)"

# ---- compare (SPEC 7, issue 4): the corpus pair, and the diff engine against git and GNU diff ----
echo
echo "compare benchmark (median of 5)"
pa=tests/corpus/tfruns-runs/2026-11-28T01-50-11Z
pb=tests/corpus/tfruns-runs/2026-11-28T01-50-12Z
for f in html md json; do
	res=$("$TIMEIT" 5 ./tfreport compare "$pa" "$pb" --format "$f" -o "$vdir/cmp.$f") || { failed=1; continue; }
	kb=$(( $(wc -c <"$vdir/cmp.$f") / 1024 ))
	printf 'compare --format %-5s %8s s %6s KB%s\n' "$f" "${res%% *}" "$kb" \
		"$([ "$f" = html ] && { [ "$kb" -lt 450 ] && echo "   ok (under 450 KB; tfruns 1.33 MB)" || echo "   OVER BUDGET (450 KB)"; })"
done
echo "(whole process, startup included; tfruns: 157 ms)"
$CC -O2 -std=c11 -D_GNU_SOURCE -Isrc -o "$OUT/diffbench" bench/diffbench.c src/diff.c src/udiff.c src/buf.c \
	src/xalloc.c || exit 1
mkdir -p "$OUT/diff"
echo
"$OUT/diffbench" "$OUT/diff" || failed=1

# ---- site (issue 5): cold with 1 and 2 jobs, a re-run with nothing changed, one changed ----
# Each cold build writes into a directory that never existed: deleting 20,000 pages just
# before makes ext4 skip its recently freed inodes on every create, which measures the
# file system's inode reuse, not tfreport. The sites are deleted at the end.
echo
echo "site benchmark (one run each; the generated runs carry 30 KB of console output each)"
printf '%-8s %-30s %8s %12s %10s\n' "runs" "build" "wall s" "peak RSS MB" "site size"
for n in $SITE_SIZES; do
	rd="$OUT/runs-$n"
	[ -d "$rd" ] || continue
	rm -rf "$OUT/site-$n-"*
	for spec in "cold, --jobs 1|1|a" "cold, --jobs 2|2|b" "re-run, nothing changed|2|b" \
		    "re-run, one run changed|2|b|touch"; do
		label=${spec%%|*}; rest=${spec#*|}; jobs=${rest%%|*}; rest=${rest#*|}; dir=${rest%%|*}
		case $spec in *"|touch")
			one=$(ls "$rd" | sed -n "$((n / 2))p")
			printf '{"loss": 0.25, "acc": 0.9%s}\n' "$(date +%N)" >"$rd/$one/tfruns.d/evaluation.json" ;;
		esac
		res=$("$TIMEIT" 1 ./tfreport --runs-dir "$rd" site -o "$OUT/site-$n-$dir" --jobs "$jobs" 2>>"$errlog") || { failed=1; continue; }
		printf '%-8s %-30s %8s %12s %10s\n' "$n" "$label" "${res%% *}" "$(awk -v k="${res##* }" 'BEGIN { printf "%.1f", k / 1024 }')" "$(du -sm "$OUT/site-$n-$dir" | cut -f1) MB"
	done
	rm -rf "$OUT/site-$n-"*
done
echo "budget: cold under 30 s with 2 jobs at 10,000 runs; a re-run with nothing changed under 1 s (SPEC 7: also with one run changed)"
echo
echo "index of 10,000 runs in Chromium (budget: first paint under 1 s, sort under 0.3 s):"
node --test --test-name-pattern "first paint" tests/browser/index.test.mjs 2>&1 | grep -o "index timings.*" || failed=1
if [ -d "$OUT/runs-10000" ]; then
	./tfreport --runs-dir "$OUT/runs-10000" index -o "$OUT/index-10000.html" >/dev/null 2>>"$errlog" || failed=1
	printf 'the real index of the 10,000 generated runs (%s KB, %s columns): ' \
		"$(( $(wc -c <"$OUT/index-10000.html") / 1024 ))" \
		"$(./tfreport --runs-dir "$OUT/runs-10000" ls --columns all --format tsv 2>/dev/null | head -n 1 | awk -F'\t' '{ print NF }')"
	node bench/paint.mjs "$OUT/index-10000.html" 3 || failed=1
fi

TFREPORT="$TFREPORT" bench/lifecycle.sh || failed=1 # run: artifacts snapshot, run overhead
nerr=$(grep -vc '^== ' "$errlog")
if [ "$nerr" -gt 0 ]; then
	echo "note: the measured commands wrote $nerr lines to stderr (see $errlog); first ones:"
	grep -v '^== ' "$errlog" | head -n 5 | sed 's/^/  /'
fi
if [ "$failed" -ne 0 ]; then
	echo "bench: some commands failed (see above)" >&2
	exit 1
fi
exit 0
