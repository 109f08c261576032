/*
 * html_svg_axis.c - what every chart has around its data: a title, a plot
 * area, a value axis with round ticks, a time axis in UTC, a legend.
 *
 * Times are labelled from report/timefmt.h, never from the C library, so the
 * page does not depend on TZ or the locale; tick times are whole multiples of
 * a round step since the epoch, so a tick every hour falls on the hour (UTC).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/html_svg_draw.h"
#include "report/timefmt.h"

#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)
#define NS_PER_MIN (60 * NS_PER_S)
#define NS_PER_H (60 * NS_PER_MIN)
#define NS_PER_DAY (24 * NS_PER_H)

#define AXIS_FONT 11
#define AXIS_MAX_TIME_TICKS 7
#define AXIS_TITLE_H 26

int svg_chart_title(struct svg_ctx *c, const char *title)
{
	svg_text(c, c->root, 4, 16, "start", "chart-title", title, 13,
		 SVG_CHART_W - 8);
	return AXIS_TITLE_H;
}

int svg_chart_empty(struct svg_ctx *c, int y)
{
	svg_text(c, c->root, SVG_CHART_W / 2, y + 24, "middle", "chart-empty", "no data",
		 AXIS_FONT, 0);
	return y + 40;
}

struct svg_plot svg_plot_at(int y, uint64_t max)
{
	struct svg_plot p = {
		.x = SVG_CHART_LEFT,
		.y = y,
		.w = SVG_CHART_W - SVG_CHART_LEFT - SVG_CHART_RIGHT,
		.h = SVG_CHART_PLOT_H,
		.ticks = svg_ticks_for(max),
	};
	return p;
}

int svg_plot_y(const struct svg_plot *p, uint64_t v)
{
	return p->y + p->h - svg_scale(v, p->ticks.top, p->h);
}

void svg_axis_y(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p)
{
	char num[32];

	for (unsigned i = 0; i <= p->ticks.n; i++) {
		/* ticks_for keeps n * step within 64 bits. */
		uint64_t v = (uint64_t)i * p->ticks.step;
		int y = svg_plot_y(p, v);

		if (i > 0)
			svg_line(c, g, p->x, y, p->x + p->w, y, "chart-grid");
		svg_fmt_short(v, num, sizeof(num));
		svg_text(c, g, p->x - 6, y + 4, "end", "chart-tick", num, AXIS_FONT, 0);
	}
	svg_line(c, g, p->x, p->y, p->x, p->y + p->h, "chart-axis");
	svg_line(c, g, p->x, p->y + p->h, p->x + p->w, p->y + p->h, "chart-axis");
}

int svg_plot_time_x(const struct svg_plot *p, int64_t t0_ns, int64_t span_ns, int64_t t)
{
	int64_t d = svg_sub_sat(t, t0_ns);

	if (d <= 0 || span_ns <= 0)
		return p->x;
	return p->x + svg_scale((uint64_t)d, (uint64_t)span_ns, p->w);
}

/* The room a time tick's label needs beside its neighbours. */
#define AXIS_TICK_GAP 14

/* The finest round step between time ticks whose labels (as svg_time_label()
 * writes them for that step) fit the plot side by side; past ten years, a
 * step of span / 6. */
static int64_t axis_time_step(int64_t t0, int64_t span, int plot_w)
{
	static const int64_t steps[] = {
		NS_PER_MS, 2 * NS_PER_MS, 5 * NS_PER_MS, 10 * NS_PER_MS, 20 * NS_PER_MS,
		50 * NS_PER_MS, 100 * NS_PER_MS, 200 * NS_PER_MS, 500 * NS_PER_MS,
		NS_PER_S, 2 * NS_PER_S, 5 * NS_PER_S, 10 * NS_PER_S, 15 * NS_PER_S,
		30 * NS_PER_S, NS_PER_MIN, 2 * NS_PER_MIN, 5 * NS_PER_MIN, 10 * NS_PER_MIN,
		15 * NS_PER_MIN, 30 * NS_PER_MIN, NS_PER_H, 2 * NS_PER_H, 3 * NS_PER_H,
		6 * NS_PER_H, 12 * NS_PER_H, NS_PER_DAY, 2 * NS_PER_DAY, 7 * NS_PER_DAY,
		14 * NS_PER_DAY, 28 * NS_PER_DAY, 91 * NS_PER_DAY, 182 * NS_PER_DAY,
		365 * NS_PER_DAY, 730 * NS_PER_DAY, 1826 * NS_PER_DAY, 3652 * NS_PER_DAY,
	};
	char label[TIMEFMT_LEN * 3];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int64_t ticks = span / steps[i] + 1;
		int room = SVG_TEXT_PX(strlen(svg_time_label(t0, steps[i], label, sizeof(label))),
				       AXIS_FONT) + AXIS_TICK_GAP;

		if (ticks <= AXIS_MAX_TIME_TICKS && ticks * room <= plot_w)
			return steps[i];
	}
	return span / (AXIS_MAX_TIME_TICKS - 1) + 1;
}

