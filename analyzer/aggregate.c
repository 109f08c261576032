/*
 * aggregate.c - findings rolled up per listener and per host (aggregate.h).
 *
 * Groups live in one array that doubles as it fills (up to AGG_MAX_GROUPS),
 * found through an open-addressing index of their positions. A leak's count
 * over time is kept as +1/-1 steps in AGG_SERIES buckets whose width doubles
 * whenever a socket's time falls beyond the last one, so it needs no memory per
 * socket whatever the capture's length.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/aggregate.h"

#define NS_PER_S 1000000000LL

struct agg_group {
	struct aggregate pub;
	int64_t delta[AGG_SERIES];	/* leak steps per bucket */
};

struct aggregates {
	struct agg_group *groups;
	uint32_t n, cap;
	uint32_t *index;		/* position + 1, 0 = empty */
	uint32_t index_size;		/* a power of two, > 2 * cap */
};

struct aggregates *aggregates_new(void)
{
	return calloc(1, sizeof(struct aggregates));
}

void aggregates_free(struct aggregates *g)
{
	if (!g)
		return;
	free(g->groups);
	free(g->index);
	free(g);
}

static uint32_t agg_hash(const char *scope, enum finding_kind code, const struct ip_addr *addr,
			 uint16_t port)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sizeof(addr->bytes); i++)
		h = (h ^ addr->bytes[i]) * 16777619u;
	h = (h ^ port) * 16777619u;
	h = (h ^ (uint32_t)code) * 16777619u;
	return (h ^ (uint32_t)scope[0]) * 16777619u;
}

static bool agg_same(const struct aggregate *ag, const char *scope, enum finding_kind code,
		     const struct ip_addr *addr, uint16_t port)
{
	return ag->code == code && ag->server_port == port && strcmp(ag->scope, scope) == 0 &&
	       ag->server.family == addr->family &&
	       memcmp(ag->server.bytes, addr->bytes, sizeof(addr->bytes)) == 0;
}

static uint32_t *agg_slot(struct aggregates *g, const char *scope, enum finding_kind code,
			  const struct ip_addr *addr, uint16_t port)
{
	uint32_t mask = g->index_size - 1;
	uint32_t i = agg_hash(scope, code, addr, port) & mask;

	while (g->index[i] &&
	       !agg_same(&g->groups[g->index[i] - 1].pub, scope, code, addr, port))
		i = (i + 1) & mask;
	return &g->index[i];
}

/* Makes room for one more group: grows the array and rebuilds the index. */
static bool agg_grow(struct aggregates *g)
{
	uint32_t cap = g->cap ? g->cap * 2 : 64;
	struct agg_group *groups;
	uint32_t *index;

	if (cap > AGG_MAX_GROUPS)
		return false;
	groups = realloc(g->groups, (size_t)cap * sizeof(*groups));
	if (!groups)
		return false;
	g->groups = groups;
	index = calloc((size_t)cap * 4, sizeof(*index));
	if (!index)
		return false;
	free(g->index);
	g->index = index;
	g->index_size = cap * 4;
	g->cap = cap;
	for (uint32_t k = 0; k < g->n; k++) {
		struct aggregate *ag = &g->groups[k].pub;

		*agg_slot(g, ag->scope, ag->code, &ag->server, ag->server_port) = k + 1;
	}
	return true;
}

/* The group for the key, created when new; NULL when the table is full. */
static struct agg_group *agg_group(struct aggregates *g, const char *scope, const struct finding *f,
				   enum finding_kind code, uint16_t port, int64_t first, bool *created)
{
	uint32_t *slot;
	struct agg_group *gr;

	*created = false;
	if (g->n == g->cap && !agg_grow(g))
		return NULL;
	slot = agg_slot(g, scope, code, &f->server, port);
	if (*slot)
		return &g->groups[*slot - 1];
	gr = &g->groups[g->n];
	memset(gr, 0, sizeof(*gr));
	gr->pub.scope = scope;
	gr->pub.code = code;
	gr->pub.kind = kind_info(code) ? kind_info(code)->id : "unknown";
	gr->pub.severity = f->severity;
	gr->pub.server = f->server;
	gr->pub.server_port = port;
	gr->pub.first_ts_ns = first;
	gr->pub.last_ts_ns = first;
	*slot = ++g->n;
	*created = true;
	return gr;
}

/* The first frames of each finding, while there is room, from one capture:
 * frame numbers mean nothing without their file. */
static void agg_frames(struct aggregate *ag, const struct finding *f)
{
	if (ag->count == 0)
		ag->capture = f->capture;
	if (f->capture != ag->capture)
		return;
	for (uint32_t i = 0; i < f->nframes && i < AGG_FRAMES_PER_FINDING; i++)
		if (ag->nframes < AGG_MAX_FRAMES)
			ag->frames[ag->nframes++] = f->frames[i];
}

static void agg_count(struct aggregate *ag, const struct finding *f, int64_t first, int64_t last)
{
	agg_frames(ag, f);
	ag->count++;
	if (f->severity > ag->severity)
		ag->severity = f->severity;
	if (first < ag->first_ts_ns)
		ag->first_ts_ns = first;
	if (last > ag->last_ts_ns)
		ag->last_ts_ns = last;
	if (ag->nids < AGG_MAX_IDS) {
		ag->finding_ids[ag->nids] = f->id;
		ag->connection_ids[ag->nids++] = f->connection;
	}
}

