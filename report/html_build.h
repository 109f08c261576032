/*
 * html_build.h - report/ internals: the HTML report's document while it is
 * built, and the helpers every part of the page builds nodes with.
 *
 * Every string goes into the tree as a text node or an attribute value, made
 * valid UTF-8 without control characters first (utf8.h), so libxml2 escapes
 * it when the page is serialised: nothing from a capture can become markup.
 *
 * Errors are sticky: a helper that cannot allocate sets h->failed and returns
 * NULL, and every helper given a NULL parent does nothing. The parts build
 * without checking each call; html.c checks h->failed once at the end.
 */
#ifndef TCPAUTOPSY_REPORT_HTML_BUILD_H
#define TCPAUTOPSY_REPORT_HTML_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "report/writer.h"

#if defined(__GNUC__)
#define HTML_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HTML_PRINTF(f, a)
#endif

#define HTML_ENDPOINT_MAX 80	/* "[v6 address]:65535" */
#define HTML_NUM_MAX 32		/* "18,446,744,073,709,551,615" */
#define HTML_TEXT_MAX 2048	/* one formatted text: more than any finding's text */

struct html_writer;
struct html_plan;

struct html {
	xmlDocPtr doc;
	xmlNsPtr ns;			/* XHTML, declared on the root */
	const struct report_model *m;
	const struct html_writer *w;	/* what was gathered while connections streamed */
	bool failed;			/* out of memory: the page is incomplete */

	/* The run's span, and whether it lies in one UTC day (times are then
	 * shown without their date, which the header gives once). */
	int64_t first_ts_ns;
	int64_t last_ts_ns;
	bool one_day;

	/* How the findings are grouped on the page (html_findings.c), and per
	 * finding of m->findings whether it is shown with an anchor (#fID). */
	struct html_plan *plan;
	bool *finding_shown;
	/* Ids of the connections in the connection table (#cID), sorted. */
	const uint64_t *conn_ids;
	size_t nconn_ids;
};

/* --- nodes ------------------------------------------------------------------ */

/* A new element <name class="cls"> appended to parent (cls may be NULL). */
xmlNodePtr html_el(struct html *h, xmlNodePtr parent, const char *name, const char *cls);
/* The same with text content. */
xmlNodePtr html_el_text(struct html *h, xmlNodePtr parent, const char *name, const char *cls,
			const char *text);
xmlNodePtr html_el_textf(struct html *h, xmlNodePtr parent, const char *name, const char *cls,
			 const char *fmt, ...) HTML_PRINTF(5, 6);
/* Appends at most max bytes of s as text. */
void html_text(struct html *h, xmlNodePtr parent, const char *s, size_t max);
void html_textf(struct html *h, xmlNodePtr parent, const char *fmt, ...) HTML_PRINTF(3, 4);
/* Appends s as text, with each `quoted` part (a command, a filter) as <code>. */
void html_prose(struct html *h, xmlNodePtr parent, const char *s, size_t max);
void html_attr(struct html *h, xmlNodePtr node, const char *name, const char *value);
void html_attrf(struct html *h, xmlNodePtr node, const char *name, const char *fmt, ...)
	HTML_PRINTF(4, 5);
/* <a href="#anchor">text</a>. */
xmlNodePtr html_link(struct html *h, xmlNodePtr parent, const char *anchor, const char *text);

/* --- tables ----------------------------------------------------------------- */

/* A <table> with one header row; returns its <tbody>. cls may name the
 * behaviours the page's script adds: "sortable", "filterable". */
xmlNodePtr html_table(struct html *h, xmlNodePtr parent, const char *cls,
		      const char *const *heads, size_t nheads);
/* A cell with text; a numeric cell (class "num") that sorts by its value. */
xmlNodePtr html_td(struct html *h, xmlNodePtr tr, const char *text);
xmlNodePtr html_td_num(struct html *h, xmlNodePtr tr, uint64_t v);
/* One term of a <dl>: <div><dt>key</dt><dd>value</dd></div>; returns the
 * <dd>. */
xmlNodePtr html_term(struct html *h, xmlNodePtr dl, const char *key, const char *value);

/* --- words ------------------------------------------------------------------ */

/* 1234567 -> "1,234,567". */
char *html_count(uint64_t n, char *buf, size_t len);
const char *html_plural(uint64_t n, const char *one, const char *many);
/* A capture time: "10:04:40.123456" when the run lies in one UTC day, else
 * "2026-11-21T10:04:40.123456Z". */
char *html_time(const struct html *h, int64_t ns, char *buf, size_t len);
/* The same to the second, for prose: "10:04:40", "2026-11-21 10:04:40". */
char *html_when(const struct html *h, int64_t ns, char *buf, size_t len);
/* timefmt_duration() with the micro sign: "731 µs", "1.2 s". */
char *html_duration(int64_t ns, char *buf, size_t len);
/* last - first, 0 when negative, saturated rather than overflowing: times
 * come from the capture and may be anything. */
int64_t html_elapsed(int64_t first, int64_t last);
/* "sev-critical", ... : the class that colours a severity. */
const char *html_sev_class(enum severity s);
/* A severity badge: <span class="badge sev-X">critical</span>. */
xmlNodePtr html_badge(struct html *h, xmlNodePtr parent, enum severity s);

/* --- lookups ---------------------------------------------------------------- */

/* The held finding with this id, or NULL. */
const struct finding *html_finding(const struct html *h, uint64_t id);
/* Captures that could not be read, or only up to some damage: what the page
 * says is then about the frames before the damage only. */
size_t html_damaged_captures(const struct report_model *m);
/* A link to finding #id when the page shows it, else the bare number. */
void html_finding_ref(struct html *h, xmlNodePtr parent, uint64_t id);
/* A link to connection #id when the connection table shows it, else the bare
 * number. */
void html_conn_ref(struct html *h, xmlNodePtr parent, uint64_t id);
/* The file name of capture index i, or NULL when there is none. */
const char *html_capture_file(const struct html *h, uint32_t i);

#endif
