/*
 * html_svg_chart.c - the report's charts: horizontal bars, a histogram, a
 * stacked bar chart over time and a step line over time.
 *
 * Every chart draws something sensible for any input: no data says "no
 * data", one point is a bar or a dot, all zeros give an axis from 0 to 1, and
 * counts near 2^64 keep their axis (integer scales, html_svg_draw.c). Inputs
 * are capped (CHART_MAX_*) so a huge array cannot make a huge page; what is
 * left out is said under the chart.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_svg.h"
#include "report/html_svg_draw.h"
#include "report/timefmt.h"

#define CHART_FONT 11
#define CHART_BAR_ROW 22
#define CHART_BAR_H 14
#define CHART_LABEL_CHARS 32	/* labels are cut (with an ellipsis) beyond this */
#define CHART_TICK_CHARS 12
#define CHART_VALUE_MAX 128	/* a value and its unit */
#define CHART_CLASS_MAX 256

#define CHART_MAX_BARS 60
#define CHART_MAX_BINS (SVG_CHART_W - SVG_CHART_LEFT - SVG_CHART_RIGHT)	/* 1 px each */
#define CHART_MAX_SERIES 12
#define CHART_DOTS_MAX 40	/* a dot on each step up to this many points */

static const char *const chart_default_series[] = {
	"series-1", "series-2", "series-3", "series-4", "series-5", "series-6",
	"series-7", "series-8", "series-9", "series-10", "series-11", "series-12",
};

/* "12", "12 ms": a unit of at most 32 bytes, 96 once cleaned. */
static void chart_value(uint64_t v, const char *unit, char *buf, size_t len)
{
	char clean[32 * 3 + 1];

	if (unit && unit[0]) {
		svg_clean(unit, 32, clean, sizeof(clean));
		snprintf(buf, len, "%" PRIu64 " %s", v, clean);
	} else {
		snprintf(buf, len, "%" PRIu64, v);
	}
}

/* "chart-bar st-established": the caller's class (at most 64 bytes) after
 * ours. */
static void chart_class(const char *base, const char *cls, char *buf, size_t len)
{
	char clean[64 * 3 + 1];

	svg_clean(cls ? cls : "", 64, clean, sizeof(clean));
	snprintf(buf, len, "%s%s%s", base, clean[0] ? " " : "", clean);
}

/* "12 more not shown" under a chart that was capped; returns the new height. */
static int chart_more(struct svg_ctx *c, int y, size_t more, const char *what)
{
	char text[96];

	if (!more)
		return y;
	snprintf(text, sizeof(text), "%zu more %s not shown", more, what);
	svg_text(c, c->root, 4, y + 12, "start", "chart-caption", text, CHART_FONT, 0);
	return y + 18;
}

static bool chart_start(struct svg_ctx *c, xmlNodePtr parent, const char *cls,
			const char *title)
{
	return svg_open(c, parent, cls, SVG_CHART_W, SVG_CHART_PLOT_H, title ? title : "",
			NULL);
}

/* --- bars -------------------------------------------------------------- */

/* One labelled bar of width w from x0, its value after it. */
static void chart_bar_row(struct svg_ctx *c, const struct svg_bar *bar, const char *unit,
			  int x0, int y, int w)
{
	char label[SVG_TEXT_MAX], value[CHART_VALUE_MAX], tip[SVG_TEXT_MAX * 2];
	char cls[CHART_CLASS_MAX];
	xmlNodePtr g = svg_elem(c, c->root, "g", "chart-row");

	svg_cut(bar->label, CHART_LABEL_CHARS, label, sizeof(label));
	chart_value(bar->value, unit, value, sizeof(value));
	/* The tooltip has the label whole. */
	svg_clean(bar->label ? bar->label : "", SVG_TEXT_MAX, tip, sizeof(tip));
	snprintf(tip + strlen(tip), sizeof(tip) - strlen(tip), ": %s", value);
	chart_class("chart-bar", bar->cls, cls, sizeof(cls));
	svg_tooltip(c, g, tip);
	svg_text(c, g, x0 - 6, y + 15, "end", "chart-label", label, CHART_FONT, 0);
	svg_rect(c, g, x0, y + (CHART_BAR_ROW - CHART_BAR_H) / 2, w, CHART_BAR_H, cls);
	svg_text(c, g, x0 + w + 6, y + 15, "start", "chart-value", value, CHART_FONT, 0);
}