/* Bucket of ts in the leak series, widening the buckets until it fits. */
static uint32_t agg_bucket(struct agg_group *gr, int64_t ts)
{
	struct aggregate *ag = &gr->pub;
	int64_t i;

	if (ts <= ag->series_origin_ns)
		return 0;
	while ((i = (ts - ag->series_origin_ns) / ag->series_step_ns) >= AGG_SERIES) {
		for (uint32_t k = 0; k < AGG_SERIES; k++) {
			int64_t merged = k * 2 < AGG_SERIES ? gr->delta[k * 2] : 0;

			if (k * 2 + 1 < AGG_SERIES)
				merged += gr->delta[k * 2 + 1];
			gr->delta[k] = merged;
		}
		ag->series_step_ns *= 2;
	}
	return (uint32_t)i;
}

static void agg_leak(struct agg_group *gr, const struct finding *f)
{
	struct aggregate *ag = &gr->pub;

	if (ag->series_step_ns == 0) {
		ag->series_origin_ns = f->leaked_since_ns;
		ag->series_step_ns = NS_PER_S;
	}
	gr->delta[agg_bucket(gr, f->leaked_since_ns)]++;
	if (f->leaked_until_ns)
		gr->delta[agg_bucket(gr, f->leaked_until_ns)]--;
	else
		ag->open_at_end++;
}

void aggregates_add(struct aggregates *g, const struct finding *f)
{
	struct agg_group *gr;
	bool created, new_listener;

	if (!g || !f->has_client)
		return;
	gr = agg_group(g, "listener", f, f->code, f->server_port, f->first_ts_ns, &new_listener);
	if (!gr)
		return;
	agg_count(&gr->pub, f, f->first_ts_ns, f->last_ts_ns);

	/* The host group counts listeners: a new listener group is a new port. */
	gr = agg_group(g, "host", f, f->code, 0, f->first_ts_ns, &created);
	if (gr) {
		gr->pub.listeners += new_listener;
		agg_count(&gr->pub, f, f->first_ts_ns, f->last_ts_ns);
	}

	if (!f->leaked)
		return;
	gr = agg_group(g, "listener", f, KIND_CLOSE_WAIT_LEAK, f->server_port, f->leaked_since_ns,
		       &created);
	if (!gr)
		return;
	agg_count(&gr->pub, f, f->leaked_since_ns,
		  f->leaked_until_ns ? f->leaked_until_ns : f->last_ts_ns);
	agg_leak(gr, f);
}

void aggregate_set_summary(struct aggregate *ag, const struct finding *f)
{
	ag->summary_finding = f->id;
	if (f->severity > ag->severity)
		ag->severity = f->severity;
}

void aggregate_finish_series(struct aggregate *ag)
{
	const struct agg_group *gr = (const struct agg_group *)(const void *)ag;
	int64_t open = 0;
	uint32_t last = 0;

	if (ag->series_step_ns == 0)
		return;
	for (uint32_t k = 0; k < AGG_SERIES; k++)
		if (gr->delta[k])
			last = k;
	ag->peak_open = 0;
	for (uint32_t k = 0; k <= last; k++) {
		open += gr->delta[k];
		ag->series[k].ts_ns = ag->series_origin_ns + (int64_t)(k + 1) * ag->series_step_ns;
		ag->series[k].open = open;
		if (open > ag->peak_open)
			ag->peak_open = open;
	}
	ag->nseries = last + 1;
}

static int agg_cmp(const void *x, const void *y)
{
	const struct aggregate *a = x, *b = y;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if ((c = strcmp(a->kind, b->kind)) != 0)
		return c;
	if ((c = strcmp(a->scope, b->scope)) != 0)
		return -c;	/* listener before host */
	if ((c = memcmp(&a->server.family, &b->server.family, 1)) != 0)
		return c;
	if ((c = memcmp(a->server.bytes, b->server.bytes, sizeof(a->server.bytes))) != 0)
		return c;
	return (a->server_port > b->server_port) - (a->server_port < b->server_port);
}

/* Sorting moves groups: the index is stale afterwards, so no more adds. */
void aggregates_sort(struct aggregates *g)
{
	if (g && g->n > 1)
		qsort(g->groups, g->n, sizeof(*g->groups), agg_cmp);
	if (g && g->index)
		memset(g->index, 0, (size_t)g->index_size * sizeof(*g->index));
}

uint32_t aggregates_count(const struct aggregates *g)
{
	return g ? g->n : 0;
}

struct aggregate *aggregates_get(struct aggregates *g, uint32_t i)
{
	return g && i < g->n ? &g->groups[i].pub : NULL;
}

void aggregates_finish(struct aggregates *g)
{
	for (uint32_t i = 0; g && i < g->n; i++)
		if (g->groups[i].pub.code == KIND_CLOSE_WAIT_LEAK)
			aggregate_finish_series(&g->groups[i].pub);
}
