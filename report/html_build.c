/*
 * html_build.c - the HTML report's node helpers (see html_build.h).
 */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dissect/dissect.h"
#include "report/html_build.h"
#include "report/timefmt.h"
#include "report/utf8.h"

/* --- nodes ------------------------------------------------------------------ */

static xmlNodePtr html_fail(struct html *h)
{
	h->failed = true;
	return NULL;
}

xmlNodePtr html_el(struct html *h, xmlNodePtr parent, const char *name, const char *cls)
{
	xmlNodePtr node;

	if (!parent)
		return NULL;
	node = xmlNewDocNode(h->doc, h->ns, BAD_CAST name, NULL);
	if (!node)
		return html_fail(h);
	if (!xmlAddChild(parent, node)) {
		xmlFreeNode(node);
		return html_fail(h);
	}
	if (cls)
		html_attr(h, node, "class", cls);
	return node;
}

/* A text node holding len bytes of s, cleaned when it has to be. */
static xmlNodePtr html_text_node(struct html *h, const char *s, size_t len)
{
	xmlNodePtr node;
	char *clean;

	if (utf8_clean_already(s, len, UTF8_NO_CONTROLS))
		return xmlNewDocTextLen(h->doc, BAD_CAST s, (int)len);
	clean = utf8_clean(s, len, UTF8_NO_CONTROLS);
	if (!clean)
		return NULL;
	node = xmlNewDocText(h->doc, BAD_CAST clean);
	free(clean);
	return node;
}

/* Appends len bytes of s (len fits an int: every caller bounds it). */
static void html_text_len(struct html *h, xmlNodePtr parent, const char *s, size_t len)
{
	xmlNodePtr node;

	if (!parent || !len)
		return;
	node = html_text_node(h, s, len);
	if (!node) {
		html_fail(h);
		return;
	}
	/* xmlAddChild() merges adjacent text nodes and frees node then. */
	if (!xmlAddChild(parent, node)) {
		xmlFreeNode(node);
		html_fail(h);
	}
}

void html_text(struct html *h, xmlNodePtr parent, const char *s, size_t max)
{
	/* libxml2 takes lengths as int. */
	if (s)
		html_text_len(h, parent, s, strnlen(s, max < INT_MAX / 4 ? max : INT_MAX / 4));
}