xmlNodePtr svg_bars(xmlNodePtr parent, const char *title, const struct svg_bar *bars, size_t n,
		    const char *unit)
{
	struct svg_ctx c;
	size_t shown = n < CHART_MAX_BARS ? n : CHART_MAX_BARS;
	size_t label_chars = 1, value_chars = 1;
	uint64_t max = 0;
	int y, top, x0, room;

	if (!chart_start(&c, parent, "pic pic-chart pic-bars", title))
		return svg_close(&c, parent);
	y = svg_chart_title(&c, title);
	if (!bars || shown == 0) {
		svg_set_height(&c, SVG_CHART_W, svg_chart_empty(&c, y));
		return svg_close(&c, parent);
	}
	/* The columns fit the longest label and value. */
	for (size_t i = 0; i < shown; i++) {
		char label[SVG_TEXT_MAX], value[CHART_VALUE_MAX];
		size_t chars = svg_cut(bars[i].label, CHART_LABEL_CHARS, label, sizeof(label));

		chart_value(bars[i].value, unit, value, sizeof(value));
		label_chars = chars > label_chars ? chars : label_chars;
		value_chars = svg_chars(value) > value_chars ? svg_chars(value) : value_chars;
		max = bars[i].value > max ? bars[i].value : max;
	}
	x0 = 4 + SVG_TEXT_PX(label_chars, CHART_FONT) + 8;
	room = SVG_CHART_W - x0 - SVG_TEXT_PX(value_chars, CHART_FONT) - 12;
	top = y;
	for (size_t i = 0; i < shown; i++, y += CHART_BAR_ROW)
		chart_bar_row(&c, &bars[i], unit, x0, y, svg_scale(bars[i].value, max, room));
	svg_line(&c, c.root, x0, top, x0, y, "chart-axis");
	y = chart_more(&c, y, n - shown, "bars");
	svg_set_height(&c, SVG_CHART_W, y + 8);
	return svg_close(&c, parent);
}

/* --- histogram ----------------------------------------------------------- */

/* Labels under the axis: every k-th, so that they do not run into each
 * other. */
static void chart_bin_labels(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p,
			     const struct svg_bar *bins, size_t n)
{
	size_t chars = 1, every;
	int axis = p->y + p->h;

	for (size_t i = 0; i < n; i++) {
		char text[SVG_TEXT_MAX];
		size_t k = svg_cut(bins[i].label, CHART_TICK_CHARS, text, sizeof(text));

		chars = k > chars ? k : chars;
	}
	every = (n * (size_t)(SVG_TEXT_PX(chars, CHART_FONT) + 8) + (size_t)p->w - 1) /
		(size_t)p->w;
	every = every ? every : 1;
	for (size_t i = 0; i < n; i += every) {
		char text[SVG_TEXT_MAX];
		int x = p->x + (int)((i * 2 + 1) * (size_t)p->w / (n * 2));

		svg_cut(bins[i].label, CHART_TICK_CHARS, text, sizeof(text));
		svg_line(c, g, x, axis, x, axis + 4, "chart-axis");
		svg_text(c, g, x, axis + 16, "middle", "chart-tick", text, CHART_FONT, 0);
	}
}

xmlNodePtr svg_histogram(xmlNodePtr parent, const char *title, const struct svg_bar *bins,
			 size_t n, const char *x_label)
{
	struct svg_ctx c;
	struct svg_plot p;
	size_t shown = n < CHART_MAX_BINS ? n : CHART_MAX_BINS;
	uint64_t max = 0;
	xmlNodePtr g;
	int y;

	if (!chart_start(&c, parent, "pic pic-chart pic-histogram", title))
		return svg_close(&c, parent);
	y = svg_chart_title(&c, title);
	if (!bins || shown == 0) {
		svg_set_height(&c, SVG_CHART_W, svg_chart_empty(&c, y));
		return svg_close(&c, parent);
	}
	for (size_t i = 0; i < shown; i++)
		max = bins[i].value > max ? bins[i].value : max;
	p = svg_plot_at(y + 8, max);
	g = svg_elem(&c, c.root, "g", "chart-plot");
	svg_axis_y(&c, g, &p);
	for (size_t i = 0; i < shown; i++) {
		int x = p.x + (int)(i * (size_t)p.w / shown);
		int next = p.x + (int)((i + 1) * (size_t)p.w / shown);
		int w = next - x - (next - x >= 4 ? 1 : 0);
		int top = svg_plot_y(&p, bins[i].value);
		char cls[CHART_CLASS_MAX], value[CHART_VALUE_MAX], tip[SVG_TEXT_MAX * 2];
		xmlNodePtr bar;

		chart_class("chart-bar", bins[i].cls, cls, sizeof(cls));
		chart_value(bins[i].value, NULL, value, sizeof(value));
		svg_clean(bins[i].label ? bins[i].label : "", SVG_TEXT_MAX, tip, sizeof(tip));
		snprintf(tip + strlen(tip), sizeof(tip) - strlen(tip), ": %s", value);
		bar = svg_rect(&c, g, x, top, w, p.y + p.h - top, cls);
		svg_tooltip(&c, bar, tip);
	}
	chart_bin_labels(&c, g, &p, bins, shown);
	if (x_label)
		svg_text(&c, g, p.x + p.w / 2, p.y + p.h + 34, "middle", "chart-caption",
			 x_label, CHART_FONT, p.w);
	y = chart_more(&c, p.y + p.h + SVG_CHART_AXIS_H, n - shown, "bins");
	svg_set_height(&c, SVG_CHART_W, y + 4);
	return svg_close(&c, parent);
}

