// index.test.mjs: the index page's script (assets/js/index.js) on a generated page of 10,000 runs
// built here with the DOM the C side renders (templates/index.html): a windowed table that paints
// fast, sorts (numbers, natural strings, booleans, missing last, stable), filters, chooses
// columns, keeps the view in the URL hash, and shows hostile values and links as text only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { launch, open as openPage, HOSTILE, work, TFREPORT, CORPUS } from "./lib.mjs";
import { execFileSync } from "node:child_process";

const N = 10000;
const BAD = "</script><img src=x onerror=alert(1)>";
const HCOL = "flag_" + HOSTILE; // a column whose very name is hostile
const shown = (s) => s.replace(/[\u0000-\u001f\u007f]/g, " "); // how the page shows a string

// ---- the fixture ----

function prng(seed) { // mulberry32
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const COLUMNS = [
	{ name: "run_dir", numeric: false }, { name: "start", numeric: false },
	{ name: "status", numeric: false }, { name: "eval_acc", numeric: true },
	{ name: "eval_loss", numeric: true }, { name: "flag_lr", numeric: true },
	{ name: "flag_activation", numeric: false }, { name: "flag_batch_norm", numeric: false },
	{ name: "model", numeric: false }, { name: "epochs", numeric: true }, { name: HCOL, numeric: false },
];
const C = Object.fromEntries(COLUMNS.map((c, i) => [c.name, i]));
// "status" before "start": the default order is that of `visible`, not of `columns`.
const VISIBLE = ["run_dir", "status", "start", "eval_acc", "eval_loss", "flag_activation", "flag_batch_norm"];
const BAD_LINKS = { 4: "javascript:alert(1)", 6: " JaVa\tScRiPt:alert(2)", 8: "//evil.example/x", 10: "data:text/html,x" };

function generate() {
	const rand = prng(42);
	const names = Array.from({ length: N }, (_, i) => i + 1);
	for (let i = N - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[names[i], names[j]] = [names[j], names[i]];
	}
	const statuses = ["completed", "failed", "running", "interrupted"];
	const acts = ["relu", "tanh", "sigmoid", null];
	const rows = [], links = [];
	for (let i = 0; i < N; i++) {
		const k = names[i];
		const t = new Date(Date.UTC(2026, 10, 28, 1, 50, 12) - k * 61000).toISOString().replace(/\.\d+Z$/, "Z");
		rows.push([
			"run-" + k,
			i % 97 === 5 ? null : t,
			i === 2 ? BAD : i % 53 === 7 ? null : statuses[Math.floor(rand() * 4)],
			i % 7 === 3 ? null : Math.round(rand() * 500) / 1000 + 0.5, // many ties
			i === 1 ? 1.5e-9 : i === 9 ? 1.234567891e12 : i % 13 === 0 ? null : rand() * 3,
			[0.1, 0.01, 0.001, 1e-4, 1e-5, null][Math.floor(rand() * 6)],
			acts[Math.floor(rand() * 4)],
			i % 5 === 0 ? null : rand() < 0.5,
			i === 3 ? BAD : "sequential-" + (k % 17),
			1 + Math.floor(rand() * 50),
			i === 12 ? HOSTILE : i % 3 === 0 ? "x" + (k % 5) : null,
		]);
		links.push(BAD_LINKS[i] ?? (i % 11 === 0 ? null : `runs/run-${k}.html`));
	}
	return { columns: COLUMNS, visible: VISIBLE, rows, links, status: C.status };
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// As C's html_json: the JSON is safe inside <script> (no "</", no "<!--", no line separators).
const scriptJson = (v) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/>/g, "\\u003e")
	.replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");

// The page's data as the C side writes it, in the plain form ("v": the values of a column).
const encode = (d) => ({ columns: d.columns, visible: d.visible, status: d.status, n: d.rows.length,
	cols: d.columns.map((_, c) => ({ v: d.rows.map((row) => row[c]) })), links: { v: d.links } });

// staticClass: the C side may mark the no-JS rows' tbody and hide it when scripts run.
function fixture(data, name, { wrapDiv = true, staticClass = false } = {}) {
	const css = existsSync("assets/css/report.css") ? readFileSync("assets/css/report.css", "utf8") : "";
	const js = readFileSync("assets/js/index.js", "utf8");
	const vis = data.visible.map((n) => data.columns.findIndex((c) => c.name === n));
	const head = vis.map((c) => `<th data-col="${esc(data.columns[c].name)}" scope="col">${esc(data.columns[c].name)}</th>`).join("");
	const body = data.rows.slice(0, 200).map((row, r) => "<tr>" + vis.map((c) => {
		const v = row[c], t = v === null ? "" : String(v);
		const inner = c === C.run_dir && data.links[r] ? `<a href="${esc(data.links[r])}">${esc(t)}</a>`
			: c === data.status && v !== null ? `<span class="badge status-${esc(t)}">${esc(t)}</span>` : esc(t);
		return `<td${typeof v === "number" ? ' class="num"' : ""}>${inner}</td>`;
	}).join("") + "</tr>\n").join("");
	const tbody = staticClass ? '<tbody class="static">' : "<tbody>";
	const table = `<table class="runs" id="runs-table"><thead><tr>${head}</tr></thead>${tbody}\n${body}</tbody></table>`;
	const hide = staticClass ? "#runs-table tbody.static{display:none}</style><noscript><style>" +
		"#runs-table tbody.static{display:table-row-group}</style></noscript>" : "</style>";
	const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Runs</title><style>${css}${hide}</head>
<body>
<main class="index">
<div class="index-tools">
<input type="search" id="filter" placeholder="Filter runs" aria-label="Filter runs">
<details id="column-chooser"><summary>Columns</summary><div class="choices"></div></details>
<span id="row-count">${data.rows.length} runs</span>
</div>
${wrapDiv ? `<div class="table-wrap">${table}</div>` : table}
<p class="more-rows">${Math.max(0, data.rows.length - 200)} more runs are in the page: turn on JavaScript to see, sort and filter them all.</p>
</main>
<script type="application/json" id="index-data">${scriptJson(encode(data))}</script>
<script>${js}</script>
</body></html>
`;
	const dir = join(work, "index");
	mkdirSync(dir, { recursive: true });
	const file = join(dir, name + ".html");
	writeFileSync(file, html);
	return file;
}

// ---- what the page should show ----

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
const rank = (v) => (typeof v === "boolean" ? 0 : typeof v === "number" ? 1 : 2);
const cmp = (a, b) => rank(a) - rank(b) || (typeof a === "string" ? collator.compare(a, b) : a < b ? -1 : a > b ? 1 : 0);
// Row indices in the page's order: missing last both ways, ties in their original order.
function expectOrder(rows, c, dir) {
	const idx = rows.map((_, i) => i);
	const s = dir === "asc" ? 1 : -1;
	return idx.sort((a, b) => {
		const x = rows[a][c], y = rows[b][c];
		if (x === null || y === null) return (x === null) - (y === null) || a - b;
		return s * cmp(x, y) || a - b;
	});
}
function fmt(v) { // C's %.7g
	if (v === null) return "";
	if (typeof v === "boolean") return String(v);
	if (typeof v === "string") return shown(v);
	if (v === 0) return "0";
	const e = v.toExponential(6), x = +e.split("e")[1];
	if (x < -4 || x >= 7) {
		const m = e.split("e")[0].replace(/\.?0+$/, "");
		return `${m}e${x < 0 ? "-" : "+"}${String(Math.abs(x)).padStart(2, "0")}`;
	}
	return String(+v.toPrecision(7));
}

// ---- in the page ----

let browser, data, file;
before(async () => {
	browser = await launch();
	data = generate();
	file = fixture(data, "runs");
});
after(async () => { await browser?.close(); });

// Records, from the page's own clock, when the scripts have run and when the next frame is painted.
const TIMING = () => {
	document.addEventListener("DOMContentLoaded", () => {
		window.__ready = performance.now();
		requestAnimationFrame(() => setTimeout(() => {
			window.__painted = performance.now();
			window.__paintedRows = document.querySelectorAll("#runs-table tbody tr:not(.spacer):not(.sizer)").length;
		}, 0));
	});
};
async function open(f = file, hash = "") {
	const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
	await page.addInitScript(TIMING);
	const problems = [], requests = [], dialogs = [];
	page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
	page.on("pageerror", (e) => problems.push(String(e)));
	page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
	await page.route("**/*", (route) => {
		const url = route.request().url();
		if (url.startsWith("file:")) return route.continue();
		requests.push(url);
		return route.abort();
	});
	await page.goto("file://" + f + hash);
	await page.waitForFunction(() => window.__painted !== undefined);
	return { page, problems, requests, dialogs };
}
const afterPaint = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
const state = (page) => page.evaluate(() => ({ ...window.tfreport.index }));
const headers = (page) => page.$$eval("#runs-table thead th", (ths) => ths.map((th) => th.dataset.col));
const count = (page) => page.locator("#row-count").textContent();
// The data rows now in the DOM, as the texts of their cells.
const grid = (page) => page.$$eval("#runs-table tbody tr:not(.spacer):not(.sizer):not(.empty)",
	(trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
async function scrollTo(page, where) {
	await page.evaluate((w) => {
		const wrap = document.querySelector(".table-wrap");
		wrap.scrollTop = w === "bottom" ? wrap.scrollHeight : w;
	}, where);
	await afterPaint(page);
	await afterPaint(page);
}
// Clicks a header and returns the time from the click to the next painted frame, in the page.
const sortBy = (page, col) => page.evaluate(async (col) => {
	const th = [...document.querySelectorAll("#runs-table thead th")].find((t) => t.dataset.col === col);
	const t0 = performance.now();
	th.click();
	await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
	return performance.now() - t0;
}, col);
const runDirs = (order, n) => order.slice(0, n).map((r) => data.rows[r][C.run_dir]);

// Times are taken by the page's own clock (performance.now(), from the start of navigation) and
// each is the best of up to three fresh loads, so that a busy machine does not fail the test.
test("10,000 runs: first paint under 1 s and a first sort under 0.3 s, by number and by text", async () => {
	const runs = [];
	for (let i = 0; i < 3; i++) {
		const { page, problems, requests, dialogs } = await open();
		const t = await page.evaluate(() => ({ ready: window.__ready, paint: window.__painted, rows: window.__paintedRows }));
		assert.ok(t.rows > 10 && t.rows < 200, `rows painted: ${t.rows}`);
		t.sortNum = await sortBy(page, "eval_acc");
		t.sortStr = await sortBy(page, "run_dir");
		assert.equal((await grid(page))[9][0], "run-10");
		runs.push(t);
		assert.deepEqual([problems, requests, dialogs], [[], [], []]);
		await page.close();
		if (t.paint < 1000 && t.sortNum < 300 && t.sortStr < 300) break;
	}
	const best = (k) => Math.min(...runs.map((t) => t[k]));
	const all = (k) => runs.map((t) => t[k].toFixed(0)).join(", ");
	console.log(`index timings (ms), best of ${runs.length}: scripts done ${best("ready").toFixed(0)} [${all("ready")}], ` +
		`first paint ${best("paint").toFixed(0)} [${all("paint")}], sort by number ${best("sortNum").toFixed(0)} ` +
		`[${all("sortNum")}], sort by text ${best("sortStr").toFixed(0)} [${all("sortStr")}]`);
	// The budgets are 1 s and 0.3 s (reported from the printed figures); the bounds asserted
	// are three times looser so that a loaded CI machine cannot make this test flake, while a
	// table that draws every row (5-6 s here) still fails it.
	assert.ok(best("paint") < 3000, `first paint at ${all("paint")} ms`);
	assert.ok(best("sortNum") < 1000, `sort by number took ${all("sortNum")} ms`);
	assert.ok(best("sortStr") < 1000, `sort by text took ${all("sortStr")} ms`);
});

test("10,000 runs: only the rows in view are in the DOM; cells shown as text", async () => {
	const { page, problems, requests, dialogs } = await open();
	const s = await state(page);
	assert.equal(s.rows, N);
	assert.ok(s.rendered < 200 && s.rendered > 10, `rendered <tr>: ${s.rendered}`);
	assert.equal(s.sortBy, null);
	assert.equal(await count(page), "10000 runs");
	assert.deepEqual(await headers(page), VISIBLE);
	assert.ok(!(await page.locator(".more-rows").isVisible()), "the no-JS note is hidden");
	// Unsorted: the data's order, numbers as %.7g, booleans as words, missing as empty.
	const g = await grid(page);
	const vis = VISIBLE.map((n) => C[n]);
	g.slice(0, 15).forEach((cells, r) => assert.deepEqual(cells, vis.map((c) => fmt(data.rows[r][c])), `row ${r}`));
	assert.equal(g[1][4], "1.5e-09");
	assert.equal(g[9][4], "1.234568e+12");
	// The table scrolls inside a box of bounded height; the page itself does not grow with it.
	const box = await page.evaluate(() => {
		const w = document.querySelector(".table-wrap");
		return { client: w.clientHeight, scroll: w.scrollHeight, doc: document.documentElement.scrollHeight };
	});
	assert.ok(box.client <= 800 * 0.7 + 1 && box.scroll > 100000, JSON.stringify(box));
	assert.ok(box.doc < 2000, JSON.stringify(box));
	assert.deepEqual(problems, []);
	assert.deepEqual(requests, []);
	assert.deepEqual(dialogs, []);
	await page.close();
});

test("scrolling keeps a small window of rows, the right ones, under a sticky header", async () => {
	const { page, problems } = await open();
	for (const y of [5000, 123456, "bottom", 777]) {
		await scrollTo(page, y);
		const s = await state(page);
		assert.ok(s.rendered < 200, `rendered <tr> at ${y}: ${s.rendered}`);
		if (y === "bottom") assert.equal((await grid(page)).at(-1)[0], data.rows[N - 1][0]);
		// The row just below the header is the one the scroll position says.
		const seen = await page.evaluate(() => {
			const wrap = document.querySelector(".table-wrap"), th = wrap.querySelector("thead th");
			const w = wrap.getBoundingClientRect(), h = th.getBoundingClientRect();
			const el = document.elementFromPoint(h.left + 5, h.bottom + 6);
			return { headTop: h.top - w.top, row: el && el.closest("tr") && el.closest("tr").cells[0].textContent,
				index: Math.floor((wrap.scrollTop + 6) / document.querySelector("#runs-table tbody tr:not(.spacer):not(.sizer)").getBoundingClientRect().height) };
		});
		assert.ok(Math.abs(seen.headTop) < 2, `header stays at the top: ${seen.headTop}`);
		assert.ok(Math.abs(data.rows.findIndex((r) => r[0] === seen.row) - seen.index) <= 1,
			`at ${y}: ${seen.row}, expected about row ${seen.index}`);
	}
	assert.deepEqual(problems, []);
	await page.close();
});

test("sorting by a number: descending first, then ascending; ties stable, missing last", async () => {
	const { page, problems } = await open();
	await sortBy(page, "eval_acc");
	assert.deepEqual(await state(page), { rows: N, rendered: (await state(page)).rendered, sortBy: "eval_acc", dir: "desc" });
	const desc = expectOrder(data.rows, C.eval_acc, "desc");
	assert.deepEqual((await grid(page)).slice(0, 20).map((c) => c[0]), runDirs(desc, 20));
	assert.equal(await page.locator('th[data-col="eval_acc"]').getAttribute("aria-sort"), "descending");
	assert.match(await page.locator('th[data-col="eval_acc"]').textContent(), /▼/);
	assert.equal(await page.locator("th[aria-sort]").count(), 1);
	// From the keyboard: a header takes the focus and Enter sorts by it.
	await page.locator('th[data-col="eval_loss"]').focus();
	await page.keyboard.press("Enter");
	assert.deepEqual([(await state(page)).sortBy, (await state(page)).dir], ["eval_loss", "desc"]);
	assert.equal(await page.evaluate(() => document.activeElement.dataset.col), "eval_loss");
	await sortBy(page, "eval_acc");
	assert.equal((await state(page)).dir, "desc", "another column: its first direction again");
	await scrollTo(page, "bottom");
	let g = await grid(page);
	assert.deepEqual(g.slice(-5).map((c) => c[0]), desc.slice(-5).map((r) => data.rows[r][0]));
	assert.ok(g.slice(-5).every((c) => c[3] === ""), "missing values last");
	await sortBy(page, "eval_acc");
	assert.equal((await state(page)).dir, "asc");
	assert.equal(await page.locator('th[data-col="eval_acc"]').getAttribute("aria-sort"), "ascending");
	assert.match(await page.locator('th[data-col="eval_acc"]').textContent(), /▲/);
	const asc = expectOrder(data.rows, C.eval_acc, "asc");
	g = await grid(page);
	assert.deepEqual(g.slice(0, 20).map((c) => c[0]), runDirs(asc, 20), "back at the top, ascending");
	assert.ok(+g[0][3] <= +g[1][3] && g[0][3] !== "");
	await scrollTo(page, "bottom");
	assert.ok((await grid(page)).slice(-5).every((c) => c[3] === ""), "missing values last ascending too");
	// A numeric column of tiny and huge values, by value not by text.
	await sortBy(page, "eval_loss");
	assert.deepEqual((await grid(page)).slice(0, 3).map((c) => c[0]), runDirs(expectOrder(data.rows, C.eval_loss, "desc"), 3));
	assert.equal((await grid(page))[0][4], "1.234568e+12");
	await sortBy(page, "eval_loss");
	assert.equal((await grid(page))[0][4], "1.5e-09");
	assert.deepEqual(problems, []);
	await page.close();
});

test("sorting by text is natural (run-2 < run-10), booleans false < true, missing last", async () => {
	const { page, problems } = await open();
	await sortBy(page, "run_dir");
	assert.equal((await state(page)).dir, "asc");
	assert.deepEqual((await grid(page)).slice(0, 12).map((c) => c[0]),
		["run-1", "run-2", "run-3", "run-4", "run-5", "run-6", "run-7", "run-8", "run-9", "run-10", "run-11", "run-12"]);
	await sortBy(page, "run_dir");
	assert.deepEqual((await grid(page)).slice(0, 3).map((c) => c[0]), ["run-10000", "run-9999", "run-9998"]);

	await sortBy(page, "flag_activation");
	let g = await grid(page);
	assert.deepEqual(g.slice(0, 10).map((c) => c[0]), runDirs(expectOrder(data.rows, C.flag_activation, "asc"), 10));
	assert.ok(g.slice(0, 10).every((c) => c[5] === "relu"));
	await scrollTo(page, "bottom");
	assert.ok((await grid(page)).slice(-5).every((c) => c[5] === ""), "missing values last");
	await sortBy(page, "flag_activation");
	await scrollTo(page, "bottom");
	g = await grid(page);
	assert.deepEqual(g.slice(-5).map((c) => c[0]), expectOrder(data.rows, C.flag_activation, "desc").slice(-5).map((r) => data.rows[r][0]));
	assert.ok(g.slice(-5).every((c) => c[5] === ""), "missing values last descending too");

	await sortBy(page, "flag_batch_norm");
	g = await grid(page);
	assert.deepEqual(g.slice(0, 10).map((c) => c[0]), runDirs(expectOrder(data.rows, C.flag_batch_norm, "asc"), 10));
	assert.ok(g.every((c) => c[6] === "false"));
	await sortBy(page, "start"); // ISO times, ascending: oldest first
	assert.deepEqual((await grid(page)).slice(0, 5).map((c) => c[0]), runDirs(expectOrder(data.rows, C.start, "asc"), 5));
	assert.deepEqual(problems, []);
	await page.close();
});

test("the filter keeps rows whose shown cells contain the text, any case, and counts them", async () => {
	const { page, problems } = await open();
	const vis = VISIBLE.map((n) => C[n]);
	const matching = (q) => data.rows.filter((row) => vis.some((c) => fmt(row[c]).toLowerCase().includes(q.toLowerCase()))).length;
	const n = matching("tanh");
	assert.ok(n > 1000 && n < N);
	await page.fill("#filter", "TaNh");
	assert.equal(await count(page), `${n} of 10000 runs`);
	assert.equal((await state(page)).rows, n);
	let g = await grid(page);
	assert.ok(g.length > 10 && g.every((c) => c[5] === "tanh"));
	assert.ok((await state(page)).rendered < 200);
	// Filtered and sorted together.
	await sortBy(page, "eval_acc");
	g = await grid(page);
	assert.deepEqual(g.slice(0, 10).map((c) => c[0]),
		runDirs(expectOrder(data.rows, C.eval_acc, "desc").filter((r) => data.rows[r][C.flag_activation] === "tanh"), 10));
	await page.fill("#filter", "run-1234");
	assert.equal(await count(page), "1 of 10000 runs");
	await page.fill("#filter", "1.5e-09"); // the displayed text of a number
	assert.equal(await count(page), "1 of 10000 runs");
	await page.fill("#filter", "no such run");
	assert.equal(await count(page), "0 of 10000 runs");
	assert.equal((await grid(page)).length, 0);
	assert.match(await page.locator("#runs-table tbody").innerText(), /No runs match/);
	await page.fill("#filter", "");
	assert.equal(await count(page), "10000 runs");
	assert.equal((await state(page)).rows, N);
	assert.deepEqual(problems, []);
	await page.close();
});

test("the column chooser hides and shows columns, in the order of the data", async () => {
	const { page, problems } = await open();
	await page.click("#column-chooser summary");
	const boxes = await page.$$eval("#column-chooser .choices input[type=checkbox]",
		(bs) => bs.map((b) => [b.value, b.checked]));
	assert.deepEqual(boxes, COLUMNS.map((c) => [c.name, VISIBLE.includes(c.name)]));
	await page.locator('#column-chooser input[value="eval_loss"]').uncheck();
	assert.deepEqual(await headers(page), VISIBLE.filter((n) => n !== "eval_loss"));
	assert.ok((await grid(page)).every((cells) => cells.length === VISIBLE.length - 1));
	await page.locator('#column-chooser input[value="flag_lr"]').check();
	assert.deepEqual(await headers(page), ["run_dir", "status", "start", "eval_acc", "flag_lr", "flag_activation", "flag_batch_norm"]);
	assert.deepEqual((await grid(page))[0].slice(3, 5), [fmt(data.rows[0][C.eval_acc]), fmt(data.rows[0][C.flag_lr])]);
	// The filter looks at shown columns only: "sequential" is in model, hidden.
	await page.fill("#filter", "sequential-16");
	assert.equal(await count(page), "0 of 10000 runs");
	await page.locator('#column-chooser input[value="model"]').check();
	assert.equal((await state(page)).rows, data.rows.filter((r) => r[C.model] === "sequential-16").length);
	await page.fill("#filter", "");
	await page.locator('#column-chooser input[value="eval_loss"]').check();
	await page.locator('#column-chooser input[value="flag_lr"]').uncheck();
	await page.locator('#column-chooser input[value="model"]').uncheck();
	assert.deepEqual(await headers(page), VISIBLE);
	assert.equal(await page.evaluate(() => location.hash), "", "the default view needs no hash");
	// The last column cannot be hidden.
	for (const n of VISIBLE.slice(1)) await page.locator(`#column-chooser input[value="${n}"]`).uncheck();
	await page.locator('#column-chooser input[value="run_dir"]').click();
	assert.deepEqual(await headers(page), ["run_dir"]);
	assert.ok(await page.locator('#column-chooser input[value="run_dir"]').isChecked());
	assert.deepEqual(problems, []);
	await page.close();
});

