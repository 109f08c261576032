/*
 * html_svg_ladder.c - a finding's evidence as the ladder diagram a network
 * engineer draws by hand from tcpdump output for a postmortem.
 *
 * Two lanes, client left and server right; one row per evidence frame, in
 * frame order, each packet an arrow from its sender's lane to its receiver's,
 * slanted a little because it arrives after it left. The arrow's label reads
 * like tcpdump ("[S.] seq 0 ack 1 win 65535 len 0") so it can be matched
 * against a capture by eye; the time since the first evidence packet and the
 * frame number sit at the far left, notable events in a tag under the arrow.
 * Beside each lane, the endpoint's state after the packet is written where it
 * changes, over a band coloured by state group: the moments this tool
 * explains are those where the bands disagree (the client ESTABLISHED while
 * the server is still SYN-RECEIVED).
 *
 * Rows have a constant height so the picture reads as a sequence, not a time
 * scale; a long silence between two packets is drawn as a break with its
 * length instead. Everything is laid out from integers.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "analyzer/tcp_state.h"
#include "report/html_build.h"
#include "report/html_svg.h"
#include "report/html_svg_draw.h"
#include "report/timefmt.h"

#define NS_PER_S INT64_C(1000000000)

/* Geometry, in CSS pixels. */
#define LAD_W 740
#define LAD_TIME_X 72		/* right edge of the times */
#define LAD_FRAME_X 80		/* left edge of the frame numbers */
#define LAD_FRAME_W 70
#define LAD_CLIENT_X 240
#define LAD_SERVER_X 624
#define LAD_MID_X ((LAD_CLIENT_X + LAD_SERVER_X) / 2)
#define LAD_STATE_GAP 12	/* lane to state label */
#define LAD_HEAD_H 56		/* top of the first row */
#define LAD_ROW_H 50
#define LAD_BREAK_H 26
#define LAD_LABEL_Y 17		/* within a row: the arrow's label */
#define LAD_FROM_Y 23		/* ...where the arrow leaves its sender */
#define LAD_TO_Y 33		/* ...where it reaches its receiver */
#define LAD_TAG_Y 35		/* ...the top of the event tag */
#define LAD_TAG_H 13
#define LAD_HEAD_LEN 10		/* arrowhead */
#define LAD_HEAD_HALF 4
#define LAD_BAND_W 12
#define LAD_FONT 11
#define LAD_SMALL 10
#define LAD_HOST_FONT 12
#define LAD_LABEL_MAX (LAD_SERVER_X - LAD_CLIENT_X - 40)
#define LAD_LEGEND_H 32		/* below the last row */

/* A silence at least this long between two rows is drawn as a break. */
#define LAD_BREAK_NS NS_PER_S

#define LAD_ELLIPSIS "\xe2\x80\xa6"
#define LAD_ARROW "\xe2\x86\x92"

/* Events that every data packet or FIN carries, and the flags already say. */
#define LAD_UNREMARKABLE (SEG_NEW_DATA | SEG_FIN)
#define LAD_RETRANSMITTED                                                                   \
	(SEG_RETRANSMISSION | SEG_SPURIOUS_RETRANS | SEG_SYN_RETRANS |                      \
	 SEG_SYNACK_RETRANS_TIMER | SEG_SYNACK_RETRANS_DUP)
/* Events that are normal life: their tag is drawn quietly. */
#define LAD_BENIGN (SEG_WINDOW_UPDATE | SEG_KEEPALIVE | SEG_KEEPALIVE_ACK)

#define LAD_USED_RST (1u << 8)
#define LAD_USED_RETRANS (1u << 9)

struct lad_row {
	uint64_t frame;
	uint32_t capture;
	const struct packet_note *note;	/* NULL: not kept in the packet log */
	int y;				/* top of the row */
	bool brk;			/* a break is drawn above it */
	int64_t gap_ns;			/* ...that long */
};

struct lad {
	struct svg_ctx c;
	const struct finding *f;
	struct lad_row rows[FINDING_MAX_FRAMES];
	size_t n;
	int64_t t0_ns;		/* time of the first noted row */
	int bottom;		/* end of the last row */
	uint32_t used;		/* what was drawn, for the legend: a bit per state
				 * group (1 << enum lad_group), LAD_USED_* */
};

