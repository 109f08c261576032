/*
 * html_page.c - the page's frame: <head> with its policy and stylesheet, the
 * header (what was read, when, and a one-line status), the footer, and the
 * small script that sorts and filters tables.
 *
 * The stylesheet and the script are text of <style> and <script>, where an
 * HTML parser reads no entities while libxml2 escapes '<', '>' and '&': both
 * are written without those three characters (comparisons go through
 * localeCompare, conditions through nested ifs). The page works without the
 * script; it only adds sorting, filtering and opening folded parts to print.
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>

#include "report/html_parts.h"
#include "report/html_svg.h"
#include "report/timefmt.h"

/* The page may fetch nothing: no fonts, images, scripts or frames from
 * anywhere, so opening a report leaks nothing about it. */
#define HTML_CSP "default-src 'none'; style-src 'unsafe-inline'; " \
		 "script-src 'unsafe-inline'; img-src data:"

static const char html_css[] =
	":root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;"
	"--link:#0969da;--code:#eff2f5;--crit:#c62828;--crit-bg:#ffebe9;--warn:#9a6700;"
	"--warn-bg:#fff8c5;--info:#0969da;--info-bg:#ddf4ff;--ok:#1a7f37;--ok-bg:#dafbe1}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;"
	"--line:#3d444d;--panel:#151b23;--link:#4493f8;--code:#262c36;--crit:#ff7b72;"
	"--crit-bg:#3c1618;--warn:#d29922;--warn-bg:#3a2d0c;--info:#58a6ff;--info-bg:#0c2d4f;"
	"--ok:#3fb950;--ok-bg:#0f2e1a}}\n"
	"html{color-scheme:light dark}*{box-sizing:border-box}"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}"
	"a{color:var(--link)}code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"
	"monospace;background:var(--code);padding:0 .25em;border-radius:3px}"
	"[id]{scroll-margin-top:3.2em}\n"
	/* header and navigation */
	"header.top{padding:.7em 24px .5em;border-bottom:1px solid var(--line);background:var(--panel)}"
	".brand{font-weight:700;letter-spacing:.02em;color:var(--muted);margin-right:.8em}"
	"header.top h1{display:inline;font-size:1.25em;margin:0;word-break:break-all}"
	".span{color:var(--muted);margin:.15em 0 0}"
	".status{margin:.45em 0 0;font-weight:600;font-size:1.05em}"
	".status.sev-critical{color:var(--crit)}.status.sev-warning{color:var(--warn)}"
	".status.ok{color:var(--ok)}.status.sev-info{color:var(--info)}"
	"nav{position:sticky;top:0;z-index:5;background:var(--bg);border-bottom:1px solid var(--line);"
	"padding:.35em 24px;display:flex;flex-wrap:wrap;gap:.2em 1.3em;font-size:.95em}"
	"nav a{text-decoration:none;font-weight:600}nav a:hover{text-decoration:underline}"
	"nav .n{color:var(--muted);font-weight:400;margin-left:.3em}\n"
	/* sections */
	"main{max-width:1320px;margin:0 auto;padding:0 24px 2em}"
	"h2{font-size:1.3em;margin:1.4em 0 .5em;padding-bottom:.2em;border-bottom:2px solid var(--line)}"
	"h3{font-size:1.1em;margin:1.4em 0 .4em}h4{font-size:1em;margin:.2em 0 .4em}"
	".note,.legend{color:var(--muted)}.legend{font-size:.9em}\n"
	/* severity */
	".badge{display:inline-block;min-width:5.6em;text-align:center;font-size:.72em;"
	"font-weight:700;text-transform:uppercase;letter-spacing:.05em;padding:.12em .5em;"
	"border-radius:1em;border:1px solid;vertical-align:.12em;margin-right:.5em}"
	".badge.sev-critical{color:var(--crit);background:var(--crit-bg)}"
	".badge.sev-warning{color:var(--warn);background:var(--warn-bg)}"
	".badge.sev-info{color:var(--info);background:var(--info-bg)}\n"
	/* verdict */
	"#verdict h2{margin-top:.8em}"
	"ol.verdict{list-style:none;margin:0;padding:0}"
	"li.line{display:grid;grid-template-columns:auto minmax(0,1fr) auto;gap:0 .6em;"
	"align-items:start;padding:.55em .8em;margin:.45em 0;border:1px solid var(--line);"
	"border-left:5px solid var(--info);border-radius:6px;background:var(--panel)}"
	"li.line.sev-critical{border-left-color:var(--crit)}"
	"li.line.sev-warning{border-left-color:var(--warn)}"
	"li.line .badge{margin-top:.25em}"
	".what p{margin:0}.headline{font-size:1.05em}.what .kind{color:var(--muted);font-size:.85em}"
	".todo{margin-top:.2em!important;font-size:.92em}"
	".where{font:600 13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
	"background:var(--code);padding:.05em .4em;border-radius:4px;white-space:nowrap}"
	"a.details{white-space:nowrap;font-size:.9em;margin-top:.2em}"
	".all-clear{border:1px solid var(--line);border-left:5px solid var(--ok);border-radius:6px;"
	"background:var(--ok-bg);padding:.7em 1em}.all-clear .headline{font-weight:700;"
	"color:var(--ok);font-size:1.15em}.all-clear p{margin:.2em 0}"
	/* Notes to read, or a capture read only in part: not the green of all clear. */
	".all-clear.notes{border-left-color:var(--info);background:var(--info-bg)}"
	".all-clear.notes .headline{color:var(--info)}"
	".all-clear.damaged{border-left-color:var(--warn);background:var(--warn-bg)}"
	".all-clear.damaged .headline{color:var(--warn)}"
	"p.alert{border:1px solid var(--line);border-left:5px solid var(--warn);border-radius:6px;"
	"background:var(--warn-bg);padding:.5em .9em;margin:.45em 0}"
	"details.info-lines{margin:.6em 0}details.info-lines summary{cursor:pointer;"
	"color:var(--muted);font-weight:600}\n"
	/* facts and tables */
	".table-wrap{overflow-x:auto;margin:.4em 0}"
	"table{border-collapse:collapse;font-size:13px;width:100%}"
	"th,td{padding:.28em .55em;border-bottom:1px solid var(--line);text-align:left;"
	"vertical-align:top}thead th{background:var(--panel);white-space:nowrap}"
	"td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
	"dl.tiles{display:flex;flex-wrap:wrap;gap:.6em;margin:.4em 0 .8em}"
	"dl.tiles div{border:1px solid var(--line);border-radius:6px;padding:.35em .9em;"
	"background:var(--panel);min-width:8.5em}dl.tiles dt{color:var(--muted);font-size:.85em}"
	"dl.tiles dd{margin:0;font-size:1.25em;font-weight:600;font-variant-numeric:tabular-nums}"
	"table.sortable thead th{cursor:pointer;user-select:none}"
	"th[aria-sort=ascending]::after{content:' \\25B4'}"
	"th[aria-sort=descending]::after{content:' \\25BE'}"
	"tr.has-findings td:first-child{box-shadow:inset 3px 0 var(--warn)}"
	"td.summary{min-width:24em}td.refs a{margin-right:.3em}"
	"input.filter{font:inherit;padding:.25em .5em;margin:.3em 0;width:18em;"
	"border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}"
	"ul.notes{padding-left:1.2em}ul.notes li{margin:.2em 0}\n"
	/* findings */
	"ul.toc{list-style:none;padding:0;margin:.4em 0;display:flex;flex-wrap:wrap;gap:.3em 1.6em}"
	".count{color:var(--muted);margin-left:.5em;font-weight:400}"
	".kind-id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}"
	".kind-line{margin:.1em 0 .6em}.family{display:inline-block;font-size:.75em;"
	"text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border:1px solid var(--line);"
	"border-radius:3px;padding:0 .35em;margin-right:.5em}"
	"article.finding{border:1px solid var(--line);border-left:4px solid var(--info);"
	"border-radius:6px;padding:.6em 1em .8em;margin:.8em 0}"
	"article.sev-critical{border-left-color:var(--crit)}"
	"article.sev-warning{border-left-color:var(--warn)}"
	".fid{color:var(--muted);font-weight:400;margin-right:.5em}"
	".meta{display:flex;flex-wrap:wrap;gap:.1em 1.2em;margin:.2em 0 .5em;font-size:.92em}"
	".meta b,.frames b,.filter b{color:var(--muted);font-weight:600}"
	/* The ladder at its own width (740 px) when there is room, text beside it. */
	".cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,740px);gap:1.2em}"
	"@media (max-width:1180px){.cols{grid-template-columns:minmax(0,1fr)}}"
	".explanation{margin:0 0 .6em}.text.solo{max-width:62em}"
	"code.filter{display:block;margin-top:.2em;padding:.35em .55em;white-space:pre-wrap;"
	"overflow-wrap:anywhere;user-select:all}p.filter{margin:.4em 0}"
	"dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));"
	"gap:0 1.2em;margin:.4em 0;font-size:13px}dl.figures div{display:flex;gap:.6em;"
	"justify-content:space-between;border-bottom:1px solid var(--line);padding:.15em 0}"
	/* A key keeps its width up to 70% of the row, and past that wraps after
	 * its underscores; the value takes the rest and wraps at its spaces. So a
	 * long key cannot push its value out of the column, nor a long value
	 * squeeze a short key to a letter a line. */
	"dl.figures dt{font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
	"color:var(--muted);flex-shrink:0;max-width:70%;overflow-wrap:anywhere}"
	"dl.figures dd{margin:0;text-align:right;overflow-wrap:break-word;min-width:0}"
	"dl.figures span{display:inline-block}"
	/* A ladder scales down with its column, but not below 3/4 of its size
	 * (8 px text): on a narrow screen it scrolls instead. */
	"figure{margin:0}figure.ladder{overflow-x:auto}figure svg{max-width:100%;height:auto}"
	"figure.ladder svg{min-width:560px}"
	"h4.more{margin-top:1em}details.kind-body summary{cursor:pointer;color:var(--link)}\n"
	/* charts */
	/* auto-fill: a chart alone keeps the width of one column. */
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,560px),1fr));"
	"gap:1em 1.5em}figure.chart{border:1px solid var(--line);border-radius:6px;padding:.6em}"
	"figure.chart figcaption{font-weight:600;margin-bottom:.3em}"
	"figure.chart p{margin:.2em 0;color:var(--muted);font-size:.9em}\n"
	"footer{max-width:1320px;margin:2em auto 0;padding:1em 24px 2em;color:var(--muted);"
	"border-top:1px solid var(--line);font-size:.9em}\n"
	/* Print: text sizes follow the smaller body, and a wide table wraps its
	 * headings and numbers rather than lose its last columns past the page. */
	"@media print{nav,input.filter{display:none}body{font-size:11px}"
	"code,.where,dl.figures dt{font-size:9.5px}table,dl.figures{font-size:9.5px}"
	"thead th,td.num{white-space:normal}"
	"header.top{background:none}.table-wrap{overflow:visible}"
	"article.finding,li.line,figure{break-inside:avoid}a{color:inherit;text-decoration:none}"
	"h2{break-after:avoid}}\n";

