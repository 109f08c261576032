/*
 * html_svg.c - how the report's pictures look: the stylesheet for every class
 * the SVG builders use (html_svg_ladder.c, html_svg_chart.c, html_svg_axis.c).
 *
 * The pictures carry classes, never colours, so one stylesheet serves light
 * mode, dark mode (prefers-color-scheme) and print (always light, black text).
 * Colours are custom properties on :root (--ta-*), which the page may reuse
 * for its own badges and tables, or override. The palette is Okabe and Ito's,
 * chosen to stay distinct for the common forms of colour blindness; and no
 * meaning rests on colour alone: a reset arrow is also thicker, a
 * retransmission dashed, and every state band has its state written beside it.
 *
 * Classes
 *   every picture   svg.pic, plus pic-ladder, or pic-chart and one of
 *                   pic-bars, pic-histogram, pic-stacked, pic-steps
 *   ladder          lad-bands > rect.lad-band.st-*; lad-lanes > line.lad-lane
 *                   (.lad-lane-gap across a break), text.lad-role, .lad-host;
 *                   lad-states > text.lad-state; lad-rows > g.lad-pkt with
 *                   .lad-c2s or .lad-s2c, and .lad-rst, .lad-retrans, holding
 *                   line.lad-arrow, polygon.lad-head, text.lad-label,
 *                   .lad-time, .lad-frame, rect.lad-tag (.lad-tag-benign) and
 *                   text.lad-tag-text; g.lad-missing with line.lad-missing-line
 *                   and text.lad-missing-text; text.lad-break; g.lad-legend with
 *                   rect.lad-swatch.st-*, line.lad-key-rst, .lad-key-retrans and
 *                   text.lad-legend-text
 *   state groups    st-connecting (SYN-SENT, SYN-RECEIVED), st-established,
 *                   st-closing (FIN-WAIT-1/2, CLOSE-WAIT, CLOSING, LAST-ACK,
 *                   TIME-WAIT), st-closed, st-unknown
 *   charts          chart-title, chart-empty, chart-caption, chart-plot,
 *                   chart-grid, chart-axis, chart-tick, chart-row, chart-label,
 *                   chart-value, chart-bar, chart-layer, chart-hover,
 *                   chart-swatch, chart-legend, chart-area, chart-line,
 *                   chart-dot
 *   fill colours    for svg_bar.cls and svg_series.cls: series-1 .. series-12
 *   (caller's)      (the default of series i), sev-critical, sev-warning,
 *                   sev-info, and the state groups st-*
 */
#include "config.h"

#include "report/html_svg.h"