/* --- the rows ------------------------------------------------------------ */

static bool lad_before(const struct lad_row *a, const struct lad_row *b)
{
	return a->capture != b->capture ? a->capture < b->capture : a->frame < b->frame;
}

/* Rows in capture order (frame numbers are Wireshark's, so they are time
 * order within a file), whatever order the detector listed them in. A note is
 * used only when it is about its frame. */
static void lad_collect(struct lad *l)
{
	const struct finding *f = l->f;

	l->n = f->nframes < FINDING_MAX_FRAMES ? f->nframes : FINDING_MAX_FRAMES;
	for (size_t i = 0; i < l->n; i++) {
		const struct packet_note *p = &f->packets[i];
		struct lad_row r = { .frame = f->frames[i], .capture = f->capture };
		size_t j = i;

		if (p->frame != 0 && p->frame == f->frames[i]) {
			r.note = p;
			r.capture = p->capture;
		}
		while (j > 0 && lad_before(&r, &l->rows[j - 1])) {
			l->rows[j] = l->rows[j - 1];
			j--;
		}
		l->rows[j] = r;
	}
}

/* Places the rows top to bottom, opening a break before a row that comes
 * after a long silence. */
static void lad_layout(struct lad *l)
{
	bool seen = false;
	int64_t prev = 0;
	int y = LAD_HEAD_H;

	for (size_t i = 0; i < l->n; i++) {
		struct lad_row *r = &l->rows[i];

		if (r->note) {
			if (!seen)
				l->t0_ns = r->note->ts_ns;
			else
				r->gap_ns = svg_sub_sat(r->note->ts_ns, prev);
			r->brk = seen && r->gap_ns >= LAD_BREAK_NS;
			seen = true;
			prev = r->note->ts_ns;
		}
		if (r->brk)
			y += LAD_BREAK_H;
		r->y = y;
		y += LAD_ROW_H;
	}
	l->bottom = y;
}

/* The lane of an endpoint: 0 client, 1 server (as packet_note.state_after). */
static int lad_lane_x(int side)
{
	return side ? LAD_SERVER_X : LAD_CLIENT_X;
}

static int lad_sender(const struct packet_note *p)
{
	return p->dir == DIR_S2C ? 1 : 0;
}

/* Where a packet touches a lane: it leaves its sender before it reaches its
 * receiver, and that is also where the endpoint's state changes. */
static int lad_touch_y(const struct lad_row *r, int side)
{
	return r->y + (lad_sender(r->note) == side ? LAD_FROM_Y : LAD_TO_Y);
}

/* --- words ------------------------------------------------------------- */

/* tcpdump's flag letters, in tcpdump's order: "[S.]", "[FP.]", "[none]". */
static void lad_flags(uint16_t flags, char *buf, size_t len)
{
	static const struct {
		uint16_t bit;
		char letter;
	} tok[] = {
		{ TH_FIN, 'F' }, { TH_SYN, 'S' }, { TH_RST, 'R' }, { TH_PUSH, 'P' },
		{ TH_ACK, '.' }, { TH_URG, 'U' }, { TH_ECE, 'E' }, { TH_CWR, 'W' },
		{ TH_AE, 'e' },
	};
	char letters[sizeof(tok) / sizeof(tok[0]) + 1];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(tok) / sizeof(tok[0]); i++)
		if (flags & tok[i].bit)
			letters[n++] = tok[i].letter;
	letters[n] = '\0';
	snprintf(buf, len, "[%s]", n ? letters : "none");
}

/* The arrow's label as tcpdump prints the packet: seq only when the packet
 * occupies sequence space (or is a RST), as "first:next" when it carries
 * data; ack only with ACK set. */
static void lad_label(const struct packet_note *p, char *buf, size_t len)
{
	char flags[16];
	size_t n;

	lad_flags(p->flags, flags, sizeof(flags));
	n = (size_t)snprintf(buf, len, "%s", flags);
	if (n < len && (p->len > 0 || (p->flags & (TH_SYN | TH_FIN | TH_RST)))) {
		n += (size_t)snprintf(buf + n, len - n, " seq %" PRIu32, p->seq);
		if (n < len && p->len > 0)
			n += (size_t)snprintf(buf + n, len - n, ":%" PRIu32,
					      (uint32_t)(p->seq + p->len));
	}
	if (n < len && (p->flags & TH_ACK))
		n += (size_t)snprintf(buf + n, len - n, " ack %" PRIu32, p->ack);
	if (n < len)
		snprintf(buf + n, len - n, " win %" PRIu32 " len %" PRIu32, p->window, p->len);
}

