# run.test.sh: `tfreport run` (tfruns training_run) with real commands: a 20-epoch training
# script, one interrupted by SIGINT, one failing, one killed by SIGKILL, artifacts, sources,
# flags and environment, concurrent runs.

cp "$LIFECYCLE_ROOT"/tests/lifecycle/scripts/* .
mkdir -p sub && echo 'echo deep' >sub/deep.sh

# prop RUN NAME: a property's value
prop() { cat "$1/tfruns.d/properties/$2" 2>/dev/null; }
# json FILE EXPR: evaluates a JavaScript expression over the JSON in FILE (as j)
json() { node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	console.log(eval(process.argv[2]))' "$1" "$2"; }
# status RUN: the status ls shows
status() { tf ls --columns status --format tsv | awk -F '\t' -v r="$1" '$1 == r { print $2 }'; }
# rundir FILE: the run directory named on the "Using run directory" line of FILE (stderr)
rundir() { sed -n 's/^Using run directory //p' "$1"; }
# wait_for FILE TEXT: waits (up to 20 s) until FILE has a line TEXT
wait_for() {
	n=0
	while [ $n -lt 200 ] && ! grep -qx "$2" "$1" 2>/dev/null; do sleep 0.1; n=$((n + 1)); done
}
is_time() { case $1 in [0-9]*.[0-9]*) [ "${1%%.*}" -gt 1500000000 ] ;; *) false ;; esac; }

# ---- a 20-epoch run that succeeds ----
tf run ./train.sh >ok.out 2>ok.err
check_eq "a successful run: exit status 0" $? 0
run=$(rundir ok.err)
check_eq "stderr says where the run goes, as tfruns" "$(head -n 1 ok.err)" "Using run directory $run"
check_eq "stderr ends with Run completed: DIR" "$(tail -n 1 ok.err)" "Run completed: $run"
check "the command's stderr reaches the terminal" grep -qx "training done" ok.err
EPOCHS=20 TFRUNS_RUN_DIR=$PWD/direct sh -c 'mkdir -p direct/tfruns.d; ./train.sh' >direct.out 2>/dev/null
check "the command's stdout reaches the terminal unchanged" cmp -s ok.out direct.out
check_eq "completed is TRUE" "$(prop "$run" completed)" TRUE
check_eq "type is training" "$(prop "$run" type)" training
check_eq "context defaults to local" "$(prop "$run" context)" local
check_eq "script is the script's name" "$(prop "$run" script)" train.sh
check_eq "command is the command line" "$(prop "$run" command)" "./train.sh"
check_eq "exit_status 0 is recorded" "$(prop "$run" exit_status)" 0
check "start is epoch seconds with a fraction" is_time "$(prop "$run" start)"
check "end is epoch seconds with a fraction" is_time "$(prop "$run" end)"
check_eq "ls shows it completed" "$(status "$run")" completed
tf info "$run" --format json >info.json
check_eq "info has the 20 metric rows" "$(json info.json 'j.history.loss.length')" 20
check_eq "the last loss is epoch 20's" "$(json info.json 'j.metric_loss')" 0.8
check "the output property has stdout" grep -qx "epoch 20/20 loss 0.80" "$run/tfruns.d/properties/output"
check "the output property has stderr too" grep -qx "training done" "$run/tfruns.d/properties/output"
check_eq "the output holds stdout and stderr whole" "$(wc -l <"$run/tfruns.d/properties/output" | tr -d ' ')" 21
check_eq "source.tar.gz: the script first, then its siblings with its extension, not recursive" \
	"$(tar tzf "$run/tfruns.d/source.tar.gz" | tr '\n' ' ')" \
	"source/train.sh source/artifacts.sh source/fail.sh source/helper.sh source/killself.sh source/show.sh "
check_eq "info lists the sources, script first" "$(json info.json 'j.sources.map(s => s.name).join(" ")')" \
	"train.sh artifacts.sh fail.sh helper.sh killself.sh show.sh"
check_status "view renders the new run" 0 tf view "$run" -o ok.html
check "the view shows the script's source" grep -q 'EPOCH_SLEEP' ok.html
check "the view shows the helper's source" grep -q 'a sibling of train.sh' ok.html
check_file "artifact extra.dat copied (as tfruns's test)" "$run/extra.dat"
check_file "artifact subdir/extra.dat copied (as tfruns's test)" "$run/subdir/extra.dat"
check_file "plots/ is made, as tfruns" "$run/plots"
check "no error.json for a success" test ! -e "$run/tfruns.d/error.json"
check "no flags.json without flags" test ! -e "$run/tfruns.d/flags.json"
rm -f extra.dat subdir/extra.dat

# ---- interrupted by SIGINT sent to tfreport ----
EPOCHS=20 EPOCH_SLEEP=0.2 $TFREPORT run ./train.sh >int.out 2>int.err &
pid=$!
i=0
while [ $i -lt 100 ]; do
	r=$(rundir int.err)
	[ -n "$r" ] && [ "$(cat "$r/tfruns.d/metrics.jsonl" 2>/dev/null | wc -l)" -ge 3 ] && break
	sleep 0.1
	i=$((i + 1))
done
kill -INT $pid
wait $pid
check_eq "interrupted: exit status 3" $? 3
irun=$(rundir int.err)
check "interrupted: it stopped midway" test "$(wc -l <"$irun/tfruns.d/metrics.jsonl")" -lt 20
check_eq "interrupted: completed is FALSE" "$(prop "$irun" completed)" FALSE
check "interrupted: end is written" is_time "$(prop "$irun" end)"
check "interrupted: no error.json (as tfruns for an interrupt)" test ! -e "$irun/tfruns.d/error.json"
check_eq "interrupted: ls says interrupted" "$(status "$irun")" interrupted
check "interrupted: stderr says so" grep -q "^tfreport: $irun: run interrupted (SIGINT received)" int.err
check "interrupted: the output so far is recorded" grep -q "^epoch 2/20" "$irun/tfruns.d/properties/output"
check_status "interrupted: view renders it" 0 tf view "$irun" -o int.html
check "interrupted: the view says interrupted" grep -q interrupted int.html

# ---- a command that exits with status 2 ----
check_status "failing command: exit status 3" 3 tf run ./fail.sh
frun=$(rundir lc.err)
check "failing command: stderr names the status" grep -q "^tfreport: $frun: run failed: the command exited with status 2" lc.err
check_file "failing command: error.json" "$frun/tfruns.d/error.json"
check_eq "failing command: the message names the status" \
	"$(json "$frun/tfruns.d/error.json" 'j.message')" "the command exited with status 2"
check_eq "failing command: traceback = the last 20 lines of stderr" \
	"$(json "$frun/tfruns.d/error.json" 'j.traceback.length + " " + j.traceback[0] + " " + j.traceback[19]')" \
	"20 trace line 11 trace line 30"
check_eq "failing command: completed FALSE" "$(prop "$frun" completed)" FALSE
check_eq "failing command: exit_status 2" "$(prop "$frun" exit_status)" 2
check "failing command: end is written" is_time "$(prop "$frun" end)"
check_eq "failing command: ls says failed" "$(status "$frun")" failed
check_eq "failing command: ls shows the error message" \
	"$(tf ls --columns error_message --format tsv | awk -F '\t' -v r="$frun" '$1 == r { print $2 }')" \
	"the command exited with status 2"

# ---- a command killed by SIGKILL ----
check_status "killed command: exit status 3" 3 tf run ./killself.sh
krun=$(rundir lc.err)
check_eq "killed command: the signal is recorded" "$(prop "$krun" signal)" SIGKILL
check "killed command: no exit_status" test ! -e "$krun/tfruns.d/properties/exit_status"
check "killed command: error.json names the signal" \
	grep -q '"message": "the command was killed by signal 9 (SIGKILL' "$krun/tfruns.d/error.json"
check_eq "killed command: ls says failed" "$(status "$krun")" failed
check_eq "killed command: its output is recorded" "$(prop "$krun" output)" "going down"

# ---- a command that cannot start ----
check_status "a command that does not exist: exit status 1" 1 tf run no-such-command-here
nrun=$(rundir lc.err)
check "it says why" grep -q "cannot start no-such-command-here: No such file or directory" lc.err
check_eq "the run is closed as failed" "$(status "$nrun")" failed
check_eq "script is the command when no argument names a file" "$(prop "$nrun" script)" no-such-command-here

# ---- usage errors leave nothing behind ----
n0=$(ls runs | wc -l)
check_status "no command: usage error" 2 tf run
check_status "--property without =: usage error" 2 tf run --property foo ./show.sh
check_status "--property completed=...: usage error (tfreport writes it)" 2 tf run --property completed=TRUE ./show.sh
check_status "--property a/b=...: usage error" 2 tf run --property a/b=1 ./show.sh
check_status "--view other than save: usage error" 2 tf run --view yes ./show.sh
check_status "--no-artifacts with --artifacts-dir: usage error" 2 tf run --no-artifacts --artifacts-dir . ./show.sh
check_status "--flag without =: usage error" 2 tf run --flag lr ./show.sh
check_eq "usage errors create no run" "$(ls runs | wc -l)" "$n0"

# ---- a broken flags file: one clear error naming it, status 1, no run made ----
mkdir -p badflags && printf 'learning_rate: [0.1\nunits: 3\n' >badflags/flags.yml
n0=$(ls runs 2>/dev/null | wc -l)
(cd badflags && $TFREPORT --runs-dir ../runs run --no-artifacts -- sh -c 'echo never') >lc.out 2>lc.err
check_eq "broken flags.yml: status 1" "$?" 1
check_eq "one error line naming flags.yml and its line" "$(cat lc.err)" \
	"tfreport: flags.yml:2: while parsing a flow sequence, did not find expected ',' or ']'"
check_eq "the command did not run" "$(cat lc.out)" ""
check_eq "no run directory made" "$(ls runs 2>/dev/null | wc -l)" "$n0"

# ---- properties, context, environment, --run-dir, --view save ----
check_status "--property, --context, --run-dir, --view save" 0 \
	tf run --property foo=bar --property index=42 --context cluster --run-dir mine/r1 --view save -- ./show.sh x 'y z'
check_eq "--property foo=bar" "$(prop mine/r1 foo)" bar
check_eq "--property index=42 (a string, as tfruns)" "$(prop mine/r1 index)" 42
check_eq "--context" "$(prop mine/r1 context)" cluster
check "arguments reach the command as given" grep -qx "arg:y z" lc.out
check "TFRUNS_RUN_DIR is the run directory (absolute)" grep -qx "TFRUNS_RUN_DIR=$PWD/mine/r1" lc.out
check "TFRUNS_CONFIG is the active config (default)" grep -qx "TFRUNS_CONFIG=default" lc.out
check "TFRUNS_FLAGS is a JSON object" grep -q "^TFRUNS_FLAGS={" lc.out
check_file "--view save writes tfruns.d/view.html" mine/r1/tfruns.d/view.html
check "view.html is the run's report" grep -q "TFRUNS_RUN_DIR" mine/r1/tfruns.d/view.html
check_status "--run-dir holding a run already: refused" 1 tf run --run-dir mine/r1 ./show.sh
check "the first run is untouched" grep -qx "arg:x" mine/r1/tfruns.d/properties/output
TFRUNS_CONFIG=prod tf run --no-artifacts ./show.sh >cfg.out 2>/dev/null
check "TFRUNS_CONFIG from the environment" grep -qx "TFRUNS_CONFIG=prod" cfg.out
tf run --no-artifacts --config staging ./show.sh >cfg.out 2>/dev/null
check "--config sets TFRUNS_CONFIG" grep -qx "TFRUNS_CONFIG=staging" cfg.out

# ---- --source ----
mkdir -p lib && echo 'x = 1' >lib/a.py && echo 'y = 2' >lib/b.py
tf run --no-artifacts --source 'lib/*.py' --source ./show.sh ./show.sh >/dev/null 2>src.err
srun=$(rundir src.err)
check_eq "--source globs: the script first, then by path" \
	"$(tar tzf "$srun/tfruns.d/source.tar.gz" | tr '\n' ' ')" "source/show.sh source/lib/a.py source/lib/b.py "
tf run --no-artifacts --source 'nothing-*.x' ./show.sh >/dev/null 2>src.err
check "--source matching nothing warns" grep -q "^tfreport: nothing-\*.x: warning: --source matches no file" src.err

# ---- artifacts: what is copied and what is not ----
mkdir -p .git exps
echo old >changed.txt
echo same >unchanged.txt
printf '# ignored\n*.log\ncache/\n/top.tmp\nsub2/*.o\n' >.tfreportignore
mkdir -p outside
STRAY_DIR=exps OUTSIDE_DIR=$PWD/outside tf --runs-dir exps run ./artifacts.sh >/dev/null 2>art.err
check_eq "artifacts run: exit status 0" $? 0
arun=$(ls -d exps/*/ | sed 's|/$||')
check_file "new file copied" "$arun/extra.dat"
check_file "new file in a new directory copied" "$arun/subdir/extra.dat"
check_file "new file two directories down copied" "$arun/deep/er/file.bin"
check_file "changed file copied" "$arun/changed.txt"
check "unchanged file not copied" test ! -e "$arun/unchanged.txt"
check "files matching .tfreportignore patterns not copied" test ! -e "$arun/train.log"
check "directories matching .tfreportignore patterns not copied" test ! -e "$arun/cache"
check "nothing from .git copied" test ! -e "$arun/.git"
check "nothing from the runs dir copied, whatever its name" test ! -e "$arun/exps"
check "a new symbolic link is copied as a link" test -L "$arun/link.dat"
check_eq "its target is unchanged" "$(readlink "$arun/link.dat")" extra.dat
check "an anchored pattern (/top.tmp) leaves out the top file" test ! -e "$arun/top.tmp"
check_file "an anchored pattern does not match deeper" "$arun/x/top.tmp"
check "a pattern with a / (sub2/*.o) matches the path" test ! -e "$arun/sub2/a.o"
check_file "its neighbour is copied" "$arun/sub2/a.c"
check_eq "a file the run has already is not overwritten" "$(cat "$arun/plots/p.txt")" run
check "a warning names it" grep -q "^tfreport: $arun/plots/p.txt: warning: artifact not copied: the run already has this file" art.err
check_eq "the copy never writes through a link in the run" "$(ls outside | wc -l | tr -d ' ')" 0
check "a warning says escape/e.txt was not copied" grep -q "^tfreport: escape/e.txt: warning: cannot copy the artifact" art.err
check_eq "no other warnings" "$(grep -c warning art.err)" 2
rm -rf extra.dat subdir deep link.dat cache train.log top.tmp x sub2 plots escape
STRAY_DIR=exps tf run --no-artifacts ./artifacts.sh >/dev/null 2>noart.err
check "--no-artifacts copies nothing" test ! -e "$(rundir noart.err)/extra.dat"
rm -rf extra.dat subdir deep link.dat

