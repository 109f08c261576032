/*
 * text.c - the terminal summary: a few lines a person reads at a glance.
 *
 * It keeps nothing of its own: the model's tally of final states and its held
 * findings are all it prints. Strings from outside (file names, error texts,
 * finding summaries) go through text_clean() so that no control character
 * reaches the terminal: a crafted file name must not drive the terminal.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/timefmt.h"
#include "report/writer.h"

#define TEXT_BOLD "\033[1m"
#define TEXT_RED "\033[1;31m"
#define TEXT_YELLOW "\033[33m"
#define TEXT_CYAN "\033[36m"
#define TEXT_RESET "\033[0m"
#define TEXT_ENDPOINT_MAX 80	/* "[v6 address]:65535" */
#define TEXT_WHERE_MAX 176	/* "client -> server", "listener ...", a file name */
#define TEXT_KIND_COLUMN 32	/* kinds are padded to the longest, up to this */
#define TEXT_WHERE_COLUMN 40	/* the same for where a finding happened */
#define TEXT_NAME_MAX 128	/* bytes of a kind or a file name shown */

/* A final state pair and how many connections ended in it. */
struct text_pair {
	char name[64];
	uint64_t n;
};

/* Column widths shared by the roll-ups and the findings, so both read as one
 * table. */
struct text_columns {
	int kind;
	int where_aggregate;
	int where_finding;
};

/* An escape sequence, or nothing when colour is off. */
static const char *text_sgr(const struct report_model *m, const char *seq)
{
	return m->opts->color == 1 ? seq : "";
}

/* Prints at most max bytes of s with control characters shown as '?'. */
static void text_clean(FILE *out, const char *s, size_t max)
{
	for (size_t i = 0; s && i < max && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		putc(ch < 0x20 || ch == 0x7f ? '?' : ch, out);
	}
}

/* The same into buf, for text that is padded into a column. */
static char *text_clean_copy(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s && i + 1 < len && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		buf[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	buf[i] = '\0';
	return buf;
}

static const char *text_plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const char *text_severity_colour(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return TEXT_RED;
	case SEV_WARNING:
		return TEXT_YELLOW;
	default:
		return TEXT_CYAN;
	}
}

/* " (4 critical, 11 warning)": the findings by severity, most severe first. */
static void text_severities(FILE *out, const struct report_model *m)
{
	const char *sep = " (";

	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		if (!m->severities[s])
			continue;
		fprintf(out, "%s%" PRIu64 " %s%s%s", sep, m->severities[s],
			text_sgr(m, text_severity_colour((enum severity)s)),
			severity_name((enum severity)s), text_sgr(m, TEXT_RESET));
		sep = ", ";
	}
	if (sep[0] == ',')
		putc(')', out);
}

static void text_header(FILE *out, const struct report_model *m)
{
	uint64_t frames = 0, tcp = 0;

	for (size_t i = 0; i < m->ncaptures; i++) {
		frames += m->captures[i]->stats.frames;
		tcp += m->captures[i]->stats.tcp;
	}
	fprintf(out, "%stcpautopsy", text_sgr(m, TEXT_BOLD));
	if (m->opts->tool_version[0]) {
		putc(' ', out);
		text_clean(out, m->opts->tool_version, 64);
	}
	fprintf(out, "%s: %zu %s, %" PRIu64 " %s, %" PRIu64 " TCP packets, %" PRIu64
		" %s, %zu %s",
		text_sgr(m, TEXT_RESET), m->ncaptures,
		text_plural(m->ncaptures, "capture", "captures"), frames,
		text_plural(frames, "packet", "packets"), tcp, m->connections,
		text_plural(m->connections, "connection", "connections"), m->nfindings,
		text_plural(m->nfindings, "finding", "findings"));
	text_severities(out, m);
	putc('\n', out);
}

/* ", N what" for a count worth mentioning. */
static void text_count(FILE *out, uint64_t n, const char *what)
{
	if (n)
		fprintf(out, ", %" PRIu64 " %s", n, what);
}

