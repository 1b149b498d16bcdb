#!/usr/bin/env python3
"""train.py: a toy training script in Python (standard library only), for `tfreport run`.

Its flags come from `tfreport flags` as JSON (defaults < flags.yml < $TFRUNS_FLAGS < the
script's own --name=value arguments); each epoch's metrics and the final evaluation are
recorded with `tfreport write` into the run ($TFRUNS_RUN_DIR). The "model" is a formula.
    tfreport run examples/train.py --flag learning_rate=0.02
"""
import json
import math
import os
import subprocess
import sys

TFREPORT = os.environ.get("TFREPORT", "tfreport")


def flags(argv):
    out = subprocess.run(
        [TFREPORT, "flags",
         "--numeric", "learning_rate=0.01:Initial learning rate",
         "--integer", "epochs=12:Number of epochs",
         "--numeric", "dropout=0.3:Dropout rate",
         "--string", "optimizer=adam:Optimizer name",
         "--", *argv],
        check=False, stdout=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(out.returncode)
    if "--help" in argv:  # tfreport printed the options list
        print(out.stdout, end="")
        sys.exit(0)
    return json.loads(out.stdout)


def record(*args):
    """Writes into the active run; outside a run nothing is recorded (as tfruns)."""
    if os.environ.get("TFRUNS_RUN_DIR"):
        subprocess.run([TFREPORT, "write", *args], check=True)


def main():
    f = flags(sys.argv[1:])
    speed = {"adam": 30, "sgd": 18, "rmsprop": 26}.get(f["optimizer"], 20)
    loss = acc = val_loss = val_acc = 0.0
    for epoch in range(1, f["epochs"] + 1):
        loss = 1.8 * math.exp(-epoch * f["learning_rate"] * speed) + f["dropout"] / 9 + 0.04
        acc = 1 - loss / 2.5
        val_loss = loss * 1.05 + 0.012 * math.sin(epoch)
        val_acc = 1 - val_loss / 2.4
        print(f"Epoch {epoch}/{f['epochs']} - loss: {loss:.4f} - acc: {acc:.4f}"
              f" - val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}", flush=True)
        record("metrics", "--step", str(epoch), f"loss={loss:.4f}", f"acc={acc:.4f}",
               f"val_loss={val_loss:.4f}", f"val_acc={val_acc:.4f}")
    print(f"Test loss: {val_loss:.4f}\nTest accuracy: {val_acc:.4f}")
    record("evaluation", f"loss={val_loss:.4f}", f"acc={val_acc:.4f}")


if __name__ == "__main__":
    main()
