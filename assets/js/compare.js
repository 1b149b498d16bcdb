/* compare.js: the comparison page: both runs' metrics on one chart per metric (uPlot) and the
 * unified diffs drawn by diff2html. Without JavaScript the page shows coloured unified diffs. */
(function () {
	"use strict";
	document.documentElement.classList.add("js");
	var data = JSON.parse(document.getElementById("compare-data").textContent);
	window.tfreport = { charts: [], diffs: 0 };

	function css(name) {
		return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	}
	function fmt(v) {
		if (v === null || v === undefined) return "–";
		var a = Math.abs(v);
		return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(+v.toPrecision(6));
	}

	var logScale = false;
	function drawCharts() {
		if (typeof uPlot === "undefined") return;
		window.tfreport.charts.forEach(function (c) { c.uplot.destroy(); });
		window.tfreport.charts = [];
		(data.charts || []).forEach(function (chart) {
			var fig = document.querySelector('.chart[data-metric="' + CSS.escape(chart.metric) + '"]');
			if (!fig) return;
			var series = [{ label: data.x_label }], cols = [chart.x];
			chart.series.forEach(function (s, i) {
				series.push({ label: s.name, stroke: i ? css("--s3") : css("--s1"), width: 1.5,
					dash: i ? [6, 4] : undefined, points: { fill: css("--card") },
					value: function (u, v) { return fmt(v); } });
				cols.push(logScale ? s.values.map(function (x) { return x > 0 ? x : null; }) : s.values);
			});
			var opts = {
				width: Math.max(280, fig.clientWidth || 480), height: 220, series: series,
				scales: { x: { time: false }, y: { distr: logScale ? 3 : 1 } },
				axes: [{ stroke: css("--muted"), grid: { stroke: css("--line") } },
				       { stroke: css("--muted"), grid: { stroke: css("--line") }, size: 60,
					 values: function (u, vals) { return vals.map(fmt); } }],
				cursor: { drag: { x: true, y: false } }
			};
			var u = new uPlot(opts, cols, fig);
			window.tfreport.charts.push({ metric: chart.metric, uplot: u });
		});
	}

	var layout = "line-by-line";
	function drawDiffs() {
		if (typeof Diff2HtmlUI === "undefined") return;
		var drawn = 0;
		(data.diffs || []).forEach(function (d, i) {
			var sec = document.getElementById("diff-" + i);
			if (!sec) return;
			var pre = sec.querySelector("pre.udiff");
			var target = sec.querySelector(".d2h-target");
			if (!target) {
				target = document.createElement("div");
				target.className = "d2h-target";
				sec.appendChild(target);
				pre.hidden = true;
			}
			target.textContent = "";
			/* git's header lines let diff2html label added and deleted files as such */
			var head = d.status === "added" ? "new file mode 100644\n" :
				d.status === "deleted" ? "deleted file mode 100644\n" : "";
			var name = d.name.replace(/\s/g, "_");
			var diff = pre.textContent; /* the no-script diff is the diff's text, line by line */
			var text = head ? "diff --git a/" + name + " b/" + name + "\n" + head + diff : diff;
			var ui = new Diff2HtmlUI(target, text, {
				drawFileList: false, matching: "lines", outputFormat: layout, highlight: true,
				fileContentToggle: false, synchronisedScroll: true,
				colorScheme: matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"
			}, typeof hljs !== "undefined" ? hljs : undefined);
			ui.draw();
			ui.highlightCode();
			drawn++;
		});
		window.tfreport.diffs = drawn;
	}
	document.querySelectorAll('input[name="layout"]').forEach(function (r) {
		r.addEventListener("change", function () { if (r.checked) { layout = r.value; drawDiffs(); } });
	});
	var log = document.querySelector(".log-toggle");
	if (log) log.addEventListener("change", function () { logScale = log.checked; drawCharts(); });
	window.addEventListener("resize", function () {
		window.tfreport.charts.forEach(function (c) {
			var fig = c.uplot.root.parentNode;
			if (fig.clientWidth) c.uplot.setSize({ width: fig.clientWidth, height: 220 });
		});
	});
	drawCharts();
	drawDiffs();
})();