test("the view is kept in the URL hash and restored from it", async () => {
	const { page, problems } = await open();
	await sortBy(page, "eval_loss");
	await sortBy(page, "eval_loss");
	await page.fill("#filter", "relu & co");
	await page.fill("#filter", "relu");
	await page.click("#column-chooser summary");
	await page.locator('#column-chooser input[value="start"]').uncheck();
	await page.locator('#column-chooser input[value="model"]').check();
	const hash = await page.evaluate(() => location.hash);
	assert.equal(hash, "#sort=eval_loss:asc&filter=relu&cols=run_dir,status,eval_acc,eval_loss,flag_activation,flag_batch_norm,model");
	const view = async () => ({ ...(await state(page)), rendered: undefined });
	const before = { state: await view(), headers: await headers(page), count: await count(page), grid: await grid(page) };
	await page.reload();
	await page.waitForFunction(() => window.__painted !== undefined);
	assert.equal(await page.evaluate(() => location.hash), hash);
	assert.equal(await page.inputValue("#filter"), "relu");
	assert.deepEqual({ state: await view(), headers: await headers(page), count: await count(page), grid: await grid(page) }, before);
	assert.equal(await page.locator('th[data-col="eval_loss"]').getAttribute("aria-sort"), "ascending");
	assert.ok(!(await page.locator('#column-chooser input[value="start"]').isChecked()));
	assert.ok(await page.locator('#column-chooser input[value="model"]').isChecked());
	await page.close();
	assert.deepEqual(problems, []);

	// A link written by hand, with encoded text and a hostile column name; unknown names ignored.
	const link = "#sort=" + encodeURIComponent(HCOL) + ":desc&filter=" + encodeURIComponent("run-99") +
		"&cols=eval_acc," + encodeURIComponent(HCOL) + ",nonsense,run_dir";
	const b = await open(file, link);
	assert.deepEqual(await headers(b.page), ["run_dir", "eval_acc", HCOL]);
	assert.deepEqual(await state(b.page), { rows: data.rows.filter((r) => String(r[0]).includes("run-99")).length,
		rendered: (await state(b.page)).rendered, sortBy: HCOL, dir: "desc" });
	assert.equal(await b.page.inputValue("#filter"), "run-99");
	await b.page.fill("#filter", "a&b=c#d");
	assert.equal(await b.page.evaluate(() => location.hash), "#sort=" + encodeURIComponent(HCOL) + ":desc&filter=" +
		encodeURIComponent("a&b=c#d") + "&cols=run_dir,eval_acc," + encodeURIComponent(HCOL));
	await b.page.reload();
	await b.page.waitForFunction(() => window.__painted !== undefined);
	assert.equal(await b.page.inputValue("#filter"), "a&b=c#d");
	// Editing the hash in the address bar changes the view too.
	await b.page.evaluate(() => { location.hash = "#sort=run_dir:asc"; });
	await b.page.waitForFunction(() => window.tfreport.index.sortBy === "run_dir");
	assert.deepEqual(await headers(b.page), VISIBLE);
	assert.equal(await b.page.inputValue("#filter"), "");
	assert.equal((await grid(b.page))[1][0], "run-2");
	assert.deepEqual(b.problems, []);
	await b.page.close();
});