/* The notable events of a packet in words: "retransmission, zero window".
 * Bits without a name are not events this version knows: left out. Returns
 * true when every event written is normal life (LAD_BENIGN). */
static bool lad_events(uint32_t events, char *buf, size_t len)
{
	size_t n = 0;
	bool benign = true;

	buf[0] = '\0';
	for (unsigned i = 0; i < 32 && n < len; i++) {
		uint32_t bit = UINT32_C(1) << i;
		const char *name = seg_event_name(bit);

		if (!(events & bit) || (bit & LAD_UNREMARKABLE) || !name)
			continue;
		benign = benign && (bit & LAD_BENIGN);
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", name);
	}
	for (char *s = buf; *s; s++)
		if (*s == '_')
			*s = ' ';
	return benign;
}

/* "+1.024 s" from the first evidence packet; "+0.052 ms" under a second,
 * where a LAN's round trips live. */
static void lad_delta(int64_t d, char *buf, size_t len)
{
	char sign = d < 0 ? '-' : '+';
	uint64_t mag = d < 0 ? (uint64_t)(-(d + 1)) + 1 : (uint64_t)d;

	if (mag < (uint64_t)NS_PER_S)
		snprintf(buf, len, "%c%" PRIu64 ".%03" PRIu64 " ms", sign, mag / 1000000,
			 mag / 1000 % 1000);
	else
		snprintf(buf, len, "%c%" PRIu64 ".%03" PRIu64 " s", sign, mag / 1000000000,
			 mag / 1000000 % 1000);
}

/* --- state bands ------------------------------------------------------- */

enum lad_group { LAD_CONNECTING, LAD_ESTABLISHED, LAD_CLOSING, LAD_CLOSED, LAD_UNKNOWN };

static enum lad_group lad_group(unsigned s)
{
	switch (s) {
	case TCP_CLOSED:
		return LAD_CLOSED;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return LAD_CONNECTING;
	case TCP_ESTABLISHED:
		return LAD_ESTABLISHED;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		return LAD_CLOSING;
	default:
		return LAD_UNKNOWN;
	}
}

static const char *const lad_group_class[] = {
	[LAD_CONNECTING] = "lad-band st-connecting",
	[LAD_ESTABLISHED] = "lad-band st-established",
	[LAD_CLOSING] = "lad-band st-closing",
	[LAD_CLOSED] = "lad-band st-closed",
	[LAD_UNKNOWN] = "lad-band st-unknown",
};

static const char *const lad_swatch_class[] = {
	[LAD_CONNECTING] = "lad-swatch st-connecting",
	[LAD_ESTABLISHED] = "lad-swatch st-established",
	[LAD_CLOSING] = "lad-swatch st-closing",
	[LAD_CLOSED] = "lad-swatch st-closed",
	[LAD_UNKNOWN] = "lad-swatch st-unknown",
};

static void lad_band(struct lad *l, xmlNodePtr g, int side, unsigned state, int from, int to)
{
	enum lad_group grp = lad_group(state);

	svg_rect(&l->c, g, lad_lane_x(side) - LAD_BAND_W / 2, from, LAD_BAND_W, to - from,
		 lad_group_class[grp]);
	l->used |= 1u << grp;
}

/* One lane's states: a band from each change to the next, and the new
 * state's name where it changes. Frames without a note keep the band going:
 * the next note says what the state became. */
static void lad_states(struct lad *l, xmlNodePtr bands, xmlNodePtr labels, int side)
{
	unsigned cur = 0;
	int from = 0;
	bool have = false;

	for (size_t i = 0; i < l->n; i++) {
		const struct lad_row *r = &l->rows[i];
		unsigned s;
		int y;

		if (!r->note)
			continue;
		s = r->note->state_after[side];
		if (have && s == cur)
			continue;
		y = lad_touch_y(r, side);
		if (have)
			lad_band(l, bands, side, cur, from, y);
		svg_text(&l->c, labels,
			 side ? LAD_SERVER_X + LAD_STATE_GAP : LAD_CLIENT_X - LAD_STATE_GAP, y + 4,
			 side ? "start" : "end", "lad-state", tcp_state_name((enum tcp_state)s),
			 LAD_FONT, 0);
		cur = s;
		from = y;
		have = true;
	}
	if (have)
		lad_band(l, bands, side, cur, from, l->bottom);
}

