// paint.mjs: first paint of a page in Debian's Chromium (playwright-core), by the page's own
// clock: DOMContentLoaded, then the next frame. Prints the best and all of REPEAT fresh loads.
//   node bench/paint.mjs PAGE.html [REPEAT]
import { launch } from "../tests/browser/lib.mjs";
import { resolve } from "node:path";

const file = resolve(process.argv[2]);
const repeat = +(process.argv[3] || 3);
const browser = await launch();
const paints = [];
for (let i = 0; i < repeat; i++) {
	const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
	await page.addInitScript(() => {
		document.addEventListener("DOMContentLoaded", () => {
			requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now(); }, 0));
		});
	});
	await page.goto("file://" + file);
	await page.waitForFunction(() => window.__painted !== undefined);
	paints.push(await page.evaluate(() => window.__painted));
	await page.close();
}
await browser.close();
console.log(`first paint (ms), best of ${repeat}: ${Math.min(...paints).toFixed(0)} [${paints.map((p) => p.toFixed(0)).join(", ")}]`);