test("hostile values and links are text: no markup, no script, no javascript: links", async () => {
	const { page, problems, requests, dialogs } = await open();
	await page.waitForTimeout(100);
	const badge = page.locator("#runs-table tbody tr:not(.spacer):not(.sizer)").nth(2).locator("td").nth(1).locator(".badge");
	assert.equal(await badge.textContent(), BAD);
	assert.equal(await badge.getAttribute("class"), "badge status-other");
	assert.equal(await page.locator('#runs-table tbody tr:not(.sizer) .badge.status-completed').first().textContent(), "completed");
	for (const [i, href] of Object.entries(BAD_LINKS)) {
		const cell = page.locator("#runs-table tbody tr:not(.spacer):not(.sizer)").nth(+i).locator("td").first();
		assert.equal(await cell.textContent(), data.rows[i][0]);
		assert.equal(await cell.locator("a").count(), 0, `no link for ${JSON.stringify(href)}`);
	}
	const good = page.locator("#runs-table tbody tr:not(.spacer):not(.sizer)").nth(1).locator("td a");
	assert.equal(await good.getAttribute("href"), data.links[1]);
	assert.equal(await page.locator("tbody tr:not(.sizer) td:first-child").nth(0).locator("a").count(), 0, "no link: null");
	await page.click("#column-chooser summary");
	await page.locator("#column-chooser .choices input").last().check();
	await page.locator("#column-chooser .choices input").nth(C.model).check();
	await page.fill("#filter", "<img");
	assert.equal(await count(page), "3 of 10000 runs");
	const text = await page.locator("#runs-table").innerText();
	assert.ok(text.includes(BAD) && text.includes("{{x}}") && text.includes("✓🚀"));
	assert.ok((await headers(page)).includes(HCOL));
	assert.equal(await page.locator("img").count(), 0);
	assert.equal(await page.locator('a[href^="javascript" i], a[href*=":"]').count(), 0);
	await page.waitForTimeout(100);
	assert.deepEqual(dialogs, []);
	assert.deepEqual(requests, []);
	assert.deepEqual(problems, []);
	await page.close();
});

