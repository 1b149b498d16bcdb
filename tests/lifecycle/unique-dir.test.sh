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

# Runs made in one second get decimals; "latest" is still the one made last (tfruns compares
# the names as bytes, where "00.5Z" < "00Z"): the decimals are read as a time.
rm -rf runs
for n in 2026-01-01T00-00-00Z 2026-01-01T00-00-00.05Z 2026-01-01T00-00-00.5Z 2026-01-01T00-00-00.120Z \
	2026-01-01T00-00-01Z my-experiment; do mkdir -p "runs/$n/tfruns.d"; done
check_eq "latest: a later second wins over decimals" "$(tf latest)" "runs/my-experiment"
rm -r runs/my-experiment runs/2026-01-01T00-00-01Z
check_eq "latest: the most decimals of one second" "$(tf latest)" "runs/2026-01-01T00-00-00.5Z"
check_eq "--latest 4 in time order, newest first" "$(tf ls --latest 4 --order run_dir --format tsv --columns run_dir | tail -n +2 | tr '\n' ' ')" \
	"runs/2026-01-01T00-00-00Z runs/2026-01-01T00-00-00.5Z runs/2026-01-01T00-00-00.120Z runs/2026-01-01T00-00-00.05Z "
d1=$(tf unique-dir); d2=$(tf unique-dir)
mkdir -p "$d1/tfruns.d" "$d2/tfruns.d"
check_eq "two unique-dirs in a row: latest is the second" "$(tf latest)" "$d2"
