/*
 * html_svg.h - the pictures of the HTML report, as inline SVG built with
 * libxml2: a finding's ladder diagram and the charts.
 *
 * Every function appends one <svg> element (with a <title> for screen
 * readers) as the last child of parent and returns it, or NULL when out of
 * memory (parent is then left as it was). The <svg> declares the SVG
 * namespace itself, so the page reads the same parsed as HTML or as XML. Text
 * goes in as node content or attribute values, so libxml2 escapes it; invalid
 * UTF-8 and control characters become U+FFFD. Sizes are in CSS pixels with a
 * viewBox, so a picture scales down to its column (the ladder is 740 px wide,
 * a chart 640); colours come from CSS classes (html_svg_css, which lists them
 * all in html_svg.c), never from inline colours.
 *
 * A chart shows its title at the top, and "no data" when it has none. Inputs
 * are capped so that a huge array cannot make a huge page (60 bars, one bin
 * per pixel, 12 series), and what is left out is said under the chart.
 *
 * Determinism: the same input gives byte-identical SVG (coordinates are
 * printed from integers).
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
 * one row per frame in frame order, one arrow per packet note (tcpdump's
 * flags, seq, ack, win and len; time since the first evidence packet; frame
 * number; notable events as a tag), and beside each lane the endpoint's state
 * after each packet, written where it changes, over a band coloured by state
 * group. A frame without a note (packets[i].frame is 0, or is not frames[i])
 * is a dashed row "frame N (not kept in the packet log)"; a silence of a
 * second or more between rows is a break with its length. Without a client
 * (has_client false) the left lane is "clients". Returns NULL without
 * appending anything when f has no frames. */
xmlNodePtr svg_ladder(xmlNodePtr parent, const struct finding *f);

/* One bar of a bar chart or histogram. cls is a CSS class for its colour
 * (NULL for the default): series-1 .. series-12, sev-critical, sev-warning,
 * sev-info, or a state group st-connecting, st-established, st-closing,
 * st-closed. */
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
 * per series (values[bin]), first series at the bottom; the x axis shows UTC
 * times, a legend names the series. A series' cls is a class as for svg_bar
 * (NULL: series-N for the N-th series). Stacks that overflow 64 bits
 * saturate. */
struct svg_series {
	const char *name;
	const char *cls;
	const uint64_t *values;	/* nbins values */
};
xmlNodePtr svg_stacked_time(xmlNodePtr parent, const char *title, int64_t t0_ns, int64_t step_ns,
			    size_t nbins, const struct svg_series *series, size_t nseries);

/* A step line of a count over time (e.g. sockets in CLOSE-WAIT): n points
 * (ts_ns[i], value[i]), in time order, each value holding until the next
 * point; the line ends at end_ns (or the last point, if later). A value below
 * zero is drawn as zero. Points closer than a pixel merge, so any n gives a
 * path of bounded size; each point has a dot when there are at most 40. */
xmlNodePtr svg_steps(xmlNodePtr parent, const char *title, const int64_t *ts_ns,
		     const int64_t *value, size_t n, int64_t end_ns, const char *y_label);

#endif
