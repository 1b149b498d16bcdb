# examples.test.sh: the example training scripts of examples/ (POSIX shell and Python) under
# `tfreport run` and `tfreport tune`, as `make demo` uses them.
ex="$LIFECYCLE_ROOT/examples"
export TFREPORT # the scripts call it for flags and write

check_status "train.sh under run" 0 tf run --no-artifacts -- sh "$ex/train.sh" --epochs=4 --dropout=0.3
run=$(tf latest)
check_eq "its four epochs are metrics" "$(tf info "$run" --format json | tr -d ' \n' | grep -o '"epochs_completed":[0-9]*\|"steps_completed":[0-9]*')" '"steps_completed":4'
check_eq "its flags, typed, from the script's arguments" "$(tr -d ' \n' <"$run/tfruns.d/flags.json")" \
	'{"learning_rate":0.01,"epochs":4,"dropout":0.3}'
check "its evaluation" grep -q '"acc"' "$run/tfruns.d/evaluation.json"
check "its console output" grep -q '^Epoch 4/4' "$run/tfruns.d/properties/output"

if command -v python3 >/dev/null 2>&1; then
	check_status "train.py under run, a flag from --flag" 0 tf run --no-artifacts --flag optimizer=sgd -- python3 "$ex/train.py" --epochs=3
	run=$(tf latest)
	check_eq "its flags" "$(tr -d ' \n' <"$run/tfruns.d/flags.json")" \
		'{"learning_rate":0.01,"epochs":3,"dropout":0.3,"optimizer":"sgd"}'
	check_eq "three rows of metrics" "$(wc -l <"$run/tfruns.d/metrics.jsonl" | tr -d ' ')" 3
	check_status "train.py --help prints tfruns's options list" 0 python3 "$ex/train.py" --help
	check "listing --learning-rate" grep -q '^  --learning-rate  *Initial learning rate (0.01)$' lc.out
else
	lc_fail "python3 is needed for examples/train.py"
fi

check_status "outside a run the scripts only print" 0 sh "$ex/train.sh" --epochs=2
check "(nothing written: no runs dir)" test ! -e runs/archive

check_status "a 2x2 tune of train.sh" 0 tf tune --yes --no-artifacts --jobs 2 --flag learning_rate=0.005,0.02 \
	--flag dropout=0.1,0.4 --objective eval_acc -- sh "$ex/train.sh" --epochs=3
check_eq "six runs in all" "$(tf ls --format tsv --columns run_dir | tail -n +2 | wc -l | tr -d ' ')" 6
check_eq "the best trial first in tune's summary" "$(grep -c 'completed' lc.out)" 4
best=$(tf ls --order eval_acc --format tsv --columns flag_learning_rate,flag_dropout | sed -n 2p | cut -f2,3)
check_eq "the best run: the higher rate, the lower dropout" "$best" "$(printf '0.02\t0.1')"
check_status "the site of these runs" 0 tf site -o site
check_eq "six run pages" "$(ls site/runs | wc -l | tr -d ' ')" 6
