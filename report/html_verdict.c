/*
 * html_verdict.c - the verdict: what went wrong, where, and what to check,
 * in one line per problem, before anything else on the page.
 *
 * A line speaks for a roll-up (report_model.aggregates), not for a finding,
 * so 2,000 leaked sockets on one listener read as one line about that
 * listener. A finding no roll-up covers (about a whole capture, or past the
 * analyzer's group limit) gets a line of its own. Critical and warning lines
 * come first; information is folded away.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_parts.h"
#include "report/timefmt.h"

#define HTML_VERDICT_LINES 12	/* per severity band; the rest are counted */
#define HTML_TODO_MAX 480

struct html_line {
	enum severity sev;
	uint64_t count;			/* findings it stands for */
	const struct aggregate *g;	/* NULL for a finding on its own */
	const struct finding *f;	/* what it quotes: the roll-up's own finding, or the
					 * finding itself; NULL when the roll-up has none */
	size_t seq;			/* tie-break: the order it was made in */
};

/* --- which findings the roll-ups cover -------------------------------------- */

static int html_cmp_key(enum finding_kind code, const struct ip_addr *a, uint16_t port,
			const struct aggregate *g)
{
	int c;

	if (code != g->code)
		return code < g->code ? -1 : 1;
	if (a->family != g->server.family)
		return a->family < g->server.family ? -1 : 1;
	if ((c = memcmp(a->bytes, g->server.bytes, sizeof(a->bytes))) != 0)
		return c;
	return (port > g->server_port) - (port < g->server_port);
}

/* A listener roll-up and its line. */
struct html_agg_ref {
	const struct aggregate *g;
	size_t line;
};

static int html_cmp_ref(const void *a, const void *b)
{
	const struct aggregate *x = ((const struct html_agg_ref *)a)->g;

	return html_cmp_key(x->code, &x->server, x->server_port,
			    ((const struct html_agg_ref *)b)->g);
}

/* The listener roll-up of f's kind on f's server: its position in refs
 * (sorted), n when there is none. */
static size_t html_find_listener(const struct html_agg_ref *refs, size_t n,
				 const struct finding *f)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = html_cmp_key(f->code, &f->server, f->server_port, refs[mid].g);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return n;
}

/* --- the lines -------------------------------------------------------------- */

struct html_lines {
	struct html_line *at;
	size_t n;
};

static struct html_line *html_line_add(struct html_lines *l, enum severity sev, uint64_t count,
				       const struct aggregate *g, const struct finding *f)
{
	struct html_line *line = &l->at[l->n];

	*line = (struct html_line){ sev, count, g, f, l->n };
	l->n++;
	return line;
}