/* --- stacked bars over time ---------------------------------------------- */

static uint64_t chart_sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t chart_value_at(const struct svg_series *s, size_t bin)
{
	return s->values ? s->values[bin] : 0;
}

/* One path per series, a rectangle per bin: the legend's classes colour
 * them, and the page stays small. */
static void chart_stack_layers(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p,
			       const struct svg_series *series, size_t ns,
			       const char *const *classes, size_t nbins)
{
	size_t cap = nbins * 48 + 1;
	char *d = malloc(cap);

	if (!d) {
		c->failed = true;
		return;
	}
	for (size_t s = 0; s < ns; s++) {
		size_t len = 0;
		char cls[SVG_TEXT_MAX];

		d[0] = '\0';
		for (size_t b = 0; b < nbins; b++) {
			uint64_t below = 0, v = chart_value_at(&series[s], b);
			int x = p->x + (int)(b * (size_t)p->w / nbins);
			int next = p->x + (int)((b + 1) * (size_t)p->w / nbins);
			int w = next - x - (next - x >= 4 ? 1 : 0);
			int y0, y1;

			if (v == 0)
				continue;
			for (size_t k = 0; k < s; k++)
				below = chart_sat_add(below, chart_value_at(&series[k], b));
			y0 = svg_plot_y(p, below);
			y1 = svg_plot_y(p, chart_sat_add(below, v));
			if (y0 == y1)
				continue;
			len += (size_t)snprintf(d + len, cap - len, "%sM%d %dh%dv%dh%dz",
						len ? " " : "", x, y1, w, y0 - y1, -w);
			if (len >= cap)
				break;	/* cannot happen: 48 bytes hold a bin */
		}
		snprintf(cls, sizeof(cls), "chart-layer %s", classes[s]);
		if (len)
			svg_set_own(c, svg_elem(c, g, "path", cls), "d", d);
	}
	free(d);
}

/* The start of bin b, saturated: times and steps are input. A step that is
 * not positive puts every bin at t0. */
static int64_t chart_bin_time(int64_t t0_ns, int64_t step_ns, size_t b)
{
	if (step_ns <= 0)
		return t0_ns;
	if (b > (size_t)(INT64_MAX / step_ns))
		return svg_add_sat(t0_ns, INT64_MAX);
	return svg_add_sat(t0_ns, (int64_t)b * step_ns);
}

/* A transparent column per bin that names its time and values on hover. */
static void chart_stack_hover(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p,
			      int64_t t0_ns, int64_t step_ns, const struct svg_series *series,
			      size_t ns, size_t nbins)
{
	for (size_t b = 0; b < nbins; b++) {
		int x = p->x + (int)(b * (size_t)p->w / nbins);
		int next = p->x + (int)((b + 1) * (size_t)p->w / nbins);
		int64_t at = chart_bin_time(t0_ns, step_ns, b);
		char tip[SVG_TEXT_MAX * 4];
		size_t len = strlen(timefmt_iso(at, tip, sizeof(tip)));
		xmlNodePtr r;

		for (size_t s = 0; s < ns && len < sizeof(tip); s++) {
			char name[SVG_TEXT_MAX];

			svg_cut(series[s].name, 40, name, sizeof(name));
			len += (size_t)snprintf(tip + len, sizeof(tip) - len, "%s%s %" PRIu64,
						s ? ", " : ": ", name,
						chart_value_at(&series[s], b));
		}
		r = svg_rect(c, g, x, p->y, next - x, p->h, "chart-hover");
		svg_tooltip(c, r, tip);
	}
}

