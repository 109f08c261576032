/*
 * html_connections.c - the connection table: the rows it keeps while
 * connections stream past, and the table itself.
 *
 * A capture may hold millions of connections; the page shows at most
 * HTML_CONN_ROWS: those with findings first, then the first others, by id.
 * Connections are finalised out of id order, so each kind is kept in a
 * max-heap by id: a new row replaces the highest id when the heap is full and
 * its own id is lower. Memory: 2 x HTML_CONN_ROWS small rows at most.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_parts.h"
#include "report/timefmt.h"

/* --- the rows kept ---------------------------------------------------------- */

static void html_row_from(struct html_conn_row *row, const struct tcp_conn *c)
{
	memset(row, 0, sizeof(*row));
	row->id = c->id;
	row->client = c->ep[CLIENT].addr;
	row->server = c->ep[SERVER].addr;
	row->client_port = c->ep[CLIENT].port;
	row->server_port = c->ep[SERVER].port;
	row->first_ts_ns = c->first_ts_ns;
	row->last_ts_ns = c->last_ts_ns;
	for (int side = CLIENT; side <= SERVER; side++) {
		row->packets[side] = c->ep[side].packets;
		row->bytes[side] = c->ep[side].bytes;
		row->state[side] = (uint8_t)report_state_slot(c->ep[side].state);
	}
	row->outcome = (uint8_t)html_outcome_of(c);
	row->half_close = (c->flags & CONN_HALF_CLOSE) != 0;
	row->history_len = c->history.len < HISTORY_MAX ? c->history.len : HISTORY_MAX;
	memcpy(row->history, c->history.s, row->history_len);
	row->nfindings = (uint8_t)(c->nfindings < CONN_MAX_FINDINGS ? c->nfindings
								      : CONN_MAX_FINDINGS);
	memcpy(row->findings, c->findings, row->nfindings * sizeof(row->findings[0]));
}

static void html_heap_swap(struct html_conn_row *a, struct html_conn_row *b)
{
	struct html_conn_row t = *a;

	*a = *b;
	*b = t;
}

static void html_heap_up(struct html_row_heap *hp, size_t i)
{
	while (i > 0 && hp->rows[(i - 1) / 2].id < hp->rows[i].id) {
		html_heap_swap(&hp->rows[(i - 1) / 2], &hp->rows[i]);
		i = (i - 1) / 2;
	}
}

static void html_heap_down(struct html_row_heap *hp, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, top = i;

		if (l < hp->n && hp->rows[l].id > hp->rows[top].id)
			top = l;
		if (r < hp->n && hp->rows[r].id > hp->rows[top].id)
			top = r;
		if (top == i)
			return;
		html_heap_swap(&hp->rows[top], &hp->rows[i]);
		i = top;
	}
}

/* Keeps row when it is among the HTML_CONN_ROWS lowest ids seen. */
static int html_heap_offer(struct html_row_heap *hp, const struct html_conn_row *row)
{
	if (hp->n == HTML_CONN_ROWS) {
		if (row->id < hp->rows[0].id) {
			hp->rows[0] = *row;
			html_heap_down(hp, 0);
		}
		return 0;
	}
	if (hp->n == hp->cap) {
		size_t cap = hp->cap ? hp->cap * 2 : 64;
		struct html_conn_row *grown;

		if (cap > HTML_CONN_ROWS)
			cap = HTML_CONN_ROWS;
		grown = realloc(hp->rows, cap * sizeof(*grown));
		if (!grown)
			return -1;
		hp->rows = grown;
		hp->cap = cap;
	}
	hp->rows[hp->n] = *row;
	html_heap_up(hp, hp->n++);
	return 0;
}

int html_rows_add(struct html_rows *r, const struct tcp_conn *c)
{
	struct html_conn_row row;

	html_row_from(&row, c);
	if (row.nfindings) {
		r->total_with++;
		return html_heap_offer(&r->with, &row);
	}
	return html_heap_offer(&r->other, &row);
}

void html_rows_free(struct html_rows *r)
{
	free(r->with.rows);
	free(r->other.rows);
	memset(r, 0, sizeof(*r));
}

