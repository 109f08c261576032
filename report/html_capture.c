/*
 * html_capture.c - what was read: the run's figures, each capture file, and
 * what about the capture itself limits the analysis (frames it missed or
 * cut, damage, malformed packets), so a reader can weigh the findings.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dissect/dissect.h"
#include "report/html_parts.h"
#include "report/timefmt.h"

static uint64_t html_malformed(const struct capture_info *ci)
{
	uint64_t n = 0;

	for (int i = 0; i < MAL_COUNT; i++)
		n += ci->stats.malformed[i];
	return n;
}

/* Where a capture was taken, in words (the JSON report's vantage_name()
 * identifiers are for programs). */
static const char *html_vantage_words(enum vantage v)
{
	static const char *const words[VANTAGE_COUNT] = {
		[VANTAGE_UNKNOWN] = "unknown",
		[VANTAGE_NEAR_CLIENT] = "near the client",
		[VANTAGE_NEAR_SERVER] = "near the server",
		[VANTAGE_MID_PATH] = "between the hosts",
		[VANTAGE_SAME_HOST] = "loopback, one host",
		[VANTAGE_MIXED] = "mixed (connections disagree)",
	};

	return (unsigned)v < VANTAGE_COUNT && words[v] ? words[v] : "unknown";
}

/* The vantage the captures agree on, or "mixed". */
static const char *html_vantage(const struct report_model *m)
{
	enum vantage v = VANTAGE_UNKNOWN;

	for (size_t i = 0; i < m->ncaptures; i++) {
		enum vantage c = capture_vantage(m->captures[i]);

		if (c == VANTAGE_UNKNOWN)
			continue;
		if (v != VANTAGE_UNKNOWN && v != c)
			return html_vantage_words(VANTAGE_MIXED);
		v = c;
	}
	return html_vantage_words(v);
}

/* The run's figures as tiles a reader takes in at a glance. */
static void html_run_facts(struct html *h, xmlNodePtr section)
{
	const struct report_model *m = h->m;
	uint64_t frames = 0, tcp = 0;
	char n[HTML_NUM_MAX], d[TIMEFMT_LEN];
	xmlNodePtr dl = html_el(h, section, "dl", "tiles"), dd;

	for (size_t i = 0; i < m->ncaptures; i++) {
		frames += m->captures[i]->stats.frames;
		tcp += m->captures[i]->stats.tcp;
	}
	html_term(h, dl, "duration",
		  html_duration(html_elapsed(h->first_ts_ns, h->last_ts_ns), d, sizeof(d)));
	html_term(h, dl, "packets", html_count(frames, n, sizeof(n)));
	html_term(h, dl, "TCP packets", html_count(tcp, n, sizeof(n)));
	html_term(h, dl, "connections", html_count(m->connections, n, sizeof(n)));
	html_term(h, dl, "peak open connections", html_count(m->stats->peak_open, n, sizeof(n)));
	dd = html_term(h, dl, "evicted", html_count(m->stats->evicted, n, sizeof(n)));
	if (m->stats->evicted)
		html_attr(h, dd, "title", "finalised early: the connection table was full "
			  "(--max-connections)");
	html_term(h, dl, "vantage point", html_vantage(m));
}

static void html_link_types(struct html *h, xmlNodePtr tr, const struct capture_info *ci)
{
	xmlNodePtr td = html_el(h, tr, "td", NULL);

	for (uint32_t i = 0; i < ci->nlinktypes && i < CAPTURE_MAX_LINKTYPES; i++) {
		if (i)
			html_text(h, td, ", ", 2);
		html_text(h, td, dissect_linktype_description(ci->linktypes[i]), 64);
	}
}

static void html_file_row(struct html *h, xmlNodePtr tbody, const struct capture_info *ci)
{
	char t[TIMEFMT_LEN];
	xmlNodePtr tr = html_el(h, tbody, "tr", NULL);

	html_text(h, html_el(h, html_el(h, tr, "td", NULL), "code", NULL), ci->file,
		  sizeof(ci->file));
	html_td(h, tr, ci->format[0] ? ci->format : "not read");
	html_link_types(h, tr, ci);
	html_td_num(h, tr, ci->snaplen);
	html_td(h, tr, ci->nanosecond ? "ns" : "\xc2\xb5s");
	html_td(h, tr, ci->stats.frames ? timefmt_iso(ci->first_ts_ns, t, sizeof(t)) : "");
	html_td(h, tr, html_duration(html_elapsed(ci->first_ts_ns, ci->last_ts_ns), t,
					sizeof(t)));
	html_td_num(h, tr, ci->stats.frames);
	html_td_num(h, tr, ci->stats.tcp);
	html_td_num(h, tr, ci->filtered);
	html_td_num(h, tr, html_malformed(ci));
	html_td(h, tr, html_vantage_words(capture_vantage(ci)));
}

static void html_files_table(struct html *h, xmlNodePtr section)
{
	static const char *const heads[] = {
		"file", "format", "link types", "snaplen", "timestamps", "first frame",
		"duration", "packets", "TCP", "filtered", "malformed", "vantage",
	};
	xmlNodePtr tbody = html_table(h, section, "files", heads, sizeof(heads) / sizeof(heads[0]));

	for (size_t i = 0; i < h->m->ncaptures; i++)
		html_file_row(h, tbody, h->m->captures[i]);
}

