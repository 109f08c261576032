/*
 * html_svg_draw.h - report/ internals: the building blocks the pictures of
 * html_svg.h are drawn with (elements, clean text, numbers, axes' scales).
 *
 * A picture is built detached in a struct svg_ctx and only appended to the
 * page when it is whole. Every helper takes the context and does nothing once
 * an allocation has failed (c->failed), and accepts a NULL parent for the same
 * reason, so drawing code reads straight through and checks once, in
 * svg_close().
 *
 * Coordinates are integers in CSS pixels, printed with "%d": the same input
 * gives the same bytes on every platform.
 */
#ifndef TCPAUTOPSY_REPORT_HTML_SVG_DRAW_H
#define TCPAUTOPSY_REPORT_HTML_SVG_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

/* Widths of text are estimated, not measured: the pictures' text is in a
 * monospace font (html_svg.c), 0.6 em per character in every common one.
 * The width of chars characters at size px, rounded up. */
#define SVG_TEXT_PX(chars, size) ((int)(((chars) * (size) * 3 + 4) / 5))

/* Longest text kept from outside for one label, in bytes. */
#define SVG_TEXT_MAX 256

struct svg_ctx {
	xmlNodePtr root;	/* the <svg>, not yet in the page */
	xmlNsPtr ns;		/* the SVG namespace, declared on root */
	bool failed;		/* an allocation failed: the picture is dropped */
};

/* Starts a picture of width x height with classes cls ("pic ..."), its <title>
 * (and a <desc> when desc is not NULL). Returns false when out of memory. */
bool svg_open(struct svg_ctx *c, xmlNodePtr parent, const char *cls, int width, int height,
	      const char *title, const char *desc);
/* Sets the final height (pictures learn it while drawing). */
void svg_set_height(struct svg_ctx *c, int width, int height);
/* Appends the picture to parent and returns it; or frees it and returns NULL
 * when anything failed. */
xmlNodePtr svg_close(struct svg_ctx *c, xmlNodePtr parent);

/* <name class="cls"> appended to parent (cls may be NULL). */
xmlNodePtr svg_elem(struct svg_ctx *c, xmlNodePtr parent, const char *name, const char *cls);
/* Sets an attribute to text from outside, cleaned and cut (svg_clean). */
void svg_set(struct svg_ctx *c, xmlNodePtr n, const char *name, const char *value);
/* Sets an attribute this code generated itself, whatever its length (path
 * data grows with the chart): no cleaning, no cut. */
void svg_set_own(struct svg_ctx *c, xmlNodePtr n, const char *name, const char *value);
void svg_set_int(struct svg_ctx *c, xmlNodePtr n, const char *name, long long v);

xmlNodePtr svg_line(struct svg_ctx *c, xmlNodePtr parent, int x1, int y1, int x2, int y2,
		    const char *cls);
xmlNodePtr svg_rect(struct svg_ctx *c, xmlNodePtr parent, int x, int y, int w, int h,
		    const char *cls);

/* <text> at (x, y) with text-anchor anchor ("start", "middle", "end"),
 * holding at most SVG_TEXT_MAX bytes of s made safe (svg_clean). When the
 * text would be wider than max_px at size px (0: no limit), it is squeezed to
 * fit with textLength rather than cut, so nothing is lost from a label. */
xmlNodePtr svg_text(struct svg_ctx *c, xmlNodePtr parent, int x, int y, const char *anchor,
		    const char *cls, const char *s, int size, int max_px);
/* A <title> child: the tooltip a browser shows over parent. */
void svg_tooltip(struct svg_ctx *c, xmlNodePtr parent, const char *s);

/* Copies at most max bytes of s into out as text XML 1.0 can hold: each byte
 * that utf8_seq(UTF8_NO_CONTROLS) refuses (invalid UTF-8, a control
 * character, a non-character) becomes U+FFFD. Never splits a character;
 * always terminated. Returns the number of characters written. */
size_t svg_clean(const char *s, size_t max, char *out, size_t outlen);

/* svg_clean(), then cut to at most max_chars characters, the last one an
 * ellipsis when something was cut: for labels in a column of fixed width
 * (their tooltip keeps the whole text). */
size_t svg_cut(const char *s, size_t max_chars, char *out, size_t outlen);

/* Number of characters (not bytes) of a valid UTF-8 string. */
size_t svg_chars(const char *s);

/* v * len / max, rounded down, for 0 <= v <= max, without overflow; 0 when
 * max is 0. */
int svg_scale(uint64_t v, uint64_t max, int len);

/* a + b, and a - b, saturated to the int64_t range: capture times are input. */
int64_t svg_add_sat(int64_t a, int64_t b);
int64_t svg_sub_sat(int64_t a, int64_t b);

/* An axis from 0 to top in n steps of step: round values (1, 2 or 5 times a
 * power of ten) covering max in at most 5 steps. max 0 gives 0..1. When top
 * would overflow it is UINT64_MAX and the ticks stop below it. */
struct svg_ticks {
	uint64_t step;
	uint64_t top;
	unsigned n;	/* ticks above 0 */
};
struct svg_ticks svg_ticks_for(uint64_t max);

/* "950", "12300", "250k", "4.5M": short numbers for ticks; exact below 100000. */
char *svg_fmt_short(uint64_t v, char *buf, size_t len);

/* --- charts (html_svg_axis.c) ------------------------------------------ */

#define SVG_CHART_W 640
#define SVG_CHART_LEFT 64	/* the y axis; its labels end just left of it */
#define SVG_CHART_RIGHT 20
#define SVG_CHART_PLOT_H 180
#define SVG_CHART_AXIS_H 44	/* under the plot: tick labels and the axis caption */

/* A chart's plot area: values 0..ticks.top map bottom to top. */
struct svg_plot {
	int x, y, w, h;		/* y + h is the x axis */
	struct svg_ticks ticks;
};

/* The chart's visible title at the top; returns the y below it. */
int svg_chart_title(struct svg_ctx *c, const char *title);
/* "no data" under the title; returns the picture's height. */
int svg_chart_empty(struct svg_ctx *c, int y);
/* The plot area below y for values up to max. */
struct svg_plot svg_plot_at(int y, uint64_t max);
/* The y coordinate of value v. */
int svg_plot_y(const struct svg_plot *p, uint64_t v);
/* Grid lines, tick labels and both axis lines. */
void svg_axis_y(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p);
/* Round UTC times under the x axis for [t0_ns, t0_ns + span_ns], with the
 * date (or dates) in a caption. */
void svg_axis_time(struct svg_ctx *c, xmlNodePtr g, const struct svg_plot *p, int64_t t0_ns,
		   int64_t span_ns);
/* The x coordinate of time t in [t0_ns, t0_ns + span_ns] (clamped). */
int svg_plot_time_x(const struct svg_plot *p, int64_t t0_ns, int64_t span_ns, int64_t t);
/* "10:04:40", "10:04:40.250", "10:04", "11-21" or "2026": t as a tick label
 * for ticks step_ns apart. */
char *svg_time_label(int64_t t, int64_t step_ns, char *buf, size_t len);
/* Swatches and names in rows from (x, y) within width w: one per entry of
 * names/classes; returns the height used. */
int svg_legend(struct svg_ctx *c, xmlNodePtr g, int x, int y, int w, const char *const *names,
	       const char *const *classes, size_t n);

#endif
