#!/bin/sh
# show.sh: prints its arguments, one a line, and the tfruns environment.
for a in "$@"; do printf 'arg:%s\n' "$a"; done
printf 'TFRUNS_FLAGS=%s\n' "${TFRUNS_FLAGS-unset}"
printf 'TFRUNS_CONFIG=%s\n' "${TFRUNS_CONFIG-unset}"
printf 'TFRUNS_RUN_DIR=%s\n' "${TFRUNS_RUN_DIR-unset}"
