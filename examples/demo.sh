#!/bin/sh
# demo.sh: `make demo`: writes the example runs, lists them, and saves the listings in demo/.
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
$t site -o "$out/site" >/dev/null
echo
echo "demo: listings, run reports, a comparison and a site written to $out:"
ls "$out" | sed 's/^/  /'
echo "open $out/site/index.html in a browser"