void html_textf(struct html *h, xmlNodePtr parent, const char *fmt, ...)
{
	char buf[HTML_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_text(h, parent, buf, sizeof(buf));
}

xmlNodePtr html_el_text(struct html *h, xmlNodePtr parent, const char *name, const char *cls,
			const char *text)
{
	xmlNodePtr node = html_el(h, parent, name, cls);

	html_text(h, node, text, HTML_TEXT_MAX);
	return node;
}

xmlNodePtr html_el_textf(struct html *h, xmlNodePtr parent, const char *name, const char *cls,
			 const char *fmt, ...)
{
	char buf[HTML_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return html_el_text(h, parent, name, cls, buf);
}

/* Explanations quote commands and filters between backquotes, as Markdown
 * does: those become <code>. An unpaired quote stays as it is. */
void html_prose(struct html *h, xmlNodePtr parent, const char *s, size_t max)
{
	size_t len = s ? strnlen(s, max) : 0, i = 0;

	while (i < len) {
		const char *open = memchr(s + i, '`', len - i);
		const char *close = open ? memchr(open + 1, '`', len - (size_t)(open + 1 - s)) : NULL;

		if (!close) {
			html_text_len(h, parent, s + i, len - i);
			return;
		}
		html_text_len(h, parent, s + i, (size_t)(open - (s + i)));
		html_text_len(h, html_el(h, parent, "code", NULL), open + 1,
			      (size_t)(close - open - 1));
		i = (size_t)(close + 1 - s);
	}
}

void html_attr(struct html *h, xmlNodePtr node, const char *name, const char *value)
{
	size_t len;
	char *clean = NULL;

	if (!node || !value)
		return;
	len = strnlen(value, HTML_TEXT_MAX);
	if (len == HTML_TEXT_MAX || !utf8_clean_already(value, len, UTF8_NO_CONTROLS)) {
		clean = utf8_clean(value, len, UTF8_NO_CONTROLS);
		if (!clean) {
			html_fail(h);
			return;
		}
		value = clean;
	}
	/* xmlSetProp, not xmlNewProp: a second class or id replaces the first. */
	if (!xmlSetProp(node, BAD_CAST name, BAD_CAST value))
		html_fail(h);
	free(clean);
}

void html_attrf(struct html *h, xmlNodePtr node, const char *name, const char *fmt, ...)
{
	char buf[HTML_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_attr(h, node, name, buf);
}

xmlNodePtr html_link(struct html *h, xmlNodePtr parent, const char *anchor, const char *text)
{
	xmlNodePtr a = html_el_text(h, parent, "a", NULL, text);

	html_attrf(h, a, "href", "#%s", anchor);
	return a;
}

/* --- tables ----------------------------------------------------------------- */

xmlNodePtr html_table(struct html *h, xmlNodePtr parent, const char *cls,
		      const char *const *heads, size_t nheads)
{
	xmlNodePtr wrap = html_el(h, parent, "div", "table-wrap");
	xmlNodePtr table = html_el(h, wrap, "table", cls);
	xmlNodePtr tr = html_el(h, html_el(h, table, "thead", NULL), "tr", NULL);

	for (size_t i = 0; i < nheads; i++)
		html_attr(h, html_el_text(h, tr, "th", NULL, heads[i]), "scope", "col");
	return html_el(h, table, "tbody", NULL);
}

xmlNodePtr html_td(struct html *h, xmlNodePtr tr, const char *text)
{
	return html_el_text(h, tr, "td", NULL, text);
}

xmlNodePtr html_td_num(struct html *h, xmlNodePtr tr, uint64_t v)
{
	char num[HTML_NUM_MAX];
	xmlNodePtr td = html_el_text(h, tr, "td", "num", html_count(v, num, sizeof(num)));

	html_attrf(h, td, "data-sort", "%" PRIu64, v);
	return td;
}

xmlNodePtr html_term(struct html *h, xmlNodePtr dl, const char *key, const char *value)
{
	xmlNodePtr div = html_el(h, dl, "div", NULL);

	html_el_text(h, div, "dt", NULL, key);
	return html_el_text(h, div, "dd", NULL, value);
}

/* --- words ------------------------------------------------------------------ */

char *html_count(uint64_t n, char *buf, size_t len)
{
	char digits[HTML_NUM_MAX];
	int nd = snprintf(digits, sizeof(digits), "%" PRIu64, n);
	size_t o = 0;

	for (int i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (len)
		buf[o < len ? o : len - 1] = '\0';
	return buf;
}

const char *html_plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

char *html_time(const struct html *h, int64_t ns, char *buf, size_t len)
{
	char iso[TIMEFMT_LEN];
	const char *t = strchr(timefmt_iso(ns, iso, sizeof(iso)), 'T');

	/* "2026-11-21T10:04:40.123456Z": the time of day is after the 'T'. */
	if (h->one_day && t) {
		snprintf(buf, len, "%.*s", (int)strcspn(t + 1, "Z"), t + 1);
		return buf;
	}
	snprintf(buf, len, "%s", iso);
	return buf;
}

char *html_duration(int64_t ns, char *buf, size_t len)
{
	size_t n;

	timefmt_duration(ns, buf, len);
	n = strlen(buf);
	/* The text report's "us" is ASCII for a terminal; a page can say µs. */
	if (n >= 3 && strcmp(buf + n - 3, " us") == 0 && n + 2 < len)
		memcpy(buf + n - 2, "\xc2\xb5s", 4);
	return buf;
}

int64_t html_elapsed(int64_t first, int64_t last)
{
	uint64_t d;

	if (last <= first)
		return 0;
	d = (uint64_t)last - (uint64_t)first;
	return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}

char *html_when(const struct html *h, int64_t ns, char *buf, size_t len)
{
	char iso[TIMEFMT_LEN];

	/* "2026-11-21T10:04:40.123456Z" -> "10:04:40" or "2026-11-21 10:04:40". */
	timefmt_iso(ns, iso, sizeof(iso));
	if (strlen(iso) < 20 || iso[strlen(iso) - 17] != 'T') {
		snprintf(buf, len, "%s", iso);	/* a year that is not four digits */
		return buf;
	}
	iso[strlen(iso) - 8] = '\0';
	iso[strlen(iso) - 9] = ' ';
	snprintf(buf, len, "%s", h->one_day ? iso + strlen(iso) - 8 : iso);
	return buf;
}

const char *html_sev_class(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return "sev-critical";
	case SEV_WARNING:
		return "sev-warning";
	default:
		return "sev-info";
	}
}

xmlNodePtr html_badge(struct html *h, xmlNodePtr parent, enum severity s)
{
	char cls[32];

	snprintf(cls, sizeof(cls), "badge %s", html_sev_class(s));
	return html_el_text(h, parent, "span", cls, severity_name(s));
}

/* --- lookups ---------------------------------------------------------------- */

const struct finding *html_finding(const struct html *h, uint64_t id)
{
	size_t lo = 0, hi = h->m->nfindings;

	/* report_finish() sorted the findings by id. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t v = h->m->findings[mid].id;

		if (v == id)
			return &h->m->findings[mid];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t html_damaged_captures(const struct report_model *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->ncaptures; i++)
		n += m->captures[i]->damaged || !m->captures[i]->format[0];
	return n;
}

void html_finding_ref(struct html *h, xmlNodePtr parent, uint64_t id)
{
	const struct finding *f = html_finding(h, id);
	char anchor[32], text[32];

	snprintf(text, sizeof(text), "#%" PRIu64, id);
	if (f && h->finding_shown && h->finding_shown[f - h->m->findings]) {
		snprintf(anchor, sizeof(anchor), "f%" PRIu64, id);
		html_link(h, parent, anchor, text);
	} else {
		html_text(h, parent, text, sizeof(text));
	}
}

void html_conn_ref(struct html *h, xmlNodePtr parent, uint64_t id)
{
	size_t lo = 0, hi = h->nconn_ids;
	char anchor[32], text[32];

	snprintf(text, sizeof(text), "#%" PRIu64, id);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->conn_ids[mid] == id) {
			snprintf(anchor, sizeof(anchor), "c%" PRIu64, id);
			html_link(h, parent, anchor, text);
			return;
		}
		if (h->conn_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	html_text(h, parent, text, sizeof(text));
}

const char *html_capture_file(const struct html *h, uint32_t i)
{
	return i < h->m->ncaptures ? h->m->captures[i]->file : NULL;
}
