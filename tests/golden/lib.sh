# lib.sh: helpers for golden-test setup scripts (`. "$GOLDEN_LIB"`).

# mkrun DIR [START]: a small complete run in the tfruns layout.
mkrun() {
	mkdir -p "$1/tfruns.d/properties"
	p="$1/tfruns.d/properties"
	printf 'training\n' >"$p/type"
	printf 'local\n' >"$p/context"
	printf 'train.py\n' >"$p/script"
	printf '%s\n' "${2:-1795830600.5}" >"$p/start"
	printf '%s\n' "$(awk -v s="${2:-1795830600.5}" 'BEGIN { printf "%.1f", s + 61 }')" >"$p/end"
	printf 'TRUE\n' >"$p/completed"
	printf '3\n' >"$p/epochs"
	printf '{\n  "lr": 0.01,\n  "units": 64\n}\n' >"$1/tfruns.d/flags.json"
	printf '{\n  "loss": [0.5, 0.3, 0.2],\n  "val_loss": [0.6, 0.35, 0.4]\n}\n' >"$1/tfruns.d/metrics.json"
	printf '{\n  "loss": 0.21,\n  "acc": 0.93\n}\n' >"$1/tfruns.d/evaluation.json"
}
