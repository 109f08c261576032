/*
 * test_html_svg.c - the HTML report's pictures, read back as XML: each one is
 * built into an XHTML page, serialised, parsed again and queried with XPath,
 * so the checks are about the SVG a browser gets (well-formed, in the SVG
 * namespace, escaped), not about the builder's calls. Also the integer
 * arithmetic behind the axes, and determinism.
 *
 * SVG_SAMPLE=/tmp/x.xhtml writes a sample page with every picture, to look at
 * in a browser (see the end of main).
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "report/html_svg.h"
#include "report/html_svg_draw.h"
#include "tests/unit/check.h"

#define SVG_NS "http://www.w3.org/2000/svg"
#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define T0 INT64_C(1795255480123456789)	/* 2026-11-21T10:04:40.123456789Z */
#define MS INT64_C(1000000)
#define SEC INT64_C(1000000000)

/* --- a page to draw in ---------------------------------------------------- */

struct page {
	xmlDocPtr doc;
	xmlNodePtr body;
};

static struct page page_new(void)
{
	struct page p;
	xmlNodePtr html;
	xmlNsPtr ns;

	p.doc = xmlNewDoc((const xmlChar *)"1.0");
	html = xmlNewDocNode(p.doc, NULL, (const xmlChar *)"html", NULL);
	ns = xmlNewNs(html, (const xmlChar *)XHTML_NS, NULL);
	xmlSetNs(html, ns);
	xmlDocSetRootElement(p.doc, html);
	p.body = xmlNewChild(html, ns, (const xmlChar *)"body", NULL);
	return p;
}

/* The node serialised on its own, as the page would hold it. */
static char *dump_node(xmlNodePtr n)
{
	xmlBufferPtr b = xmlBufferCreate();
	char *s;

	xmlNodeDump(b, n->doc, n, 0, 0);
	s = strdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

/* The page written and parsed back: what a browser reading it as XML sees.
 * NULL when it is not well-formed. */
static xmlDocPtr page_reparse(struct page *p)
{
	xmlChar *mem;
	int len;
	xmlDocPtr back;

	xmlDocDumpMemoryEnc(p->doc, &mem, &len, "UTF-8");
	back = xmlReadMemory((const char *)mem, len, "page.xhtml", NULL, XML_PARSE_NONET);
	xmlFree(mem);
	return back;
}

static double xpath_num(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	double v = -1;

	xmlXPathRegisterNs(ctx, (const xmlChar *)"s", (const xmlChar *)SVG_NS);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"h", (const xmlChar *)XHTML_NS);
	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (o && o->type == XPATH_NUMBER)
		v = o->floatval;
	else
		fprintf(stderr, "xpath %s: not a number\n", expr);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return v;
}

static int xcount(xmlDocPtr doc, const char *expr)
{
	char q[512];

	snprintf(q, sizeof(q), "count(%s)", expr);
	return (int)xpath_num(doc, q);
}

/* The text of the n-th (1-based) match of a path, into buf. */
static const char *xtext(xmlDocPtr doc, const char *expr, char *buf, size_t len)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	char q[512];

	snprintf(q, sizeof(q), "string(%s)", expr);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"s", (const xmlChar *)SVG_NS);
	o = xmlXPathEvalExpression((const xmlChar *)q, ctx);
	snprintf(buf, len, "%s", o && o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return buf;
}

/* Every coordinate-like attribute is a plain integer in a sane range: no
 * NaN, no infinity, no exponent, nothing past the picture's extent. */
static int bad_numbers(xmlNodePtr n)
{
	static const char *const names[] = { "x", "y", "x1", "y1", "x2", "y2", "width",
					     "height", "cx", "cy", "r", "textLength" };
	int bad = 0;

	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			xmlChar *v = xmlGetProp(n, (const xmlChar *)names[i]);
			char *end;
			long long k;

			if (!v)
				continue;
			k = strtoll((const char *)v, &end, 10);
			if (*end || end == (char *)v || k < 0 || k > 20000) {
				fprintf(stderr, "bad %s=\"%s\" on <%s>\n", names[i], v, n->name);
				bad++;
			}
			xmlFree(v);
		}
		bad += bad_numbers(n->children);
	}
	return bad;
}

/* --- findings ------------------------------------------------------------ */

static void set_addr(struct ip_addr *a, const char *text)
{
	memset(a, 0, sizeof(*a));
	a->family = strchr(text, ':') ? AF_INET6 : AF_INET;
	inet_pton(a->family, text, a->bytes);
}

static struct finding *finding_new(void)
{
	struct finding *f = calloc(1, sizeof(*f));

	f->id = 7;
	f->kind = "accept_queue_overflow";
	f->has_client = true;
	set_addr(&f->client, "192.0.2.1");
	f->client_port = 51000;
	set_addr(&f->server, "192.0.2.2");
	f->server_port = 8080;
	snprintf(f->summary, sizeof(f->summary), "192.0.2.2:8080 never accepted the connection");
	return f;
}

struct pkt {
	uint64_t frame;
	int64_t at_ns;
	int dir;
	uint16_t flags;
	uint32_t seq, ack, len, win, events;
	uint8_t cs, ss;		/* client's and server's state after it */
};

static void add_note(struct finding *f, const struct pkt *k)
{
	uint32_t i = f->nframes++;
	struct packet_note *p = &f->packets[i];

	f->frames[i] = k->frame;
	p->frame = k->frame;
	p->ts_ns = T0 + k->at_ns;
	p->dir = (uint8_t)k->dir;
	p->flags = k->flags;
	p->seq = k->seq;
	p->ack = k->ack;
	p->len = k->len;
	p->window = k->win;
	p->events = k->events;
	p->state_after[0] = k->cs;
	p->state_after[1] = k->ss;
	p->seq_relative = p->ack_relative = true;
}

