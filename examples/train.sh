#!/bin/sh
# train.sh: a toy training script in POSIX shell, for `tfreport run` and `tfreport tune`.
# It reads typed flags with `tfreport flags` (defaults < flags.yml < --name=value arguments),
# then records a metrics row per epoch and an evaluation with `tfreport write`. The "model"
# is a formula, so the runs are quick and differ with their flags.
#   tfreport run examples/train.sh --epochs=8
set -eu
tf=${TFREPORT:-tfreport}
eval "$("$tf" flags --format sh \
	--numeric learning_rate=0.01:'Initial learning rate' \
	--integer epochs=10:'Number of epochs' \
	--numeric dropout=0.2:'Dropout rate' \
	-- "$@")"

# Outside a run there is nowhere to record: print only (as tfruns drops the writes).
record() { [ -z "${TFRUNS_RUN_DIR:-}" ] || "$tf" write "$@"; }

epoch=1
while [ "$epoch" -le "$epochs" ]; do
	set -- $(awk -v e="$epoch" -v lr="$learning_rate" -v d="$dropout" 'BEGIN {
		loss = 2.0 * exp(-e * lr * 25) + d / 8 + 0.05
		printf "%.4f %.4f %.4f %.4f", loss, 1 - loss / 2.4, loss * 1.06 + 0.01, 1 - loss / 2.3 - 0.01 }')
	echo "Epoch $epoch/$epochs - loss: $1 - acc: $2 - val_loss: $3 - val_acc: $4"
	record metrics --step "$epoch" loss="$1" acc="$2" val_loss="$3" val_acc="$4"
	epoch=$((epoch + 1))
done
echo "Test loss: $3"
echo "Test accuracy: $4"
record evaluation loss="$3" acc="$4"
