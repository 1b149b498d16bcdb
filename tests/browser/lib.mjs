// lib.mjs: what the page tests share: Debian's Chromium, a page opened from file:// with every
// other request blocked and recorded, console problems and dialogs collected.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const TFREPORT = resolve(process.env.TFREPORT || "build/tfreport");
export const CORPUS = resolve("tests/corpus/tfruns-runs");
export const work = mkdtempSync(join(tmpdir(), "tfreport-browser-"));

export function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
			"--disable-component-update", "--no-first-run", "--disable-sync"],
	});
}

// Runs tfreport with args and returns the page it wrote to `name`.html in the work dir.
export function tfreport(args, name) {
	const out = join(work, name + ".html");
	execFileSync(TFREPORT, [...args, "-o", out], { stdio: ["ignore", "ignore", "inherit"] });
	return out;
}

export async function open(browser, file) {
	const page = await browser.newPage();
	const problems = [], requests = [], dialogs = [];
	page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
	page.on("pageerror", (e) => problems.push(String(e)));
	page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
	await page.route("**/*", (route) => {
		const url = route.request().url();
		if (url.startsWith("file:") || url.startsWith("data:") || url.startsWith("about:")) return route.continue();
		requests.push(url);
		return route.abort();
	});
	await page.goto("file://" + file);
	await page.waitForLoadState("load");
	return { page, problems, requests, dialogs };
}

// A run whose every field holds markup, script, template syntax, control characters and emoji.
export const HOSTILE = `</script><img src=x onerror=alert(1)>"'{{x}}\u2028 javascript:alert(2) \u0007 ✓🚀`;

export function hostileRun(name = "hostile") {
	const run = join(work, "runs", name);
	const meta = join(run, "tfruns.d");
	mkdirSync(join(meta, "properties"), { recursive: true });
	mkdirSync(join(run, "plots"), { recursive: true });
	const p = (k, v) => writeFileSync(join(meta, "properties", k), v + "\n");
	p("script", HOSTILE);
	p("start", "1795830600");
	p("end", "1795830700");
	p("completed", "FALSE");
	p("output", "epoch 1 " + HOSTILE + "\n\u001b[31mred\u001b[0m <b>bold?</b>");
	p("model", HOSTILE);
	p("note<script>", HOSTILE);
	writeFileSync(join(meta, "flags.json"), JSON.stringify({ [HOSTILE]: HOSTILE, lr: 0.1 }));
	writeFileSync(join(meta, "evaluation.json"), JSON.stringify({ [HOSTILE]: 0.5 }));
	writeFileSync(join(meta, "metrics.json"), JSON.stringify({ [HOSTILE]: [1, 0.5, 0.25], ["val_" + HOSTILE]: [1, 0.6, 0.3] }));
	writeFileSync(join(meta, "error.json"), JSON.stringify({ message: HOSTILE, traceback: [HOSTILE, "f()"] }));
	writeFileSync(join(meta, "notes.md"), `# Notes\n\n<script>alert(3)</script>\n\n[click](javascript:alert(4)) ${HOSTILE}\n`);
	writeFileSync(join(run, `${"<img src=x onerror=alert(5)>"}.txt`), "x");
	const src = join(work, "src-" + name, "source");
	mkdirSync(src, { recursive: true });
	writeFileSync(join(src, "train.R"), `# ${HOSTILE}\nx <- "</script><script>alert(6)</script>"\n`);
	if (name.endsWith("-b")) writeFileSync(join(src, "train.R"), `# ${HOSTILE} changed\ny <- "<img src=x onerror=alert(7)>"\n`);
	execFileSync("tar", ["-czf", join(meta, "source.tar.gz"), "-C", join(work, "src-" + name), "source"]);
	return run;
}