static const char html_js[] =
	"(function () {\n"
	"\t'use strict';\n"
	"\tvar each = function (list, fn) { Array.prototype.forEach.call(list, fn); };\n"
	"\tfunction key(row, col) {\n"
	"\t\tvar cell = row.cells[col];\n"
	"\t\tif (!cell) { return ''; }\n"
	"\t\tvar v = cell.getAttribute('data-sort');\n"
	"\t\treturn v === null ? cell.textContent.trim() : v;\n"
	"\t}\n"
	"\tfunction sortBy(table, th) {\n"
	"\t\tvar body = table.tBodies[0], col = th.cellIndex;\n"
	"\t\tvar dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;\n"
	"\t\teach(th.parentNode.cells, function (c) { c.removeAttribute('aria-sort'); });\n"
	"\t\tth.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');\n"
	"\t\tvar rows = Array.prototype.slice.call(body.rows);\n"
	"\t\trows.sort(function (a, b) {\n"
	"\t\t\treturn dir * key(a, col).localeCompare(key(b, col), 'en', { numeric: true });\n"
	"\t\t});\n"
	"\t\trows.forEach(function (r) { body.appendChild(r); });\n"
	"\t}\n"
	"\tfunction addSort(table) {\n"
	"\t\teach(table.tHead.rows[0].cells, function (th) {\n"
	"\t\t\tth.tabIndex = 0;\n"
	"\t\t\tth.title = 'Sort by this column';\n"
	"\t\t\tth.addEventListener('click', function () { sortBy(table, th); });\n"
	"\t\t\tth.addEventListener('keydown', function (e) {\n"
	"\t\t\t\tif (e.key === 'Enter') { sortBy(table, th); }\n"
	"\t\t\t});\n"
	"\t\t});\n"
	"\t}\n"
	"\tfunction addFilter(table) {\n"
	"\t\tvar input = document.createElement('input'), wrap = table.parentNode;\n"
	"\t\tinput.type = 'search';\n"
	"\t\tinput.className = 'filter';\n"
	"\t\tinput.placeholder = 'Filter rows';\n"
	"\t\tinput.setAttribute('aria-label', 'Show only the rows containing');\n"
	"\t\twrap.parentNode.insertBefore(input, wrap);\n"
	"\t\tinput.addEventListener('input', function () {\n"
	"\t\t\tvar q = input.value.trim().toLowerCase();\n"
	"\t\t\teach(table.tBodies[0].rows, function (r) {\n"
	"\t\t\t\tr.hidden = q === '' ? false : r.textContent.toLowerCase().indexOf(q) === -1;\n"
	"\t\t\t});\n"
	"\t\t});\n"
	"\t}\n"
	/* A link into a folded part unfolds it. */
	"\tfunction reveal() {\n"
	"\t\tvar el = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;\n"
	"\t\tfor (; el; el = el.parentElement) {\n"
	"\t\t\tif (el.tagName === 'DETAILS') { el.open = true; }\n"
	"\t\t}\n"
	"\t}\n"
	"\teach(document.querySelectorAll('table.sortable'), addSort);\n"
	"\teach(document.querySelectorAll('table.filterable'), addFilter);\n"
	"\twindow.addEventListener('hashchange', reveal);\n"
	"\twindow.addEventListener('beforeprint', function () {\n"
	"\t\teach(document.querySelectorAll('details'), function (d) { d.open = true; });\n"
	"\t});\n"
	"\treveal();\n"
	"})();\n";

