/*
 * html_finding.c - one finding in full: what it says, what it is about, its
 * figures, its frames with a Wireshark filter to open them, and its ladder
 * diagram.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "report/html_parts.h"
#include "report/html_svg.h"
#include "report/timefmt.h"

#define HTML_FILTER_MAX 768	/* 4 addresses and 24 frame numbers fit */

void html_finding_where(const struct html *h, const struct finding *f, char *buf, size_t len)
{
	const char *file;

	if (f->server.family) {
		ip_endpoint_format(&f->server, f->server_port, buf, len);
		return;
	}
	file = html_capture_file(h, f->capture);
	snprintf(buf, len, "%s", file ? file : "the capture");
}

/* --- the Wireshark filter --------------------------------------------------- */

struct html_buf {
	char *s;
	size_t len, o;
};

static void html_buf_add(struct html_buf *b, const char *fmt, ...) HTML_PRINTF(2, 3);
static void html_buf_add(struct html_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->o >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->o, b->len - b->o, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->o += (size_t)n;
}

/* "ip.addr==192.0.2.1 && tcp.port==41234": one endpoint of the conversation.
 * Wireshark needs ipv6.addr for an IPv6 address. */
static void html_buf_endpoint(struct html_buf *b, const struct ip_addr *a, uint16_t port)
{
	char ip[HTML_ENDPOINT_MAX];

	html_buf_add(b, "%s%s==%s", b->o ? " && " : "",
		     a->family == AF_INET6 ? "ipv6.addr" : "ip.addr",
		     ip_endpoint_format(a, 0, ip, sizeof(ip)));
	if (port)
		html_buf_add(b, " && tcp.port==%u", (unsigned)port);
}

/* The Wireshark display filter that shows f's frames: both endpoints (the
 * server alone for a listener), and the frame numbers. */
static void html_finding_filter(const struct finding *f, char *buf, size_t len)
{
	struct html_buf b = { buf, len, 0 };
	uint32_t n = f->nframes < FINDING_MAX_FRAMES ? f->nframes : FINDING_MAX_FRAMES;

	buf[0] = '\0';
	if (f->has_client)
		html_buf_endpoint(&b, &f->client, f->client_port);
	if (f->server.family)
		html_buf_endpoint(&b, &f->server, f->server_port);
	if (!n)
		return;
	html_buf_add(&b, "%sframe.number in {", b.o ? " && " : "");
	for (uint32_t i = 0; i < n; i++)
		html_buf_add(&b, i ? " %" PRIu64 : "%" PRIu64, f->frames[i]);
	html_buf_add(&b, "}");
}

/* --- the parts of a card ---------------------------------------------------- */

/* <span class="fact"><b>key</b> value</span>; returns the span to add to. */
static xmlNodePtr html_meta(struct html *h, xmlNodePtr p, const char *key, const char *value)
{
	xmlNodePtr span = html_el(h, p, "span", "fact");

	html_el_text(h, span, "b", NULL, key);
	html_text(h, span, " ", 1);
	html_text(h, span, value, HTML_TEXT_MAX);
	return span;
}

static void html_card_when(struct html *h, xmlNodePtr p, const struct finding *f)
{
	char t[TIMEFMT_LEN], d[TIMEFMT_LEN];
	int64_t span = html_elapsed(f->first_ts_ns, f->last_ts_ns);
	xmlNodePtr s = html_meta(h, p, "time", html_time(h, f->first_ts_ns, t, sizeof(t)));

	html_attr(h, s, "title", timefmt_iso(f->first_ts_ns, t, sizeof(t)));
	if (span)
		html_textf(h, s, ", over %s", html_duration(span, d, sizeof(d)));
}

static void html_card_meta(struct html *h, xmlNodePtr article, const struct finding *f)
{
	char a[HTML_ENDPOINT_MAX], b[HTML_ENDPOINT_MAX];
	xmlNodePtr p = html_el(h, article, "p", "meta"), s;
	double c = f->confidence;

	if (f->has_client) {
		html_meta(h, p, "client", ip_endpoint_format(&f->client, f->client_port, a, sizeof(a)));
		html_meta(h, p, "server", ip_endpoint_format(&f->server, f->server_port, b, sizeof(b)));
	} else {
		html_finding_where(h, f, a, sizeof(a));
		html_meta(h, p, f->server.family ? (f->server_port ? "listener" : "host")
						 : "capture", a);
	}
	html_card_when(h, p, f);
	if (f->connection) {
		s = html_meta(h, p, "connection", "");
		html_conn_ref(h, s, f->connection);
	}
	if (f->related) {
		s = html_meta(h, p, "earlier connection", "");
		html_conn_ref(h, s, f->related);
	}
	/* NaN fails both comparisons: no confidence shown rather than a wrong one. */
	if (c >= 0.0 && c <= 1.0) {
		char pct[8];

		snprintf(pct, sizeof(pct), "%d%%", (int)(c * 100.0 + 0.5));
		html_meta(h, p, "confidence", pct);
	}
}

