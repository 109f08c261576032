/*
 * html_svg.h - the pictures of the HTML report, as inline SVG built with
 * libxml2: a finding's ladder diagram and the charts.
 *
 * Every function appends one <svg> element (with a <title> for screen
 * readers) as the last child of parent and returns it, or NULL when out of
 * memory. Text from a capture goes in as node content, so libxml2 escapes it.
 * Sizes are in CSS pixels with a viewBox, so a picture scales to its column;
 * colours come from CSS classes (the page's stylesheet sets them, for light
 * and dark mode), never from inline colours.
 *
 * Determinism: the same input gives byte-identical SVG (coordinates are
 * printed from integers or with fixed precision).
 */
#ifndef TCPAUTOPSY_REPORT_HTML_SVG_H
#define TCPAUTOPSY_REPORT_HTML_SVG_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "analyzer/finding.h"

/* The stylesheet rules for every class these pictures use (light and dark
 * mode, print): the page includes it once in its <style>. */
extern const char html_svg_css[];

/* A sequence diagram of f's evidence: client lane left, server lane right,
 * one arrow per packet note (direction, flags, relative seq/ack, length, time
 * since the first evidence packet, frame number), and beside each lane the
 * endpoint's state after each packet, with a mark where it changes. Frames
 * without a note (packets[i].frame == 0) appear as a dashed row "frame N
 * (not kept in the packet log)". Returns NULL without appending anything
 * when f has no frames. */
xmlNodePtr svg_ladder(xmlNodePtr parent, const struct finding *f);

/* One bar of a bar chart or histogram. cls is a CSS class for its colour
 * (may be NULL for the default). */
struct svg_bar {
	const char *label;
	uint64_t value;
	const char *cls;
};

/* Horizontal bars, one per entry, labelled and valued ("12"), longest = full
 * width. unit is appended to values when not NULL ("12 ms"). */
xmlNodePtr svg_bars(xmlNodePtr parent, const char *title, const struct svg_bar *bars, size_t n,
		    const char *unit);

/* Vertical bars over ordered bins (a histogram): labels under the axis,
 * thinned when crowded. */
xmlNodePtr svg_histogram(xmlNodePtr parent, const char *title, const struct svg_bar *bins,
			 size_t n, const char *x_label);

/* A stacked bar chart over time: nbins bins of step_ns from t0_ns, one layer
 * per series (values[bin]); the x axis shows UTC times, a legend names the
 * series. */
struct svg_series {
	const char *name;
	const char *cls;
	const uint64_t *values;	/* nbins values */
};
xmlNodePtr svg_stacked_time(xmlNodePtr parent, const char *title, int64_t t0_ns, int64_t step_ns,
			    size_t nbins, const struct svg_series *series, size_t nseries);

/* A step line of a count over time (e.g. sockets in CLOSE-WAIT): n points
 * (ts_ns[i], value[i]), each value holding until the next point; the line
 * ends at end_ns. */
xmlNodePtr svg_steps(xmlNodePtr parent, const char *title, const int64_t *ts_ns,
		     const int64_t *value, size_t n, int64_t end_ns, const char *y_label);

#endif