# ---- flags ----
printf 'lr: 0.01\nepochs: 5\n' >flags.yml
tf run --no-artifacts --flag lr=0.02 --flag name=abc --flag big=true ./show.sh pos >flags.out 2>flags.err
frun=$(rundir flags.err)
check "flags appended as --name=value: number" grep -qx "arg:--lr=0.02" flags.out
check "flags appended: from flags.yml" grep -qx "arg:--epochs=5" flags.out
check "flags appended: string raw" grep -qx "arg:--name=abc" flags.out
check "flags appended: boolean" grep -qx "arg:--big=true" flags.out
check_eq "flags come after the command's own arguments" "$(grep '^arg:' flags.out | head -n 1)" "arg:pos"
check "TFRUNS_FLAGS holds the flags as JSON" grep -q '^TFRUNS_FLAGS={.*"lr":0.02' flags.out
check_eq "flags.json records them" "$(json "$frun/tfruns.d/flags.json" 'j.lr + " " + j.epochs + " " + j.name + " " + j.big')" \
	"0.02 5 abc true"
tf run --no-artifacts --no-flag-args --flag lr=0.5 ./show.sh >flags.out 2>&1
check "--no-flag-args: no --name=value arguments" test -z "$(grep '^arg:--' flags.out)"
check "--no-flag-args: TFRUNS_FLAGS still set" grep -q '^TFRUNS_FLAGS={.*"lr":0.5' flags.out
rm -f flags.yml