static void text_capture_span(FILE *out, const struct capture_info *ci)
{
	char first[TIMEFMT_LEN], last[TIMEFMT_LEN], dur[TIMEFMT_LEN];

	if (!ci->stats.frames)
		return;
	fprintf(out, ", %s to %s (%s)", timefmt_iso(ci->first_ts_ns, first, sizeof(first)),
		timefmt_iso(ci->last_ts_ns, last, sizeof(last)),
		timefmt_duration(ci->last_ts_ns - ci->first_ts_ns, dur, sizeof(dur)));
}

static void text_capture(FILE *out, const struct report_model *m, const struct capture_info *ci)
{
	const struct dissect_stats *st = &ci->stats;
	uint64_t malformed = 0;

	for (int i = 0; i < MAL_COUNT; i++)
		malformed += st->malformed[i];
	fputs("  ", out);
	text_clean(out, ci->file, sizeof(ci->file));
	fputs(": ", out);
	if (!ci->format[0]) {
		/* Never opened: there is nothing to describe but the reason. */
		fprintf(out, "%snot read:%s ", text_sgr(m, TEXT_RED), text_sgr(m, TEXT_RESET));
		text_clean(out, ci->error, sizeof(ci->error));
		putc('\n', out);
		return;
	}
	text_clean(out, ci->format, sizeof(ci->format));
	for (uint32_t i = 0; i < ci->nlinktypes && i < CAPTURE_MAX_LINKTYPES; i++) {
		fputs(i ? " + " : ", ", out);
		text_clean(out, dissect_linktype_description(ci->linktypes[i]), 64);
	}
	fprintf(out, ", %" PRIu64 " %s", st->frames, text_plural(st->frames, "packet", "packets"));
	text_capture_span(out, ci);
	fprintf(out, ", vantage %s", vantage_name(capture_vantage(ci)));
	text_count(out, ci->filtered, "filtered out");
	text_count(out, malformed, "malformed");
	text_count(out, st->fragments, "IP fragments");
	text_count(out, st->truncated_tcp, "truncated TCP segments");
	putc('\n', out);
	if (ci->damaged) {
		fprintf(out, "    %sdamaged after frame %" PRIu64 ":%s ", text_sgr(m, TEXT_RED),
			ci->damaged_after_frame, text_sgr(m, TEXT_RESET));
		text_clean(out, ci->error, sizeof(ci->error));
		putc('\n', out);
	}
}

