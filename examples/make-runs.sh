#!/bin/sh
# make-runs.sh: writes examples/runs/, a small runs directory in the tfruns layout
# (the same files the R package tfruns and keras write), used by `make demo`.
# Deterministic: the same script gives the same files. Needs only sh, awk, tar and gzip.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runs="$here/runs"
rm -rf "$runs"
mkdir -p "$runs"

# prop RUN NAME VALUE: one property file, value + newline (tfruns's format)
prop() { mkdir -p "$runs/$1/tfruns.d/properties"; printf '%s\n' "$3" >"$runs/$1/tfruns.d/properties/$2"; }

# metrics RUN EPOCHS DONE LR DROPOUT: keras-style metrics.json, padded with null to EPOCHS
metrics() {
	awk -v n="$2" -v done="$3" -v lr="$4" -v d="$5" 'BEGIN {
		split("loss acc val_loss val_acc", k, " ")
		for (i = 1; i <= n; i++) {
			t = i / n
			v["loss", i] = 0.6 * exp(-3 * t * lr * 1000) + 0.05 + d / 10
			v["acc", i] = 1 - v["loss", i] / 2.2
			v["val_loss", i] = v["loss", i] * (1.08 + 0.02 * sin(i))
			v["val_acc", i] = 1 - v["val_loss", i] / 2.1
		}
		printf "{\n"
		for (j = 1; j <= 4; j++) {
			printf "  \"%s\": [", k[j]
			for (i = 1; i <= n; i++)
				printf "%s%s", (i > 1 ? ", " : ""), (i <= done ? sprintf("%.4f", v[k[j], i]) : "null")
			printf "]%s\n", (j < 4 ? "," : "")
		}
		printf "}\n"
	}' >"$runs/$1/tfruns.d/metrics.json"
}

# source RUN DROPOUT: source.tar.gz with source/train.R (members under source/, as tfruns)
source_tgz() {
	tmp=$(mktemp -d)
	mkdir -p "$tmp/source"
	cat >"$tmp/source/train.R" <<R
library(keras)
FLAGS <- flags(
  flag_numeric("dropout", $2),
  flag_numeric("learning_rate", 0.001)
)
model <- keras_model_sequential() %>%
  layer_dense(units = 256, activation = "relu", input_shape = 784) %>%
  layer_dropout(rate = FLAGS\$dropout) %>%
  layer_dense(units = 10, activation = "softmax")
model %>% compile(loss = "categorical_crossentropy",
                  optimizer = optimizer_rmsprop(lr = FLAGS\$learning_rate),
                  metrics = "accuracy")
history <- model %>% fit(x_train, y_train, epochs = 10, batch_size = 128,
                         validation_split = 0.2)
R
	(cd "$tmp" && tar --sort=name --mtime=@1800000000 --owner=0 --group=0 --numeric-owner \
		-cf - source | gzip -n -9) >"$runs/$1/tfruns.d/source.tar.gz"
	rm -rf "$tmp"
}

# run NAME START DURATION DROPOUT LR EPOCHS DONE COMPLETED
run() {
	name=$1
	mkdir -p "$runs/$name/tfruns.d" "$runs/$name/plots"
	prop "$name" type training
	prop "$name" context local
	prop "$name" script train.R
	prop "$name" start "$2"
	[ "$8" = running ] || prop "$name" end "$(awk -v s="$2" -v d="$3" 'BEGIN { printf "%.5f", s + d }')"
	prop "$name" completed "$([ "$8" = TRUE ] && echo TRUE || echo FALSE)"
	prop "$name" samples 48000
	prop "$name" validation_samples 12000
	prop "$name" batch_size 128
	prop "$name" epochs "$6"
	prop "$name" loss_function categorical_crossentropy
	prop "$name" optimizer "<keras.optimizers.RMSprop>"
	prop "$name" learning_rate "$5"
	printf '{\n  "dropout": %s,\n  "learning_rate": %s\n}\n' "$4" "$5" >"$runs/$name/tfruns.d/flags.json"
	metrics "$name" "$6" "$7" "$5" "$4"
	source_tgz "$name" "$4"
	awk -v n="$7" 'BEGIN { print "Train on 48000 samples, validate on 12000 samples";
		for (i = 1; i <= n; i++) printf "Epoch %d/%d\n48000/48000 [==============================] - 2s\n", i, n }' \
		>"$runs/$name/tfruns.d/properties/output"
	if [ "$8" = TRUE ]; then
		awk -v d="$4" 'BEGIN { printf "{\n  \"loss\": %.15g,\n  \"acc\": %.15g\n}\n", 0.07 + d / 10, 0.985 - d / 20 }' \
			>"$runs/$name/tfruns.d/evaluation.json"
	fi
}

run 2026-11-26T09-00-00Z 1795683600.125 41.5 0.4 0.001 10 10 TRUE
run 2026-11-26T09-05-00Z 1795683900.250 43.25 0.3 0.001 10 10 TRUE
run 2026-11-26T09-10-00Z 1795684200.500 44.75 0.2 0.002 10 10 TRUE
run 2026-11-26T09-15-00Z 1795684500.750 12.5 0.2 0.1 10 4 FALSE
cat >"$runs/2026-11-26T09-15-00Z/tfruns.d/error.json" <<'JSON'
{
  "message": "Loss became NaN at epoch 5 (learning rate too high?)",
  "traceback": ["stop(\"Loss became NaN\")", "fit(model, x_train, y_train)", "source(\"train.R\")"]
}
JSON
run 2026-11-26T09-20-00Z 1795684800.000 0 0.3 0.001 20 6 running
printf 'lr 0.002 converges faster; keep dropout 0.2 for the next sweep.\n' \
	>"$runs/2026-11-26T09-10-00Z/tfruns.d/notes.md"
printf 'id,label,predicted\n1,7,7\n2,2,2\n3,1,1\n' >"$runs/2026-11-26T09-10-00Z/predictions.csv"
echo "wrote $(ls "$runs" | wc -l) runs to $runs"
