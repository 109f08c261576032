/*
 * html_listeners.c - the findings rolled up per listener and per host
 * (report_model.aggregates): a table of every roll-up, then for the most
 * troubled listeners their findings over time and, for a CLOSE-WAIT leak,
 * how many sockets were left open over time.
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/html_parts.h"
#include "report/html_svg.h"
#include "report/timefmt.h"

#define HTML_AGG_ROWS 500	/* roll-ups in the table */
#define HTML_LISTENER_PLOTS 8	/* listeners with charts */
#define HTML_PLOT_KINDS 8	/* kinds drawn per listener; the rest are "other" */
#define HTML_PLOT_BINS 40
#define HTML_AGG_REFS 8		/* finding links per roll-up */

static bool html_same_listener(const struct aggregate *a, const struct aggregate *b)
{
	return a->server_port == b->server_port && a->server.family == b->server.family &&
	       memcmp(a->server.bytes, b->server.bytes, sizeof(a->server.bytes)) == 0;
}

static bool html_on_listener(const struct finding *f, const struct aggregate *g)
{
	return f->has_client && f->server_port == g->server_port &&
	       f->server.family == g->server.family &&
	       memcmp(f->server.bytes, g->server.bytes, sizeof(f->server.bytes)) == 0;
}

size_t html_troubled_listeners(const struct report_model *m, const struct aggregate **first,
			       size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->naggregates; i++) {
		const struct aggregate *g = &m->aggregates[i];
		bool seen = false;

		if (g->severity == SEV_INFO || strcmp(g->scope, "listener") != 0)
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct aggregate *o = &m->aggregates[j];

			seen = o->severity != SEV_INFO && strcmp(o->scope, "listener") == 0 &&
			       html_same_listener(o, g);
		}
		if (seen)
			continue;
		if (n < max)
			first[n] = g;
		n++;
	}
	return n;
}

/* --- the table -------------------------------------------------------------- */

static void html_agg_row(struct html *h, xmlNodePtr tbody, const struct aggregate *g)
{
	char where[HTML_ENDPOINT_MAX], t[TIMEFMT_LEN];
	int64_t span = html_elapsed(g->first_ts_ns, g->last_ts_ns);
	xmlNodePtr tr = html_el(h, tbody, "tr", NULL), td;

	html_td(h, tr, g->scope);
	html_el_text(h, html_el(h, tr, "td", NULL), "code", NULL,
		     ip_endpoint_format(&g->server, g->server_port, where, sizeof(where)));
	html_el_text(h, tr, "td", "kind-id", g->kind);
	html_badge(h, html_el(h, tr, "td", NULL), g->severity);
	html_td_num(h, tr, g->count);
	if (g->server_port)
		html_td(h, tr, "");
	else
		html_td_num(h, tr, g->listeners);
	html_attrf(h, html_td(h, tr, html_time(h, g->first_ts_ns, t, sizeof(t))), "data-sort",
		   "%" PRId64, g->first_ts_ns);
	html_attrf(h, html_el_text(h, tr, "td", "num", html_duration(span, t, sizeof(t))),
		   "data-sort", "%" PRId64, span);
	td = html_el(h, tr, "td", "refs");
	if (g->summary_finding) {
		html_finding_ref(h, td, g->summary_finding);
		html_text(h, td, " (sums up) ", 11);
	}
	for (uint32_t i = 0; i < g->nids && i < HTML_AGG_REFS; i++) {
		html_finding_ref(h, td, g->finding_ids[i]);
		html_text(h, td, " ", 1);
	}
	if (g->count > HTML_AGG_REFS)
		html_text(h, td, "\xe2\x80\xa6", 3);
}

static void html_agg_table(struct html *h, xmlNodePtr section)
{
	static const char *const heads[] = {
		"scope", "where", "kind", "severity", "findings", "listeners", "first", "over",
		"findings (first)",
	};
	const struct report_model *m = h->m;
	char n[HTML_NUM_MAX];
	xmlNodePtr tbody = html_table(h, section, "aggs sortable filterable", heads,
				      sizeof(heads) / sizeof(heads[0]));

	for (size_t i = 0; i < m->naggregates && i < HTML_AGG_ROWS; i++)
		html_agg_row(h, tbody, &m->aggregates[i]);
	if (m->naggregates > HTML_AGG_ROWS)
		html_el_textf(h, section, "p", "more", "%s more roll-ups in the JSON report "
			      "(-o report.json).", html_count(m->naggregates - HTML_AGG_ROWS, n,
							      sizeof(n)));
}

