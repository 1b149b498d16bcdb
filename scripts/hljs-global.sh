#!/bin/sh
# hljs-global.sh: build one classic script from @highlightjs/cdn-assets: the ES-module core
# turned into a global `hljs`, then the classic-script builds of the chosen languages.
#
#   scripts/hljs-global.sh PKGDIR OUT LANG...
#   e.g. scripts/hljs-global.sh node_modules/@highlightjs/cdn-assets build/gen/hljs.js r python
#
# The core (PKGDIR/es/core.min.js) must end in exactly one export statement, either
# `export{NAME as default};` or `export default NAME;`. It is rewritten to `return NAME;` and
# the whole module is wrapped as `var hljs=function(){"use strict";...}();`, which is how the
# package's own classic build exposes hljs (window.hljs in a page; module scope stays private,
# strict as in a module). Each PKGDIR/languages/LANG.min.js then calls hljs.registerLanguage.
# Anything else (no export, two exports, import statements) fails with a message naming the
# file. When node is available the result is loaded in a vm context and checked
# (scripts/hljs-check.js). Output is written to OUT.tmp and renamed: deterministic, whole.
set -eu

die() { echo "hljs-global.sh: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: hljs-global.sh PKGDIR OUT LANG..."
pkg=$1 out=$2
shift 2
core=$pkg/es/core.min.js
[ -f "$core" ] || die "$core: not found (run make deps)"

# Count `export` / `import` keywords that start a statement (at line start or after ; } ) ).
# The minified core has them nowhere else; a new release that does gets refused here.
count_kw() { # keyword file
	awk -v kw="$1" '
	{ s = $0
	  while ((i = match(s, "(^|[;})])[ \t]*" kw "([ \t{*]|$)")) > 0) { n++; s = substr(s, i + RLENGTH) } }
	END { print n + 0 }' "$2"
}
nexp=$(count_kw export "$core")
nimp=$(count_kw import "$core")
[ "$nimp" -eq 0 ] || die "$core: has $nimp import statement(s); expected a self-contained module"
[ "$nexp" -eq 1 ] || die "$core: has $nexp export statements; expected exactly one (export{X as default} or export default X)"

tmp=$out.tmp
trap 'rm -f "$tmp"' EXIT INT TERM
rm -f "$tmp"

# Rewrite the one export statement; the awk writes how many it rewrote to $rewritten.
rewritten=$out.tmp.n
printf 'var hljs=function(){"use strict";\n' >"$tmp"
awk -v nfile="$rewritten" '
{ line = $0
  # export{NAME as default};   (spaces allowed anywhere)
  if (match(line, /export[ \t]*\{[ \t]*[A-Za-z_$][A-Za-z0-9_$]*[ \t]+as[ \t]+default[ \t]*\}[ \t]*;?/)) {
	stmt = substr(line, RSTART, RLENGTH)
	name = stmt
	sub(/^export[ \t]*\{[ \t]*/, "", name); sub(/[ \t]+as[ \t]+default.*$/, "", name)
	line = substr(line, 1, RSTART - 1) "return " name ";" substr(line, RSTART + RLENGTH)
	n++
  } else if (match(line, /export[ \t]+default[ \t]+[A-Za-z_$][A-Za-z0-9_$]*[ \t]*;?/)) {
	stmt = substr(line, RSTART, RLENGTH)
	name = stmt
	sub(/^export[ \t]+default[ \t]+/, "", name); sub(/[ \t;]*$/, "", name)
	line = substr(line, 1, RSTART - 1) "return " name ";" substr(line, RSTART + RLENGTH)
	n++
  }
  print line
}
END { print n + 0 > nfile }' "$core" >>"$tmp"
n=$(cat "$rewritten")
rm -f "$rewritten"
[ "$n" -eq 1 ] || die "$core: rewrote $n export statements; expected exactly one (export{X as default} or export default X)"
# The rewritten text must carry no export left over.
left=$(count_kw export "$tmp")
[ "$left" -eq 0 ] || die "$core: an export statement is left after the rewrite"
printf '}();\n' >>"$tmp"

for lang in "$@"; do
	f=$pkg/languages/$lang.min.js
	[ -f "$f" ] || die "$f: not found (no such highlight.js language: $lang)"
	grep -q "hljs.registerLanguage(\"$lang\"" "$f" || die "$f: does not call hljs.registerLanguage(\"$lang\",...)"
	cat "$f" >>"$tmp"
	# Files may lack a final newline; keep each on its own lines.
	[ -z "$(tail -c 1 "$f")" ] || printf '\n' >>"$tmp"
done

if command -v node >/dev/null 2>&1; then
	node "$(dirname "$0")/hljs-check.js" "$tmp" "$@" || die "$out: the built script does not work (see above)"
else
	echo "hljs-global.sh: node not found; $out not checked" >&2
fi
mv "$tmp" "$out"
trap - EXIT INT TERM
