// site.test.mjs: the static site of the real corpus: every relative href and src points to a
// file that exists, nothing points to the network, and a reader can go index → run → comparison.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { launch, open, TFREPORT, CORPUS, work } from "./lib.mjs";

const site = join(work, "site");
let browser;
before(async () => {
	execFileSync(TFREPORT, ["--runs-dir", CORPUS, "site", "-o", site, "--jobs", "2"], { stdio: "ignore" });
	browser = await launch();
});
after(async () => { await browser?.close(); });

function pages(dir) {
	return readdirSync(dir).flatMap((f) => {
		const p = join(dir, f);
		return statSync(p).isDirectory() ? pages(p) : p.endsWith(".html") ? [p] : [];
	});
}

test("every page's links and sources exist in the site; none reaches the network", () => {
	const all = pages(site);
	assert.equal(all.length, 1 + 13 + 12);
	let checked = 0;
	for (const page of all) {
		const html = readFileSync(page, "utf8");
		for (const m of html.matchAll(/<(a|link|script|img|iframe)\b[^>]*?\b(href|src)="([^"]*)"/g)) {
			const [, tag, , url] = m;
			if (url.startsWith("#") || url.startsWith("data:image/")) continue;
			assert.ok(!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url) || tag === "a",
				`${page}: <${tag}> refers to ${url}`);
			if (/^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
			const target = resolve(dirname(page), decodeURIComponent(url.replace(/[#?].*$/, "")));
			assert.ok(existsSync(target), `${page}: ${url} does not exist`);
			checked++;
		}
	}
	assert.ok(checked > 100, `only ${checked} links checked`);
});

test("index → run page → comparison with the previous run, no console error, no request", async () => {
	const { page, problems, requests } = await open(browser, join(site, "index.html"));
	await page.click('a[href="runs/2026-11-28T01-50-12Z.html"]');
	await page.waitForLoadState("load");
	assert.match(await page.locator("h1").innerText(), /2026-11-28T01-50-12Z/);
	assert.equal(await page.evaluate(() => window.tfreport.charts.length), 2);
	await page.click("text=compare with the previous run");
	await page.waitForLoadState("load");
	assert.match(await page.locator("h1").innerText(), /2026-11-28T01-50-11Z\s*→\s*2026-11-28T01-50-12Z/);
	assert.equal(await page.locator(".d2h-file-wrapper").count(), 4);
	await page.click("text=All runs");
	await page.waitForLoadState("load");
	assert.ok(page.url().endsWith("/index.html"));
	assert.deepEqual(problems, []);
	assert.deepEqual(requests, []);
	await page.close();
});