static int html_cmp_row(const void *a, const void *b)
{
	const struct html_conn_row *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int html_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int html_rows_prepare(struct html_rows *r, uint64_t **ids, size_t *nids)
{
	size_t n;

	if (r->with.n)
		qsort(r->with.rows, r->with.n, sizeof(*r->with.rows), html_cmp_row);
	if (r->other.n)
		qsort(r->other.rows, r->other.n, sizeof(*r->other.rows), html_cmp_row);
	if (r->other.n > HTML_CONN_ROWS - r->with.n)
		r->other.n = HTML_CONN_ROWS - r->with.n;
	n = r->with.n + r->other.n;
	*ids = malloc((n ? n : 1) * sizeof(**ids));
	if (!*ids)
		return -1;
	for (size_t i = 0; i < r->with.n; i++)
		(*ids)[i] = r->with.rows[i].id;
	for (size_t i = 0; i < r->other.n; i++)
		(*ids)[r->with.n + i] = r->other.rows[i].id;
	if (n)
		qsort(*ids, n, sizeof(**ids), html_cmp_u64);
	*nids = n;
	return 0;
}

/* --- the table ---------------------------------------------------------------- */

static void html_row_pair(struct html *h, xmlNodePtr tr, const uint64_t v[2])
{
	char a[HTML_NUM_MAX], b[HTML_NUM_MAX];
	xmlNodePtr td = html_el_textf(h, tr, "td", "num", "%s / %s", html_count(v[0], a, sizeof(a)),
				      html_count(v[1], b, sizeof(b)));

	html_attrf(h, td, "data-sort", "%" PRIu64, v[0] + v[1]);
}

static void html_row(struct html *h, xmlNodePtr tbody, const struct html_conn_row *row)
{
	char buf[HTML_ENDPOINT_MAX], t[TIMEFMT_LEN];
	int64_t elapsed = html_elapsed(row->first_ts_ns, row->last_ts_ns);
	xmlNodePtr tr = html_el(h, tbody, "tr", NULL), td;

	html_attrf(h, tr, "id", "c%" PRIu64, row->id);
	if (row->nfindings)
		html_attr(h, tr, "class", "has-findings");
	html_td_num(h, tr, row->id);
	html_td(h, tr, ip_endpoint_format(&row->client, row->client_port, buf, sizeof(buf)));
	html_td(h, tr, ip_endpoint_format(&row->server, row->server_port, buf, sizeof(buf)));
	html_attrf(h, html_td(h, tr, html_time(h, row->first_ts_ns, t, sizeof(t))), "data-sort",
		   "%" PRId64, row->first_ts_ns);
	html_attrf(h, html_el_text(h, tr, "td", "num", html_duration(elapsed, t, sizeof(t))),
		   "data-sort", "%" PRId64, elapsed);
	html_row_pair(h, tr, row->packets);
	html_row_pair(h, tr, row->bytes);
	html_td(h, tr, report_state_slot_name(row->state[CLIENT]));
	html_td(h, tr, report_state_slot_name(row->state[SERVER]));
	td = html_td(h, tr, html_outcome_name((enum html_outcome)row->outcome));
	if (row->half_close)
		html_text(h, td, " after a half-close", HTML_TEXT_MAX);
	td = html_el(h, tr, "td", NULL);
	if (row->history_len) {
		char hist[HISTORY_MAX + 1];

		memcpy(hist, row->history, row->history_len);
		hist[row->history_len] = '\0';
		html_el_text(h, td, "code", NULL, hist);
	}
	td = html_el(h, tr, "td", "refs");
	for (uint8_t i = 0; i < row->nfindings; i++) {
		if (i)
			html_text(h, td, " ", 1);
		html_finding_ref(h, td, row->findings[i]);
	}
}

static void html_connections_note(struct html *h, xmlNodePtr section, size_t shown)
{
	const struct html_rows *r = &h->w->rows;
	uint64_t total = h->m->connections;
	char a[HTML_NUM_MAX], b[HTML_NUM_MAX], c[HTML_NUM_MAX];
	xmlNodePtr p = html_el(h, section, "p", "note");

	if (total == 0) {
		html_text(h, p, "The capture holds no TCP connection.", HTML_TEXT_MAX);
		return;
	}
	if (shown >= total) {
		if (total == 1)
			html_text(h, p, "The one connection.", HTML_TEXT_MAX);
		else
			html_textf(h, p, "All %s connections%s. Click a heading to sort.",
				   html_count(total, a, sizeof(a)),
				   r->with.n ? ", those with findings first" : "");
		return;
	}
	html_textf(h, p, "Showing %s of %s connections: ", html_count(shown, a, sizeof(a)),
		   html_count(total, b, sizeof(b)));
	if (r->total_with > r->with.n)
		html_textf(h, p, "the first %s of the %s with findings. ",
			   html_count(r->with.n, a, sizeof(a)),
			   html_count(r->total_with, c, sizeof(c)));
	else if (r->with.n)
		html_textf(h, p, "the %s with findings, then the first others by id. ",
			   html_count(r->with.n, a, sizeof(a)));
	else
		html_text(h, p, "the first by id. ", HTML_TEXT_MAX);
	html_textf(h, html_el(h, p, "strong", NULL), "%s more in the JSON report",
		   html_count(total - shown, a, sizeof(a)));
	html_text(h, p, " (", 2);
	html_el_text(h, p, "code", NULL, "-o report.json");
	html_text(h, p, ").", 2);
}

void html_connections(struct html *h, xmlNodePtr main)
{
	static const char *const heads[] = {
		"#", "client", "server", "start", "duration", "packets c\xe2\x86\x92s / s\xe2\x86\x92" "c",
		"bytes c\xe2\x86\x92s / s\xe2\x86\x92" "c", "client state", "server state", "outcome",
		"history", "findings",
	};
	const struct html_rows *r = &h->w->rows;
	xmlNodePtr section = html_el(h, main, "section", NULL), tbody;

	html_attr(h, section, "id", "connections");
	html_el_text(h, section, "h2", NULL, "Connections");
	html_connections_note(h, section, r->with.n + r->other.n);
	if (!r->with.n && !r->other.n)
		return;
	tbody = html_table(h, section, "conns sortable filterable", heads,
			   sizeof(heads) / sizeof(heads[0]));
	for (size_t i = 0; i < r->with.n; i++)
		html_row(h, tbody, &r->with.rows[i]);
	for (size_t i = 0; i < r->other.n; i++)
		html_row(h, tbody, &r->other.rows[i]);
	html_el_text(h, section, "p", "legend",
		     "History: upper case the client, lower case the server. S SYN, H SYN-ACK, "
		     "A ACK, D data, F FIN, R RST, T retransmission, G gap, W zero window, "
		     "I inconsistent flags, Q multi-flag, ^ roles guessed.");
}