/* --- lanes and header ---------------------------------------------------- */

static void lad_lane(struct lad *l, xmlNodePtr g, int x)
{
	int from = LAD_HEAD_H - 12;

	for (size_t i = 0; i < l->n; i++) {
		const struct lad_row *r = &l->rows[i];

		if (!r->brk)
			continue;
		svg_line(&l->c, g, x, from, x, r->y - LAD_BREAK_H, "lad-lane");
		svg_line(&l->c, g, x, r->y - LAD_BREAK_H, x, r->y, "lad-lane lad-lane-gap");
		from = r->y;
	}
	svg_line(&l->c, g, x, from, x, l->bottom, "lad-lane");
}

/* An endpoint's name, centred over its lane when it fits in [lo, hi], its
 * half of the picture; else flush with the side it overflows (a long IPv6
 * address), squeezed if it must be, so the two names never meet. */
static void lad_host(struct lad *l, xmlNodePtr g, int x, int lo, int hi, const char *name)
{
	int half = SVG_TEXT_PX(strlen(name), LAD_HOST_FONT) / 2;

	if (x + half > hi)
		svg_text(&l->c, g, hi, 34, "end", "lad-host", name, LAD_HOST_FONT, hi - lo);
	else if (x - half < lo)
		svg_text(&l->c, g, lo, 34, "start", "lad-host", name, LAD_HOST_FONT, hi - lo);
	else
		svg_text(&l->c, g, x, 34, "middle", "lad-host", name, LAD_HOST_FONT, 0);
}

static void lad_header(struct lad *l, xmlNodePtr g)
{
	const struct finding *f = l->f;
	char addr[96];

	svg_text(&l->c, g, LAD_CLIENT_X, 16, "middle", "lad-role",
		 f->has_client ? "client" : "clients", LAD_SMALL, 0);
	if (f->has_client)
		lad_host(l, g, LAD_CLIENT_X, 4, LAD_MID_X - 8,
			 ip_endpoint_format(&f->client, f->client_port, addr, sizeof(addr)));
	svg_text(&l->c, g, LAD_SERVER_X, 16, "middle", "lad-role", "server", LAD_SMALL, 0);
	lad_host(l, g, LAD_SERVER_X, LAD_MID_X + 8, LAD_W - 4,
		 ip_endpoint_format(&f->server, f->server_port, addr, sizeof(addr)));
}

/* --- rows ---------------------------------------------------------------- */

static void lad_break(struct lad *l, xmlNodePtr g, const struct lad_row *r)
{
	char dur[TIMEFMT_LEN], text[TIMEFMT_LEN + 16];

	timefmt_duration(r->gap_ns, dur, sizeof(dur));
	snprintf(text, sizeof(text), LAD_ELLIPSIS " %s " LAD_ELLIPSIS, dur);
	svg_text(&l->c, g, LAD_MID_X, r->y - LAD_BREAK_H / 2 + 4, "middle", "lad-break", text,
		 LAD_FONT, 0);
}

static void lad_frame_number(struct lad *l, xmlNodePtr g, const struct lad_row *r, int y)
{
	char num[32];

	snprintf(num, sizeof(num), "#%" PRIu64, r->frame);
	svg_text(&l->c, g, LAD_FRAME_X, y, "start", "lad-frame", num, LAD_FONT, LAD_FRAME_W);
}

static void lad_missing(struct lad *l, xmlNodePtr parent, const struct lad_row *r)
{
	xmlNodePtr g = svg_elem(&l->c, parent, "g", "lad-missing");
	char text[96];
	int y = r->y + (LAD_FROM_Y + LAD_TO_Y) / 2;

	snprintf(text, sizeof(text), "frame %" PRIu64 " (not kept in the packet log)", r->frame);
	lad_frame_number(l, g, r, r->y + LAD_FROM_Y + 4);
	svg_line(&l->c, g, LAD_CLIENT_X, y, LAD_SERVER_X, y, "lad-missing-line");
	svg_text(&l->c, g, LAD_MID_X, r->y + LAD_LABEL_Y + 2, "middle", "lad-missing-text",
		 text, LAD_FONT, LAD_LABEL_MAX);
}