static void html_evidence_value(const struct evidence *e, char *buf, size_t len)
{
	switch (e->type) {
	case EVIDENCE_INT:
		snprintf(buf, len, "%" PRId64, e->v.i);
		return;
	case EVIDENCE_REAL:
		if (isfinite(e->v.r))
			snprintf(buf, len, "%.6g", e->v.r);
		else
			snprintf(buf, len, "n/a");
		return;
	case EVIDENCE_TEXT:
		snprintf(buf, len, "%.*s", (int)sizeof(e->v.text), e->v.text);
		return;
	case EVIDENCE_BOOL:
		snprintf(buf, len, "%s", e->v.b ? "yes" : "no");
		return;
	}
	snprintf(buf, len, "?");
}

/* s as text that may wrap after each '_', ',' and '+', so that
 * "handshakes_waiting_at_first_overflow" or "0.204,0.208,0.412" fit a narrow
 * column without being cut anywhere else: each piece is an inline block
 * (dl.figures span), and a line may break between two. Not <wbr>: libxml2
 * would write it <wbr></wbr>, and copying the text must give it back whole
 * (no zero-width spaces). */
static void html_breakable(struct html *h, xmlNodePtr parent, const char *s)
{
	size_t n;

	if (!s[strcspn(s, "_,+")]) {
		html_text(h, parent, s, HTML_TEXT_MAX);
		return;
	}
	/* The last piece as plain text: an element with a text child is written
	 * on one line, with no indentation between the pieces to show as spaces. */
	while (*s) {
		n = strcspn(s, "_,+");
		n += s[n] != '\0';
		html_text(h, s[n] ? html_el(h, parent, "span", NULL) : parent, s, n);
		s += n;
	}
}

/* The figures, keyed as in the JSON report so a reader can find them there. */
static void html_card_figures(struct html *h, xmlNodePtr parent, const struct finding *f)
{
	uint32_t n = f->nevidence < FINDING_MAX_EVIDENCE ? f->nevidence : FINDING_MAX_EVIDENCE;
	xmlNodePtr dl, div;

	if (!n)
		return;
	dl = html_el(h, parent, "dl", "figures");
	for (uint32_t i = 0; i < n; i++) {
		char v[96];

		if (!f->evidence[i].name)
			continue;
		html_evidence_value(&f->evidence[i], v, sizeof(v));
		div = html_el(h, dl, "div", NULL);
		html_breakable(h, html_el(h, div, "dt", NULL), f->evidence[i].name);
		html_breakable(h, html_el(h, div, "dd", NULL), v);
	}
}

static void html_card_frames(struct html *h, xmlNodePtr parent, const struct finding *f)
{
	uint32_t n = f->nframes < FINDING_MAX_FRAMES ? f->nframes : FINDING_MAX_FRAMES;
	const char *file = html_capture_file(h, f->capture);
	char filter[HTML_FILTER_MAX];
	xmlNodePtr p;

	if (!n)
		return;
	p = html_el(h, parent, "p", "frames");
	html_el_text(h, p, "b", NULL, n == 1 ? "Frame " : "Frames ");
	for (uint32_t i = 0; i < n; i++)
		html_textf(h, p, i ? " %" PRIu64 : "%" PRIu64, f->frames[i]);
	if (file && h->m->ncaptures > 1) {
		html_text(h, p, " of ", 4);
		html_el_text(h, p, "code", NULL, file);
	}
	html_finding_filter(f, filter, sizeof(filter));
	p = html_el(h, parent, "p", "filter");
	html_el_text(h, p, "b", NULL, "Wireshark filter");
	html_el_text(h, p, "code", "filter", filter);
}

/* Whether the packet log kept any of f's frames: a listener's summary lists
 * frames of many connections, which a ladder could only show as gaps. */
static bool html_has_notes(const struct finding *f)
{
	uint32_t n = f->nframes < FINDING_MAX_FRAMES ? f->nframes : FINDING_MAX_FRAMES;

	for (uint32_t i = 0; i < n; i++)
		if (f->packets[i].frame && f->packets[i].frame == f->frames[i])
			return true;
	return false;
}

void html_finding_card(struct html *h, xmlNodePtr parent, const struct finding *f)
{
	/* A ladder needs the two ends of a conversation (a finding about a whole
	 * capture has none) and packets to draw; without one the text takes the
	 * card's width. */
	bool ladder = f->nframes && f->server.family && html_has_notes(f);
	char cls[64];
	xmlNodePtr article, head, cols, side, fig;

	snprintf(cls, sizeof(cls), "finding %s", html_sev_class(f->severity));
	article = html_el(h, parent, "article", cls);
	html_attrf(h, article, "id", "f%" PRIu64, f->id);
	head = html_el(h, article, "h4", NULL);
	html_badge(h, head, f->severity);
	html_el_textf(h, head, "span", "fid", "#%" PRIu64, f->id);
	html_text(h, head, f->summary, sizeof(f->summary));
	html_card_meta(h, article, f);

	cols = ladder ? html_el(h, article, "div", "cols") : article;
	side = html_el(h, cols, "div", ladder ? "text" : "text solo");
	html_prose(h, html_el(h, side, "p", "explanation"), f->explanation,
		   sizeof(f->explanation));
	html_card_frames(h, side, f);
	html_card_figures(h, side, f);
	if (!ladder)
		return;
	fig = html_el(h, cols, "figure", "ladder");
	if (fig && !svg_ladder(fig, f))
		h->failed = true;
}