/* --- head ------------------------------------------------------------------- */

static void html_meta(struct html *h, xmlNodePtr head, const char *attr, const char *name,
		      const char *content)
{
	xmlNodePtr meta = html_el(h, head, "meta", NULL);

	html_attr(h, meta, attr, name);
	html_attr(h, meta, "content", content);
}

/* "a.pcap", "a.pcap and b.pcap", "a.pcap, b.pcap and 3 more". */
static void html_files(const struct html *h, char *buf, size_t len)
{
	const struct report_model *m = h->m;
	size_t o = 0, n = m->ncaptures;

	buf[0] = '\0';
	if (!n) {
		snprintf(buf, len, "no capture");
		return;
	}
	for (size_t i = 0; i < n && i < 2 && o < len; i++) {
		const char *sep = i == 0 ? "" : n == 2 ? " and " : ", ";
		int k = snprintf(buf + o, len - o, "%s%s", sep, m->captures[i]->file);

		o += k > 0 ? (size_t)k : 0;
	}
	if (n > 2 && o < len)
		snprintf(buf + o, len - o, " and %zu more", n - 2);
}

/* The counts of findings by severity. */
void html_head(struct html *h, xmlNodePtr root)
{
	char files[HTML_TEXT_MAX / 2];
	const char *damaged;
	const uint64_t *sev = h->m->severities;
	xmlNodePtr head = html_el(h, root, "head", NULL), style;

	/* libxml2 would add its own Content-Type meta if there were none. */
	html_meta(h, head, "http-equiv", "Content-Type", "text/html; charset=utf-8");
	html_meta(h, head, "http-equiv", "Content-Security-Policy", HTML_CSP);
	html_meta(h, head, "name", "viewport", "width=device-width, initial-scale=1");
	html_meta(h, head, "name", "color-scheme", "light dark");
	html_meta(h, head, "name", "generator", "tcpautopsy");
	html_files(h, files, sizeof(files));
	damaged = html_damaged_captures(h->m) ? "damaged capture, " : "";
	if (sev[SEV_CRITICAL] || sev[SEV_WARNING])
		html_el_textf(h, head, "title", NULL, "%s: %s%" PRIu64 " critical, %" PRIu64
			      " warning - tcpautopsy", files, damaged, sev[SEV_CRITICAL],
			      sev[SEV_WARNING]);
	else if (sev[SEV_INFO])
		html_el_textf(h, head, "title", NULL, "%s: %snothing serious, %" PRIu64 " %s - "
			      "tcpautopsy", files, damaged, sev[SEV_INFO],
			      html_plural(sev[SEV_INFO], "note", "notes"));
	else
		html_el_textf(h, head, "title", NULL, "%s: %sno problems found - tcpautopsy",
			      files, damaged);
	style = html_el(h, head, "style", NULL);
	html_text(h, style, html_css, sizeof(html_css));
	html_text(h, style, html_svg_css, SIZE_MAX);
}