/* The arrowhead, pointing along the row: the slant is too slight to show in
 * a head this small. */
static void lad_head(struct lad *l, xmlNodePtr g, int tip_x, int tip_y, int towards)
{
	char pts[96];
	int base = tip_x - towards * LAD_HEAD_LEN;

	snprintf(pts, sizeof(pts), "%d,%d %d,%d %d,%d", tip_x, tip_y, base,
		 tip_y - LAD_HEAD_HALF, base, tip_y + LAD_HEAD_HALF);
	svg_set(&l->c, svg_elem(&l->c, g, "polygon", "lad-head"), "points", pts);
}

static void lad_tag(struct lad *l, xmlNodePtr g, const struct lad_row *r, const char *events,
		    bool benign)
{
	int w = SVG_TEXT_PX(svg_chars(events), LAD_SMALL) + 12;
	int max = LAD_LABEL_MAX;

	if (w > max)
		w = max;
	svg_set_int(&l->c,
		    svg_rect(&l->c, g, LAD_MID_X - w / 2, r->y + LAD_TAG_Y, w, LAD_TAG_H,
			     benign ? "lad-tag lad-tag-benign" : "lad-tag"),
		    "rx", 6);
	svg_text(&l->c, g, LAD_MID_X, r->y + LAD_TAG_Y + LAD_TAG_H - 3, "middle",
		 "lad-tag-text", events, LAD_SMALL, w - 12);
}

static void lad_tooltip(struct lad *l, xmlNodePtr g, const struct lad_row *r,
			const char *delta, const char *label, const char *events)
{
	char when[TIMEFMT_LEN], text[SVG_TEXT_MAX * 4];
	const struct packet_note *p = r->note;

	timefmt_iso(p->ts_ns, when, sizeof(when));
	snprintf(text, sizeof(text), "frame %" PRIu64 ", %s (%s), %s: %s%s%s", r->frame, when,
		 delta,
		 lad_sender(p) ? "server " LAD_ARROW " client" : "client " LAD_ARROW " server",
		 label, events[0] ? "; " : "", events);
	svg_tooltip(&l->c, g, text);
}

static void lad_packet(struct lad *l, xmlNodePtr parent, const struct lad_row *r)
{
	const struct packet_note *p = r->note;
	int from = lad_sender(p), to = !from;
	int towards = to ? 1 : -1;
	int fx = lad_lane_x(from), tx = lad_lane_x(to);
	bool benign;
	char cls[96], label[160], events[SVG_TEXT_MAX], delta[48];
	xmlNodePtr g;

	snprintf(cls, sizeof(cls), "lad-pkt %s%s%s", from ? "lad-s2c" : "lad-c2s",
		 (p->flags & TH_RST) ? " lad-rst" : "",
		 (p->events & LAD_RETRANSMITTED) ? " lad-retrans" : "");
	l->used |= (p->flags & TH_RST) ? LAD_USED_RST : 0;
	l->used |= (p->events & LAD_RETRANSMITTED) ? LAD_USED_RETRANS : 0;
	lad_label(p, label, sizeof(label));
	benign = lad_events(p->events, events, sizeof(events));
	lad_delta(svg_sub_sat(p->ts_ns, l->t0_ns), delta, sizeof(delta));

	g = svg_elem(&l->c, parent, "g", cls);
	lad_tooltip(l, g, r, delta, label, events);
	svg_text(&l->c, g, LAD_TIME_X, r->y + LAD_FROM_Y + 4, "end", "lad-time", delta,
		 LAD_FONT, LAD_TIME_X - 2);
	lad_frame_number(l, g, r, r->y + LAD_FROM_Y + 4);
	svg_line(&l->c, g, fx, r->y + LAD_FROM_Y, tx - towards * (LAD_HEAD_LEN - 1),
		 r->y + LAD_TO_Y, "lad-arrow");
	lad_head(l, g, tx, r->y + LAD_TO_Y, towards);
	svg_text(&l->c, g, LAD_MID_X, r->y + LAD_LABEL_Y, "middle", "lad-label", label,
		 LAD_FONT, LAD_LABEL_MAX);
	if (events[0])
		lad_tag(l, g, r, events, benign);
}