xmlNodePtr svg_stacked_time(xmlNodePtr parent, const char *title, int64_t t0_ns, int64_t step_ns,
			    size_t nbins, const struct svg_series *series, size_t nseries)
{
	struct svg_ctx c;
	struct svg_plot p;
	size_t shown = nbins < CHART_MAX_BINS ? nbins : CHART_MAX_BINS;
	size_t ns = nseries < CHART_MAX_SERIES ? nseries : CHART_MAX_SERIES;
	const char *names[CHART_MAX_SERIES], *classes[CHART_MAX_SERIES];
	uint64_t max = 0;
	int64_t span;
	xmlNodePtr g;
	int y;

	if (!chart_start(&c, parent, "pic pic-chart pic-stacked", title))
		return svg_close(&c, parent);
	y = svg_chart_title(&c, title);
	if (!series || shown == 0 || ns == 0) {
		svg_set_height(&c, SVG_CHART_W, svg_chart_empty(&c, y));
		return svg_close(&c, parent);
	}
	for (size_t s = 0; s < ns; s++) {
		names[s] = series[s].name ? series[s].name : "";
		classes[s] = series[s].cls ? series[s].cls : chart_default_series[s];
	}
	for (size_t b = 0; b < shown; b++) {
		uint64_t total = 0;

		for (size_t s = 0; s < ns; s++)
			total = chart_sat_add(total, chart_value_at(&series[s], b));
		max = total > max ? total : max;
	}
	y += svg_legend(&c, c.root, SVG_CHART_LEFT, y, SVG_CHART_W - SVG_CHART_LEFT, names,
			classes, ns);
	span = chart_bin_time(0, step_ns, shown);
	p = svg_plot_at(y + 8, max);
	g = svg_elem(&c, c.root, "g", "chart-plot");
	svg_axis_y(&c, g, &p);
	chart_stack_layers(&c, g, &p, series, ns, classes, shown);
	chart_stack_hover(&c, g, &p, t0_ns, step_ns, series, ns, shown);
	svg_axis_time(&c, g, &p, t0_ns, span);
	y = chart_more(&c, p.y + p.h + SVG_CHART_AXIS_H, nbins - shown, "bins");
	y = chart_more(&c, y, nseries - ns, "series");
	svg_set_height(&c, SVG_CHART_W, y + 4);
	return svg_close(&c, parent);
}

/* --- a step line over time ----------------------------------------------- */

/* A step path built at the resolution of the picture: points that fall in
 * the same pixel column collapse to a vertical stroke over their range, so
 * the path has a few commands per column however many points there are. */
struct chart_path {
	char *d;
	size_t len, cap;
	int pen_y;		/* where the pen is in the current column */
	int lo, hi, last;	/* the current column's range and last value */
};

static void chart_path_add(struct chart_path *pa, const char *cmd, int v)
{
	if (pa->len < pa->cap)
		pa->len += (size_t)snprintf(pa->d + pa->len, pa->cap - pa->len, "%s%s%d",
					    pa->len ? " " : "", cmd, v);
}

/* Strokes the column's range from where the pen entered it, ending at its
 * last value: the far end of the range first, so no stroke is drawn twice. */
static void chart_path_flush(struct chart_path *pa)
{
	bool at_end = pa->last == pa->lo || pa->last == pa->hi;
	int first = pa->last == pa->lo ? pa->hi : pa->lo;
	const int targets[3] = { first, at_end ? pa->last : pa->hi, pa->last };

	for (int i = 0; i < 3; i++)
		if (targets[i] != pa->pen_y) {
			chart_path_add(pa, "V", targets[i]);
			pa->pen_y = targets[i];
		}
}

static uint64_t chart_count(int64_t v)
{
	return v > 0 ? (uint64_t)v : 0;	/* a count below zero is drawn as zero */
}