char *svg_time_label(int64_t t, int64_t step_ns, char *buf, size_t len)
{
	char iso[TIMEFMT_LEN];
	const char *at;
	size_t date_len;

	/* "2026-11-21T10:04:40.123456Z": pieces are cut from fixed offsets
	 * after the 'T' (the year may have any number of digits). */
	timefmt_iso(t, iso, sizeof(iso));
	at = strchr(iso, 'T');
	if (!at || strlen(at) < 13) {
		snprintf(buf, len, "%s", iso);
		return buf;
	}
	date_len = (size_t)(at - iso);
	if (step_ns >= 365 * NS_PER_DAY)
		snprintf(buf, len, "%.*s", (int)(date_len - 6), iso);
	else if (step_ns >= NS_PER_DAY)
		snprintf(buf, len, "%.5s", at - 5);
	else if (step_ns >= NS_PER_MIN)
		snprintf(buf, len, "%.5s", at + 1);
	else if (step_ns >= NS_PER_S)
		snprintf(buf, len, "%.8s", at + 1);
	else
		snprintf(buf, len, "%.12s", at + 1);
	return buf;
}

/* "time (UTC), 2026-11-21" or "time (UTC), 2026-11-21 to 2026-11-23". */
static void axis_time_caption(int64_t t0, int64_t t1, char *buf, size_t len)
{
	char a[TIMEFMT_LEN], b[TIMEFMT_LEN];
	char *ta, *tb;

	timefmt_iso(t0, a, sizeof(a));
	timefmt_iso(t1, b, sizeof(b));
	ta = strchr(a, 'T');
	tb = strchr(b, 'T');
	if (ta)
		*ta = '\0';
	if (tb)
		*tb = '\0';
	if (strcmp(a, b) == 0)
		snprintf(buf, len, "time (UTC), %s", a);
	else
		snprintf(buf, len, "time (UTC), %s to %s", a, b);
}

void svg_axis_time(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p, int64_t t0_ns,
		   int64_t span_ns)
{
	int64_t t1 = svg_add_sat(t0_ns, span_ns);
	int64_t step = axis_time_step(t0_ns, span_ns > 0 ? span_ns : 0, p->w);
	int64_t tick = t0_ns;
	int axis = p->y + p->h;
	char label[TIMEFMT_LEN * 3];

	/* The first round time at or after t0 (near the bottom of the int64_t
	 * range, where rounding down would overflow, t0 itself). */
	if (t0_ns >= INT64_MIN + step) {
		tick = timefmt_floor_div(t0_ns, step) * step;
		if (tick < t0_ns)
			tick = svg_add_sat(tick, step);
	}
	for (int i = 0; i < AXIS_MAX_TIME_TICKS && tick >= t0_ns && tick <= t1; i++) {
		int x = svg_plot_time_x(p, t0_ns, span_ns, tick);
		int half = SVG_TEXT_PX(strlen(svg_time_label(tick, step, label, sizeof(label))),
				       AXIS_FONT) / 2;

		/* A label that would stick out of the picture is left out. */
		if (x + half <= SVG_CHART_W) {
			svg_line(c, g, x, axis, x, axis + 4, "chart-axis");
			svg_text(c, g, x, axis + 16, "middle", "chart-tick", label, AXIS_FONT, 0);
		}
		if (tick > INT64_MAX - step)
			break;
		tick += step;
	}
	axis_time_caption(t0_ns, t1, label, sizeof(label));
	svg_text(c, g, p->x + p->w / 2, axis + 34, "middle", "chart-caption", label, AXIS_FONT,
		 0);
}

int svg_legend(struct svg_ctx *c, xmlNodePtr g, int x, int y, int w, const char *const *names,
	       const char *const *classes, size_t n)
{
	int cx = x, cy = y;

	for (size_t i = 0; i < n; i++) {
		char name[SVG_TEXT_MAX];
		size_t chars = svg_cut(names[i], 28, name, sizeof(name));
		int item = 12 + 5 + SVG_TEXT_PX(chars, AXIS_FONT) + 16;
		char cls[SVG_TEXT_MAX];

		if (cx > x && cx + item > x + w) {
			cx = x;
			cy += 18;
		}
		snprintf(cls, sizeof(cls), "chart-swatch %s", classes[i]);
		svg_rect(c, g, cx, cy, 12, 12, cls);
		svg_text(c, g, cx + 17, cy + 10, "start", "chart-legend", name, AXIS_FONT, 0);
		cx += item;
	}
	return n ? cy - y + 18 : 0;
}
