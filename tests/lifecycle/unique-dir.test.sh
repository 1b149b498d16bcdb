# unique-dir.test.sh: run directory names (tfruns unique_run_dir) and their uniqueness
# when many processes ask at once.

d=$(tf unique-dir)
check "unique-dir creates runs/ and prints the new directory" test -d "$d"
case $d in runs/[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]-[0-5][0-9]-[0-6][0-9]Z) ok=yes ;; *) ok=no ;; esac
check_eq "the name is the UTC time as tfruns writes it" "$ok" yes
d=$(tf --runs-dir other/place unique-dir --seconds-scale 3)
case $d in other/place/*T*-*-[0-9][0-9].[0-9][0-9][0-9]Z) ok=yes ;; *) ok=no ;; esac
check_eq "--seconds-scale 3 adds milliseconds, --runs-dir is honoured" "$ok" yes
check_status "--seconds-scale out of range is a usage error" 2 tf unique-dir --seconds-scale 12

rm -rf runs
i=0
while [ $i -lt 200 ]; do tf unique-dir >"out.$i" & i=$((i + 1)); done
wait
check_eq "200 concurrent unique-dir: 200 directories" "$(ls runs | wc -l | tr -d ' ')" 200
check_eq "200 concurrent unique-dir: 200 distinct printed paths" \
	"$(cat out.* | sort -u | wc -l | tr -d ' ')" 200
missing=0
for f in out.*; do [ -d "$(cat "$f")" ] || missing=$((missing + 1)); done
check_eq "every printed path is a directory" "$missing" 0