/* --- legend -------------------------------------------------------------- */

/* A key to the colours and strokes actually drawn, LAD_LEGEND_H high. */
static void lad_legend(struct lad *l, xmlNodePtr parent, int y)
{
	static const char *const names[] = { "connecting", "established", "closing", "closed",
					     "unknown" };
	xmlNodePtr g = svg_elem(&l->c, parent, "g", "lad-legend");
	int x = LAD_FRAME_X;

	for (int i = 0; i <= LAD_UNKNOWN; i++) {
		if (!(l->used & (1u << i)))
			continue;
		svg_rect(&l->c, g, x, y, LAD_BAND_W, LAD_BAND_W, lad_swatch_class[i]);
		svg_text(&l->c, g, x + LAD_BAND_W + 5, y + 10, "start", "lad-legend-text",
			 names[i], LAD_SMALL, 0);
		x += LAD_BAND_W + 5 + SVG_TEXT_PX(strlen(names[i]), LAD_SMALL) + 16;
	}
	if (l->used & LAD_USED_RST) {
		svg_line(&l->c, g, x, y + 6, x + 24, y + 6, "lad-key-rst");
		svg_text(&l->c, g, x + 30, y + 10, "start", "lad-legend-text", "reset (RST)",
			 LAD_SMALL, 0);
		x += 30 + SVG_TEXT_PX(strlen("reset (RST)"), LAD_SMALL) + 16;
	}
	if (l->used & LAD_USED_RETRANS) {
		svg_line(&l->c, g, x, y + 6, x + 24, y + 6, "lad-key-retrans");
		svg_text(&l->c, g, x + 30, y + 10, "start", "lad-legend-text",
			 "retransmission", LAD_SMALL, 0);
	}
}

/* --- the picture --------------------------------------------------------- */

static void lad_title(const struct finding *f, char *buf, size_t len)
{
	char client[96], server[96];

	ip_endpoint_format(&f->server, f->server_port, server, sizeof(server));
	if (f->has_client)
		ip_endpoint_format(&f->client, f->client_port, client, sizeof(client));
	snprintf(buf, len, "Ladder diagram of finding %" PRIu64 " (%s): %s%s and server %s",
		 f->id, f->kind ? f->kind : "unknown", f->has_client ? "client " : "clients",
		 f->has_client ? client : "", server);
}

xmlNodePtr svg_ladder(xmlNodePtr parent, const struct finding *f)
{
	struct lad l = { .f = f };
	char title[SVG_TEXT_MAX], desc[sizeof(f->summary) + 1];
	xmlNodePtr bands, lanes, states, rows;

	if (!f || f->nframes == 0)
		return NULL;
	lad_collect(&l);
	lad_layout(&l);

	lad_title(f, title, sizeof(title));
	/* The summary is a fixed array: do not trust it to be terminated. */
	memcpy(desc, f->summary, sizeof(f->summary));
	desc[sizeof(f->summary)] = '\0';
	if (!svg_open(&l.c, parent, "pic pic-ladder", LAD_W, l.bottom + LAD_LEGEND_H, title, desc))
		return svg_close(&l.c, parent);
	bands = svg_elem(&l.c, l.c.root, "g", "lad-bands");
	lanes = svg_elem(&l.c, l.c.root, "g", "lad-lanes");
	states = svg_elem(&l.c, l.c.root, "g", "lad-states");
	rows = svg_elem(&l.c, l.c.root, "g", "lad-rows");
	lad_header(&l, lanes);
	lad_lane(&l, lanes, LAD_CLIENT_X);
	lad_lane(&l, lanes, LAD_SERVER_X);
	lad_states(&l, bands, states, 0);
	lad_states(&l, bands, states, 1);
	for (size_t i = 0; i < l.n; i++) {
		if (l.rows[i].brk)
			lad_break(&l, rows, &l.rows[i]);
		if (l.rows[i].note)
			lad_packet(&l, rows, &l.rows[i]);
		else
			lad_missing(&l, rows, &l.rows[i]);
	}
	lad_legend(&l, l.c.root, l.bottom + 12);
	return svg_close(&l.c, parent);
}