test("small pages: no scroll box needed, a table without a wrapper, no status column", async () => {
	const small = generate();
	small.rows = small.rows.slice(0, 13);
	small.links = small.links.slice(0, 13);
	const f = fixture(small, "small", { wrapDiv: false, staticClass: true });
	const { page, problems } = await open(f);
	assert.equal(await page.locator(".table-wrap #runs-table").count(), 1, "the script made the scroll box");
	assert.equal((await grid(page)).length, 13);
	assert.ok(await page.locator("#runs-table tbody tr").nth(1).isVisible(), "rows shown though tbody.static is hidden");
	assert.equal(await count(page), "13 runs");
	await page.fill("#filter", "run-");
	await page.fill("#filter", "relu");
	assert.match(await count(page), /^\d+ of 13 runs$/);
	const box = await page.evaluate(() => { const w = document.querySelector(".table-wrap"); return w.scrollHeight - w.clientHeight; });
	assert.ok(box <= 1, "no inner scrolling for a few rows");
	await page.close();
	// Without JavaScript the marked rows show (the <noscript> style), and the note under them.
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const nojs = await ctx.newPage();
	await nojs.goto("file://" + f);
	assert.ok(await nojs.locator("#runs-table tbody tr").first().isVisible());
	assert.equal(await nojs.locator("#runs-table tbody tr").count(), 13);
	await ctx.close();
	const none = { ...small, status: -1, rows: [], links: [] };
	const g = await open(fixture(none, "empty"));
	assert.equal(await count(g.page), "0 runs");
	assert.match(await g.page.locator("#runs-table tbody").innerText(), /No runs/);
	assert.deepEqual(g.problems, []);
	await g.page.close();
	assert.deepEqual(problems, []);
});

