#!/bin/sh
# train.sh: a training script for the lifecycle tests. $EPOCHS epochs (default 20), each
# sleeping $EPOCH_SLEEP seconds when set; one metrics row per epoch with `tfreport write
# metrics`, a line of output per epoch, a line on stderr at the end, and two artifacts:
# extra.dat and subdir/extra.dat.
n=${EPOCHS:-20}
i=1
while [ "$i" -le "$n" ]; do
	loss=0.$((100 - i))
	$TFREPORT write metrics --step "$i" loss="$loss"
	echo "epoch $i/$n loss $loss"
	[ -n "${EPOCH_SLEEP:-}" ] && sleep "$EPOCH_SLEEP"
	i=$((i + 1))
done
echo "training done" >&2
echo data >extra.dat
mkdir -p subdir
echo data >subdir/extra.dat