# ---- --artifacts-dir ----
mkdir -p elsewhere
printf '#!/bin/sh\necho a >elsewhere/made.txt\necho b >here.txt\n' >mk.sh && chmod +x mk.sh
tf run --artifacts-dir elsewhere ./mk.sh >/dev/null 2>ad.err
adrun=$(rundir ad.err)
check_file "--artifacts-dir: its new files are copied" "$adrun/made.txt"
check "--artifacts-dir: the current directory is not looked at" test ! -e "$adrun/here.txt"
check_status "--artifacts-dir that is not a directory: usage error" 2 tf run --artifacts-dir nowhere ./show.sh
rm -f here.txt

# ---- the artifact scan (several threads) sees every file once ----
mkdir -p scan
for d in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
	mkdir -p "scan/d$d/e/f" && (cd "scan/d$d/e" && touch $(seq -f 'x%g' 1 99) && touch f/y)
done
printf '#!/bin/sh\nsleep 0.1; echo 1 >>scan/d3/e/x7; echo 2 >scan/d19/e/f/new; touch scan/d0/e/x1\n' >touch.sh
chmod +x touch.sh
TFREPORT_TIMING=1 tf --runs-dir scan-runs run --artifacts-dir scan ./touch.sh >/dev/null 2>scan.err
scrun=$(rundir scan.err)
check "the scan counts each of the 2,000 files once" grep -q "artifacts snapshot: 2000 files in" scan.err
check "the copy counts the 3 changed" grep -q "artifacts copy: 3 files copied in" scan.err
check_eq "exactly those 3 are copied" "$(cd "$scrun" && find . -type f ! -path './tfruns.d/*' | sort | tr '\n' ' ')" \
	"./d0/e/x1 ./d19/e/f/new ./d3/e/x7 "

