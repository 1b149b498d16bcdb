#!/bin/sh
# train.sh: a training script for the lifecycle tests. $EPOCHS epochs (default 20), each
# sleeping $EPOCH_SLEEP seconds when set; one metrics row per epoch (with `tfreport write
# metrics` when it works, else appended to metrics.jsonl directly), a line of output per epoch,
# a line on stderr at the end, and two artifacts: extra.dat and subdir/extra.dat.
n=${EPOCHS:-20}
i=1
while [ "$i" -le "$n" ]; do
	loss=0.$((100 - i))
	if ! $TFREPORT write metrics --step "$i" loss="$loss" >/dev/null 2>&1; then
		printf '{"epoch": %d, "loss": %s}\n' "$i" "$loss" >>"$TFRUNS_RUN_DIR/tfruns.d/metrics.jsonl"
	fi
	echo "epoch $i/$n loss $loss"
	[ -n "${EPOCH_SLEEP:-}" ] && sleep "$EPOCH_SLEEP"
	i=$((i + 1))
done
echo "training done" >&2
echo data >extra.dat
mkdir -p subdir
echo data >subdir/extra.dat
