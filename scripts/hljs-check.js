// hljs-check.js: check a built hljs.js (scripts/hljs-global.sh) as a browser would run it.
//   node scripts/hljs-check.js FILE LANG...
// Runs FILE as a classic script in a fresh vm context whose global is its own window/self,
// then checks: it defines exactly one global, hljs (also window.hljs); listLanguages() has
// every LANG; highlighting R yields spans; each LANG highlights a line without throwing.
'use strict';
const fs = require('fs');
const vm = require('vm');

const [file, ...langs] = process.argv.slice(2);
if (!file || langs.length === 0) {
	console.error('usage: node hljs-check.js FILE LANG...');
	process.exit(2);
}
const fail = (msg) => { console.error(`hljs-check.js: ${file}: ${msg}`); process.exit(1); };

const sandbox = { console };
sandbox.window = sandbox;
sandbox.self = sandbox;
const ctx = vm.createContext(sandbox);
const before = new Set(Object.keys(sandbox));
try {
	new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file }).runInContext(ctx);
} catch (e) {
	fail(`throws when run as a classic script: ${e && e.stack || e}`);
}
const added = Object.keys(sandbox).filter((k) => !before.has(k)).sort();
if (added.join(',') !== 'hljs') fail(`defines globals [${added}], expected exactly [hljs]`);
const hljs = sandbox.window.hljs;
if (!hljs || typeof hljs.highlight !== 'function') fail('window.hljs is not highlight.js');

const have = hljs.listLanguages();
const missing = langs.filter((l) => !have.includes(l));
if (missing.length) fail(`languages missing: ${missing} (have: ${have})`);

const r = hljs.highlight('x <- 1', { language: 'r' }).value;
if (!/<span class="hljs-/.test(r)) fail(`highlighting R gave no span: ${r}`);
for (const l of langs) hljs.highlight('x = "a" # 1', { language: l, ignoreIllegals: true });

console.log(`hljs-check.js: ok: highlight.js ${hljs.versionString}, languages ${have.sort().join(' ')}`);