# ---- SIGTERM, and a command that ignores interrupts ----
printf '#!/bin/sh\ntrap "echo got-int" INT\necho started\ni=0\nwhile [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done\n' >stubborn.sh
chmod +x stubborn.sh
$TFREPORT run --no-artifacts ./stubborn.sh >st.out 2>st.err &
pid=$!
wait_for st.out started
kill -TERM $pid
wait $pid
check_eq "SIGTERM: exit status 3" $? 3
strun=$(rundir st.err)
check "SIGTERM: passed on, the run closed as interrupted" grep -q "run interrupted (SIGTERM received)" st.err
check_eq "SIGTERM: ls says interrupted" "$(status "$strun")" interrupted
check_eq "SIGTERM: the command died of it" "$(prop "$strun" signal)" SIGTERM
$TFREPORT run --no-artifacts ./stubborn.sh >st.out 2>st.err &
pid=$!
wait_for st.out started
kill -INT $pid
wait_for st.out got-int
kill -INT $pid; sleep 0.3; kill -INT $pid
wait $pid
check_eq "three interrupts: exit status 3" $? 3
strun=$(rundir st.err)
check "the command saw the first" test "$(grep -c got-int st.out)" -ge 1
check_eq "the third kills it" "$(prop "$strun" signal)" SIGKILL
check_eq "and the run is interrupted, not failed" "$(status "$strun")" interrupted

