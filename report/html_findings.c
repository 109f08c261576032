/*
 * html_findings.c - the findings, one section per kind: the most severe
 * kinds first, and within a kind the finding that sums up a listener first,
 * then by severity and id.
 *
 * The page stays readable whatever the count: the first HTML_FULL findings
 * of a kind are shown in full, the next up to HTML_COMPACT in a table, and the
 * rest are counted and left to the JSON report. Which findings are shown is
 * decided once (html_findings_plan()), so every other part of the page links
 * only to findings that have an anchor.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_parts.h"
#include "report/timefmt.h"

#define HTML_FULL 20
#define HTML_COMPACT 500
#define HTML_KIND_GROUPS (KIND_COUNT + 1)	/* the last one for an unknown kind */

struct html_kind_group {
	unsigned code;		/* enum finding_kind; KIND_COUNT when unknown */
	enum severity worst;
	size_t start, n;	/* in html_plan.order */
};

struct html_plan {
	const struct finding **order;	/* grouped by kind, in page order */
	struct html_kind_group groups[HTML_KIND_GROUPS];
	size_t ngroups;
};

static unsigned html_group_of(const struct finding *f)
{
	return (unsigned)f->code < KIND_COUNT ? (unsigned)f->code : KIND_COUNT;
}

static int html_cmp_group(const void *a, const void *b)
{
	const struct html_kind_group *x = a, *y = b;

	if (x->worst != y->worst)
		return x->worst > y->worst ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return (x->code > y->code) - (x->code < y->code);
}

/* Within a kind: the roll-up of a listener first (it has no client), then
 * the most severe, then in order of id. */
