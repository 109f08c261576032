/*
 * html_charts.c - the shape of the traffic: connections over time by how
 * they ended, the states both sides were left in, handshake round trips and
 * connection durations. Drawn from the counters html_bins.c filled while the
 * connections streamed past, and from the report model's state tally.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_parts.h"
#include "report/html_svg.h"

#define HTML_STATE_BARS 12

/* How each outcome is coloured: the ladder's state colours where they
 * match (closed grey, open green, connecting amber, closing blue), red for
 * a reset. */
static const char *const html_outcome_class[OUT_COUNT] = {
	[OUT_CLOSED] = "st-closed",
	[OUT_RESET] = "sev-critical",
	[OUT_REFUSED] = "sev-warning",
	[OUT_CONNECTING] = "st-connecting",
	[OUT_OPEN] = "st-established",
	[OUT_CLOSING] = "st-closing",
	[OUT_IDLE] = "series-9",
	[OUT_REUSED] = "series-4",
	[OUT_EVICTED] = "series-10",
};

static xmlNodePtr html_figure(struct html *h, xmlNodePtr parent)
{
	return html_el(h, parent, "figure", "chart");
}

/* A chart builder returns NULL only when out of memory. */
static void html_drawn(struct html *h, xmlNodePtr fig, xmlNodePtr svg)
{
	if (fig && !svg)
		h->failed = true;
}

/* The bins to draw: those the run's frames span (html.c widened the bins
 * to cover them), and any connection outside that. */
static void html_outcome_range(const struct html *h, size_t *first, size_t *last)
{
	const struct html_time_bins *t = &h->w->bins.starts;
	int64_t step = t->step_ns;

	*first = HTML_TIME_BINS;
	*last = 0;
	for (size_t b = 0; b < HTML_TIME_BINS; b++)
		for (int o = 0; o < OUT_COUNT; o++)
			if (t->count[o][b]) {
				*first = b < *first ? b : *first;
				*last = b > *last ? b : *last;
			}
	if (*first > *last || !step)
		return;
	if (h->first_ts_ns >= t->origin_ns) {
		uint64_t b = (uint64_t)html_elapsed(t->origin_ns, h->first_ts_ns) / (uint64_t)step;

		*first = b < *first ? (size_t)b : *first;
	}
	if (h->last_ts_ns >= t->origin_ns) {
		uint64_t b = (uint64_t)html_elapsed(t->origin_ns, h->last_ts_ns) / (uint64_t)step;

		b = b < HTML_TIME_BINS ? b : HTML_TIME_BINS - 1;
		*last = b > *last ? (size_t)b : *last;
	}
}

static void html_chart_outcomes(struct html *h, xmlNodePtr grid)
{
	const struct html_time_bins *t = &h->w->bins.starts;
	struct svg_series series[OUT_COUNT];
	enum html_outcome drawn[OUT_COUNT];
	size_t first, last, n = 0;
	xmlNodePtr fig = html_figure(h, grid), note;

	html_outcome_range(h, &first, &last);
	for (int o = 0; o < OUT_COUNT && first <= last; o++) {
		bool any = false;

		for (size_t b = first; b <= last; b++)
			any |= t->count[o][b] != 0;
		if (!any)
			continue;
		drawn[n] = (enum html_outcome)o;
		series[n] = (struct svg_series){ html_outcome_name(drawn[n]), html_outcome_class[o],
						 &t->count[o][first] };
		n++;
	}
	html_drawn(h, fig, fig ? svg_stacked_time(fig, "Connections by start time and how they ended",
						  t->origin_ns + (int64_t)first * t->step_ns,
						  t->step_ns, first <= last ? last - first + 1 : 0,
						  series, n)
			       : NULL);
	/* What the legend's words mean, for those it shows. */
	note = html_el(h, fig, "p", NULL);
	for (size_t i = 0; i < n; i++)
		html_textf(h, note, "%s%s: %s%s", i ? "; " : "", html_outcome_name(drawn[i]),
			   html_outcome_meaning(drawn[i]), i + 1 == n ? "." : "");
}

struct html_pair {
	char label[48];
	uint64_t n;
};

static int html_cmp_pair(const void *a, const void *b)
{
	const struct html_pair *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->label, y->label);
}