# ---- a large output: passed on and recorded whole ----
printf '#!/bin/sh\nyes 0123456789abcdef | head -c 5000000\nyes err | head -c 1000000 >&2\n' >big.sh
chmod +x big.sh
tf run --no-artifacts ./big.sh >big.out 2>big.err
brun=$(rundir big.err)
check_eq "5 MB of stdout reach the terminal" "$(wc -c <big.out | tr -d ' ')" 5000000
check_eq "1 MB of stderr reach the terminal" "$(grep -c '^err$' big.err)" 250000
check_eq "6 MB recorded in output" "$(wc -c <"$brun/tfruns.d/properties/output" | tr -d ' ')" 6000000

# ---- stdin, and a process left behind holding the output ----
printf '#!/bin/sh\nread line\necho "read: $line"\n' >readin.sh && chmod +x readin.sh
echo hello | tf run --no-artifacts ./readin.sh >in.out 2>/dev/null
check_eq "the command reads tfreport's stdin" "$(cat in.out)" "read: hello"
printf '#!/bin/sh\n(sleep 8; echo late) &\necho main-done\n' >bg.sh && chmod +x bg.sh
t0=$(date +%s)
tf run --no-artifacts ./bg.sh >bg.out 2>bg.err
t1=$(date +%s)
check_eq "a background process keeping the pipe open: the run still ends with its command" \
	"$(prop "$(rundir bg.err)" completed) $(cat bg.out)" "TRUE main-done"
check "and tfreport does not wait for it" test $((t1 - t0)) -lt 6

# ---- concurrent runs never collide ----
rm -rf conc
i=0
while [ $i -lt 20 ]; do
	$TFREPORT --runs-dir conc run --no-artifacts ./show.sh "$i" >"conc.$i.out" 2>&1 &
	i=$((i + 1))
done
wait
check_eq "20 concurrent runs: 20 run directories" "$(ls conc | wc -l | tr -d ' ')" 20
check_eq "20 concurrent runs: all completed" \
	"$(cat conc/*/tfruns.d/properties/completed | grep -c TRUE)" 20
check_eq "20 concurrent runs: each recorded its own output" \
	"$(cat conc/*/tfruns.d/properties/output | grep '^arg:[0-9]' | sort -u | wc -l | tr -d ' ')" 20