static int text_cmp_pair(const void *a, const void *b)
{
	const struct text_pair *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void text_states(FILE *out, const struct report_model *m)
{
	struct text_pair pairs[REPORT_STATE_SLOTS * REPORT_STATE_SLOTS];
	size_t n = 0, width = 0;

	for (unsigned c = 0; c < REPORT_STATE_SLOTS; c++) {
		for (unsigned s = 0; s < REPORT_STATE_SLOTS; s++) {
			if (!m->final_states[c][s])
				continue;
			snprintf(pairs[n].name, sizeof(pairs[n].name), "%s / %s",
				 report_state_slot_name(c), report_state_slot_name(s));
			if (strlen(pairs[n].name) > width)
				width = strlen(pairs[n].name);
			pairs[n++].n = m->final_states[c][s];
		}
	}
	if (!n)
		return;
	qsort(pairs, n, sizeof(*pairs), text_cmp_pair);
	fprintf(out, "\n%sConnections by final state (client / server)%s\n",
		text_sgr(m, TEXT_BOLD), text_sgr(m, TEXT_RESET));
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-*s  %" PRIu64 "\n", (int)width, pairs[i].name, pairs[i].n);
}

/* "listener 192.0.2.2:8080", or "host 192.0.2.2" when the port is 0. */
static char *text_listener(const struct ip_addr *a, uint16_t port, char *buf, size_t len)
{
	char ep[TEXT_ENDPOINT_MAX];

	snprintf(buf, len, "%s %s", port ? "listener" : "host",
		 ip_endpoint_format(a, port, ep, sizeof(ep)));
	return buf;
}

/* The last part of a capture's file name ("standard input" for "-"), with
 * control characters shown as '?'. */
static char *text_capture_name(const struct report_model *m, uint32_t index, char *buf, size_t len)
{
	const char *file, *base;

	if (index >= m->ncaptures)
		return text_clean_copy("the capture", buf, len);
	file = m->captures[index]->file;
	base = strrchr(file, '/');
	base = base && base[1] ? base + 1 : file;
	if (strcmp(file, "-") == 0)
		base = "standard input";
	return text_clean_copy(base, buf, len);
}

/* Where a finding happened: "client -> server" for a connection, the
 * listener or host for a roll-up finding, the file for a capture finding. */
static const char *text_where(const struct report_model *m, const struct finding *f, char *buf,
			      size_t len)
{
	char client[TEXT_ENDPOINT_MAX], server[TEXT_ENDPOINT_MAX];

	if (f->has_client && f->server.family)
		snprintf(buf, len, "%s -> %s",
			 ip_endpoint_format(&f->client, f->client_port, client, sizeof(client)),
			 ip_endpoint_format(&f->server, f->server_port, server, sizeof(server)));
	else if (f->server.family)
		text_listener(&f->server, f->server_port, buf, len);
	else
		text_capture_name(m, f->capture, buf, len);
	return buf;
}

/* "  critical  kind  where  " with the columns padded. */
static void text_row(FILE *out, const struct report_model *m, const struct text_columns *col,
		     enum severity s, const char *kind, const char *where, int where_width)
{
	char name[TEXT_NAME_MAX + 1];

	fprintf(out, "  %s%-8s%s  %-*s  %-*s  ", text_sgr(m, text_severity_colour(s)),
		severity_name(s), text_sgr(m, TEXT_RESET), col->kind,
		text_clean_copy(kind ? kind : "unknown", name, sizeof(name)), where_width, where);
}

static void text_finding(FILE *out, const struct report_model *m, const struct text_columns *col,
			 const struct finding *f)
{
	char where[TEXT_WHERE_MAX];

	text_row(out, m, col, f->severity, f->kind, text_where(m, f, where, sizeof(where)),
		 col->where_finding);
	text_clean(out, f->summary, sizeof(f->summary));
	putc('\n', out);
}

/* Findings of one kind on one server port are shown TEXT_PER_GROUP at a time:
 * 2,000 leaked sockets are one problem with examples, not 2,000 lines. */
#define TEXT_PER_GROUP 3

static int text_cmp_group(const struct finding *x, const struct finding *y)
{
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if ((c = strcmp(x->kind ? x->kind : "", y->kind ? y->kind : "")) != 0)
		return c;
	if ((c = memcmp(&x->server, &y->server, sizeof(x->server))) != 0)
		return c;
	return (x->server_port > y->server_port) - (x->server_port < y->server_port);
}

static int text_cmp_finding(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	int c = text_cmp_group(x, y);

	/* A finding about the whole listener sums its group up: it goes first. */
	if (!c && x->has_client != y->has_client)
		return x->has_client ? 1 : -1;
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void text_more(FILE *out, size_t more, const struct finding *f)
{
	char server[TEXT_ENDPOINT_MAX];

	if (!more)
		return;
	fprintf(out, "            ... and %zu more ", more);
	text_clean(out, f->kind ? f->kind : "unknown", TEXT_NAME_MAX);
	if (f->server.family)
		fprintf(out, " on %s\n",
			ip_endpoint_format(&f->server, f->server_port, server, sizeof(server)));
	else
		fputs(" in other captures\n", out);
}

/* Most severe first; within a severity, grouped by kind and server. Without
 * memory for the index, the findings are listed in id order. */
static void text_findings(FILE *out, const struct report_model *m, const struct text_columns *col)
{
	const struct finding **idx;
	size_t shown = 0, more = 0;

	if (!m->nfindings) {
		fputs("\nNo findings.\n", out);
		return;
	}
	fprintf(out, "\n%sFindings%s\n", text_sgr(m, TEXT_BOLD), text_sgr(m, TEXT_RESET));
	idx = malloc(m->nfindings * sizeof(*idx));
	if (!idx) {
		for (size_t i = 0; i < m->nfindings; i++)
			text_finding(out, m, col, &m->findings[i]);
		return;
	}
	for (size_t i = 0; i < m->nfindings; i++)
		idx[i] = &m->findings[i];
	qsort(idx, m->nfindings, sizeof(*idx), text_cmp_finding);
	for (size_t i = 0; i < m->nfindings; i++) {
		if (i && text_cmp_group(idx[i - 1], idx[i]) != 0) {
			text_more(out, more, idx[i - 1]);
			shown = more = 0;
		}
		if (shown++ < TEXT_PER_GROUP)
			text_finding(out, m, col, idx[i]);
		else
			more++;
	}
	text_more(out, more, idx[m->nfindings - 1]);
	free(idx);
}

/* A roll-up worth a line: several connections of one listener, or one
 * problem across a host's listeners. */
static bool text_aggregate_shown(const struct aggregate *g)
{
	return g->count >= 2;
}

/* Pads kinds and places to the longest shown, within limits, so the columns
 * line up whatever the capture holds; a longer one pushes its own line only. */
static int text_widen(int width, size_t len, int limit)
{
	if (len > (size_t)limit)
		len = (size_t)limit;
	return (int)len > width ? (int)len : width;
}

static void text_measure(const struct report_model *m, struct text_columns *col)
{
	char where[TEXT_WHERE_MAX];

	memset(col, 0, sizeof(*col));
	for (size_t i = 0; i < m->naggregates; i++) {
		const struct aggregate *g = &m->aggregates[i];

		if (!text_aggregate_shown(g))
			continue;
		col->kind = text_widen(col->kind, strlen(g->kind ? g->kind : "unknown"),
				       TEXT_KIND_COLUMN);
		text_listener(&g->server, g->server_port, where, sizeof(where));
		col->where_aggregate =
			text_widen(col->where_aggregate, strlen(where), TEXT_WHERE_COLUMN);
	}
	for (size_t i = 0; i < m->nfindings; i++) {
		const struct finding *f = &m->findings[i];

		col->kind = text_widen(col->kind, strlen(f->kind ? f->kind : "unknown"),
				       TEXT_KIND_COLUMN);
		text_where(m, f, where, sizeof(where));
		col->where_finding =
			text_widen(col->where_finding, strlen(where), TEXT_WHERE_COLUMN);
	}
}

static void text_aggregates(FILE *out, const struct report_model *m, const struct text_columns *col)
{
	char where[TEXT_WHERE_MAX];
	bool any = false;

	for (size_t i = 0; i < m->naggregates; i++) {
		const struct aggregate *g = &m->aggregates[i];

		if (!text_aggregate_shown(g))
			continue;
		if (!any)
			fprintf(out, "\n%sBy listener and host%s\n", text_sgr(m, TEXT_BOLD),
				text_sgr(m, TEXT_RESET));
		any = true;
		text_row(out, m, col, g->severity, g->kind,
			 text_listener(&g->server, g->server_port, where, sizeof(where)),
			 col->where_aggregate);
		fprintf(out, "%" PRIu64 " connection%s", g->count, g->count == 1 ? "" : "s");
		if (!g->server_port)
			fprintf(out, " on %u listeners", g->listeners);
		if (g->code == KIND_CLOSE_WAIT_LEAK)
			fprintf(out, ", at most %" PRId64 " in CLOSE-WAIT at once, %" PRId64
				" still at the end", g->peak_open, g->open_at_end);
		putc('\n', out);
	}
}

static void *text_open(char *err, size_t errlen)
{
	/* Nothing of its own to keep; a non-NULL token marks success. */
	static int text_token;

	(void)err;
	(void)errlen;
	return &text_token;
}

static int text_finish(void *w, const struct report_model *m, FILE *out, char *err,
		       size_t errlen)
{
	struct text_columns col;

	(void)w;
	text_measure(m, &col);
	text_header(out, m);
	for (size_t i = 0; i < m->ncaptures; i++)
		text_capture(out, m, m->captures[i]);
	text_states(out, m);
	text_aggregates(out, m, &col);
	text_findings(out, m, &col);
	if (ferror(out)) {
		snprintf(err, errlen, "writing: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

static void text_free(void *w)
{
	(void)w;
}

const struct writer_ops writer_text = {
	.name = "text",
	.open = text_open,
	.on_connection = NULL,
	.finish = text_finish,
	.free = text_free,
};