/* The step line and the area under it; returns false when out of memory. */
static bool chart_steps_path(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p,
			     const int64_t *ts_ns, const int64_t *value, size_t n, int64_t t0,
			     int64_t span)
{
	struct chart_path pa = { .cap = (size_t)(p->w + 4) * 40 };
	int x0 = svg_plot_time_x(p, t0, span, ts_ns[0]), col = x0;
	xmlNodePtr area = svg_elem(c, g, "path", "chart-area");
	xmlNodePtr line = svg_elem(c, g, "path", "chart-line");

	pa.d = malloc(pa.cap);
	if (!pa.d) {
		c->failed = true;
		return false;
	}
	pa.lo = pa.hi = pa.last = pa.pen_y = svg_plot_y(p, chart_count(value[0]));
	pa.len = (size_t)snprintf(pa.d, pa.cap, "M%d %d", x0, pa.pen_y);
	for (size_t i = 1; i < n; i++) {
		int x = svg_plot_time_x(p, t0, span, ts_ns[i]);
		int y = svg_plot_y(p, chart_count(value[i]));

		if (x > col) {
			chart_path_flush(&pa);
			chart_path_add(&pa, "H", x);
			col = x;
			pa.lo = pa.hi = pa.last;
		}
		pa.lo = y < pa.lo ? y : pa.lo;
		pa.hi = y > pa.hi ? y : pa.hi;
		pa.last = y;
	}
	chart_path_flush(&pa);
	chart_path_add(&pa, "H", svg_plot_time_x(p, t0, span, svg_add_sat(t0, span)));
	svg_set_own(c, line, "d", pa.d);
	chart_path_add(&pa, "V", p->y + p->h);
	chart_path_add(&pa, "H", x0);
	if (pa.len + 2 < pa.cap)
		strcat(pa.d, "Z");
	svg_set_own(c, area, "d", pa.d);
	free(pa.d);
	return true;
}

static void chart_steps_dots(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p,
			     const int64_t *ts_ns, const int64_t *value, size_t n, int64_t t0,
			     int64_t span)
{
	for (size_t i = 0; i < n; i++) {
		char tip[TIMEFMT_LEN + 32];
		size_t len = strlen(timefmt_iso(ts_ns[i], tip, sizeof(tip)));
		xmlNodePtr dot = svg_elem(c, g, "circle", "chart-dot");

		snprintf(tip + len, sizeof(tip) - len, ": %" PRIu64, chart_count(value[i]));
		svg_set_int(c, dot, "cx", svg_plot_time_x(p, t0, span, ts_ns[i]));
		svg_set_int(c, dot, "cy", svg_plot_y(p, chart_count(value[i])));
		svg_set_int(c, dot, "r", 3);
		svg_tooltip(c, dot, tip);
	}
}

xmlNodePtr svg_steps(xmlNodePtr parent, const char *title, const int64_t *ts_ns,
		     const int64_t *value, size_t n, int64_t end_ns, const char *y_label)
{
	struct svg_ctx c;
	struct svg_plot p;
	int64_t t0, t1;
	uint64_t max = 0;
	xmlNodePtr g;
	int y;

	if (!chart_start(&c, parent, "pic pic-chart pic-steps", title))
		return svg_close(&c, parent);
	y = svg_chart_title(&c, title);
	if (!ts_ns || !value || n == 0) {
		svg_set_height(&c, SVG_CHART_W, svg_chart_empty(&c, y));
		return svg_close(&c, parent);
	}
	/* The time range holds every point and the end, whatever their order. */
	t0 = ts_ns[0];
	t1 = end_ns;
	for (size_t i = 0; i < n; i++) {
		t0 = ts_ns[i] < t0 ? ts_ns[i] : t0;
		t1 = ts_ns[i] > t1 ? ts_ns[i] : t1;
		max = chart_count(value[i]) > max ? chart_count(value[i]) : max;
	}
	if (y_label) {
		svg_text(&c, c.root, 4, y + 12, "start", "chart-caption", y_label, CHART_FONT,
			 SVG_CHART_W - 8);
		y += 18;
	}
	p = svg_plot_at(y + 8, max);
	g = svg_elem(&c, c.root, "g", "chart-plot");
	svg_axis_y(&c, g, &p);
	if (chart_steps_path(&c, g, &p, ts_ns, value, n, t0, svg_sub_sat(t1, t0)) &&
	    n <= CHART_DOTS_MAX)
		chart_steps_dots(&c, g, &p, ts_ns, value, n, t0, svg_sub_sat(t1, t0));
	svg_axis_time(&c, g, &p, t0, svg_sub_sat(t1, t0));
	svg_set_height(&c, SVG_CHART_W, p.y + p.h + SVG_CHART_AXIS_H + 4);
	return svg_close(&c, parent);
}