static void html_chart_states(struct html *h, xmlNodePtr grid)
{
	struct html_pair pairs[REPORT_STATE_SLOTS * REPORT_STATE_SLOTS];
	struct svg_bar bars[HTML_STATE_BARS];
	size_t n = 0, nbars = 0;
	uint64_t rest = 0;
	xmlNodePtr fig = html_figure(h, grid);

	for (unsigned c = 0; c < REPORT_STATE_SLOTS; c++)
		for (unsigned s = 0; s < REPORT_STATE_SLOTS; s++)
			if (h->m->final_states[c][s]) {
				snprintf(pairs[n].label, sizeof(pairs[n].label), "%s / %s",
					 report_state_slot_name(c), report_state_slot_name(s));
				pairs[n++].n = h->m->final_states[c][s];
			}
	qsort(pairs, n, sizeof(pairs[0]), html_cmp_pair);
	for (size_t i = 0; i < n; i++) {
		if (i < HTML_STATE_BARS - 1 || n == HTML_STATE_BARS)
			bars[nbars++] = (struct svg_bar){ pairs[i].label, pairs[i].n, NULL };
		else
			rest += pairs[i].n;
	}
	if (rest)
		bars[nbars++] = (struct svg_bar){ "other pairs", rest, NULL };
	html_drawn(h, fig, fig ? svg_bars(fig, "Connections by state at the end (client / server)",
					  bars, nbars, NULL)
			       : NULL);
	html_el_text(h, fig, "p", NULL,
		     "Each side's state when its connection was finalised: the end of the "
		     "capture for connections still open.");
}

/* A histogram of log bins: "<10 µs", "10 µs", ..., "≥5 s". */
static void html_chart_log(struct html *h, xmlNodePtr grid, const char *title,
			   const int64_t *edges, const uint64_t *counts, size_t n,
			   const char *x_label, const char *note)
{
	char labels[HTML_RTT_BINS > HTML_DURATION_BINS ? HTML_RTT_BINS : HTML_DURATION_BINS][32];
	struct svg_bar bins[HTML_RTT_BINS > HTML_DURATION_BINS ? HTML_RTT_BINS
							       : HTML_DURATION_BINS];
	xmlNodePtr fig = html_figure(h, grid);

	for (size_t i = 0; i < n; i++) {
		char edge[24];

		html_edge_label(edges[i == 0 ? 1 : i], edge, sizeof(edge));
		snprintf(labels[i], sizeof(labels[i]), "%s%s",
			 i == 0 ? "<" : i == n - 1 ? "\xe2\x89\xa5" : "", edge);
		bins[i] = (struct svg_bar){ labels[i], counts[i], NULL };
	}
	html_drawn(h, fig, fig ? svg_histogram(fig, title, bins, n, x_label) : NULL);
	if (note)
		html_el_text(h, fig, "p", NULL, note);
}

void html_charts(struct html *h, xmlNodePtr main)
{
	const struct html_bins *b = &h->w->bins;
	xmlNodePtr section = html_el(h, main, "section", NULL), grid;
	char note[160], n[HTML_NUM_MAX];

	html_attr(h, section, "id", "charts");
	html_el_text(h, section, "h2", NULL, "Charts");
	if (!h->m->connections) {
		html_el_text(h, section, "p", "note", "No connection, so nothing to chart.");
		return;
	}
	grid = html_el(h, section, "div", "charts");
	html_chart_outcomes(h, grid);
	html_chart_states(h, grid);
	snprintf(note, sizeof(note), "%s %s without a complete handshake %s not counted.",
		 html_count(b->no_rtt, n, sizeof(n)),
		 html_plural(b->no_rtt, "connection", "connections"),
		 html_plural(b->no_rtt, "is", "are"));
	html_chart_log(h, grid, "Handshake round trip (SYN to the client's ACK)", html_rtt_edges,
		       b->rtt, HTML_RTT_BINS, "round-trip time, log scale",
		       b->no_rtt ? note : NULL);
	html_chart_log(h, grid, "Connection duration (first to last packet)",
		       html_duration_edges, b->duration, HTML_DURATION_BINS,
		       "duration, log scale", NULL);
}
