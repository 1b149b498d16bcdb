// view.test.mjs: the run report in a real Chromium (Debian's), opened from file:// with every
// other request blocked. Asserts what a reader sees: charts drawn, tabs switching, code
// highlighted, no console errors, and hostile run content shown as text, never run.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, tfreport, open as openPage, hostileRun, CORPUS, work } from "./lib.mjs";

let browser;
const view = (runDir, name) => tfreport(["view", runDir], name);
const open = (file) => openPage(browser, file);

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a completed keras run: one chart per metric, two series each, tabs, highlighted code", async () => {
	const file = view(join(CORPUS, "2026-11-28T01-50-12Z"), "keras");
	const { page, problems, requests } = await open(file);
	const charts = await page.evaluate(() => window.tfreport.charts.map((c) => ({
		metric: c.metric, series: c.uplot.series.length - 1, canvas: !!c.uplot.root.querySelector("canvas") })));
	assert.deepEqual(charts, [
		{ metric: "loss", series: 2, canvas: true },
		{ metric: "acc", series: 2, canvas: true },
	]);
	assert.equal(await page.locator(".badge").textContent(), "completed");
	assert.ok(await page.locator("#summary").isVisible());
	assert.ok(!(await page.locator("#code").isVisible()));
	await page.click('.tabs a[data-tab="code"]');
	assert.ok(await page.locator("#code").isVisible());
	assert.ok(!(await page.locator("#summary").isVisible()));
	assert.ok(await page.locator("#code code.hljs").count() >= 1, "code highlighted");
	assert.ok(await page.locator("#code .hljs-keyword, #code .hljs-string, #code .hljs-number").count() > 0);
	assert.deepEqual(problems, []);
	assert.deepEqual(requests, []);
	await page.close();
});

test("log scale and smoothing redraw the charts; smoothing adds a faded raw series", async () => {
	const file = view(join(CORPUS, "2026-11-28T01-50-07Z"), "regression");
	const { page, problems } = await open(file);
	await page.check(".log-toggle");
	assert.equal(await page.evaluate(() => window.tfreport.charts[0].uplot.scales.y.distr), 3);
	await page.locator(".smooth").fill("0.6");
	assert.equal(await page.evaluate(() => window.tfreport.charts[0].uplot.series.length - 1), 4);
	assert.deepEqual(problems, []);
	await page.close();
});

test("a failed run shows its error; a run without metrics has no chart and no console error", async () => {
	const failed = await open(view(join(CORPUS, "2026-11-28T01-49-45Z"), "failed"));
	assert.match(await failed.page.locator(".error-message").textContent(), /Loss became NaN/);
	assert.equal(await failed.page.locator(".badge").textContent(), "failed");
	assert.deepEqual(failed.problems, []);
	await failed.page.close();
	const bare = await open(view(join(CORPUS, "2026-11-28T01-49-40Z"), "bare"));
	assert.equal(await bare.page.evaluate(() => window.tfreport.charts.length), 0);
	assert.deepEqual(bare.problems, []);
	await bare.page.close();
});

test("plots are inlined and readable without JavaScript", async () => {
	const file = view(join(CORPUS, "2026-11-28T01-49-44Z"), "plots");
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto("file://" + file);
	assert.equal(await page.locator(".plots img").count(), 2);
	const src = await page.locator(".plots img").first().getAttribute("src");
	assert.ok(src.startsWith("data:image/png;base64,"));
	assert.ok(await page.locator("#code").isVisible(), "every section is visible without JS");
	assert.match(await page.locator("#code pre").first().textContent(), /library\(/);
	await ctx.close();
});

test("hostile run content is shown as text and never runs", async () => {
	const file = view(hostileRun(), "hostile");
	const { page, problems, requests, dialogs } = await open(file);
	await page.waitForTimeout(200);
	assert.deepEqual(dialogs, []);
	assert.deepEqual(requests, []);
	assert.deepEqual(problems, []);
	assert.equal(await page.locator("img[src='x']").count(), 0);
	const text = await page.locator("body").innerText();
	assert.ok(text.includes("</script><img src=x onerror=alert(1)>"), "shown as text");
	assert.ok(text.includes("{{x}}"));
	assert.ok(text.includes("✓🚀"));
	assert.equal(await page.locator('a[href^="javascript"]').count(), 0);
	assert.equal(await page.evaluate(() => window.tfreport.charts.length), 1);
	await page.click('.tabs a[data-tab="code"]');
	assert.match(await page.locator("#code").innerText(), /alert\(6\)/);
	await page.close();
});

test("an HTML artifact of plots/ is inlined into a sandboxed frame that fetches nothing", async () => {
	const run = join(work, "runs", "artifact");
	mkdirSync(join(run, "tfruns.d", "properties"), { recursive: true });
	mkdirSync(join(run, "plots", "lib"), { recursive: true });
	writeFileSync(join(run, "tfruns.d", "properties", "completed"), "TRUE\n");
	writeFileSync(join(run, "plots", "lib", "draw.js"),
		"document.getElementById('out').textContent = 'drawn by local script';");
	writeFileSync(join(run, "plots", "chart.html"), "<!DOCTYPE html><html><head>" +
		"<script src=\"https://cdn.example.com/evil.js\"></script></head><body><p id=\"out\">not yet</p>" +
		"<script src=\"lib/draw.js\"></script><img src=\"http://tracker.example/x.png\"></body></html>");
	const { page, problems, requests } = await open(view(run, "artifact"));
	await page.click('.tabs a[data-tab="output"]');
	const frame = await page.locator("iframe.artifact");
	assert.equal(await frame.getAttribute("sandbox"), "allow-scripts");
	const inner = page.frames().find((f) => f !== page.mainFrame());
	await inner.waitForFunction(() => document.getElementById("out").textContent !== "not yet");
	assert.equal(await inner.evaluate(() => document.getElementById("out").textContent), "drawn by local script");
	assert.deepEqual(requests, []);
	assert.deepEqual(problems, []);
	await page.close();
});
