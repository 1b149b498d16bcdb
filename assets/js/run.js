/* run.js: tabs, metric charts (uPlot), highlighting (highlight.js) for tfreport's run page.
 * Every text is already in the HTML; this only adds behaviour. Data comes from #run-data. */
(function () {
	"use strict";
	document.documentElement.classList.add("js");
	var data = JSON.parse(document.getElementById("run-data").textContent);
	window.tfreport = { charts: [] };

	function showTab(name) {
		var tabs = document.querySelectorAll(".tabs a");
		var found = false;
		tabs.forEach(function (a) { if (a.dataset.tab === name) found = true; });
		if (!found) name = "summary";
		tabs.forEach(function (a) { a.classList.toggle("active", a.dataset.tab === name); });
		document.querySelectorAll("main > .tab").forEach(function (s) {
			s.classList.toggle("active", s.id === name);
		});
		if (name === "summary") resizeCharts();
	}
	document.querySelectorAll(".tabs a").forEach(function (a) {
		a.addEventListener("click", function (e) {
			e.preventDefault();
			history.replaceState(null, "", "#" + a.dataset.tab);
			showTab(a.dataset.tab);
		});
	});

	function css(name) {
		return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	}
	function fade(color) {
		var c = color.replace("#", "");
		if (c.length !== 6) return color;
		return "rgba(" + parseInt(c.slice(0, 2), 16) + "," + parseInt(c.slice(2, 4), 16) + "," +
			parseInt(c.slice(4, 6), 16) + ",0.3)";
	}
	function smooth(values, alpha) {
		var out = [], last = null;
		for (var i = 0; i < values.length; i++) {
			var v = values[i];
			if (v === null) { out.push(null); continue; }
			last = last === null ? v : alpha * last + (1 - alpha) * v;
			out.push(last);
		}
		return out;
	}
	function fmt(v) {
		if (v === null || v === undefined) return "–";
		var a = Math.abs(v);
		return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(+v.toPrecision(6));
	}

	var logScale = false, alpha = 0;
	function chartOptions(chart, width) {
		var colors = [css("--s1"), css("--s2"), css("--s3"), css("--s4")];
		var series = [{ label: data.x_label }];
		chart.series.forEach(function (s, i) {
			var color = colors[i % colors.length];
			series.push({ label: s.name, stroke: alpha > 0 ? fade(color) : color, width: 1.5,
				points: { fill: css("--card") },
				value: function (u, v) { return fmt(v); }, spanGaps: false });
			if (alpha > 0)
				series.push({ label: s.name + " (smoothed)", stroke: color, width: 2,
					value: function (u, v) { return fmt(v); } });
		});
		var y = { distr: logScale ? 3 : 1 };
		if (chart.unit_range && !logScale) y.range = [0, 1];
		return {
			width: width, height: 240, series: series,
			scales: { x: { time: false }, y: y },
			axes: [
				{ stroke: css("--muted"), grid: { stroke: css("--line") } },
				{ stroke: css("--muted"), grid: { stroke: css("--line") }, size: 60,
				  values: function (u, vals) { return vals.map(fmt); } }
			],
			cursor: { drag: { x: true, y: false } },
			legend: { live: true }
		};
	}
	function chartData(chart) {
		var cols = [chart.x];
		chart.series.forEach(function (s) {
			var v = logScale ? s.values.map(function (x) { return x > 0 ? x : null; }) : s.values;
			cols.push(v);
			if (alpha > 0) cols.push(smooth(v, alpha));
		});
		return cols;
	}
	function drawCharts() {
		if (typeof uPlot === "undefined") return;
		window.tfreport.charts.forEach(function (c) { c.uplot.destroy(); });
		window.tfreport.charts = [];
		(data.charts || []).forEach(function (chart) {
			var fig = document.querySelector('.chart[data-metric="' + CSS.escape(chart.metric) + '"]');
			if (!fig) return;
			var width = Math.max(280, fig.clientWidth || 480);
			var u = new uPlot(chartOptions(chart, width), chartData(chart), fig);
			window.tfreport.charts.push({ metric: chart.metric, uplot: u });
		});
	}
	function resizeCharts() {
		window.tfreport.charts.forEach(function (c) {
			var fig = c.uplot.root.parentNode;
			if (fig.clientWidth) c.uplot.setSize({ width: fig.clientWidth, height: 240 });
		});
	}
	var log = document.querySelector(".log-toggle");
	if (log) log.addEventListener("change", function () { logScale = log.checked; drawCharts(); });
	var sm = document.querySelector(".smooth");
	if (sm) sm.addEventListener("input", function () { alpha = +sm.value; drawCharts(); });
	window.addEventListener("resize", resizeCharts);

	if (typeof hljs !== "undefined") {
		document.querySelectorAll("pre code[class^='language-']").forEach(function (el) {
			hljs.highlightElement(el);
		});
	}
	showTab((location.hash || "#summary").slice(1));
	drawCharts();
})();