static int html_cmp_line(const void *a, const void *b)
{
	const struct html_line *x = a, *y = b;

	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* A line per listener roll-up and per host roll-up over several listeners,
 * each quoting the finding that sums it up when there is one; a line per
 * finding that no listener roll-up covers and that sums up none (a summary
 * may be of another kind than its roll-up: accept_queue_overflow sums up
 * the accept_queue_overflow_reset roll-up, and must not be said twice). */
static int html_lines_build(const struct html *h, struct html_lines *l)
{
	const struct report_model *m = h->m;
	struct html_agg_ref *refs = malloc((m->naggregates + 1) * sizeof(*refs));
	bool *summing = calloc(m->nfindings + 1, sizeof(*summing));
	/* Per finding: 1 + the line of the roll-up it sums up, 0 for none. */
	size_t *sum_line = calloc(m->nfindings + 1, sizeof(*sum_line));
	size_t n = 0;

	/* Room for every line there can be: the lines do not move until sorted. */
	l->at = malloc((m->naggregates + m->nfindings + 1) * sizeof(*l->at));
	if (!refs || !summing || !sum_line || !l->at) {
		free(refs);
		free(summing);
		free(sum_line);
		free(l->at);
		l->at = NULL;
		return -1;
	}
	for (size_t i = 0; i < m->naggregates; i++) {
		const struct aggregate *g = &m->aggregates[i];
		bool listener = strcmp(g->scope, "listener") == 0;
		const struct finding *sum = html_finding(h, g->summary_finding);

		if (sum)
			summing[sum - m->findings] = true;
		if (!listener && g->listeners < 2)
			continue;	/* a host with one listener: its listener's line says it */
		if (listener && sum && sum_line[sum - m->findings]) {
			/* One finding sums up several roll-ups of a listener
			 * (accept_queue_overflow and its _reset variant): it is
			 * said once, and their findings belong to that line. */
			struct html_line *line = &l->at[sum_line[sum - m->findings] - 1];

			if (g->severity > line->sev)
				line->sev = g->severity;
			refs[n++] = (struct html_agg_ref){ g, sum_line[sum - m->findings] - 1 };
			continue;
		}
		html_line_add(l, g->severity, g->count, g, sum);
		if (sum)
			sum_line[sum - m->findings] = l->n;
		if (listener)
			refs[n++] = (struct html_agg_ref){ g, l->n - 1 };
	}
	qsort(refs, n, sizeof(*refs), html_cmp_ref);
	for (size_t i = 0; i < m->nfindings; i++) {
		const struct finding *f = &m->findings[i];
		size_t k = f->server.family ? html_find_listener(refs, n, f) : n;
		struct html_line *line = k < n ? &l->at[refs[k].line] : NULL;

		if (!line && summing[i])
			continue;
		if (!line) {
			html_line_add(l, f->severity, 1, NULL, f);
		} else if (!f->has_client && !line->f) {
			line->f = f;	/* a listener's own finding sums up its roll-up */
			if (f->severity > line->sev)
				line->sev = f->severity;
		}
	}
	free(refs);
	free(summing);
	free(sum_line);
	qsort(l->at, l->n, sizeof(*l->at), html_cmp_line);
	return 0;
}

/* --- one line --------------------------------------------------------------- */

/* The kind's one line without its parenthesised note on escalation. */
static void html_gist(const char *line, char *buf, size_t len)
{
	size_t n = strlen(line);

	if (n && line[n - 1] == ')' && strrchr(line, '('))
		n = (size_t)(strrchr(line, '(') - line);
	while (n && line[n - 1] == ' ')
		n--;
	snprintf(buf, len, "%.*s", (int)n, line);
}

static const char *html_last(const char *hay, const char *needle)
{
	const char *last = NULL;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		last = p;
	return last;
}

/* The explanation's advice: its sentence that starts "Check", else the end
 * of its last sentence that says " check " ("On it, check `nstat`..."), with
 * a capital. Empty when it gives none. */
static void html_todo(const char *expl, char *buf, size_t len)
{
	const char *s = NULL, *e;

	for (const char *p = expl; !s && (p = strstr(p, "Check")) != NULL; p++)
		if (p == expl || (p >= expl + 2 && p[-1] == ' ' && p[-2] == '.'))
			s = p;
	if (!s && (s = html_last(expl, " check ")) != NULL)
		s++;
	buf[0] = '\0';
	if (!s)
		return;
	/* The sentence ends at ". " before a capital letter, or at the end;
	 * its own full stop and any space after it are left out. */
	for (e = s; *e; e++)
		if (e[0] == '.' && e[1] == ' ' && isupper((unsigned char)e[2]))
			break;
	while (e > s && (e[-1] == ' ' || e[-1] == '.'))
		e--;
	if (e - s < 2)
		return;
	snprintf(buf, len, "%c%.*s.", toupper((unsigned char)s[0]), (int)(e - s - 1), s + 1);
}

/* "where" as a chip, then the sentence; a summary that starts with the
 * place loses that start rather than say it twice. */
static void html_headline(struct html *h, xmlNodePtr p, const char *where, const char *text)
{
	size_t wl = strlen(where);

	html_el_text(h, p, "strong", "where", where);
	html_text(h, p, " ", 1);
	if (wl && strncmp(text, where, wl) == 0 && (text[wl] == ':' || text[wl] == ' '))
		text += wl + (text[wl] == ':') + (text[wl + 1] == ' ');
	html_text(h, p, text, HTML_TEXT_MAX);
}

/* Whether every finding of a roll-up (all of them listed) has f's summary,
 * word for word: it then says more than the kind's gist ("connection refused
 * while the port accepted other connections within 10 s"). */
static bool html_one_summary(const struct html *h, const struct aggregate *g,
			     const struct finding *f)
{
	if (f->code != g->code || !g->nids || g->nids != g->count || g->nids > AGG_MAX_IDS)
		return false;
	for (uint32_t i = 0; i < g->nids; i++) {
		const struct finding *o = html_finding(h, g->finding_ids[i]);

		if (!o || strncmp(o->summary, f->summary, sizeof(f->summary)) != 0)
			return false;
	}
	return true;
}

/* What the line says: the summary of the finding it quotes (f) when that
 * speaks for the whole line (a listener's own finding, or the one finding of
 * a roll-up of its kind), else the kind's gist, or the summary all its
 * findings share, with the count and when. */
static void html_line_text(struct html *h, xmlNodePtr p, const struct html_line *l,
			   const struct finding *f)
{
	const struct aggregate *g = l->g;
	char where[HTML_ENDPOINT_MAX + 32], gist[256], a[TIMEFMT_LEN], b[TIMEFMT_LEN];
	const struct kind_info *ki = g ? kind_info(g->code) : NULL;

	if (!g) {
		html_finding_where(h, l->f, where, sizeof(where));
		html_headline(h, p, where, l->f->summary);
		return;
	}
	ip_endpoint_format(&g->server, g->server_port, where, sizeof(where));
	if (!g->server_port)
		snprintf(where + strlen(where), sizeof(where) - strlen(where), " (%u listeners)",
			 g->listeners);
	if (f && (!f->has_client || (g->count == 1 && f->code == g->code))) {
		html_headline(h, p, where, f->summary);
		return;
	}
	if (f && html_one_summary(h, g, f))
		snprintf(gist, sizeof(gist), "%s", f->summary);
	else
		html_gist(ki ? ki->line : g->kind, gist, sizeof(gist));
	html_headline(h, p, where, gist);
	html_textf(h, p, " (%" PRIu64 " %s, %s to %s)", g->count,
		   html_plural(g->count, "connection", "connections"),
		   html_when(h, g->first_ts_ns, a, sizeof(a)),
		   html_when(h, g->last_ts_ns, b, sizeof(b)));
}

/* Where "details" leads: the finding when the page shows it, else its kind. */
static void html_line_link(struct html *h, xmlNodePtr li, const struct html_line *l,
			   const struct finding *f)
{
	const struct kind_info *ki = kind_info(l->g ? l->g->code : f->code);
	char anchor[160];

	if (f && h->finding_shown[f - h->m->findings])
		snprintf(anchor, sizeof(anchor), "f%" PRIu64, f->id);
	else
		snprintf(anchor, sizeof(anchor), "k-%s", ki ? ki->id : "unknown");
	html_attr(h, html_link(h, li, anchor, "details \xe2\x80\xba"), "class", "details");
}

/* The finding a line quotes: its own, else its roll-up's first. */
static const struct finding *html_line_quote(const struct html *h, const struct html_line *l)
{
	if (l->f)
		return l->f;
	return l->g && l->g->nids ? html_finding(h, l->g->finding_ids[0]) : NULL;
}

/* One line; todo is its advice, "" for none. */
static void html_line(struct html *h, xmlNodePtr list, const struct html_line *l,
		      const char *todo)
{
	const struct finding *f = html_line_quote(h, l);
	char cls[64];
	xmlNodePtr li, body;

	snprintf(cls, sizeof(cls), "line %s", html_sev_class(l->sev));
	li = html_el(h, list, "li", cls);
	html_badge(h, li, l->sev);
	body = html_el(h, li, "div", "what");
	html_line_text(h, html_el(h, body, "p", "headline"), l, f);
	html_el_text(h, body, "p", "kind", l->g ? l->g->kind : f ? f->kind : "");
	if (todo[0])
		html_prose(h, html_el(h, body, "p", "todo"), todo, HTML_TODO_MAX);
	html_line_link(h, li, l, f);
}

/* --- the section ------------------------------------------------------------ */

/* Lines [from, to) of one band, with their advice (said once: two lines
 * about one listener often share it); past HTML_VERDICT_LINES, a count. */
static void html_band(struct html *h, xmlNodePtr parent, const struct html_lines *l,
		      size_t from, size_t to, bool advice)
{
	char todo[HTML_VERDICT_LINES][HTML_TODO_MAX];
	xmlNodePtr ol = html_el(h, parent, "ol", "verdict");

	for (size_t i = from, k = 0; i < to && k < HTML_VERDICT_LINES; i++, k++) {
		const struct finding *f = html_line_quote(h, &l->at[i]);

		todo[k][0] = '\0';
		if (advice && f)
			html_todo(f->explanation, todo[k], sizeof(todo[k]));
		for (size_t j = 0; j < k && todo[k][0]; j++)
			if (strcmp(todo[j], todo[k]) == 0)
				todo[k][0] = '\0';
		html_line(h, ol, &l->at[i], todo[k]);
	}
	if (to - from > HTML_VERDICT_LINES)
		html_el_textf(h, parent, "p", "note",
			      "%zu more, listed under Findings and Listeners below.",
			      to - from - HTML_VERDICT_LINES);
}

/* Nothing rose to a warning: what was checked, and whether it is the plain
 * all clear (green), notes to read (informational findings), or only as
 * good as the part of a damaged capture that was read. */
static void html_all_clear(struct html *h, xmlNodePtr section, bool notes)
{
	static const char *const families[] = {
		"listener overload", "stale and leaked sockets", "connection establishment",
		"4-tuple reuse", "transfer and liveness", "capture quality",
	};
	const struct report_model *m = h->m;
	bool damaged = html_damaged_captures(m) > 0;
	char n[HTML_NUM_MAX];
	xmlNodePtr div, p;
	unsigned kinds = 0;
	uint64_t tcp = 0;

	div = html_el(h, section, "div", damaged ? "all-clear damaged"
					 : notes ? "all-clear notes" : "all-clear");
	for (int k = 0; k < KIND_COUNT; k++)
		kinds += !kind_info((enum finding_kind)k)->table_only;
	for (size_t i = 0; i < m->ncaptures; i++)
		tcp += m->captures[i]->stats.tcp;
	html_el_text(h, div, "p", "headline",
		     damaged ? (notes ? "Nothing serious found in the frames that could be read."
				      : "No problems found in the frames that could be read.")
		     : notes ? "Nothing serious found." : "No problems found.");
	p = html_el(h, div, "p", NULL);
	if (!m->connections) {
		html_text(h, p, "The capture holds no TCP connection, so there was nothing to "
			  "check.", HTML_TEXT_MAX);
		return;
	}
	html_textf(h, p, "Checked %s %s", html_count(m->connections, n, sizeof(n)),
		   html_plural(m->connections, "connection", "connections"));
	html_textf(h, p, " (%s TCP packets) for the %u kinds of problem tcpautopsy knows: ",
		   html_count(tcp, n, sizeof(n)), kinds);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		html_textf(h, p, "%s%s", i ? ", " : "", families[i]);
	html_text(h, p, " (", 2);
	html_el_text(h, p, "code", NULL, "tcpautopsy --list-kinds");
	html_text(h, p, notes ? " lists them). None rose to a warning: the notes below are "
			      "for information."
			      : " lists them). None was seen.", HTML_TEXT_MAX);
}

/* A capture that could not be read whole comes before any verdict: every
 * line below is about what was read. */
static void html_damage(struct html *h, xmlNodePtr section)
{
	for (size_t i = 0; i < h->m->ncaptures; i++) {
		const struct capture_info *ci = h->m->captures[i];
		xmlNodePtr p;

		if (!ci->damaged && ci->format[0])
			continue;
		p = html_el(h, section, "p", "alert");
		html_text(h, html_el(h, p, "code", NULL), ci->file, sizeof(ci->file));
		if (!ci->format[0])
			html_textf(h, p, " could not be read (%.*s): nothing of it is in this report.",
				   (int)sizeof(ci->error), ci->error);
		else
			html_textf(h, p, " is damaged after frame %" PRIu64 " (%.*s): this report "
				   "covers the frames before it.", ci->damaged_after_frame,
				   (int)sizeof(ci->error), ci->error);
	}
}

void html_verdict(struct html *h, xmlNodePtr main)
{
	struct html_lines l = { NULL, 0 };
	xmlNodePtr section = html_el(h, main, "section", NULL), details;
	size_t serious = 0;

	html_attr(h, section, "id", "verdict");
	html_el_text(h, section, "h2", NULL, "Verdict");
	html_damage(h, section);
	if (html_lines_build(h, &l) < 0) {
		h->failed = true;
		return;
	}
	while (serious < l.n && l.at[serious].sev != SEV_INFO)
		serious++;
	if (serious)
		html_band(h, section, &l, 0, serious, true);
	else
		html_all_clear(h, section, l.n > 0);
	if (l.n > serious) {
		details = html_el(h, section, "details", "info-lines");
		/* With nothing serious, the notes are all there is to read. */
		if (!serious)
			html_attr(h, details, "open", "open");
		html_el_textf(h, details, "summary", NULL, "%zu informational %s",
			      l.n - serious, html_plural(l.n - serious, "note", "notes"));
		html_band(h, details, &l, serious, l.n, false);
	}
	free(l.at);
}