static int html_cmp_in_group(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;

	if (x->has_client != y->has_client)
		return x->has_client ? 1 : -1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Groups the findings by kind and counts them into their groups. */
static void html_plan_groups(struct html_plan *p, const struct report_model *m)
{
	size_t count[HTML_KIND_GROUPS] = { 0 };
	enum severity worst[HTML_KIND_GROUPS] = { SEV_INFO };

	for (size_t i = 0; i < m->nfindings; i++) {
		unsigned g = html_group_of(&m->findings[i]);

		if (!count[g]++ || m->findings[i].severity > worst[g])
			worst[g] = m->findings[i].severity;
	}
	for (unsigned g = 0; g < HTML_KIND_GROUPS; g++)
		if (count[g])
			p->groups[p->ngroups++] = (struct html_kind_group){ g, worst[g], 0, count[g] };
	qsort(p->groups, p->ngroups, sizeof(p->groups[0]), html_cmp_group);
}

int html_findings_plan(struct html *h)
{
	const struct report_model *m = h->m;
	struct html_plan *p = calloc(1, sizeof(*p));
	size_t at[HTML_KIND_GROUPS] = { 0 }, start = 0;

	h->plan = p;
	if (!p)
		return -1;
	p->order = malloc((m->nfindings ? m->nfindings : 1) * sizeof(*p->order));
	h->finding_shown = calloc(m->nfindings ? m->nfindings : 1, sizeof(*h->finding_shown));
	if (!p->order || !h->finding_shown)
		return -1;
	html_plan_groups(p, m);
	for (size_t k = 0; k < p->ngroups; k++) {
		p->groups[k].start = start;
		at[p->groups[k].code] = start;
		start += p->groups[k].n;
	}
	for (size_t i = 0; i < m->nfindings; i++)
		p->order[at[html_group_of(&m->findings[i])]++] = &m->findings[i];
	for (size_t k = 0; k < p->ngroups; k++) {
		const struct html_kind_group *g = &p->groups[k];

		qsort(p->order + g->start, g->n, sizeof(*p->order), html_cmp_in_group);
		for (size_t i = 0; i < g->n && i < HTML_FULL + HTML_COMPACT; i++)
			h->finding_shown[p->order[g->start + i] - m->findings] = true;
	}
	return 0;
}

void html_findings_unplan(struct html *h)
{
	if (h->plan)
		free(h->plan->order);
	free(h->plan);
	free(h->finding_shown);
	h->plan = NULL;
	h->finding_shown = NULL;
}

/* --- the sections ----------------------------------------------------------- */

static const char *html_group_kind(const struct html *h, const struct html_kind_group *g)
{
	const struct kind_info *ki = kind_info((enum finding_kind)g->code);
	const char *kind = h->plan->order[g->start]->kind;

	return ki ? ki->id : kind ? kind : "unknown";
}

static void html_group_anchor(const struct html *h, const struct html_kind_group *g, char *buf,
			      size_t len)
{
	/* Catalog ids are [a-z_]: safe in an id; an unknown kind gets one anchor. */
	snprintf(buf, len, "k-%s", kind_info((enum finding_kind)g->code)
					   ? html_group_kind(h, g) : "unknown");
}

static void html_compact_row(struct html *h, xmlNodePtr tbody, const struct finding *f)
{
	char t[TIMEFMT_LEN], a[HTML_ENDPOINT_MAX];
	xmlNodePtr tr = html_el(h, tbody, "tr", NULL), td;
	uint32_t n = f->nframes < FINDING_MAX_FRAMES ? f->nframes : FINDING_MAX_FRAMES;

	html_attrf(h, tr, "id", "f%" PRIu64, f->id);
	html_td_num(h, tr, f->id);
	html_badge(h, html_el(h, tr, "td", NULL), f->severity);
	html_attrf(h, html_td(h, tr, html_time(h, f->first_ts_ns, t, sizeof(t))), "data-sort",
		   "%" PRId64, f->first_ts_ns);
	html_td(h, tr, f->has_client ? ip_endpoint_format(&f->client, f->client_port, a, sizeof(a))
				     : "");
	html_finding_where(h, f, a, sizeof(a));
	html_td(h, tr, a);
	html_el_text(h, tr, "td", "summary", f->summary);
	td = html_el(h, tr, "td", NULL);
	for (uint32_t i = 0; i < n && i < 6; i++)
		html_textf(h, td, i ? " %" PRIu64 : "%" PRIu64, f->frames[i]);
	if (n > 6)
		html_text(h, td, " \xe2\x80\xa6", 8);
	td = html_el(h, tr, "td", NULL);
	if (f->connection)
		html_conn_ref(h, td, f->connection);
}

static void html_compact(struct html *h, xmlNodePtr section, const struct html_kind_group *g)
{
	static const char *const heads[] = {
		"#", "severity", "time", "client", "server", "summary", "frames", "connection",
	};
	size_t end = g->n < HTML_FULL + HTML_COMPACT ? g->n : HTML_FULL + HTML_COMPACT;
	char a[HTML_NUM_MAX], b[HTML_NUM_MAX];
	xmlNodePtr tbody, p;

	html_el_textf(h, section, "h4", "more", "%s more, in short",
		      html_count(end - HTML_FULL, a, sizeof(a)));
	tbody = html_table(h, section, "compact sortable filterable", heads,
			   sizeof(heads) / sizeof(heads[0]));
	for (size_t i = HTML_FULL; i < end; i++)
		html_compact_row(h, tbody, h->plan->order[g->start + i]);
	if (g->n <= end)
		return;
	p = html_el(h, section, "p", "more");
	html_textf(h, html_el(h, p, "strong", NULL), "%s more %s in the JSON report",
		   html_count(g->n - end, a, sizeof(a)), html_group_kind(h, g));
	html_text(h, p, " (", 2);
	html_el_text(h, p, "code", NULL, "-o report.json");
	html_textf(h, p, "): this page shows the first %s of %s.",
		   html_count(end, a, sizeof(a)), html_count(g->n, b, sizeof(b)));
}

static void html_kind_section(struct html *h, xmlNodePtr main, const struct html_kind_group *g)
{
	const struct kind_info *ki = kind_info((enum finding_kind)g->code);
	char anchor[160], n[HTML_NUM_MAX];
	xmlNodePtr section = html_el(h, main, "section", "kind"), head, p;

	html_group_anchor(h, g, anchor, sizeof(anchor));
	html_attr(h, section, "id", anchor);
	head = html_el(h, section, "h3", NULL);
	html_badge(h, head, g->worst);
	html_el_text(h, head, "span", "kind-id", html_group_kind(h, g));
	html_el_textf(h, head, "span", "count", "%s %s", html_count(g->n, n, sizeof(n)),
		      html_plural(g->n, "finding", "findings"));
	if (ki) {
		p = html_el(h, section, "p", "kind-line");
		html_el_text(h, p, "span", "family", ki->family);
		html_text(h, p, ki->line, HTML_TEXT_MAX);
	}
	/* Information is folded away, so that the problems stand out. */
	if (g->worst == SEV_INFO) {
		section = html_el(h, section, "details", "kind-body");
		html_el_textf(h, section, "summary", NULL, "Show %s",
			      html_plural(g->n, "the finding", "the findings"));
	}
	for (size_t i = 0; i < g->n && i < HTML_FULL; i++)
		html_finding_card(h, section, h->plan->order[g->start + i]);
	if (g->n > HTML_FULL)
		html_compact(h, section, g);
}

/* A line per kind, linking to its section: the findings' table of contents. */
static void html_kinds_toc(struct html *h, xmlNodePtr section)
{
	xmlNodePtr ul = html_el(h, section, "ul", "toc");

	for (size_t k = 0; k < h->plan->ngroups; k++) {
		const struct html_kind_group *g = &h->plan->groups[k];
		char anchor[160], n[HTML_NUM_MAX];
		xmlNodePtr li = html_el(h, ul, "li", NULL);

		html_badge(h, li, g->worst);
		html_group_anchor(h, g, anchor, sizeof(anchor));
		html_link(h, li, anchor, html_group_kind(h, g));
		html_el_textf(h, li, "span", "count", "%s", html_count(g->n, n, sizeof(n)));
	}
}

/* Nothing at all without findings: the verdict has said so. */
void html_findings(struct html *h, xmlNodePtr main)
{
	xmlNodePtr section;
	char n[HTML_NUM_MAX];

	if (!h->m->nfindings)
		return;
	section = html_el(h, main, "section", NULL);
	html_attr(h, section, "id", "findings");
	html_el_text(h, section, "h2", NULL, "Findings");
	html_el_textf(h, section, "p", "note",
		      "%s %s of %zu %s, most severe first. Each gives what each endpoint "
		      "believed, who is at fault, what to check, and the frames that prove it.",
		      html_count(h->m->nfindings, n, sizeof(n)),
		      html_plural(h->m->nfindings, "finding", "findings"), h->plan->ngroups,
		      html_plural(h->plan->ngroups, "kind", "kinds"));
	html_kinds_toc(h, section);
	for (size_t k = 0; k < h->plan->ngroups; k++)
		html_kind_section(h, section, &h->plan->groups[k]);
}
