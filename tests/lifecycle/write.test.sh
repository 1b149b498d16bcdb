# write.test.sh: `tfreport write` from real processes: metrics appended line by line (also by
# 50 writers at once), evaluation merged, properties, error.json, and the errors.

run=$(tf unique-dir)
export TFRUNS_RUN_DIR="$run"

# --- metrics: 20 epochs, read back by ls and info ------------------------------------------
i=1
while [ $i -le 20 ]; do
	tf write metrics --step $i loss=0.$((100 - i)) acc=0.$((50 + i)) || echo "write $i failed"
	i=$((i + 1))
done
check_eq "20 write metrics calls give 20 lines" "$(wc -l <"$run/tfruns.d/metrics.jsonl" | tr -d ' ')" 20
check_eq "a line is one JSON object, --step recorded as epoch" \
	"$(sed -n 3p "$run/tfruns.d/metrics.jsonl")" '{"epoch": 3, "loss": 0.97, "acc": 0.53}'
check_eq "ls shows the last value and 20 epochs completed" \
	"$(tf ls --format csv --columns metric_loss,metric_acc,steps_completed 2>&1)" \
	"$(printf 'run_dir,metric_loss,metric_acc,steps_completed\n%s,0.8,0.7,20' "$run")"
tf info --format json >info.json 2>info.err
check "info --format json holds the whole history" \
	grep -q '"epoch": \[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20\]' info.json
check_eq "reading the written run gives no warning" "$(cat info.err)" ""

tf write metrics loss=nan acc=-Inf >/dev/null
check_eq "nan and inf are recorded as null (JSON has neither)" \
	"$(tail -n 1 "$run/tfruns.d/metrics.jsonl")" '{"loss": null, "acc": null}'
tf write metrics "val loss=1e-5" p=0.1234567890123456789 big=12345678901234567 >/dev/null
check_eq "numbers keep full precision; any key without '/' is accepted" \
	"$(tail -n 1 "$run/tfruns.d/metrics.jsonl")" '{"val loss": 1e-05, "p": 0.12345678901234568, "big": 12345678901234568}'

# --- 50 concurrent writers of 10 KB lines (more than a page): 50 whole lines --------------
run2=$(tf --runs-dir side unique-dir --seconds-scale 6)
keys=""
k=0
while [ $k -lt 400 ]; do keys="$keys metric_number_$k=1000$k"; k=$((k + 1)); done
i=0
while [ $i -lt 50 ]; do
	# shellcheck disable=SC2086
	tf write --run "$run2" metrics --step $i writer=$i $keys &
	i=$((i + 1))
done
wait
f="$run2/tfruns.d/metrics.jsonl"
check_eq "50 concurrent writers: 50 lines" "$(wc -l <"$f" | tr -d ' ')" 50
check_eq "each line is whole: it starts with its epoch and ends with the last key" \
	"$(grep -c '^{"epoch": [0-9]*, "writer": [0-9]*, .*"metric_number_399": 1000399}$' "$f")" 50
check_eq "50 distinct writers" "$(grep -o '"writer": [0-9]*' "$f" | sort -u | wc -l | tr -d ' ')" 50
tf --runs-dir "$(dirname "$run2")" info "$(basename "$run2")" --format json >/dev/null 2>c.err
check_eq "the file reads back without a warning" "$(cat c.err)" ""

# --- a line cut short by a writer that died -------------------------------------------------
run3=$(tf --runs-dir side unique-dir --seconds-scale 9)
mkdir -p "$run3/tfruns.d"
printf '{"loss": 0.5}\n{"loss": 0.' >"$run3/tfruns.d/metrics.jsonl"
tf write --run "$run3" metrics loss=0.25
check_eq "after a cut line, the new row still starts on its own line" \
	"$(tail -n 1 "$run3/tfruns.d/metrics.jsonl")" '{"loss": 0.25}'

# --- evaluation: merged by default, --replace as tfruns -------------------------------------
tf write evaluation loss=0.1 acc=0.9
tf write evaluation acc=0.95 note="a b" done=true missing=NA
check_eq "evaluation: later keys merged, a key given again replaced in place, typed values" \
	"$(cat "$run/tfruns.d/evaluation.json")" "$(printf '{\n  "loss": 0.1,\n  "acc": 0.95,\n  "note": "a b",\n  "done": true,\n  "missing": null\n}')"
check_eq "info shows the evaluation" \
	"$(tf ls --format csv --columns eval_loss,eval_acc,eval_note,eval_done)" \
	"$(printf 'run_dir,eval_loss,eval_acc,eval_note,eval_done\n%s,0.1,0.95,a b,true' "$run")"
tf write evaluation --replace acc=1
check_eq "--replace writes the whole file, as tfruns" \
	"$(cat "$run/tfruns.d/evaluation.json")" "$(printf '{\n  "acc": 1\n}')"
