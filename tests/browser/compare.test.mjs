// compare.test.mjs: the comparison page in Chromium: diff2html draws one block per changed
// file, the layout switch works, charts overlay both runs, nothing is fetched, hostile
// content stays text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launch, tfreport, open, hostileRun, CORPUS } from "./lib.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("the corpus pair: four changed files drawn by diff2html, both runs on every chart", async () => {
	const file = tfreport(["compare", join(CORPUS, "2026-11-28T01-50-11Z"), join(CORPUS, "2026-11-28T01-50-12Z")], "pair");
	const { page, problems, requests } = await open(browser, file);
	assert.equal(await page.locator(".d2h-file-wrapper").count(), 4);
	assert.equal(await page.locator(".d2h-file-side-diff").count(), 0);
	assert.ok(await page.locator(".d2h-file-wrapper .hljs-string, .d2h-file-wrapper .hljs-number").count() > 0, "diffs highlighted");
	const charts = await page.evaluate(() => window.tfreport.charts.map((c) => c.uplot.series.length - 1));
	assert.deepEqual(charts, [2, 2, 2, 2]);
	assert.equal(await page.locator("tr.changed").count(), 2);
	await page.check('input[value="side-by-side"]');
	assert.equal(await page.locator(".d2h-file-wrapper").count(), 4);
	assert.ok(await page.locator(".d2h-file-side-diff").count() >= 8, "two panes per file");
	assert.match(await page.locator(".d2h-file-wrapper").nth(2).innerText(), /helpers\.R/);
	assert.deepEqual(problems, []);
	assert.deepEqual(requests, []);
	await page.close();
});

test("without JavaScript the diffs read as coloured unified diffs", async () => {
	const file = tfreport(["compare", join(CORPUS, "2026-11-28T01-50-11Z"), join(CORPUS, "2026-11-28T01-50-12Z")], "pair-nojs");
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto("file://" + file);
	assert.equal(await page.locator("pre.udiff").count(), 4);
	assert.ok(await page.locator("pre.udiff .add").count() > 0);
	assert.ok(await page.locator("pre.udiff .del").count() > 0);
	assert.match(await page.locator("pre.udiff").nth(1).innerText(), /^--- a\/train\.R\n\+\+\+ b\/train\.R\n@@ /);
	await ctx.close();
});

test("two hostile runs compared: everything shown as text, no dialog, no request", async () => {
	const a = hostileRun("hostile-a"), b = hostileRun("hostile-b");
	const { page, problems, requests, dialogs } = await open(browser, tfreport(["compare", a, b], "hostile-pair"));
	await page.waitForTimeout(200);
	assert.deepEqual(dialogs, []);
	assert.deepEqual(requests, []);
	assert.deepEqual(problems, []);
	assert.equal(await page.locator("img[src='x']").count(), 0);
	const text = await page.locator("body").innerText();
	assert.ok(text.includes("<img src=x onerror=alert(7)>"));
	assert.ok(text.includes("</script><img src=x onerror=alert(1)>"));
	await page.close();
});
