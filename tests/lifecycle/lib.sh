# lib.sh: helpers for the lifecycle tests (sourced). Each check prints "ok - NAME" or
# "not ok - NAME" with the details after "# ".
# tf ARGS...            runs $TFREPORT (unquoted: it may carry a valgrind prefix)
# check NAME CMD...     passes when CMD exits 0
# check_eq NAME GOT WANT
# check_status NAME WANT CMD...   runs CMD, passes when its exit status is WANT
# check_file NAME PATH  passes when PATH exists
lc_n=0
tf() { $TFREPORT "$@"; }
lc_ok() { lc_n=$((lc_n + 1)); echo "ok $lc_n - $1"; }
lc_fail() { lc_n=$((lc_n + 1)); echo "not ok $lc_n - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }
check() { n=$1; shift; if "$@"; then lc_ok "$n"; else lc_fail "$n" "command failed: $*"; fi; }
check_eq() {
	if [ "$2" = "$3" ]; then lc_ok "$1"; else lc_fail "$1" "got:  $2" "want: $3"; fi
}
check_status() {
	n=$1 want=$2; shift 2
	"$@" >lc.out 2>lc.err; got=$?
	if [ "$got" = "$want" ]; then lc_ok "$n"; else
		lc_fail "$n" "status $got, want $want: $*" "$(cat lc.out lc.err | tail -n 10)"; fi
}
check_file() { if [ -e "$2" ] || [ -L "$2" ]; then lc_ok "$1"; else lc_fail "$1" "missing: $2"; fi; }
lc_summary() { echo "# done"; }
