/*
 * html.c - the HTML report: the page an on-call engineer opens first. It
 * says what went wrong, where and what to check before anything else, then
 * gives the evidence (html_parts.h lists the parts, top to bottom).
 *
 * The page is one self-contained file: inline CSS, inline SVG, a small inline
 * script, and a Content-Security-Policy that forbids every network request.
 * It is built as a libxml2 tree, so every string from a capture reaches the
 * page as escaped text, and serialised as polyglot XHTML5: "<!DOCTYPE html>"
 * and well-formed XML that browsers parse as HTML. libxml2's XHTML rules
 * write empty elements as <div></div> (an HTML parser would leave "<div/>"
 * open) and void ones as <br />. They also escape '>' in <style> and
 * <script>, where HTML reads no entities: the page's CSS and script contain
 * no '<', '>' or '&' (tests/html.sh checks the output for it).
 *
 * The doctype is written by hand, not as a DTD node: libxml2 (2.9) drops its
 * XHTML rules when the document has a DTD that is not XHTML 1.0's.
 *
 * Deterministic: nothing here reads the clock or the locale.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlsave.h>

#include "report/html_parts.h"
#include "report/timefmt.h"

#define HTML_XHTML_NS "http://www.w3.org/1999/xhtml"
#define HTML_NS_PER_DAY (86400LL * 1000000000LL)

/* --- the document ----------------------------------------------------------- */

/* The run's span, from the captures that had frames. */
static void html_span(struct html *h)
{
	bool any = false;

	for (size_t i = 0; i < h->m->ncaptures; i++) {
		const struct capture_info *ci = h->m->captures[i];

		if (!ci->stats.frames)
			continue;
		if (!any || ci->first_ts_ns < h->first_ts_ns)
			h->first_ts_ns = ci->first_ts_ns;
		if (!any || ci->last_ts_ns > h->last_ts_ns)
			h->last_ts_ns = ci->last_ts_ns;
		any = true;
	}
	h->one_day = any && timefmt_floor_div(h->first_ts_ns, HTML_NS_PER_DAY) ==
				    timefmt_floor_div(h->last_ts_ns, HTML_NS_PER_DAY);
}

static xmlNodePtr html_root(struct html *h)
{
	xmlNodePtr root = xmlNewDocNode(h->doc, NULL, BAD_CAST "html", NULL);

	if (!root)
		return NULL;
	xmlDocSetRootElement(h->doc, root);
	h->ns = xmlNewNs(root, BAD_CAST HTML_XHTML_NS, NULL);
	if (!h->ns)
		return NULL;
	xmlSetNs(root, h->ns);
	html_attr(h, root, "lang", "en");
	return root;
}

/* The whole page; h->failed tells whether it is complete. */
static void html_page(struct html *h)
{
	xmlNodePtr root = html_root(h), body, main;

	if (!root) {
		h->failed = true;
		return;
	}
	html_head(h, root);
	body = html_el(h, root, "body", NULL);
	html_header(h, body);
	main = html_el(h, body, "main", NULL);
	html_verdict(h, main);
	html_capture(h, main);
	html_findings(h, main);
	html_listeners(h, main);
	html_charts(h, main);
	html_connections(h, main);
	html_footer(h, body);
	html_script(h, body);
}

/* --- serialisation ---------------------------------------------------------- */

struct html_sink {
	FILE *out;
	int err;	/* errno of the first failed write, 0 if none */
};

static int html_sink_write(void *ctx, const char *buf, int len)
{
	struct html_sink *s = ctx;

	errno = 0;
	if (len > 0 && fwrite(buf, 1, (size_t)len, s->out) != (size_t)len) {
		s->err = errno ? errno : EIO;
		return -1;
	}
	return len;
}

static int html_sink_close(void *ctx)
{
	(void)ctx;	/* report.c owns the stream */
	return 0;
}

static int html_serialise(xmlDocPtr doc, FILE *out, char *err, size_t errlen)
{
	struct html_sink sink = { out, 0 };
	xmlSaveCtxtPtr save;
	long rc;

	errno = 0;
	if (fputs("<!DOCTYPE html>\n", out) < 0) {
		snprintf(err, errlen, "writing: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	save = xmlSaveToIO(html_sink_write, html_sink_close, &sink, "UTF-8",
			   XML_SAVE_XHTML | XML_SAVE_NO_DECL | XML_SAVE_FORMAT);
	if (!save) {
		snprintf(err, errlen, "serialising the page: %s", strerror(ENOMEM));
		return -1;
	}
	rc = xmlSaveDoc(save, doc);
	if (xmlSaveClose(save) < 0 || rc < 0 || sink.err) {
		snprintf(err, errlen, "writing: %s", strerror(sink.err ? sink.err : EIO));
		return -1;
	}
	return fputs("\n", out) < 0 ? -1 : 0;
}

/* --- the writer ------------------------------------------------------------- */

static void *html_open(char *err, size_t errlen)
{
	struct html_writer *w = calloc(1, sizeof(*w));

	if (!w)
		snprintf(err, errlen, "allocating: %s", strerror(ENOMEM));
	return w;
}

static int html_on_connection(void *w, const struct report_model *m, const struct tcp_conn *c,
			      char *err, size_t errlen)
{
	struct html_writer *hw = w;

	(void)m;
	html_bins_add(&hw->bins, c);
	if (html_rows_add(&hw->rows, c) < 0) {
		snprintf(err, errlen, "holding connection rows: %s", strerror(ENOMEM));
		return -1;
	}
	return 0;
}

static int html_finish(void *w, const struct report_model *m, FILE *out, char *err,
		       size_t errlen)
{
	struct html_writer *hw = w;
	struct html h = { .m = m, .w = hw };
	uint64_t *ids = NULL;
	int rc = -1;

	h.doc = xmlNewDoc(BAD_CAST "1.0");
	if (!h.doc || html_rows_prepare(&hw->rows, &ids, &h.nconn_ids) < 0 ||
	    html_findings_plan(&h) < 0)
		goto out_oom;
	h.conn_ids = ids;
	html_span(&h);
	/* The connections chart spans the run, not only its connections' starts. */
	html_bins_cover(&hw->bins.starts, h.first_ts_ns);
	html_bins_cover(&hw->bins.starts, h.last_ts_ns);
	html_page(&h);
	if (h.failed)
		goto out_oom;
	rc = html_serialise(h.doc, out, err, errlen);
	goto out_free;

out_oom:
	snprintf(err, errlen, "building the page: %s", strerror(ENOMEM));
out_free:
	html_findings_unplan(&h);
	free(ids);
	xmlFreeDoc(h.doc);
	return rc;
}

static void html_free(void *w)
{
	struct html_writer *hw = w;

	html_rows_free(&hw->rows);
	free(hw);
}

const struct writer_ops writer_html = {
	.name = "html",
	.open = html_open,
	.on_connection = html_on_connection,
	.finish = html_finish,
	.free = html_free,
};