i=0
while [ $i -lt 20 ]; do tf write evaluation "k$i=$i" & i=$((i + 1)); done
wait
check_eq "20 concurrent evaluation merges lose no key" \
	"$(grep -c '"k[0-9]*": ' "$run/tfruns.d/evaluation.json")" 20
printf '{"acc": ' >"$run/tfruns.d/evaluation.json"
check_status "a broken evaluation.json is not merged into (status 1)" 1 tf write evaluation x=1
check_eq "... and is left as it was" "$(cat "$run/tfruns.d/evaluation.json")" '{"acc": '
check "... the error names the file and place" grep -q 'evaluation.json:1:[0-9]*: invalid JSON; not changed' lc.err
tf write evaluation --replace acc=0.5

# --- properties: one file per key, as tfruns -------------------------------------------------
tf write properties foo=bar index=42 "multi=line one
line two"
check_eq "a property is its file with the value and a newline" "$(od -An -c "$run/tfruns.d/properties/foo" | tr -s ' ')" " b a r \n"
check_eq "info shows the properties (user properties stay text)" \
	"$(tf ls --format csv --columns foo,index)" "$(printf 'run_dir,foo,index\n%s,bar,42' "$run")"
tf write properties foo=baz
check_eq "writing a property again replaces it" "$(cat "$run/tfruns.d/properties/foo")" baz
check_eq "no temporary file is left beside the properties" "$(ls -A "$run/tfruns.d/properties" | tr '\n' ' ')" "foo index multi "

# --- error.json --------------------------------------------------------------------------------
printf 'File "train.py", line 3\nValueError: bad\r\n' | tf write error --traceback - Training failed: "loss is NaN"
check_eq "error.json: the message (arguments joined) and the traceback lines" \
	"$(cat "$run/tfruns.d/error.json")" "$(printf '{\n  "message": "Training failed: loss is NaN",\n  "traceback": ["File \\"train.py\\", line 3", "ValueError: bad"]\n}')"
check_eq "info shows the error and the run as failed" \
	"$(tf ls --format csv --columns status,error_message)" "$(printf 'run_dir,status,error_message\n%s,failed,Training failed: loss is NaN' "$run")"

# --- --run: a name under the runs dir -------------------------------------------------------
mkdir -p runs/named
tf write --run named properties who=me
check_eq "--run NAME resolves under the runs dir and creates tfruns.d" "$(cat runs/named/tfruns.d/properties/who)" me

# --- errors ---------------------------------------------------------------------------------
unset TFRUNS_RUN_DIR
check_status "no --run and no TFRUNS_RUN_DIR: status 2" 2 tf write metrics loss=1
check "... with a clear message" grep -q 'no run to write into: give --run RUN or set TFRUNS_RUN_DIR' lc.err
check_status "an unknown --run: status 2" 2 tf write --run nosuch metrics loss=1
TFRUNS_RUN_DIR=runs/nosuch check_status "TFRUNS_RUN_DIR not a directory: status 2" 2 tf write metrics loss=1
check_status "a metric that is not a number: status 2" 2 tf write --run named metrics loss=abc
check "... naming the argument" grep -q '^tfreport: loss=abc: a metric value must be a number' lc.err
check_status "a key with '/': status 2" 2 tf write --run named properties a/b=1
check_status "an empty key: status 2" 2 tf write --run named evaluation =1
check_status "a hidden property name: status 2" 2 tf write --run named properties .x=1
check_status "no '=': status 2" 2 tf write --run named metrics loss
check_status "a key twice: status 2" 2 tf write --run named metrics a=1 a=2
check_status "--step not a number: status 2" 2 tf write --run named metrics --step x a=1
check_status "epoch given twice: status 2" 2 tf write --run named metrics --step 1 epoch=2
check_status "--step for evaluation: status 2" 2 tf write --run named evaluation --step 1 a=1
check_status "an unknown kind: status 2" 2 tf write --run named flags a=1
check_status "error without a message: status 2" 2 tf write --run named error
check_eq "nothing was written by the failed calls" "$(ls runs/named/tfruns.d | tr '\n' ' ')" "properties "

# --- never through a symbolic link out of the run -------------------------------------------
mkdir -p outside/meta runs/linked
echo sentinel >outside/meta/metrics.jsonl
ln -s ../../outside/meta runs/linked/tfruns.d
check_status "tfruns.d a link out of the run: refused (status 1)" 1 tf write --run linked metrics loss=1
mkdir -p runs/linked2/tfruns.d
ln -s ../../../outside/meta/metrics.jsonl runs/linked2/tfruns.d/metrics.jsonl
check_status "metrics.jsonl a link out of the run: refused (status 1)" 1 tf write --run linked2 metrics loss=1
check_eq "the file outside is unchanged" "$(cat outside/meta/metrics.jsonl)" sentinel
check_eq "nothing else appeared outside" "$(ls outside/meta)" metrics.jsonl