/* --- header ----------------------------------------------------------------- */

/* One line under the title: how bad, where, and how much was read. With
 * nothing serious it still says so plainly when there are notes to read or
 * when a capture could not be read whole: neither is a plain all clear. */
static void html_status(struct html *h, xmlNodePtr header)
{
	const struct report_model *m = h->m;
	const uint64_t *sev = m->severities;
	uint64_t frames = 0, serious;
	size_t damaged = html_damaged_captures(m), places = html_troubled_listeners(m, NULL, 0);
	char a[HTML_NUM_MAX], b[HTML_NUM_MAX];
	xmlNodePtr p;

	serious = sev[SEV_CRITICAL] + sev[SEV_WARNING];
	for (size_t i = 0; i < m->ncaptures; i++)
		frames += m->captures[i]->stats.frames;
	p = html_el(h, header, "p",
		    sev[SEV_CRITICAL] ? "status sev-critical"
		    : serious || damaged ? "status sev-warning"
		    : sev[SEV_INFO] ? "status sev-info" : "status ok");
	if (!serious && damaged)
		html_textf(h, p, "%s: %s in the frames that could be read",
			   damaged == 1 ? "Damaged capture" : "Damaged captures",
			   sev[SEV_INFO] ? "nothing serious found" : "no problems found");
	else if (!serious)
		html_text(h, p, sev[SEV_INFO] ? "Nothing serious found" : "No problems found",
			  HTML_TEXT_MAX);
	else if (sev[SEV_CRITICAL] && sev[SEV_WARNING])
		html_textf(h, p, "%s critical and %s warning findings",
			   html_count(sev[SEV_CRITICAL], a, sizeof(a)),
			   html_count(sev[SEV_WARNING], b, sizeof(b)));
	else
		html_textf(h, p, "%s %s %s", html_count(serious, a, sizeof(a)),
			   sev[SEV_CRITICAL] ? "critical" : "warning",
			   html_plural(serious, "finding", "findings"));
	if (places)
		html_textf(h, p, " on %zu %s", places, html_plural(places, "listener", "listeners"));
	if (sev[SEV_INFO])
		html_textf(h, p, " \xc2\xb7 %s informational %s", html_count(sev[SEV_INFO], a, sizeof(a)),
			   html_plural(sev[SEV_INFO], "finding", "findings"));
	html_textf(h, p, " \xc2\xb7 %s %s \xc2\xb7 %s %s", html_count(m->connections, a, sizeof(a)),
		   html_plural(m->connections, "connection", "connections"),
		   html_count(frames, b, sizeof(b)), html_plural(frames, "packet", "packets"));
	if (damaged && serious)
		html_textf(h, p, " \xc2\xb7 %zu %s damaged or unreadable", damaged,
			   html_plural(damaged, "capture", "captures"));
}

