# tune.test.sh: `tfreport tune` with real trials (each a `tfreport run` of a small sh
# script): a 12-combination grid 4 at a time, a failing combination, --resume, --emit run by
# GNU parallel, repeatable samples, grid files, the plan, the prompt and usage errors.

cat >train.sh <<'EOF'
#!/bin/sh
# A tiny training script: its flags arrive as --name=value; it records an evaluation.
lr= units=
for a in "$@"; do
	case $a in --lr=*) lr=${a#--lr=} ;; --units=*) units=${a#--units=} ;; esac
done
echo "training with lr=$lr units=$units"
if [ -n "${ACTIVE:-}" ]; then # how many trials run at the same time
	mkdir -p "$ACTIVE" && touch "$ACTIVE/$$"
	ls "$ACTIVE" | wc -l >>"$ACTIVE.counts"
	sleep 1
	rm -f "$ACTIVE/$$"
fi
if [ "$units" = "${FAIL_UNITS:-none}" ]; then echo "units=$units diverged" >&2; exit 1; fi
acc=$(awk -v l="$lr" -v u="$units" 'BEGIN { print u / 1000 + l }')
printf '{"acc": %s}\n' "$acc" >"$TFRUNS_RUN_DIR/tfruns.d/evaluation.json"
EOF

# "lr,units,acc" lines a grid should give, sorted
expect() { for u in $2; do for l in $1; do awk -v l="$l" -v u="$u" 'BEGIN { print l "," u "," u / 1000 + l }'; done; done | sort; }
# the same, as recorded in the runs of a tuning
recorded() { tf --runs-dir "$1" ls --filter "tuning_id == \"$2\"" --columns flag_lr,flag_units,eval_acc --format csv | tail -n +2 | cut -d, -f2- | sort; }
count_runs() { ls -d "$1"/*/tfruns.d 2>/dev/null | wc -l | tr -d ' '; }

# --- 12 combinations, 4 at a time ---
check_status "tune --jobs 4 over a 3x4 grid exits 0" 0 \
	env ACTIVE="$PWD/active" $TFREPORT --runs-dir r1 tune --jobs 4 --yes --no-artifacts --property team=vision \
	--flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 --objective eval_acc -- sh train.sh
cp lc.out r1.out
cp lc.err r1.err
check_eq "12 runs" "$(count_runs r1)" 12
check_eq "one tuning_id on every run" "$(cat r1/*/tfruns.d/properties/tuning_id | sort -u | wc -l | tr -d ' ')" 1
id=$(cat r1/*/tfruns.d/properties/tuning_id | head -n 1)
check_eq "each combination ran once, and the script got its values" "$(recorded r1 "$id")" \
	"$(expect '0.1 0.2 0.3' '16 32 64 128')"
check_eq "--property is passed to every trial" "$(cat r1/*/tfruns.d/properties/team | sort | uniq -c | tr -s ' ')" " 12 vision"
max=$(sort -n active.counts | tail -n 1)
check "at most 4 trials at once, and more than one" test "$max" -le 4 -a "$max" -ge 2
check_eq "a progress line per trial" "$(grep -c '^Training run [0-9]*/12 (flags = lr=.*, units=.*)$' r1.err)" 12
check_eq "tfruns's count message" "$(head -n 2 r1.err)" "12 total combinations of flags 
(use --sample to run a random subset)"
check_eq "the summary has a row per trial" "$(grep -c '^r1/' r1.out)" 12
first=$(grep '^r1/' r1.out | head -n 1 | tr -s ' ' | cut -d' ' -f2-)
check_eq "--objective eval_acc: the best trial first" "$first" "0.3 128 completed 0.428"
last=$(grep '^r1/' r1.out | tail -n 1 | tr -s ' ' | cut -d' ' -f2-)
check_eq "and the worst last" "$last" "0.1 16 completed 0.116"

# --- a failing combination does not stop the others ---
check_status "a failing trial: exit 3 at the end" 3 env FAIL_UNITS=32 $TFREPORT --runs-dir r2 tune --yes \
	--no-artifacts --tuning-id t2 --flag lr=0.1,0.2 --flag units=16,32,64 -- sh train.sh
cp lc.err r2.err
check_eq "every combination still ran" "$(count_runs r2)" 6
check_eq "the failures are named" "$(grep '^Training run .* failed' r2.err)" \
	"Training run 3/6 failed (exit status 3)
Training run 4/6 failed (exit status 3)"
check_eq "the others completed" "$(tf --runs-dir r2 ls --filter 'status == "completed"' --format csv | tail -n +2 | wc -l | tr -d ' ')" 4
check_eq "the summary shows the failed ones" "$(grep -c ' failed' lc.out)" 2

check_status "--resume runs only what is missing" 0 $TFREPORT --runs-dir r2 tune --yes --no-artifacts \
	--tuning-id t2 --resume --flag lr=0.1,0.2 --flag units=16,32,64 -- sh train.sh
check_eq "--resume says what it skips" "$(grep '^Resuming' lc.err)" \
	"Resuming tuning t2: 4 of 6 combinations already completed"
check_eq "two more runs" "$(count_runs r2)" 8
check_eq "the trials of the resumed tuning" "$(grep -c '^Training run [12]/2 (flags = lr=0\.[12], units=32)$' lc.err)" 2
check_eq "now every combination has a completed run" \
	"$(tf --runs-dir r2 ls --filter 'status == "completed"' --columns flag_lr,flag_units,eval_acc --format csv | tail -n +2 | cut -d, -f2- | sort)" \
	"$(expect '0.1 0.2' '16 32 64')"
check_eq "the summary lists the earlier runs too" "$(grep -c '^r2/' lc.out)" 8
check_status "--resume without --tuning-id finds the tuning" 0 $TFREPORT --runs-dir r2 tune --yes --no-artifacts \
	--resume --flag lr=0.1,0.2 --flag units=16,32,64 -- sh train.sh
check_eq "and has nothing left to run" "$(grep -e '^Resuming' -e '^Nothing' lc.err)" \
	"Resuming tuning t2: 6 of 6 combinations already completed
Nothing to run: every combination has a completed run"
check_eq "no new run" "$(count_runs r2)" 8

check_status "--objective min:COL" 0 $TFREPORT --runs-dir r2 tune --yes --resume --tuning-id t2 \
	--objective min:eval_acc --flag lr=0.1,0.2 --flag units=16,32,64 -- sh train.sh
check_eq "orders the summary lowest first" "$(grep '^r2/' lc.out | head -n 1 | tr -s ' ' | cut -d' ' -f2-)" \
	"0.1 16 completed 0.116"
check_eq "runs without the objective last" "$(grep '^r2/' lc.out | tail -n 2 | tr -s ' ' | cut -d' ' -f4)" "failed
failed"

# --- SIGTERM to tune: no new trial, the running one is closed ---
env ACTIVE="$PWD/act9" $TFREPORT --runs-dir r9 tune --yes --no-artifacts --flag lr=0.1,0.2,0.3 --flag units=1 \
	-- sh train.sh >sig.out 2>sig.err &
pid=$!
i=0
while [ ! -e act9.counts ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid
wait $pid
check_eq "SIGTERM: exit 3" "$?" 3
check_eq "the other trials are not started" "$(grep 'not run' sig.err)" "2 of 3 trials not run (interrupted)"
check_eq "the running trial's run is closed" "$(ls r9/*/tfruns.d/properties/end | wc -l | tr -d ' ')" 1

# --- --emit, run by GNU parallel ---
check_status "--emit writes the commands" 0 $TFREPORT --runs-dir r3 tune --tuning-id par --no-artifacts \
	--flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 --emit trials.txt -- sh train.sh
check_eq "one command per combination" "$(wc -l <trials.txt | tr -d ' ')" 12
check_eq "--emit runs nothing" "$(count_runs r3)" 0
check_status "parallel -j 2 < trials.txt" 0 parallel -j 2 <trials.txt
check_eq "parallel recorded every run, no collision" "$(count_runs r3)" 12
check_eq "with the right values and tuning_id" "$(recorded r3 par)" "$(expect '0.1 0.2 0.3' '16 32 64 128')"
check_eq "--emit --resume writes nothing more" \
	"$($TFREPORT --runs-dir r3 tune --tuning-id par --resume --flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 --emit - -- sh train.sh 2>/dev/null | wc -l | tr -d ' ')" 0
check_eq "a command line is shell-quoted" \
	"$($TFREPORT --runs-dir 'my runs' tune --tuning-id q --flag "opt=it's" --emit - -- sh -c 'echo "$1"' x 2>/dev/null | sed 's/^[^ ]* //')" \
	"--runs-dir 'my runs' run --flag 'opt=it'\\''s' --property tuning_id=q -- sh -c 'echo \"\$1\"' x"

# the Slurm array job of the man page, its tasks run here one by one
printf '#!/bin/sh\n#SBATCH --array=1-3\nsed -n "${SLURM_ARRAY_TASK_ID}p" slurm.txt | sh\n' >slurm.sh
tf --runs-dir r12 tune --tuning-id slurm --no-artifacts --flag lr=0.1,0.2,0.3 --flag units=8 --emit slurm.txt -- sh train.sh 2>/dev/null
for task in 3 1 2; do SLURM_ARRAY_TASK_ID=$task sh slurm.sh >/dev/null 2>&1; done
check_eq "the man page's Slurm array job runs one trial per task" "$(recorded r12 slurm)" "$(expect '0.1 0.2 0.3' 8)"

# --- samples ---
tf --runs-dir r4 tune --sample 0.5 --seed 1 --tuning-id s --dry-run --flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 -- sh train.sh >plan1 2>plan1.err
tf --runs-dir r4 tune --sample 0.5 --seed 1 --tuning-id s --dry-run --flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 -- sh train.sh >plan2 2>/dev/null
tf --runs-dir r4 tune --sample 0.5 --seed 2 --tuning-id s --dry-run --flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 -- sh train.sh >plan3 2>/dev/null
check_eq "--sample 0.5 of 12: 6 trials" "$(tail -n +3 plan1 | wc -l | tr -d ' ')" 6
check_eq "tfruns's sample message" "$(tail -n 1 plan1.err)" "(sampled to 6 combinations)"
check "the same seed, the same trials in the same order" cmp -s plan1 plan2
check "another seed, another draw" test "$(cat plan1)" != "$(cat plan3)"
check_status "a sampled tuning" 0 $TFREPORT --runs-dir r4 tune --yes --no-artifacts --sample 0.5 --seed 1 --tuning-id s1 \
	--flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 -- sh train.sh
check_status "the same sample again" 0 $TFREPORT --runs-dir r4 tune --yes --no-artifacts --sample 0.5 --seed 1 --tuning-id s2 \
	--flag lr=0.1,0.2,0.3 --flag units=16,32,64,128 -- sh train.sh
check_eq "both ran the same 6 combinations" "$(recorded r4 s1 | wc -l | tr -d ' ') $(recorded r4 s2)" "6 $(recorded r4 s1)"
check_eq "the ones the plan showed" "$(recorded r4 s1 | cut -d, -f1,2)" "$(tail -n +3 plan1 | awk '{ print $2 "," $3 }' | sort)"

# --- grid files ---
printf 'lr,units\n0.1,16\n"0.2",32\n\n0.3,64\n' >grid.csv
check_status "--grid FILE.csv" 0 $TFREPORT --runs-dir r5 tune --yes --no-artifacts --tuning-id g --grid grid.csv -- sh train.sh
check_eq "its rows, as they are" "$(recorded r5 g)" "0.1,16,0.116
0.2,32,0.232
0.3,64,0.364"
printf '[{"lr": 0.5},\n {"lr": 0.25}]\n' >grid.json
check_status "--grid FILE.json with --flag" 0 $TFREPORT --runs-dir r6 tune --yes --no-artifacts --tuning-id j --grid grid.json \
	--flag units=100,200 -- sh train.sh
check_eq "rows times the --flag list" "$(grep -c '^Training run' lc.err)" 4
printf '[{"lr": 0.1, "opt": "yes"}, {"lr": 0.2, "opt": "on"}]\n' >strings.json
check_status "JSON strings that YAML would read as booleans" 0 $TFREPORT --runs-dir r10 tune --yes --no-artifacts \
	--tuning-id str --grid strings.json --flag units=1 -- sh train.sh
check_eq "stay strings in flags.json (--flag opt='yes' is a quoted YAML scalar)" "$(cat r10/*/tfruns.d/flags.json | grep '"opt"' | tr -d ' ,' | sort)" '"opt":"on"
"opt":"yes"'
check_status "and --resume recognises them" 0 $TFREPORT --runs-dir r10 tune --yes --no-artifacts \
	--tuning-id str --resume --grid strings.json --flag units=1 -- sh train.sh
check_eq "as completed" "$(grep '^Resuming' lc.err)" "Resuming tuning str: 2 of 2 combinations already completed"
printf 'lr: 0.05\nunits: 2\n' >defaults.yml
printf 'lr,units\n0.1,\n,4\n' >partial.csv
check_status "rows leaving a flag unset, --flags-file passed on" 0 $TFREPORT --runs-dir r11 tune --yes --no-artifacts \
	--tuning-id part --flags-file defaults.yml --grid partial.csv -- sh train.sh
check_eq "the unset flags come from the flags file" "$(recorded r11 part)" "0.05,4,0.054
0.1,2,0.102"
check_status "--resume of such rows" 0 $TFREPORT --runs-dir r11 tune --yes --no-artifacts \
	--tuning-id part --resume --flags-file defaults.yml --grid partial.csv -- sh train.sh
check_eq "finds them completed" "$(grep '^Resuming' lc.err)" "Resuming tuning part: 2 of 2 combinations already completed"
printf -- '- {lr: 0.1, units: 1}\n- lr: [0.2]\n' >bad.yml
check_status "a bad grid file is a usage error" 2 $TFREPORT --runs-dir r7 tune --yes --grid bad.yml -- sh train.sh
check_eq "naming the file and line" "$(cat lc.err)" "tfreport: bad.yml:2: flag 'lr': a list or a mapping is not a flag value"

# --- usage errors, the prompt ---
check_status "--sample above 1" 2 $TFREPORT tune --sample 1.1 --flag a=1,2 -- sh train.sh
check_eq "with tfruns's message" "$(tail -n 1 lc.err)" "tfreport: --sample: sample must be a floating point value less or equal to 1"
check_status "--sample 0" 2 $TFREPORT tune --sample 0 --flag a=1,2 -- sh train.sh
check_eq "with tfruns's message" "$(tail -n 1 lc.err)" "tfreport: --sample: sample must be a floating point value greater than 0"
check_status "--jobs 0" 2 $TFREPORT tune --jobs 0 --flag a=1,2 -- sh train.sh
check_status "no flags" 2 $TFREPORT tune -- sh train.sh
check_status "no command" 2 $TFREPORT tune --flag a=1,2
check_status "--property tuning_id is refused" 2 $TFREPORT tune --flag a=1 --property tuning_id=x -- sh train.sh
check_eq "nothing ran" "$(count_runs runs)" 0
if command -v script >/dev/null 2>&1; then
	printf 'n\n' | script -qec "$TFREPORT --runs-dir r8 tune --flag lr=0.1 --flag units=1 -- sh train.sh" /dev/null >prompt.out 2>&1
	check "on a terminal it asks first" grep -q 'Proceed with tuning run? \[Y/n\]: ' prompt.out
	check_eq "and 'n' runs nothing" "$(count_runs r8)" 0
	printf '\n' | script -qec "$TFREPORT --runs-dir r8 tune --no-artifacts --flag lr=0.1 --flag units=1 -- sh train.sh" /dev/null >prompt.out 2>&1
	check_eq "an empty answer goes on" "$(count_runs r8)" 1
fi