static void add_bare_frame(struct finding *f, uint64_t frame)
{
	f->frames[f->nframes++] = frame;
}

/* The accept-queue overflow as a capture at the client shows it: the client
 * is ESTABLISHED and sends its request; the server, its queue full, sits in
 * SYN-RECEIVED re-sending its SYN-ACK, and finally resets. */
static struct finding *overflow_finding(void)
{
	static const struct pkt pkts[] = {
		{ 1, 0, DIR_C2S, TH_SYN, 0, 0, 0, 64240, SEG_NEW_DATA, TCP_SYN_SENT,
		  TCP_SYN_RECEIVED },
		{ 2, 120000, DIR_S2C, TH_SYN | TH_ACK, 0, 1, 0, 65160, SEG_NEW_DATA,
		  TCP_ESTABLISHED, TCP_SYN_RECEIVED },
		{ 3, 180000, DIR_C2S, TH_ACK, 1, 1, 0, 502, 0, TCP_ESTABLISHED, TCP_SYN_RECEIVED },
		{ 4, 250000, DIR_C2S, TH_PUSH | TH_ACK, 1, 1, 100, 502, SEG_NEW_DATA,
		  TCP_ESTABLISHED, TCP_SYN_RECEIVED },
		{ 9, 1024 * MS, DIR_S2C, TH_SYN | TH_ACK, 0, 1, 0, 65160,
		  SEG_SYNACK_RETRANS_TIMER, TCP_ESTABLISHED, TCP_SYN_RECEIVED },
		{ 12, 1230 * MS, DIR_C2S, TH_PUSH | TH_ACK, 1, 1, 100, 502, SEG_RETRANSMISSION,
		  TCP_ESTABLISHED, TCP_SYN_RECEIVED },
		{ 20, 5430 * MS, DIR_S2C, TH_SYN | TH_ACK, 0, 1, 0, 65160,
		  SEG_SYNACK_RETRANS_TIMER | SEG_ZERO_WINDOW, TCP_ESTABLISHED, TCP_SYN_RECEIVED },
		{ 30, 5500 * MS, DIR_S2C, TH_RST, 1, 0, 0, 0, SEG_RST_STATELESS, TCP_CLOSED,
		  TCP_CLOSED },
	};
	struct finding *f = finding_new();

	for (size_t i = 0; i < sizeof(pkts) / sizeof(pkts[0]); i++) {
		if (i == 6)
			add_bare_frame(f, 15);
		add_note(f, &pkts[i]);
	}
	f->first_ts_ns = T0;
	f->last_ts_ns = T0 + 5500 * MS;
	return f;
}

/* --- the ladder ---------------------------------------------------------- */