static void html_nav(struct html *h, xmlNodePtr parent)
{
	/* optional: a section left out of the page when it would be empty
	 * (html_findings(), html_listeners()). */
	static const struct {
		const char *id, *label;
		bool optional;
	} parts[] = {
		{ "verdict", "Verdict", false },     { "capture", "Capture", false },
		{ "findings", "Findings", true },    { "listeners", "Listeners", true },
		{ "charts", "Charts", false },	     { "connections", "Connections", false },
	};
	const struct report_model *m = h->m;
	uint64_t counts[] = { 0, m->ncaptures, m->nfindings, m->naggregates, 0, m->connections };
	xmlNodePtr nav = html_el(h, parent, "nav", NULL);

	html_attr(h, nav, "aria-label", "Sections");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char n[HTML_NUM_MAX];
		xmlNodePtr a;

		if (parts[i].optional && !counts[i])
			continue;
		a = html_link(h, nav, parts[i].id, parts[i].label);
		if (counts[i])
			html_el_text(h, a, "span", "n", html_count(counts[i], n, sizeof(n)));
	}
}

void html_header(struct html *h, xmlNodePtr body)
{
	char files[HTML_TEXT_MAX / 2], a[TIMEFMT_LEN], b[TIMEFMT_LEN], d[TIMEFMT_LEN];
	xmlNodePtr header = html_el(h, body, "header", "top"), p;

	html_files(h, files, sizeof(files));
	html_el_text(h, header, "span", "brand", "tcpautopsy");
	html_el_text(h, header, "h1", NULL, files);
	p = html_el(h, header, "p", "span");
	if (h->first_ts_ns || h->last_ts_ns) {
		html_duration(html_elapsed(h->first_ts_ns, h->last_ts_ns), d, sizeof(d));
		html_time(h, h->first_ts_ns, a, sizeof(a));
		html_time(h, h->last_ts_ns, b, sizeof(b));
		if (h->one_day)
			html_textf(h, p, "%.10s, %s to %s UTC (%s)",
				   timefmt_iso(h->first_ts_ns, files, sizeof(files)), a, b, d);
		else
			html_textf(h, p, "%s to %s (%s)", a, b, d);
	} else {
		html_text(h, p, "No frame was read.", HTML_TEXT_MAX);
	}
	html_status(h, header);
	html_nav(h, body);
}

/* --- footer and script ------------------------------------------------------ */

void html_footer(struct html *h, xmlNodePtr body)
{
	xmlNodePtr p = html_el(h, html_el(h, body, "footer", NULL), "p", NULL);

	html_textf(h, p, "Written by tcpautopsy %s from the captures alone: times are UTC as "
		   "the capture recorded them, frame numbers are Wireshark's, and the same "
		   "captures give the same page. The JSON report (", h->m->opts->tool_version);
	html_el_text(h, p, "code", NULL, "-o report.json");
	html_text(h, p, ") holds everything shown here and every connection, in a schema "
		  "versioned by its schema_version field.", HTML_TEXT_MAX);
}

void html_script(struct html *h, xmlNodePtr body)
{
	xmlNodePtr script = html_el(h, body, "script", NULL);

	html_text(h, script, html_js, sizeof(html_js));
}
