/* index.js: the index of runs: a windowed table (only the rows in view exist in the DOM), sorted
 * by a click on a header, filtered by #filter, columns chosen in #column-chooser, and the view
 * kept in the URL hash (#sort=NAME:asc|desc&filter=TEXT&cols=A,B,C) so a copied link reopens it.
 * Without JavaScript the page shows its first rows as a plain table. Data comes from #index-data;
 * every cell is set as text, never as markup. */
(function () {
	"use strict";
	document.documentElement.classList.add("js");
	var table = document.getElementById("runs-table");
	var dataEl = document.getElementById("index-data");
	if (!table || !dataEl) return;
	var data = JSON.parse(dataEl.textContent);
	var columns = data.columns || [], nrows = data.n || 0;
	/* A column as the C side encodes it (page_index.c): values "v", the values of an earlier
	 * column "same", or a dictionary "d" with an index per row "i" (none: all rows are d[0]);
	 * strings lose a prefix "p" and a suffix "s" they all share. */
	function decodeColumn(e) {
		e = e || {};
		var same = typeof e.same === "number" && (data.cols || [])[e.same];
		var out = new Array(nrows), v = e.v || (same && same.v), d = e.d, i = e.i;
		var p = e.p || "", s = e.s || "";
		for (var r = 0; r < nrows; r++) {
			var x = v ? v[r] : d ? d[i ? i[r] : 0] : null;
			out[r] = x === undefined ? null : typeof x === "string" && (p || s) ? p + x + s : x;
		}
		return out;
	}
	var values = columns.map(function (_, c) { return decodeColumn((data.cols || [])[c]); });
	var links = decodeColumn(data.links);
	var ncols = columns.length;
	var statusCol = typeof data.status === "number" ? data.status : -1;
	var runDirCol = -1, byName = Object.create(null);
	columns.forEach(function (c, i) {
		byName[c.name] = i;
		if (c.name === "run_dir") runDirCol = i;
	});
	var STATUSES = { completed: 1, failed: 1, running: 1, interrupted: 1 };
	var BUFFER = 8; /* rows rendered above and below the ones in view */
	var collator = null; /* made on the first sort: it takes a while */
	var api = { rows: nrows, rendered: 0, sortBy: null, dir: "asc" };
	window.tfreport = window.tfreport || {};
	window.tfreport.index = api;

	/* ---- cell text ---- */

	var CONTROL = /[\u0000-\u001f\u007f]/, CONTROLS = /[\u0000-\u001f\u007f]/g; /* shown as spaces */

	/* As C's "%.7g": up to 7 significant digits, exponent form below 1e-4 and from 1e7. */
	function fmtNum(v) {
		if (v !== v) return "NaN";
		if (v === Infinity) return "Inf";
		if (v === -Infinity) return "-Inf";
		var a = v < 0 ? -v : v;
		if (a < 1e7 && (a === 0 || v === Math.floor(v))) return String(v); /* integers: as they are */
		if (a >= 1e-4 && a < 9999999.5) return String(+v.toPrecision(7));
		var e = v.toExponential(6), k = e.indexOf("e"), x = +e.slice(k + 1);
		if (x < -4 || x >= 7) {
			var m = e.slice(0, k).replace(/\.?0+$/, ""), ax = x < 0 ? -x : x;
			return m + "e" + (x < 0 ? "-" : "+") + (ax < 10 ? "0" : "") + ax;
		}
		return String(+v.toPrecision(7));
	}
	/* As page_fmt_duration: 0.314 s, 12.3 s, then 1:02:03 and 1d 02:03:04. */
	function fmtDuration(v) {
		if (!(v >= 0) || v === Infinity) return fmtNum(v);
		if (v < 59.95) return (v < 0.001 ? "0" : String(+v.toPrecision(3))) + " s";
		var s = Math.floor(v + 0.5), d = Math.floor(s / 86400), p2 = function (n) { return (n < 10 ? "0" : "") + n; };
		return (d ? d + "d " : "") + Math.floor(s % 86400 / 3600) + ":" + p2(Math.floor(s % 3600 / 60)) + ":" + p2(s % 60);
	}
	/* Cells as people read them: times without ISO's T and Z, durations as above (the columns
	 * the C side marks with "fmt"); numbers as %.7g; the rest as it is. */
	function cellText(v, c) {
		if (v === null || v === undefined) return "";
		var f = c === undefined ? null : columns[c].fmt;
		if (f === "duration" && typeof v === "number") return fmtDuration(v);
		if (f === "time" && typeof v === "string") return v.replace("T", " ").replace(/Z$/, "");
		if (typeof v === "number") return fmtNum(v);
		if (typeof v === "boolean") return v ? "true" : "false";
		var s = String(v);
		return CONTROL.test(s) ? s.replace(CONTROLS, " ") : s;
	}
	var texts = [], lowers = []; /* per column, per row; filled when first needed */
	function textOf(c) {
		if (!texts[c]) {
			var t = new Array(nrows);
			for (var r = 0; r < nrows; r++) t[r] = cellText(values[c][r], c);
			texts[c] = t;
		}
		return texts[c];
	}
	function lowerOf(c) {
		if (!lowers[c]) lowers[c] = textOf(c).map(function (s) { return s.toLowerCase(); });
		return lowers[c];
	}
	/* A link only when it is a relative path: no scheme (javascript:, data:, ...), not "//host". */
	function safeLink(href) {
		if (typeof href !== "string" || href === "") return null;
		var s = href.replace(/[\u0000-\u0020\u007f]/g, "");
		if (/^[a-z][a-z0-9+.\-]*:/i.test(s) || /^[\/\\]{2}/.test(s)) return null;
		return href;
	}

	/* ---- state ---- */

	/* Shown columns keep the order of `columns`, except that the default ones take the slots of
	 * `columns` they occupy in the order of `visible`. */
	var defaults = [];
	(data.visible || []).forEach(function (name) {
		var i = byName[name];
		if (i !== undefined && defaults.indexOf(i) < 0) defaults.push(i);
	});
	if (!defaults.length) for (var d = 0; d < ncols; d++) defaults.push(d);
	var position = new Array(ncols);
	(function () {
		var slots = defaults.slice().sort(function (a, b) { return a - b; });
		for (var c = 0; c < ncols; c++) position[c] = c;
		defaults.forEach(function (c, k) { position[c] = slots[k]; });
	})();
	function ordered(cols) {
		return cols.slice().sort(function (a, b) { return position[a] - position[b]; });
	}
	var state = { sort: -1, dir: "asc", filter: "", cols: ordered(defaults) };

	/* First click sorts numeric columns descending (best score first) and all others (text,
	 * times, booleans) ascending; a second click flips. Missing values are last either way. */
	function firstDir(c) { return columns[c].numeric ? "desc" : "asc"; }

	/* ---- sorting ---- */

	/* Mixed columns order booleans < numbers < strings; within a type: false < true, numeric,
	 * natural collation (run-2 < run-10). */
	function typeRank(v) { return typeof v === "boolean" ? 0 : typeof v === "number" ? 1 : 2; }
	function collate(a, b) {
		if (!collator) collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
		return collator.compare(a, b);
	}
	function compare(a, b) {
		var ta = typeRank(a), tb = typeRank(b);
		if (ta !== tb) return ta - tb;
		if (ta === 2) return collate(a, b);
		return a < b ? -1 : a > b ? 1 : 0;
	}
	var sorted = []; /* per column: { asc: row indices, start: group starts, nulls: row indices } */
	function sortInfo(c) {
		if (sorted[c]) return sorted[c];
		var vals = new Array(nrows), idx = [], nulls = [];
		for (var r = 0; r < nrows; r++) {
			var v = values[c][r];
			vals[r] = v;
			if (v === null || v === undefined || (typeof v === "number" && v !== v)) nulls.push(r);
			else idx.push(r);
		}
		var kind = -1; /* the one type of the column's values, or -2 if mixed */
		for (var i = 0; i < idx.length && kind !== -2; i++) {
			var t = typeRank(vals[idx[i]]);
			kind = kind === -1 || kind === t ? t : -2;
		}
		if (kind === 2) collate("", "");
		idx.sort(kind === 2 ? function (a, b) { return collator.compare(vals[a], vals[b]) || a - b; }
			: kind === -2 ? function (a, b) { return compare(vals[a], vals[b]) || a - b; }
			: function (a, b) { return vals[a] < vals[b] ? -1 : vals[a] > vals[b] ? 1 : a - b; });
		var start = [];
		for (i = 0; i < idx.length; i++)
			if (i === 0 || compare(vals[idx[i - 1]], vals[idx[i]]) !== 0) start.push(i);
		start.push(idx.length);
		return (sorted[c] = { asc: idx, start: start, nulls: nulls });
	}
	/* All rows in the current sort: ties keep their original order in both directions. */
	function sortOrder() {
		var out = new Array(nrows), n = 0, i;
		if (state.sort < 0) {
			for (i = 0; i < nrows; i++) out[i] = i;
			return out;
		}
		var s = sortInfo(state.sort);
		if (state.dir === "asc") {
			for (i = 0; i < s.asc.length; i++) out[n++] = s.asc[i];
		} else {
			for (var g = s.start.length - 2; g >= 0; g--)
				for (i = s.start[g]; i < s.start[g + 1]; i++) out[n++] = s.asc[i];
		}
		for (i = 0; i < s.nulls.length; i++) out[n++] = s.nulls[i];
		return out;
	}

	/* ---- filtering ---- */

	var match = null; /* per row: true when its shown cells contain the filter text, or null: all */
	function computeMatch() {
		var q = state.filter.trim().toLowerCase();
		if (!q) { match = null; return; }
		match = new Array(nrows);
		var lc = state.cols.map(lowerOf);
		for (var r = 0; r < nrows; r++) {
			var m = false;
			for (var k = 0; k < lc.length && !m; k++) m = lc[k][r].indexOf(q) >= 0;
			match[r] = m;
		}
	}
	var order = [], view = [];
	function computeView() {
		view = match ? order.filter(function (r) { return match[r]; }) : order;
		api.rows = view.length;
		var count = document.getElementById("row-count");
		if (count)
			count.textContent = (view.length === nrows ? "" : view.length + " of ") + nrows +
				(nrows === 1 ? " run" : " runs");
	}

	/* ---- the table ---- */

	var wrap = table.parentElement;
	if (!wrap.classList.contains("table-wrap")) {
		wrap = document.createElement("div");
		wrap.className = "table-wrap";
		table.parentNode.insertBefore(wrap, table);
		wrap.appendChild(table);
	}
	/* The box the rows scroll in; its height can be set in CSS with --runs-height. */
	wrap.style.overflow = "auto";
	wrap.style.overflowAnchor = "none";
	wrap.style.maxHeight = "var(--runs-height, 70vh)";
	var more = document.querySelector(".more-rows");
	if (more) more.hidden = true;
	var thead = table.tHead || table.createTHead();
	/* A new tbody in place of the rows rendered for readers without JavaScript (whatever hides
	 * those, e.g. a class on their tbody, does not hide these). */
	var tbody = document.createElement("tbody");
	if (table.tBodies[0]) table.replaceChild(tbody, table.tBodies[0]);
	else table.appendChild(tbody);
	/* Row height and header height are read from the page once it is laid out; until then
	 * (the first frame) a guess, so that loading forces no layout of its own. */
	var rowH = 28, headH = 0, laidOut = false, first = -1, last = -1;

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}
	function cell(r, c, text) {
		var v = values[c][r], td = el("td", typeof v === "number" ? "num" : "");
		if (text === undefined) text = texts[c] ? texts[c][r] : cellText(v, c);
		if (c === statusCol && text !== "") {
			td.appendChild(el("span", "badge " + (STATUSES[text] === 1 ? "status-" + text : "status-other"), text));
		} else if (c === runDirCol && text !== "" && safeLink(links[r])) {
			var a = el("a", "", text);
			a.setAttribute("href", safeLink(links[r]));
			td.appendChild(a);
		} else {
			td.textContent = text;
		}
		if (text.length > 40) td.title = text;
		return td;
	}
	function spacer(h) {
		var tr = el("tr", "spacer"), td = el("td");
		tr.setAttribute("aria-hidden", "true");
		td.colSpan = state.cols.length || 1;
		td.style.height = h + "px";
		td.style.padding = "0";
		td.style.border = "0";
		tr.appendChild(td);
		return tr;
	}
	/* A collapsed row with each column's longest text: the columns keep their widths whatever
	 * rows are in view, so they do not jump while scrolling. */
	var sizerRow = null;
	var longest = []; /* per column: the row of its longest text, -1 if all are missing */
	function longestRow(c) {
		if (longest[c] !== undefined) return longest[c];
		var best = -1, len = 0, t = texts[c];
		for (var r = 0; r < nrows; r++) {
			var v = values[c][r], n;
			if (t) n = t[r].length;
			else if (typeof v === "string") n = v.length; /* the text shown is as long */
			else if (typeof v === "number") n = cellText(v, c).length;
			else if (typeof v === "boolean") n = v ? 4 : 5;
			else n = 0;
			if (n > len) { len = n; best = r; }
		}
		return (longest[c] = best);
	}
	function makeSizer() {
		var tr = el("tr", "sizer");
		tr.setAttribute("aria-hidden", "true");
		tr.style.visibility = "collapse";
		state.cols.forEach(function (c) {
			var r = longestRow(c);
			tr.appendChild(r < 0 ? el("td") : cell(r, c));
		});
		sizerRow = tr;
	}

	function measure() {
		laidOut = true;
		headH = thead.offsetHeight;
		/* The pitch of the rows, from the second to the last: the first may be a little higher
		 * (collapsed borders with the header). */
		var trs = tbody.querySelectorAll("tr:not(.sizer):not(.spacer):not(.empty)"), n = trs.length, h = 0;
		if (n > 2) h = (trs[n - 1].getBoundingClientRect().top - trs[1].getBoundingClientRect().top) / (n - 2);
		else if (n) h = trs[n - 1].getBoundingClientRect().height;
		if (h > 0 && Math.abs(h - rowH) > 0.001) {
			rowH = h;
			return true;
		}
		return false;
	}
	function render(force) {
		var top = laidOut ? wrap.scrollTop : 0;
		var height = laidOut ? wrap.clientHeight : window.innerHeight;
		var h = rowH;
		var from = Math.max(0, Math.floor((top - headH) / h) - BUFFER);
		var to = Math.min(view.length, Math.ceil((top - headH + height) / h) + BUFFER);
		if (from > to) from = to;
		if (!force && from === first && to === last) return;
		first = from;
		last = to;
		var frag = document.createDocumentFragment();
		if (sizerRow) frag.appendChild(sizerRow);
		if (from > 0) frag.appendChild(spacer(from * h));
		for (var i = from; i < to; i++) {
			var r = view[i], tr = el("tr");
			for (var k = 0; k < state.cols.length; k++) tr.appendChild(cell(r, state.cols[k]));
			frag.appendChild(tr);
		}
		if (to < view.length) frag.appendChild(spacer((view.length - to) * h));
		if (!view.length) {
			var empty = el("tr", "empty"), td = el("td", "", nrows ? "No runs match the filter." : "No runs.");
			td.colSpan = state.cols.length || 1;
			empty.appendChild(td);
			frag.appendChild(empty);
		}
		tbody.replaceChildren(frag);
		api.rendered = tbody.rows.length;
	}
	/* Before a frame is painted: read the layout (which that frame needs anyway) and render
	 * again when the rows in view are not the ones in the DOM or the rows are not as high as
	 * guessed (all rows are one line high). */
	var pending = false;
	function schedule() {
		if (pending) return;
		pending = true;
		requestAnimationFrame(function () {
			pending = false;
			render(measure());
		});
	}
	wrap.addEventListener("scroll", schedule, { passive: true });
	window.addEventListener("resize", schedule);

	function renderHead() {
		var tr = el("tr");
		state.cols.forEach(function (c) {
			var name = columns[c].name, th = el("th", columns[c].numeric ? "num" : "", name);
			th.dataset.col = name;
			th.scope = "col";
			th.tabIndex = 0;
			if (c === state.sort) {
				th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
				var arrow = el("span", "sort-arrow", state.dir === "asc" ? " \u25b2" : " \u25bc");
				arrow.setAttribute("aria-hidden", "true");
				th.appendChild(arrow);
			}
			th.title = "Sort by " + name;
			tr.appendChild(th);
		});
		thead.replaceChildren(tr);
	}
	function headerCol(target) {
		var th = target.closest && target.closest("th");
		if (!th || !thead.contains(th)) return -1;
		var c = byName[th.dataset.col];
		return c === undefined ? -1 : c;
	}
	function sortBy(c) {
		if (c === state.sort) state.dir = state.dir === "asc" ? "desc" : "asc";
		else { state.sort = c; state.dir = firstDir(c); }
		update({ sort: true });
	}
	thead.addEventListener("click", function (e) {
		var c = headerCol(e.target);
		if (c >= 0) sortBy(c);
	});
	thead.addEventListener("keydown", function (e) {
		if (e.key !== "Enter" && e.key !== " ") return;
		var c = headerCol(e.target);
		if (c < 0) return;
		e.preventDefault();
		sortBy(c);
		var th = thead.querySelector('th[data-col="' + CSS.escape(columns[c].name) + '"]');
		if (th) th.focus();
	});

	/* ---- controls ---- */

	var filter = document.getElementById("filter");
	if (filter)
		filter.addEventListener("input", function () {
			state.filter = filter.value;
			update({ filter: true });
		});
	var choices = document.querySelector("#column-chooser .choices");
	var boxes = [];
	if (choices) {
		choices.replaceChildren();
		columns.forEach(function (col, c) {
			var label = el("label"), box = el("input");
			box.type = "checkbox";
			box.value = col.name;
			box.addEventListener("change", function () {
				var cols = state.cols.filter(function (x) { return x !== c; });
				if (box.checked) cols.push(c);
				if (!cols.length) { box.checked = true; return; } /* keep at least one */
				state.cols = ordered(cols);
				update({ cols: true });
			});
			boxes[c] = box;
			label.appendChild(box);
			label.appendChild(document.createTextNode(" " + col.name));
			choices.appendChild(label);
		});
	}
	function syncControls() {
		if (filter && filter.value !== state.filter) filter.value = state.filter;
		boxes.forEach(function (b, c) { b.checked = state.cols.indexOf(c) >= 0; });
	}

	/* ---- the URL hash ---- */

	function sameCols(a, b) {
		return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
	}
	function writeHash() {
		var parts = [];
		if (state.sort >= 0)
			parts.push("sort=" + encodeURIComponent(columns[state.sort].name) + ":" + state.dir);
		if (state.filter) parts.push("filter=" + encodeURIComponent(state.filter));
		if (!sameCols(state.cols, ordered(defaults)))
			parts.push("cols=" + state.cols.map(function (c) { return encodeURIComponent(columns[c].name); }).join(","));
		var url = parts.length ? "#" + parts.join("&") : location.href.split("#")[0];
		if (url === (location.hash || location.href.split("#")[0])) return;
		try { history.replaceState(null, "", url); } catch (e) { /* a browser refusing: keep the view */ }
	}
	function decode(s) {
		try { return decodeURIComponent(s); } catch (e) { return s; }
	}
	function readHash() {
		var s = { sort: -1, dir: "asc", filter: "", cols: ordered(defaults) };
		location.hash.replace(/^#/, "").split("&").forEach(function (part) {
			var eq = part.indexOf("=");
			if (eq < 0) return;
			var key = part.slice(0, eq), val = part.slice(eq + 1);
			if (key === "sort") {
				var colon = val.lastIndexOf(":"), dir = colon >= 0 ? val.slice(colon + 1) : "";
				var c = byName[decode(colon >= 0 ? val.slice(0, colon) : val)];
				if (c === undefined) return;
				s.sort = c;
				s.dir = dir === "asc" || dir === "desc" ? dir : firstDir(c);
			} else if (key === "filter") {
				s.filter = decode(val);
			} else if (key === "cols") {
				var cols = [];
				val.split(",").forEach(function (n) {
					var c = byName[decode(n)];
					if (c !== undefined && cols.indexOf(c) < 0) cols.push(c);
				});
				if (cols.length) s.cols = ordered(cols);
			}
		});
		return s;
	}

	/* ---- putting it together ---- */

	function update(what) {
		if (what.sort) order = sortOrder();
		if (what.filter || what.cols) computeMatch();
		if (what.cols && !what.initial) makeSizer();
		computeView();
		api.sortBy = state.sort >= 0 ? columns[state.sort].name : null;
		api.dir = state.dir;
		if (what.sort || what.cols) renderHead();
		syncControls();
		if (!what.restore) writeHash();
		if (laidOut) wrap.scrollTop = 0;
		render(true);
		if (!laidOut) schedule();
	}
	function restore() {
		state = readHash();
		update({ sort: true, filter: true, cols: true, restore: true });
	}
	window.addEventListener("hashchange", restore);
	state = readHash();
	update({ sort: true, filter: true, cols: true, restore: true, initial: true });

	/* After the first paint, while the page is idle, a column at a time: the texts the filter
	 * searches, and then the row that keeps the columns' widths. */
	var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };
	var todo = state.cols.slice();
	idle(function prepare() {
		if (todo.length) {
			var c = todo.shift();
			lowerOf(c);
			longestRow(c);
			idle(prepare);
		} else if (!sizerRow) {
			makeSizer();
			render(true);
		}
	});
})();