static void test_ladder_story(void)
{
	struct page p = page_new();
	struct finding *f = overflow_finding();
	xmlNodePtr svg = svg_ladder(p.body, f);
	xmlDocPtr d;
	char t[256];

	CHECK(svg != NULL);
	CHECK(svg && p.body->last == svg);
	CHECK(svg && svg->ns && strcmp((const char *)svg->ns->href, SVG_NS) == 0);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (!d)
		goto out;
	/* One <svg> in the SVG namespace, in the XHTML body. */
	CHECK_INT(xcount(d, "/h:html/h:body/s:svg"), 1);
	CHECK_INT(xcount(d, "//s:svg[1]/*[1][self::s:title]"), 1);
	/* One arrow per note; the frame without a note is a dashed row. */
	CHECK_INT(xcount(d, "//s:line[@class='lad-arrow']"), 8);
	CHECK_INT(xcount(d, "//s:polygon[@class='lad-head']"), 8);
	CHECK_INT(xcount(d, "//s:g[@class='lad-missing']"), 1);
	CHECK_STR(xtext(d, "//s:text[@class='lad-missing-text']", t, sizeof(t)),
		  "frame 15 (not kept in the packet log)");
	/* tcpdump's words. */
	CHECK_STR(xtext(d, "(//s:text[@class='lad-label'])[1]", t, sizeof(t)),
		  "[S] seq 0 win 64240 len 0");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-label'])[2]", t, sizeof(t)),
		  "[S.] seq 0 ack 1 win 65160 len 0");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-label'])[3]", t, sizeof(t)),
		  "[.] ack 1 win 502 len 0");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-label'])[4]", t, sizeof(t)),
		  "[P.] seq 1:101 ack 1 win 502 len 100");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-label'])[8]", t, sizeof(t)),
		  "[R] seq 1 win 0 len 0");
	/* Directions, resets and retransmissions have their classes. */
	CHECK_INT(xcount(d, "//s:g[contains(@class,'lad-c2s')]"), 4);
	CHECK_INT(xcount(d, "//s:g[contains(@class,'lad-s2c')]"), 4);
	CHECK_INT(xcount(d, "//s:g[contains(@class,'lad-rst')]/s:line"), 1);
	CHECK_INT(xcount(d, "//s:g[contains(@class,'lad-pkt') and contains(@class,'lad-retrans')]"),
		  3);
	/* The arrow of a server packet runs right to left. */
	CHECK(xpath_num(d, "number((//s:line[@class='lad-arrow'])[2]/@x1)") >
	      xpath_num(d, "number((//s:line[@class='lad-arrow'])[2]/@x2)"));
	CHECK(xpath_num(d, "number((//s:line[@class='lad-arrow'])[1]/@x1)") <
	      xpath_num(d, "number((//s:line[@class='lad-arrow'])[1]/@x2)"));
	/* Times from the first packet, frame numbers. */
	CHECK_STR(xtext(d, "(//s:text[@class='lad-time'])[1]", t, sizeof(t)), "+0.000 ms");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-time'])[2]", t, sizeof(t)), "+0.120 ms");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-time'])[5]", t, sizeof(t)), "+1.024 s");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-frame'])[5]", t, sizeof(t)), "#9");
	/* Events, in words, as tags. */
	CHECK_STR(xtext(d, "(//s:text[@class='lad-tag-text'])[1]", t, sizeof(t)),
		  "synack retransmission timer");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-tag-text'])[3]", t, sizeof(t)),
		  "zero window, synack retransmission timer");
	CHECK_INT(xcount(d, "//s:text[@class='lad-tag-text' and contains(.,'new data')]"), 0);
	/* States, written where they change: the client's SYN-SENT,
	 * ESTABLISHED, CLOSED; the server's SYN-RECEIVED (once, however long
	 * it lasts) and CLOSED. */
	CHECK_INT(xcount(d, "//s:text[@class='lad-state']"), 5);
	CHECK_INT(xcount(d, "//s:text[@class='lad-state' and .='SYN-RECEIVED']"), 1);
	CHECK_INT(xcount(d, "//s:text[@class='lad-state' and .='ESTABLISHED']"), 1);
	CHECK_INT(xcount(d, "//s:text[@class='lad-state' and .='CLOSED']"), 2);
	CHECK_INT(xcount(d, "//s:rect[@class='lad-band st-connecting']"), 2);
	CHECK_INT(xcount(d, "//s:rect[@class='lad-band st-established']"), 1);
	/* The server's SYN-RECEIVED band runs from its first to its last row,
	 * across the client's ESTABLISHED one. */
	CHECK(xpath_num(d, "number((//s:rect[@class='lad-band st-connecting'])[2]/@height)") >
	      300);
	/* The silences of a second or more (the SYN-ACK timer's 1 s, then
	 * 4.2 s) are breaks; shorter ones are not. */
	CHECK_INT(xcount(d, "//s:text[@class='lad-break']"), 2);
	CHECK_STR(xtext(d, "(//s:text[@class='lad-break'])[1]", t, sizeof(t)),
		  "\xe2\x80\xa6 1.0 s \xe2\x80\xa6");
	CHECK_STR(xtext(d, "(//s:text[@class='lad-break'])[2]", t, sizeof(t)),
		  "\xe2\x80\xa6 4.2 s \xe2\x80\xa6");
	CHECK_INT(xcount(d, "//s:line[@class='lad-lane lad-lane-gap']"), 4);
	/* The legend names what was drawn. */
	CHECK_INT(xcount(d, "//s:g[@class='lad-legend']/s:text"), 5);
	/* Endpoints in the header; the summary as the description. */
	CHECK_INT(xcount(d, "//s:text[@class='lad-host' and .='192.0.2.1:51000']"), 1);
	CHECK_INT(xcount(d, "//s:text[@class='lad-host' and .='192.0.2.2:8080']"), 1);
	CHECK_INT(xcount(d, "//s:text[@class='lad-role' and .='client']"), 1);
	CHECK_STR(xtext(d, "//s:desc", t, sizeof(t)),
		  "192.0.2.2:8080 never accepted the connection");
	CHECK_INT(bad_numbers(xmlDocGetRootElement(d)), 0);
	xmlFreeDoc(d);
out:
	xmlFreeDoc(p.doc);
	free(f);
}

