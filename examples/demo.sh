#!/bin/sh
# demo.sh: `make demo`: writes the example runs, lists and renders them into demo/, then makes
# fresh runs with `tfreport run` and `tfreport tune` and renders them as a site.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
examples/make-runs.sh
out="$root/demo"
mkdir -p "$out"
t="./tfreport --runs-dir examples/runs"
echo
echo "\$ tfreport --runs-dir examples/runs ls"
$t ls | tee "$out/ls.txt"
echo
echo "\$ tfreport --runs-dir examples/runs ls --filter 'status == \"completed\"' --order eval_acc --columns eval_acc,flag_*"
$t ls --filter 'status == "completed"' --order eval_acc --columns 'eval_acc,flag_*' | tee "$out/best.txt"
$t ls --columns all --format csv >"$out/runs.csv"
$t ls --columns all --format json >"$out/runs.json"
$t info >"$out/latest.txt"
for r in $($t ls --format tsv --columns run_dir | tail -n +2); do
	$t view "$r" -o "$out/run-$(basename "$r").html" >/dev/null
done
$t compare 2026-11-26T09-05-00Z 2026-11-26T09-10-00Z -o "$out/compare.html" >/dev/null
$t compare 2026-11-26T09-05-00Z 2026-11-26T09-10-00Z --format md >"$out/compare.md"
$t site -o "$out/examples-site" >/dev/null

# Fresh runs: the example training scripts under `tfreport run`, and a small `tfreport tune`,
# from a scratch working directory (the artifacts of a run are the files it adds there).
export TFREPORT="$root/build/tfreport"
rm -rf "$out/runs" "$out/work" "$out/site"
mkdir -p "$out/work"
cd "$out/work"
tr="$TFREPORT --runs-dir $out/runs"
echo
echo "\$ tfreport run examples/train.py --epochs=15"
$tr run "$root/examples/train.py" --epochs=15 >/dev/null
echo "\$ tfreport run --flag dropout=0.1 -- examples/train.sh"
$tr run --flag dropout=0.1 -- "$root/examples/train.sh" >/dev/null
echo "\$ tfreport tune --yes --jobs 2 --flag learning_rate=0.005,0.02 --flag dropout=0.1,0.4 --objective eval_acc -- examples/train.sh"
$tr tune --yes --jobs 2 --flag learning_rate=0.005,0.02 --flag dropout=0.1,0.4 \
	--objective eval_acc -- "$root/examples/train.sh" >"$out/tune.txt" 2>&1
cd "$root"
echo
echo "\$ tfreport --runs-dir demo/runs ls --order eval_acc --columns flag_learning_rate,flag_dropout,eval_acc,script"
./tfreport --runs-dir demo/runs ls --order eval_acc --columns flag_learning_rate,flag_dropout,eval_acc,script

$t site -o "$out/examples-site" >/dev/null
./tfreport --runs-dir "$out/runs" site -o "$out/site" >/dev/null
echo
echo "demo: listings, run reports, a comparison and two sites written to $out:"
ls "$out" | sed 's/^/  /'
echo "the example runs (tfruns's layout):   $out/examples-site/index.html"
echo "the runs made by tfreport run / tune: $out/site/index.html"