const char html_svg_css[] =
	/* Light palette. */
	":root {\n"
	"  --ta-fg: #1f2328; --ta-muted: #59636e; --ta-grid: #d8dee4; --ta-axis: #8c959f;\n"
	"  --ta-c2s: #0b5fa5; --ta-s2c: #7a3e9d; --ta-rst: #c4410c;\n"
	"  --ta-connecting: #e69f00; --ta-established: #009e73; --ta-closing: #56b4e9;\n"
	"  --ta-closed: #8c959f; --ta-unknown: #d0d7de; --ta-band-opacity: 0.55;\n"
	"  --ta-tag-bg: #fde2cf; --ta-tag-fg: #7c2d06; --ta-tag-benign-bg: #e4ecf4;\n"
	"  --ta-tag-benign-fg: #2d4a66; --ta-hover: rgba(31, 35, 40, 0.08);\n"
	"  --ta-critical: #d55e00; --ta-warning: #e69f00; --ta-info: #56b4e9;\n"
	"  --ta-series-1: #0072b2; --ta-series-2: #e69f00; --ta-series-3: #009e73;\n"
	"  --ta-series-4: #cc79a7; --ta-series-5: #56b4e9; --ta-series-6: #d55e00;\n"
	"  --ta-series-7: #f0e442; --ta-series-8: #8c959f; --ta-series-9: #332288;\n"
	"  --ta-series-10: #999933; --ta-series-11: #882255; --ta-series-12: #44aa99;\n"
	"}\n"
	/* Dark palette: the same hues, lighter, on a dark page. */
	"@media (prefers-color-scheme: dark) {\n"
	"  :root {\n"
	"    --ta-fg: #e6edf3; --ta-muted: #9198a1; --ta-grid: #30363d; --ta-axis: #6e7681;\n"
	"    --ta-c2s: #6cb6ff; --ta-s2c: #d2a8ff; --ta-rst: #ff7b45;\n"
	"    --ta-connecting: #f0b429; --ta-established: #2fc99a; --ta-closing: #79c8f2;\n"
	"    --ta-closed: #6e7681; --ta-unknown: #3d444d; --ta-band-opacity: 0.8;\n"
	"    --ta-tag-bg: #5a2a0e; --ta-tag-fg: #ffd8c2; --ta-tag-benign-bg: #1f3147;\n"
	"    --ta-tag-benign-fg: #c9dcf0; --ta-hover: rgba(230, 237, 243, 0.10);\n"
	"    --ta-critical: #ff7b45; --ta-warning: #f0b429; --ta-info: #79c8f2;\n"
	"    --ta-series-1: #4da3e0; --ta-series-2: #f0b429; --ta-series-3: #2fc99a;\n"
	"    --ta-series-4: #e39bc4; --ta-series-5: #79c8f2; --ta-series-6: #ff7b45;\n"
	"    --ta-series-7: #f5ec78; --ta-series-8: #9198a1; --ta-series-9: #8f84e8;\n"
	"    --ta-series-10: #c4c45a; --ta-series-11: #d46a9a; --ta-series-12: #6fd0bf;\n"
	"  }\n"
	"}\n"
	/* The pictures scale down to their column, never up. */
	"svg.pic { max-width: 100%; height: auto; overflow: visible;\n"
	"  font-family: ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono',\n"
	"    'Liberation Mono', monospace; font-size: 11px; }\n"
	".pic text { fill: var(--ta-fg); }\n"
	".pic .chart-title, .pic .lad-role { font-family: system-ui, -apple-system,\n"
	"  'Segoe UI', sans-serif; font-weight: 600; }\n"
	".pic .lad-role { fill: var(--ta-muted); letter-spacing: 0.08em;\n"
	"  text-transform: uppercase; font-weight: 500; }\n"
	".pic .lad-host { font-weight: 600; }\n"
	/* The ladder. */
	".pic .lad-lane { stroke: var(--ta-axis); stroke-width: 1.5; }\n"
	".pic .lad-lane-gap { stroke-dasharray: 2 4; }\n"
	".pic .lad-band, .pic .lad-swatch { fill-opacity: var(--ta-band-opacity); }\n"
	".pic .st-connecting { fill: var(--ta-connecting); }\n"
	".pic .st-established { fill: var(--ta-established); }\n"
	".pic .st-closing { fill: var(--ta-closing); }\n"
	".pic .st-closed { fill: var(--ta-closed); }\n"
	".pic .st-unknown { fill: var(--ta-unknown); }\n"
	".pic .lad-state { font-weight: 600; }\n"
	".pic .lad-time, .pic .lad-frame, .pic .lad-break, .pic .lad-legend-text\n"
	"  { fill: var(--ta-muted); }\n"
	".pic .lad-break { font-style: italic; }\n"
	".pic .lad-arrow { stroke-width: 1.5; }\n"
	".pic .lad-c2s .lad-arrow { stroke: var(--ta-c2s); }\n"
	".pic .lad-c2s .lad-head { fill: var(--ta-c2s); }\n"
	".pic .lad-s2c .lad-arrow { stroke: var(--ta-s2c); }\n"
	".pic .lad-s2c .lad-head { fill: var(--ta-s2c); }\n"
	".pic .lad-retrans .lad-arrow, .pic .lad-key-retrans { stroke-dasharray: 7 4; }\n"
	".pic .lad-key-retrans { stroke: var(--ta-muted); stroke-width: 1.5; }\n"
	".pic .lad-rst .lad-arrow, .pic .lad-key-rst { stroke: var(--ta-rst);\n"
	"  stroke-width: 2.5; }\n"
	".pic .lad-rst .lad-head { fill: var(--ta-rst); }\n"
	".pic .lad-rst .lad-label { fill: var(--ta-rst); font-weight: 600; }\n"
	".pic .lad-tag { fill: var(--ta-tag-bg); }\n"
	".pic .lad-tag-text { fill: var(--ta-tag-fg); }\n"
	".pic .lad-tag-benign { fill: var(--ta-tag-benign-bg); }\n"
	".pic .lad-tag-benign + .lad-tag-text { fill: var(--ta-tag-benign-fg); }\n"
	".pic .lad-missing-line { stroke: var(--ta-axis); stroke-width: 1;\n"
	"  stroke-dasharray: 3 4; }\n"
	".pic .lad-missing-text, .pic .lad-missing .lad-frame { fill: var(--ta-muted);\n"
	"  font-style: italic; }\n"
	/* Charts. */
	".pic .chart-caption, .pic .chart-tick, .pic .chart-empty, .pic .chart-value\n"
	"  { fill: var(--ta-muted); }\n"
	".pic .chart-grid { stroke: var(--ta-grid); stroke-width: 1;\n"
	"  shape-rendering: crispEdges; }\n"
	".pic .chart-axis { stroke: var(--ta-axis); stroke-width: 1;\n"
	"  shape-rendering: crispEdges; }\n"
	".pic .chart-bar { fill: var(--ta-series-1); }\n"
	".pic .chart-hover { fill: transparent; }\n"
	".pic .chart-hover:hover { fill: var(--ta-hover); }\n"
	".pic .chart-row:hover .chart-label { font-weight: 600; }\n"
	".pic .chart-area { fill: var(--ta-series-1); fill-opacity: 0.15; }\n"
	".pic .chart-line { fill: none; stroke: var(--ta-series-1); stroke-width: 2;\n"
	"  stroke-linejoin: round; }\n"
	".pic .chart-dot { fill: var(--ta-series-1); }\n"
	".pic .series-1 { fill: var(--ta-series-1); }\n"
	".pic .series-2 { fill: var(--ta-series-2); }\n"
	".pic .series-3 { fill: var(--ta-series-3); }\n"
	".pic .series-4 { fill: var(--ta-series-4); }\n"
	".pic .series-5 { fill: var(--ta-series-5); }\n"
	".pic .series-6 { fill: var(--ta-series-6); }\n"
	".pic .series-7 { fill: var(--ta-series-7); }\n"
	".pic .series-8 { fill: var(--ta-series-8); }\n"
	".pic .series-9 { fill: var(--ta-series-9); }\n"
	".pic .series-10 { fill: var(--ta-series-10); }\n"
	".pic .series-11 { fill: var(--ta-series-11); }\n"
	".pic .series-12 { fill: var(--ta-series-12); }\n"
	".pic .sev-critical { fill: var(--ta-critical); }\n"
	".pic .sev-warning { fill: var(--ta-warning); }\n"
	".pic .sev-info { fill: var(--ta-info); }\n"
	/* Print: light colours whatever the screen's mode, black text, whole
	 * pictures on a page, no hover targets. */
	"@media print {\n"
	"  :root {\n"
	"    --ta-fg: #000; --ta-muted: #333; --ta-grid: #ccc; --ta-axis: #666;\n"
	"    --ta-c2s: #0b5fa5; --ta-s2c: #7a3e9d; --ta-rst: #c4410c;\n"
	"    --ta-connecting: #e69f00; --ta-established: #009e73; --ta-closing: #56b4e9;\n"
	"    --ta-closed: #8c959f; --ta-unknown: #d0d7de; --ta-band-opacity: 0.55;\n"
	"    --ta-tag-bg: #fde2cf; --ta-tag-fg: #000; --ta-tag-benign-bg: #e4ecf4;\n"
	"    --ta-tag-benign-fg: #000;\n"
	"    --ta-critical: #d55e00; --ta-warning: #e69f00; --ta-info: #56b4e9;\n"
	"    --ta-series-1: #0072b2; --ta-series-2: #e69f00; --ta-series-3: #009e73;\n"
	"    --ta-series-4: #cc79a7; --ta-series-5: #56b4e9; --ta-series-6: #d55e00;\n"
	"    --ta-series-7: #f0e442; --ta-series-8: #8c959f; --ta-series-9: #332288;\n"
	"    --ta-series-10: #999933; --ta-series-11: #882255; --ta-series-12: #44aa99;\n"
	"  }\n"
	"  svg.pic { break-inside: avoid; page-break-inside: avoid; }\n"
	"  .pic .chart-hover { display: none; }\n"
	"  .pic * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }\n"
	"}\n";