/* --- a listener's charts ---------------------------------------------------- */

/* The smallest 1-2-5 step of at least ns (1 ms at least). */
static int64_t html_nice_step(int64_t ns)
{
	static const int64_t mult[] = { 1, 2, 5 };
	int64_t base = 1000000;

	for (;;) {
		for (size_t i = 0; i < 3; i++)
			if (base * mult[i] >= ns)
				return base * mult[i];
		if (base > INT64_MAX / 50)
			return INT64_MAX / 8;
		base *= 10;
	}
}

struct html_plot {
	enum finding_kind kinds[HTML_PLOT_KINDS - 1];
	size_t nkinds;
	bool other;		/* a last series counts the other kinds */
	int64_t t0, step;
	size_t nbins;
	uint64_t values[HTML_PLOT_KINDS][HTML_PLOT_BINS];
};

/* The kinds of the listener's roll-ups, in the roll-ups' order. */
static void html_plot_kinds(const struct report_model *m, const struct aggregate *l,
			    struct html_plot *p)
{
	for (size_t i = 0; i < m->naggregates; i++) {
		const struct aggregate *g = &m->aggregates[i];

		if (strcmp(g->scope, "listener") != 0 || !html_same_listener(g, l) ||
		    g->code == KIND_CLOSE_WAIT_LEAK)
			continue;
		if (p->nkinds < HTML_PLOT_KINDS - 1)
			p->kinds[p->nkinds++] = g->code;
		else
			p->other = true;
	}
}

/* The series of a kind; the last one for a kind not named. */
static size_t html_plot_series(struct html_plot *p, enum finding_kind code)
{
	for (size_t k = 0; k < p->nkinds; k++)
		if (p->kinds[k] == code)
			return k;
	p->other = true;
	return p->nkinds;
}

/* Counts the listener's connection findings per time bin, by kind, over the
 * whole run, so that the chart shows when in the capture they came. False
 * when there are fewer than two: one finding has no course over time. */
static bool html_plot_fill(const struct html *h, const struct aggregate *l, struct html_plot *p)
{
	const struct report_model *m = h->m;
	int64_t lo = h->first_ts_ns, hi = h->last_ts_ns;
	size_t n = 0;

	for (size_t i = 0; i < m->nfindings; i++) {
		const struct finding *f = &m->findings[i];

		if (!html_on_listener(f, l))
			continue;
		lo = f->first_ts_ns < lo ? f->first_ts_ns : lo;
		hi = f->first_ts_ns > hi ? f->first_ts_ns : hi;
		n++;
	}
	if (n < 2)
		return false;
	p->step = html_nice_step(html_elapsed(lo, hi) / (HTML_PLOT_BINS - 1) + 1);
	/* The bins start on a multiple of the step (when that is representable). */
	p->t0 = lo % p->step < 0 ? lo % p->step + p->step : lo % p->step;
	p->t0 = lo >= INT64_MIN + p->t0 ? lo - p->t0 : lo;
	p->nbins = (size_t)(html_elapsed(p->t0, hi) / p->step) + 1;
	if (p->nbins > HTML_PLOT_BINS)
		p->nbins = HTML_PLOT_BINS;
	for (size_t i = 0; i < m->nfindings; i++) {
		const struct finding *f = &m->findings[i];
		size_t b;

		if (!html_on_listener(f, l))
			continue;
		b = (size_t)(html_elapsed(p->t0, f->first_ts_ns) / p->step);
		p->values[html_plot_series(p, f->code)][b < p->nbins ? b : p->nbins - 1]++;
	}
	return true;
}