/* "FILE: " then the rest of a note about one capture. */
static xmlNodePtr html_note(struct html *h, xmlNodePtr ul, const struct capture_info *ci)
{
	xmlNodePtr li = html_el(h, ul, "li", NULL);

	html_text(h, html_el(h, li, "code", NULL), ci->file, sizeof(ci->file));
	html_text(h, li, ": ", 2);
	return li;
}

static size_t html_malformed_note(struct html *h, xmlNodePtr ul, const struct capture_info *ci)
{
	char n[HTML_NUM_MAX];
	const char *sep = " (";
	xmlNodePtr li;

	if (!html_malformed(ci))
		return 0;
	li = html_note(h, ul, ci);
	html_textf(h, li, "%s malformed frames, counted and skipped",
		   html_count(html_malformed(ci), n, sizeof(n)));
	for (int i = 0; i < MAL_COUNT; i++) {
		if (!ci->stats.malformed[i])
			continue;
		html_textf(h, li, "%s%s %s", sep, dissect_malformed_name((enum dissect_malformed)i),
			   html_count(ci->stats.malformed[i], n, sizeof(n)));
		sep = ", ";
	}
	html_text(h, li, ").", 2);
	return 1;
}

/* Whether a capture finding of this kind already speaks for capture index. */
static bool html_has_finding(const struct html *h, enum finding_kind code, uint32_t index)
{
	for (size_t i = 0; i < h->m->nfindings; i++)
		if (h->m->findings[i].code == code && h->m->findings[i].capture == index)
			return true;
	return false;
}

/* One line per fact that limits what the capture can show. */
static size_t html_capture_notes(struct html *h, xmlNodePtr ul, const struct capture_info *ci)
{
	char n[HTML_NUM_MAX];
	size_t notes = html_malformed_note(h, ul, ci);

	if (!ci->format[0]) {
		html_textf(h, html_note(h, ul, ci), "not read: %.*s.", (int)sizeof(ci->error),
			   ci->error);
		return notes + 1;
	}
	if (ci->damaged) {
		html_textf(h, html_note(h, ul, ci), "damaged after frame %" PRIu64 ": %.*s. The "
			   "analysis covers the frames before it.", ci->damaged_after_frame,
			   (int)sizeof(ci->error), ci->error);
		notes++;
	}
	if (ci->stats.truncated_tcp && !html_has_finding(h, KIND_CAPTURE_TRUNCATED, ci->index)) {
		html_textf(h, html_note(h, ul, ci), "%s TCP segments cut by the snap length (their "
			   "headers are whole).", html_count(ci->stats.truncated_tcp, n, sizeof(n)));
		notes++;
	}
	if (ci->stats.fragments) {
		html_textf(h, html_note(h, ul, ci), "%s IP fragments, counted, not reassembled.",
			   html_count(ci->stats.fragments, n, sizeof(n)));
		notes++;
	}
	if (ci->stats.unsupported) {
		html_textf(h, html_note(h, ul, ci), "%s frames of a link type or encapsulation "
			   "tcpautopsy does not decode.", html_count(ci->stats.unsupported, n,
								     sizeof(n)));
		notes++;
	}
	if (ci->filtered) {
		html_textf(h, html_note(h, ul, ci), "%s frames left out by the -f filter (counted "
			   "and numbered, not analysed).", html_count(ci->filtered, n, sizeof(n)));
		notes++;
	}
	return notes;
}

/* The capture findings (missed packets, mid-stream start, truncation,
 * duplicates): about the capture, never the network. */
static size_t html_quality_findings(struct html *h, xmlNodePtr ul)
{
	size_t notes = 0;

	for (size_t i = 0; i < h->m->nfindings; i++) {
		const struct finding *f = &h->m->findings[i];
		xmlNodePtr li;

		if (!f->scope || strcmp(f->scope, "capture") != 0)
			continue;
		li = html_el(h, ul, "li", NULL);
		html_badge(h, li, f->severity);
		html_text(h, li, f->summary, sizeof(f->summary));
		html_text(h, li, " ", 1);
		html_finding_ref(h, li, f->id);
		notes++;
	}
	return notes;
}

void html_capture(struct html *h, xmlNodePtr main)
{
	xmlNodePtr section = html_el(h, main, "section", NULL), ul;
	size_t notes = 0;

	html_attr(h, section, "id", "capture");
	html_el_text(h, section, "h2", NULL, "Capture");
	html_run_facts(h, section);
	html_el_text(h, section, "h3", NULL,
		     h->m->ncaptures == 1 ? "The file" : "The files, in the order read");
	html_files_table(h, section);
	html_el_text(h, section, "h3", NULL, "Capture quality");
	ul = html_el(h, section, "ul", "notes");
	notes += html_quality_findings(h, ul);
	for (size_t i = 0; i < h->m->ncaptures; i++)
		notes += html_capture_notes(h, ul, h->m->captures[i]);
	if (!notes)
		html_el_text(h, ul, "li", NULL, "Nothing to note: every frame was read and "
			     "decoded, and no connection shows a gap the capture missed.");
}
