#!/bin/sh
# licenses.sh: concatenate the licence texts of the embedded npm packages into one file.
#
#   scripts/licenses.sh NODE_MODULES OUT PKG[:NOTE]...
#   e.g. scripts/licenses.sh node_modules build/gen/LICENSES uplot diff:"bundled in diff2html"
#
# Each package's section starts with a header line naming it, its version and licence
# (from its package.json), then its LICENSE file verbatim (LICENSE, LICENSE.md, LICENSE.txt,
# LICENCE or COPYING, the first found). A package without one fails the build.
# Written to OUT.tmp and renamed; deterministic.
set -eu

die() { echo "licenses.sh: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: licenses.sh NODE_MODULES OUT PKG[:NOTE]..."
nm=$1 out=$2
shift 2
command -v node >/dev/null 2>&1 || die "node not found (run make deps)"

tmp=$out.tmp
trap 'rm -f "$tmp"' EXIT INT TERM
{
	echo "Third-party software embedded in tfreport, and its licences."
	echo "The generated HTML pages contain parts of these packages."
} >"$tmp"
for arg in "$@"; do
	pkg=${arg%%:*}
	note=""
	[ "$pkg" = "$arg" ] || note="; ${arg#*:}"
	dir=$nm/$pkg
	[ -f "$dir/package.json" ] || die "$dir/package.json: not found (run make deps)"
	meta=$(node -e '
		const p = require(process.argv[1]);
		const l = typeof p.license === "string" ? p.license : (p.license && p.license.type) || "see below";
		process.stdout.write(p.version + " (licence: " + l);' "$(cd "$dir" && pwd)/package.json") ||
		die "$dir/package.json: cannot read version"
	lic=""
	for f in LICENSE LICENSE.md LICENSE.txt LICENCE LICENCE.md COPYING; do
		[ -f "$dir/$f" ] && { lic=$dir/$f; break; }
	done
	[ -n "$lic" ] || die "$dir: no LICENSE file"
	{
		printf '\n========================================================================\n'
		printf '%s %s%s)\n' "$pkg" "$meta" "$note"
		printf '========================================================================\n\n'
		cat "$lic"
		[ -z "$(tail -c 1 "$lic")" ] || printf '\n'
	} >>"$tmp"
done
mv "$tmp" "$out"
trap - EXIT INT TERM