static void test_ladder_hostile(void)
{
	static const struct pkt k = { 5, 0, DIR_C2S, TH_ACK, 1, 1, 0, 1000, 0, TCP_ESTABLISHED,
				      TCP_ESTABLISHED };
	static const char hostile[] = "<script>&amp;\x01\xff</script>";
	struct page p = page_new();
	struct finding *f = finding_new();
	xmlNodePtr svg;
	xmlDocPtr d;
	char *s, t[512];

	f->kind = "evil\"<kind>&";
	set_addr(&f->client, "2001:db8::1");
	set_addr(&f->server, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
	f->server_port = 65535;
	/* Markup, an entity, a control character, invalid UTF-8, and no
	 * terminating NUL in the whole array. */
	memset(f->summary, 'A', sizeof(f->summary));
	memcpy(f->summary, hostile, sizeof(hostile) - 1);
	finding_text(f, "label", "<script>&");
	add_note(f, &k);
	svg = svg_ladder(p.body, f);
	CHECK(svg != NULL);
	s = svg ? dump_node(svg) : strdup("");
	CHECK(strstr(s, "<script>") == NULL);
	CHECK(strstr(s, "&lt;script&gt;&amp;amp;") != NULL);
	CHECK(strstr(s, "evil&quot;&lt;kind&gt;&amp;") != NULL ||
	      strstr(s, "evil\"&lt;kind&gt;&amp;") != NULL);
	free(s);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (d) {
		xtext(d, "//s:desc", t, sizeof(t));
		/* Each refused byte is one U+FFFD (3 bytes), and the whole array
		 * is read, no further. */
		CHECK(strncmp(t, "<script>&amp;\xef\xbf\xbd\xef\xbf\xbd</script>AAA", 31) == 0);
		CHECK_INT(strlen(t), sizeof(f->summary) + 2 * 2);
		CHECK_INT(xcount(d, "//s:text[@class='lad-host' and .='[2001:db8::1]:51000']"), 1);
		CHECK_INT(xcount(d, "//s:text[@class='lad-host' and "
				    ".='[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:65535']"),
			  1);
		CHECK_INT(xcount(d, "//s:line[@class='lad-arrow']"), 1);
		CHECK_INT(bad_numbers(xmlDocGetRootElement(d)), 0);
		xmlFreeDoc(d);
	}
	xmlFreeDoc(p.doc);
	free(f);
}

static void test_ladder_no_frames(void)
{
	struct page p = page_new();
	struct finding *f = finding_new();

	CHECK(svg_ladder(p.body, f) == NULL);
	CHECK(p.body->children == NULL);
	CHECK(svg_ladder(p.body, NULL) == NULL);
	xmlFreeDoc(p.doc);
	free(f);
}

/* 24 frames (and a count claiming more), notes out of order, notes that
 * are not about their frame, states and directions out of range. */
static void test_ladder_full_and_odd(void)
{
	struct page p = page_new();
	struct finding *f = finding_new();
	xmlDocPtr d;
	char t[256];

	for (uint32_t i = 0; i < FINDING_MAX_FRAMES; i++) {
		/* Listed backwards: the rows come out in frame order. */
		struct pkt k = { 100 - i, (int64_t)(FINDING_MAX_FRAMES - i) * MS,
				 (int)(i % 2), TH_ACK, 1, 1, i, 502, 0, TCP_ESTABLISHED,
				 TCP_ESTABLISHED };

		add_note(f, &k);
	}
	f->packets[3].frame = 12345;		/* about another frame: not used */
	f->packets[5].state_after[1] = 200;	/* no such state */
	f->packets[6].flags = 0;
	f->packets[6].events = 1u << 30 | SEG_KEEPALIVE;	/* an unknown bit */
	f->packets[7].dir = 7;
	f->nframes = 1000;			/* hostile: past the array */
	CHECK(svg_ladder(p.body, f) != NULL);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (d) {
		CHECK_INT(xcount(d, "//s:line[@class='lad-arrow']"), FINDING_MAX_FRAMES - 1);
		CHECK_INT(xcount(d, "//s:g[@class='lad-missing']"), 1);
		CHECK_STR(xtext(d, "(//s:text[@class='lad-frame'])[1]", t, sizeof(t)), "#77");
		CHECK_STR(xtext(d, "(//s:text[@class='lad-frame'])[24]", t, sizeof(t)), "#100");
		CHECK_STR(xtext(d, "(//s:text[@class='lad-time'])[1]", t, sizeof(t)), "+0.000 ms");
		CHECK_INT(xcount(d, "//s:text[@class='lad-state' and .='UNKNOWN']"), 1);
		CHECK_INT(xcount(d, "//s:rect[@class='lad-band st-unknown']"), 1);
		CHECK_INT(xcount(d, "//s:text[@class='lad-label' and starts-with(.,'[none]')]"),
			  1);
		CHECK_INT(xcount(d, "//s:text[@class='lad-tag-text' and .='keepalive']"), 1);
		CHECK_INT(xcount(d, "//s:rect[@class='lad-tag lad-tag-benign']"), 1);
		CHECK_INT(bad_numbers(xmlDocGetRootElement(d)), 0);
		xmlFreeDoc(d);
	}
	xmlFreeDoc(p.doc);
	free(f);
}

/* A finding about a whole listener: no one client. */
static void test_ladder_listener(void)
{
	static const struct pkt k = { 3, 0, DIR_S2C, TH_RST | TH_ACK, 0, 1, 0, 0,
				      SEG_RST_EXACT, TCP_CLOSED, TCP_CLOSED };
	struct page p = page_new();
	struct finding *f = finding_new();
	xmlDocPtr d;

	f->has_client = false;
	memset(&f->client, 0, sizeof(f->client));
	f->client_port = 0;
	add_note(f, &k);
	add_bare_frame(f, 4);
	CHECK(svg_ladder(p.body, f) != NULL);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (d) {
		CHECK_INT(xcount(d, "//s:text[@class='lad-role' and .='clients']"), 1);
		CHECK_INT(xcount(d, "//s:text[@class='lad-host']"), 1);
		CHECK_INT(xcount(d, "//s:line[@class='lad-arrow']"), 1);
		CHECK_INT(xcount(d, "//s:text[@class='lad-label' and "
				    ".='[R.] seq 0 ack 1 win 0 len 0']"),
			  1);
		xmlFreeDoc(d);
	}
	xmlFreeDoc(p.doc);
	free(f);
}

/* --- charts -------------------------------------------------------------- */

static const struct svg_bar hostile_bars[] = {
	{ "ESTABLISHED", 12, "st-established" },
	{ "<script>alert(1)</script>&", UINT64_MAX, "x\" onload=\"alert(1)" },
	{ "CLOSE-WAIT \x01\xc3", 0, NULL },
	{ NULL, 3, NULL },
};

static void test_bars(void)
{
	struct page p = page_new();
	xmlDocPtr d;
	char *s;
	char t[256];

	CHECK(svg_bars(p.body, "States", hostile_bars, 4, "ms") != NULL);
	CHECK(svg_bars(p.body, "Nothing", NULL, 0, NULL) != NULL);
	CHECK(svg_bars(p.body, "One", hostile_bars, 1, NULL) != NULL);
	s = dump_node(p.body);
	CHECK(strstr(s, "<script>") == NULL);
	CHECK(strstr(s, "\" onload=") == NULL);
	free(s);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (!d)
		goto out;
	CHECK_INT(xcount(d, "//s:svg"), 3);
	CHECK_INT(xcount(d, "//@onload"), 0);
	CHECK_INT(xcount(d, "//s:svg[1]//s:rect[contains(@class,'chart-bar')]"), 4);
	/* The largest value fills the room; the others are in proportion
	 * without overflowing (12 of 2^64 is nothing). */
	CHECK(xpath_num(d, "number((//s:svg[1]//s:rect)[2]/@width)") > 250);
	/* ...leaving room for its value within the picture. */
	CHECK(xpath_num(d, "number((//s:svg[1]//s:rect)[2]/@x) + "
			   "number((//s:svg[1]//s:rect)[2]/@width)") <= 640 - 6 - 23 * 6.6);
	CHECK_INT(xpath_num(d, "number((//s:svg[1]//s:rect)[1]/@width)"), 0);
	CHECK_STR(xtext(d, "(//s:svg[1]//s:text[@class='chart-value'])[2]", t, sizeof(t)),
		  "18446744073709551615 ms");
	CHECK_STR(xtext(d, "(//s:svg[1]//s:text[@class='chart-label'])[2]", t, sizeof(t)),
		  "<script>alert(1)</script>&");
	CHECK_STR(xtext(d, "(//s:svg[1]//s:text[@class='chart-label'])[3]", t, sizeof(t)),
		  "CLOSE-WAIT \xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(xtext(d, "(//s:svg[1]//s:rect)[1]/@class", t, sizeof(t)),
		  "chart-bar st-established");
	CHECK_STR(xtext(d, "//s:svg[2]//s:text[@class='chart-empty']", t, sizeof(t)), "no data");
	CHECK_INT(xcount(d, "//s:svg[3]//s:rect[contains(@class,'chart-bar')]"), 1);
	CHECK(xpath_num(d, "number(//s:svg[3]//s:rect/@width)") > 300);
	CHECK_INT(bad_numbers(xmlDocGetRootElement(d)), 0);
	xmlFreeDoc(d);
out:
	xmlFreeDoc(p.doc);
}

static void test_histogram(void)
{
	struct page p = page_new();
	struct svg_bar many[1000];
	char labels[1000][16];
	xmlDocPtr d;
	char t[256];

	for (int i = 0; i < 1000; i++) {
		snprintf(labels[i], sizeof(labels[i]), "%d ms", i * 10);
		many[i] = (struct svg_bar){ labels[i], (uint64_t)(i % 17) * 1000, NULL };
	}
	CHECK(svg_histogram(p.body, "RTT", many, 10, "handshake RTT") != NULL);
	CHECK(svg_histogram(p.body, "All", many, 1000, NULL) != NULL);
	CHECK(svg_histogram(p.body, "Huge", hostile_bars, 4, "<x>") != NULL);
	CHECK(svg_histogram(p.body, "One", many + 3, 1, NULL) != NULL);
	CHECK(svg_histogram(p.body, "None", many, 0, NULL) != NULL);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (!d)
		goto out;
	CHECK_INT(xcount(d, "//s:svg[1]//s:rect[@class='chart-bar']"), 10);
	/* Round ticks: 0 to 10000 by 2000 for values up to 9000. */
	CHECK_STR(xtext(d, "(//s:svg[1]//s:text[@class='chart-tick'])[1]", t, sizeof(t)), "0");
	CHECK_STR(xtext(d, "(//s:svg[1]//s:text[@class='chart-tick'])[6]", t, sizeof(t)), "10000");
	CHECK_INT(xcount(d, "//s:svg[1]//s:text[@class='chart-tick' and .='90 ms']"), 1);
	/* Capped, and says so; labels thinned. */
	CHECK_INT(xcount(d, "//s:svg[2]//s:rect[@class='chart-bar']"),
		  SVG_CHART_W - SVG_CHART_LEFT - SVG_CHART_RIGHT);
	CHECK_INT(xcount(d, "//s:svg[2]//s:text[.='444 more bins not shown']"), 1);
	CHECK(xcount(d, "//s:svg[2]//s:text[@class='chart-tick']") < 20);
	/* 2^64 - 1 keeps an axis. */
	CHECK_INT(xcount(d, "//s:svg[3]//s:text[@class='chart-tick' and .='15E']"), 1);
	CHECK_STR(xtext(d, "//s:svg[3]//s:text[@class='chart-caption']", t, sizeof(t)), "<x>");
	CHECK_INT(xcount(d, "//s:svg[4]//s:rect[@class='chart-bar']"), 1);
	CHECK_STR(xtext(d, "//s:svg[5]//s:text[@class='chart-empty']", t, sizeof(t)), "no data");
	CHECK_INT(bad_numbers(xmlDocGetRootElement(d)), 0);
	xmlFreeDoc(d);
out:
	xmlFreeDoc(p.doc);
}

static void test_stacked_time(void)
{
	static const uint64_t a[6] = { 1, 2, 3, 0, 5, 8 }, b[6] = { 4, 0, 2, 2, 1, 0 };
	static const uint64_t huge[2] = { UINT64_MAX, 1 }, ten[2] = { 10, 1 };
	const struct svg_series series[] = {
		{ "established", "st-established", a },
		{ "<b>closing</b>", NULL, b },
	};
	const struct svg_series big[] = { { "a", NULL, huge }, { "b", NULL, ten } };
	struct page p = page_new();
	xmlDocPtr d;
	char t[256];

	CHECK(svg_stacked_time(p.body, "Connections", T0, 10 * SEC, 6, series, 2) != NULL);
	CHECK(svg_stacked_time(p.body, "One", T0, SEC, 1, series, 1) != NULL);
	CHECK(svg_stacked_time(p.body, "Huge", INT64_MAX - SEC, INT64_MAX / 2, 2, big, 2) !=
	      NULL);
	CHECK(svg_stacked_time(p.body, "Zero step", INT64_MIN, 0, 2, big, 2) != NULL);
	CHECK(svg_stacked_time(p.body, "None", T0, SEC, 0, series, 2) != NULL);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (!d)
		goto out;
	/* One path per series, a legend naming them. */
	CHECK_INT(xcount(d, "//s:svg[1]//s:path[@class='chart-layer st-established']"), 1);
	CHECK_INT(xcount(d, "//s:svg[1]//s:path[@class='chart-layer series-2']"), 1);
	CHECK_STR(xtext(d, "(//s:svg[1]//s:text[@class='chart-legend'])[2]", t, sizeof(t)),
		  "<b>closing</b>");
	/* A minute from 10:04:40 UTC: ticks on the 10 s; the last one, at the
	 * plot's right edge, would stick out of the picture and is left out. */
	CHECK_INT(xcount(d, "//s:svg[1]//s:text[@class='chart-tick' and .='10:04:50']"), 1);
	CHECK_INT(xcount(d, "//s:svg[1]//s:text[@class='chart-tick' and .='10:05:30']"), 1);
	CHECK_INT(xcount(d, "//s:svg[1]//s:text[@class='chart-tick' and .='10:05:40']"), 0);
	CHECK_STR(xtext(d, "//s:svg[1]//s:text[@class='chart-caption']", t, sizeof(t)),
		  "time (UTC), 2026-11-21");
	/* Stacks of 8 at most: an axis to 8 in steps of 2. */
	CHECK_INT(xcount(d, "//s:svg[1]//s:text[@class='chart-tick' and .='8']"), 1);
	CHECK_INT(xcount(d, "//s:svg[1]//s:line[@class='chart-grid']"), 4);
	CHECK_INT(xcount(d, "//s:svg[1]//s:rect[@class='chart-hover']"), 6);
	CHECK_INT(xcount(d, "//s:svg[2]//s:path"), 1);
	/* A stack past 2^64 saturates rather than wraps: the axis reaches 15E
	 * and the lower layer fills the plot to its top. */
	CHECK_INT(xcount(d, "//s:svg[3]//s:text[@class='chart-tick' and .='15E']"), 1);
	CHECK(strncmp(xtext(d, "//s:svg[3]//s:path[@class='chart-layer series-1']/@d", t,
			    sizeof(t)),
		      "M64 52h", 7) == 0);
	/* Bins' tooltips name their start; a step of 0 puts them all at t0. */
	CHECK_STR(xtext(d, "(//s:svg[1]//s:rect[@class='chart-hover'])[2]/s:title", t, sizeof(t)),
		  "2026-11-21T10:04:50.123456Z: established 2, <b>closing</b> 0");
	CHECK_STR(xtext(d, "(//s:svg[4]//s:rect[@class='chart-hover'])[2]/s:title", t, sizeof(t)),
		  "1677-09-21T00:12:43.145224Z: a 1, b 1");
	CHECK_STR(xtext(d, "//s:svg[5]//s:text[@class='chart-empty']", t, sizeof(t)), "no data");
	CHECK_INT(bad_numbers(xmlDocGetRootElement(d)), 0);
	xmlFreeDoc(d);
out:
	xmlFreeDoc(p.doc);
}

/* Time tick labels keep a readable gap (8 px at least) between them, however
 * fine the bins: the millisecond labels of a sub-second span ("10:04:40.200")
 * take more room than the seconds of a minute, so they get fewer ticks. And
 * none sticks out of the picture (640 px wide). */
static void test_time_ticks_fit(void)
{
	static const uint64_t v[70] = { 1, [35] = 2, [69] = 1 };
	static const int64_t spans[][2] = { { 10 * MS, 65 }, { 100 * MS, 65 },
					    { SEC, 70 }, { 60 * SEC, 70 } };
	const struct svg_series s = { "n", NULL, v };
	struct page p = page_new();
	xmlDocPtr d;

	for (size_t i = 0; i < sizeof(spans) / sizeof(spans[0]); i++)
		CHECK(svg_stacked_time(p.body, "t", T0, spans[i][0], (size_t)spans[i][1], &s, 1) !=
		      NULL);
	d = page_reparse(&p);
	CHECK(d != NULL);
	for (size_t i = 0; d && i < sizeof(spans) / sizeof(spans[0]); i++) {
		char q[160], t[64];
		int n, prev_right = -1;

		snprintf(q, sizeof(q), "//s:svg[%zu]//s:text[@class='chart-tick' and "
			 "contains(., ':')]", i + 1);
		n = xcount(d, q);
		CHECK(n >= 2);
		for (int k = 1; k <= n; k++) {
			char qk[200];
			int x, half;

			snprintf(qk, sizeof(qk), "(%s)[%d]/@x", q, k);
			x = atoi(xtext(d, qk, t, sizeof(t)));
			snprintf(qk, sizeof(qk), "(%s)[%d]", q, k);
			half = SVG_TEXT_PX(strlen(xtext(d, qk, t, sizeof(t))), 11) / 2;
			if (prev_right >= 0 && x - half - prev_right < 8)
				fprintf(stderr, "svg %zu: tick %d '%s' at %d crowds the one before\n",
					i + 1, k, t, x);
			CHECK(prev_right < 0 || x - half - prev_right >= 8);
			CHECK(x - half >= 0 && x + half <= 640);
			prev_right = x + half;
		}
	}
	xmlFreeDoc(d);
	xmlFreeDoc(p.doc);
}

static void test_steps(void)
{
	static const int64_t ts[] = { T0, T0 + 30 * SEC, T0 + 60 * SEC, T0 + 95 * SEC };
	static const int64_t v[] = { 1, 4, 3, 9 };
	static const int64_t odd_ts[] = { T0 + 5 * SEC, T0, INT64_MIN, INT64_MAX };
	static const int64_t odd_v[] = { -5, INT64_MAX, 0, INT64_MIN };
	enum { MANY = 20000 };
	int64_t *many_ts = malloc(MANY * sizeof(*many_ts));
	int64_t *many_v = malloc(MANY * sizeof(*many_v));
	struct page p = page_new();
	xmlDocPtr d;
	char t[256];

	for (int i = 0; i < MANY; i++) {
		many_ts[i] = T0 + (int64_t)i * MS;
		many_v[i] = i % 50;
	}
	CHECK(svg_steps(p.body, "CLOSE-WAIT", ts, v, 4, T0 + 120 * SEC, "sockets in CLOSE-WAIT") !=
	      NULL);
	CHECK(svg_steps(p.body, "One", ts, v, 1, T0, NULL) != NULL);
	CHECK(svg_steps(p.body, "Odd", odd_ts, odd_v, 4, 0, "<y>") != NULL);
	CHECK(svg_steps(p.body, "Many", many_ts, many_v, MANY, T0 + MANY * MS, NULL) != NULL);
	CHECK(svg_steps(p.body, "None", ts, v, 0, T0, NULL) != NULL);
	d = page_reparse(&p);
	CHECK(d != NULL);
	if (!d)
		goto out;
	CHECK_STR(xtext(d, "//s:svg[1]//s:path[@class='chart-line']/@d", t, sizeof(t)),
		  "M64 214 H203 V160 H342 V178 H504 V70 H620");
	CHECK_INT(xcount(d, "//s:svg[1]//s:circle[@class='chart-dot']"), 4);
	CHECK_STR(xtext(d, "//s:svg[1]/s:text[@class='chart-caption']", t, sizeof(t)),
		  "sockets in CLOSE-WAIT");
	/* One point, the end at its own time: a dot, a line of no length. */
	CHECK_INT(xcount(d, "//s:svg[2]//s:circle"), 1);
	CHECK_STR(xtext(d, "//s:svg[3]/s:text[@class='chart-caption']", t, sizeof(t)), "<y>");
	/* 20000 points: a path of a few commands per pixel, no dots. */
	CHECK(xpath_num(d, "string-length(//s:svg[4]//s:path[@class='chart-line']/@d)") <
	      (SVG_CHART_W + 4) * 40);
	CHECK_INT(xcount(d, "//s:svg[4]//s:circle"), 0);
	CHECK_STR(xtext(d, "//s:svg[5]//s:text[@class='chart-empty']", t, sizeof(t)), "no data");
	CHECK_INT(bad_numbers(xmlDocGetRootElement(d)), 0);
	xmlFreeDoc(d);
out:
	xmlFreeDoc(p.doc);
	free(many_ts);
	free(many_v);
}

/* --- determinism and the building blocks --------------------------------- */

static char *build_all(void)
{
	static const uint64_t a[3] = { 1, 2, 3 };
	static const int64_t ts[] = { T0, T0 + SEC }, v[] = { 2, 5 };
	const struct svg_series s = { "a", NULL, a };
	struct page p = page_new();
	struct finding *f = overflow_finding();
	char *out;

	svg_ladder(p.body, f);
	svg_bars(p.body, "b", hostile_bars, 4, NULL);
	svg_histogram(p.body, "h", hostile_bars, 4, "x");
	svg_stacked_time(p.body, "s", T0, SEC, 3, &s, 1);
	svg_steps(p.body, "t", ts, v, 2, T0 + 2 * SEC, "y");
	out = dump_node(p.body);
	xmlFreeDoc(p.doc);
	free(f);
	return out;
}

static void test_deterministic(void)
{
	char *a = build_all(), *b = build_all();

	CHECK(strlen(a) > 10000);
	CHECK_STR(a, b);
	free(a);
	free(b);
}

static void test_ticks(void)
{
	struct svg_ticks t = svg_ticks_for(0);

	CHECK(t.step == 1 && t.top == 1 && t.n == 1);
	t = svg_ticks_for(7);
	CHECK(t.step == 2 && t.top == 8 && t.n == 4);
	t = svg_ticks_for(100);
	CHECK(t.step == 20 && t.top == 100 && t.n == 5);
	t = svg_ticks_for(101);
	CHECK(t.step == 50 && t.top == 150 && t.n == 3);
	t = svg_ticks_for(UINT64_MAX);
	CHECK(t.step == UINT64_C(5000000000000000000) && t.top == UINT64_MAX && t.n == 3);
	CHECK_INT(svg_scale(UINT64_MAX, UINT64_MAX, 500), 500);
	CHECK_INT(svg_scale(UINT64_MAX / 2, UINT64_MAX, 500), 249);
	CHECK_INT(svg_scale(5, 0, 500), 0);
	CHECK_INT(svg_scale(3, 4, 100), 75);
	CHECK(svg_add_sat(INT64_MAX, 1) == INT64_MAX && svg_sub_sat(INT64_MIN, 1) == INT64_MIN);
	CHECK(svg_sub_sat(INT64_MAX, INT64_MIN) == INT64_MAX);
}

static void test_words(void)
{
	char buf[64];

	CHECK_STR(svg_fmt_short(99999, buf, sizeof(buf)), "99999");
	CHECK_STR(svg_fmt_short(250000, buf, sizeof(buf)), "250k");
	CHECK_STR(svg_fmt_short(4500000, buf, sizeof(buf)), "4.5M");
	CHECK_STR(svg_fmt_short(UINT64_MAX, buf, sizeof(buf)), "18.4E");
	CHECK_INT(svg_clean("a\x01\xff\xc3\xa9\t\xef\xbf\xbe", 100, buf, sizeof(buf)), 8);
	CHECK_STR(buf, "a\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\t\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Never a split character, however small the room. */
	CHECK_INT(svg_clean("\xc3\xa9\xc3\xa9", 100, buf, 4), 1);
	CHECK_STR(buf, "\xc3\xa9");
	CHECK_INT(svg_cut("abcdefgh", 5, buf, sizeof(buf)), 5);
	CHECK_STR(buf, "abcd\xe2\x80\xa6");
	CHECK_INT(svg_cut("abcde", 5, buf, sizeof(buf)), 5);
	CHECK_STR(buf, "abcde");
	CHECK_STR(svg_time_label(T0, SEC, buf, sizeof(buf)), "10:04:40");
	CHECK_STR(svg_time_label(T0, 100 * MS, buf, sizeof(buf)), "10:04:40.123");
	CHECK_STR(svg_time_label(T0, 60 * SEC, buf, sizeof(buf)), "10:04");
	CHECK_STR(svg_time_label(T0, 86400 * SEC, buf, sizeof(buf)), "11-21");
	CHECK_STR(svg_time_label(T0, 400 * 86400 * SEC, buf, sizeof(buf)), "2026");
}

/* --- a page to look at --------------------------------------------------- */

/* Rewrites f as the widest labels there are: IPv6, raw 32-bit numbers, a
 * packet with every flag and event, times far apart. */
static struct finding *wide_finding(struct finding *f)
{
	set_addr(&f->client, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
	set_addr(&f->server, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff");
	f->client_port = 65535;
	for (uint32_t i = 0; i < f->nframes; i++) {
		struct packet_note *n = &f->packets[i];

		n->seq = UINT32_MAX - 10;
		n->ack = UINT32_MAX - 20;
		n->len = n->len ? 65535 : 0;
		n->window = UINT32_MAX;
		n->seq_relative = n->ack_relative = false;
		n->ts_ns = T0 + (int64_t)i * 3000 * SEC;
	}
	f->packets[2].flags = 0x1ff;
	f->packets[2].events = 0x7fffff;
	return f;
}

static void write_sample(const char *path)
{
	static const uint64_t a[12] = { 3, 4, 4, 6, 9, 12, 12, 11, 7, 5, 4, 3 };
	static const uint64_t b[12] = { 0, 0, 1, 1, 2, 4, 6, 9, 9, 10, 10, 12 };
	static const uint64_t c[12] = { 1, 0, 0, 2, 1, 0, 3, 1, 0, 0, 2, 1 };
	static const int64_t ts[] = { T0, T0 + 30 * SEC, T0 + 60 * SEC, T0 + 95 * SEC,
				      T0 + 160 * SEC };
	static const int64_t v[] = { 1, 4, 3, 9, 12 };
	const struct svg_series series[] = {
		{ "ESTABLISHED", "st-established", a },
		{ "CLOSE-WAIT", "st-closing", b },
		{ "SYN-RECEIVED", "st-connecting", c },
	};
	static const struct svg_bar sev[] = {
		{ "accept_queue_overflow", 12, "sev-critical" },
		{ "syn_to_close_wait", 5, "sev-warning" },
		{ "challenge_ack", 2, "sev-info" },
	};
	struct svg_bar rtt[24];
	char labels[24][16];
	struct page p = page_new();
	struct finding *f = overflow_finding();
	xmlNodePtr head = xmlNewDocNode(p.doc, p.body->ns, (const xmlChar *)"head", NULL);
	xmlNodePtr style;
	FILE *out = fopen(path, "w");

	for (int i = 0; i < 24; i++) {
		snprintf(labels[i], sizeof(labels[i]), "%d ms", 1 << (i / 2));
		int r = 40 - (i - 9) * (i - 9) / 3;

		rtt[i] = (struct svg_bar){ labels[i], r > 0 ? (uint64_t)r : 0, NULL };
	}
	xmlAddPrevSibling(p.body, head);
	style = xmlNewChild(head, p.body->ns, (const xmlChar *)"style", NULL);
	xmlNodeAddContent(style, (const xmlChar *)html_svg_css);
	xmlNodeAddContent(style, (const xmlChar *)"body { font-family: system-ui; margin: 16px;"
						 " background: Canvas; color: CanvasText; }"
						 " :root { color-scheme: light dark; }");
	svg_ladder(p.body, f);
	svg_ladder(p.body, wide_finding(f));
	svg_bars(p.body, "Findings by kind", sev, 3, NULL);
	svg_histogram(p.body, "Handshake round trips", rtt, 24, "round-trip time");
	svg_stacked_time(p.body, "Connections by state", T0, 10 * SEC, 12, series, 3);
	svg_steps(p.body, "Sockets in CLOSE-WAIT", ts, v, 5, T0 + 200 * SEC,
		  "sockets in CLOSE-WAIT");
	if (out) {
		xmlDocDump(out, p.doc);
		fclose(out);
	}
	xmlFreeDoc(p.doc);
	free(f);
}

int main(void)
{
	const char *sample = getenv("SVG_SAMPLE");

	LIBXML_TEST_VERSION
	RUN(test_ladder_story);
	RUN(test_ladder_hostile);
	RUN(test_ladder_no_frames);
	RUN(test_ladder_full_and_odd);
	RUN(test_ladder_listener);
	RUN(test_bars);
	RUN(test_histogram);
	RUN(test_stacked_time);
	RUN(test_time_ticks_fit);
	RUN(test_steps);
	RUN(test_deterministic);
	RUN(test_ticks);
	RUN(test_words);
	if (sample && sample[0])
		write_sample(sample);
	xmlCleanupParser();
	return check_done("test_html_svg");
}