/* The chart of a listener's findings over time, from a filled plot. */
static void html_plot_findings(struct html *h, xmlNodePtr grid, const struct aggregate *l,
			       const struct html_plot *p)
{
	struct svg_series series[HTML_PLOT_KINDS];
	char title[160], where[HTML_ENDPOINT_MAX], step[TIMEFMT_LEN];
	xmlNodePtr fig;

	for (size_t k = 0; k < p->nkinds; k++) {
		const struct kind_info *ki = kind_info(p->kinds[k]);

		series[k] = (struct svg_series){ ki ? ki->id : "unknown", NULL, p->values[k] };
	}
	if (p->other)
		series[p->nkinds] = (struct svg_series){ "other kinds", NULL, p->values[p->nkinds] };
	snprintf(title, sizeof(title), "Findings on %s, per %s",
		 ip_endpoint_format(&l->server, l->server_port, where, sizeof(where)),
		 html_duration(p->step, step, sizeof(step)));
	fig = html_el(h, grid, "figure", "chart");
	if (fig && !svg_stacked_time(fig, title, p->t0, p->step, p->nbins, series,
				     p->nkinds + p->other))
		h->failed = true;
}

/* The CLOSE-WAIT sockets of a leak over time: each value holds from the
 * start of its interval (aggregate.h) until the next. */
static void html_plot_leak(struct html *h, xmlNodePtr grid, const struct aggregate *g)
{
	int64_t ts[AGG_SERIES], v[AGG_SERIES], end = h->last_ts_ns;
	uint32_t n = g->nseries < AGG_SERIES ? g->nseries : AGG_SERIES;
	char title[160], where[HTML_ENDPOINT_MAX];
	xmlNodePtr fig;

	for (uint32_t i = 0; i < n; i++) {
		ts[i] = g->series[i].ts_ns - g->series_step_ns;
		v[i] = g->series[i].open;
	}
	if (n && g->series[n - 1].ts_ns > end)
		end = g->series[n - 1].ts_ns;
	snprintf(title, sizeof(title), "Sockets in CLOSE-WAIT on %s",
		 ip_endpoint_format(&g->server, g->server_port, where, sizeof(where)));
	fig = html_el(h, grid, "figure", "chart");
	if (fig && !svg_steps(fig, title, ts, v, n, end, "sockets left open by the application"))
		h->failed = true;
}

/* The listener's close_wait_leak roll-up with a count over time, or NULL. */
static const struct aggregate *html_listener_leak(const struct report_model *m,
						  const struct aggregate *l)
{
	for (size_t i = 0; i < m->naggregates; i++)
		if (m->aggregates[i].code == KIND_CLOSE_WAIT_LEAK &&
		    html_same_listener(&m->aggregates[i], l) && m->aggregates[i].nseries)
			return &m->aggregates[i];
	return NULL;
}

/* A listener's charts under its name; nothing when it has none to show. p is
 * room for its plot, reused from one listener to the next. */
static void html_listener_plots(struct html *h, xmlNodePtr section, const struct aggregate *l,
				struct html_plot *p)
{
	const struct aggregate *leak = html_listener_leak(h->m, l);
	char where[HTML_ENDPOINT_MAX];
	bool findings;
	xmlNodePtr grid;

	memset(p, 0, sizeof(*p));
	html_plot_kinds(h->m, l, p);
	findings = html_plot_fill(h, l, p);
	if (!findings && !leak)
		return;
	html_el_text(h, section, "h3", NULL,
		     ip_endpoint_format(&l->server, l->server_port, where, sizeof(where)));
	grid = html_el(h, section, "div", "charts");
	if (findings)
		html_plot_findings(h, grid, l, p);
	if (leak)
		html_plot_leak(h, grid, leak);
}

void html_listeners(struct html *h, xmlNodePtr main)
{
	const struct report_model *m = h->m;
	const struct aggregate *shown[HTML_LISTENER_PLOTS];
	struct html_plot plot;
	size_t nshown;
	xmlNodePtr section;

	/* Nothing at all without a finding about a connection to roll up. */
	if (!m->naggregates)
		return;
	section = html_el(h, main, "section", NULL);
	html_attr(h, section, "id", "listeners");
	html_el_text(h, section, "h2", NULL, "Listeners and hosts");
	html_el_text(h, section, "p", "note",
		     "Every connection finding counted per listener (server address and port) "
		     "and per host, most severe first.");
	html_agg_table(h, section);
	/* Information alone does not earn a chart. */
	nshown = html_troubled_listeners(m, shown, HTML_LISTENER_PLOTS);
	for (size_t i = 0; i < nshown && i < HTML_LISTENER_PLOTS; i++)
		html_listener_plots(h, section, shown[i], &plot);
}