// The real page: what `tfreport index` encodes (shared prefixes and suffixes cut, dictionaries)
// the script decodes back: with every column shown, each cell is what `ls --format json` says.
test("the index of the corpus shows, in every column, the values ls gives", async () => {
	const out = join(work, "corpus-index.html");
	execFileSync(TFREPORT, ["--runs-dir", CORPUS, "index", "-o", out], { stdio: ["ignore", "ignore", "inherit"] });
	const ls = JSON.parse(execFileSync(TFREPORT, ["--runs-dir", CORPUS, "ls", "--format", "json", "--columns", "all"], { encoding: "utf8" }));
	const names = [...new Set(ls.flatMap((row) => Object.keys(row)))];
	const { page, problems } = await open(out, "#cols=" + names.map(encodeURIComponent).join(","));
	const shown = await headers(page);
	assert.deepEqual([...shown].sort(), [...names].sort());
	const g = await grid(page);
	assert.equal(g.length, ls.length);
	// Shown readably: times without ISO's T and Z, durations as 0.0353 s or 1:02:03.
	const readable = (n, v) => v === null ? "" : n === "start" || n === "end" ? v.replace("T", " ").replace(/Z$/, "")
		: n === "duration" ? (v < 0.001 ? "0" : String(+v.toPrecision(3))) + " s" : fmt(v);
	assert.ok(ls.every((row) => row.duration === undefined || row.duration < 59.95), "the corpus runs are short");
	g.forEach((cells, r) => assert.deepEqual(cells, shown.map((n) => readable(n, ls[r][n] ?? null)), `row ${r}`));
	assert.deepEqual(problems, []);
	await page.close();
});
