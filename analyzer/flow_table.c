/*
 * flow_table.c - connections by 4-tuple, from a pool, in order of activity.
 *
 * Three structures share the records:
 *  - a slot array, open addressing with linear probing, that maps the
 *    canonical 4-tuple to the tuple's newest incarnation. Deletion shifts the
 *    following entries of the probe run back (no tombstones), so every key
 *    stays reachable from its home slot without ever rehashing to clean up;
 *  - a pool of records, allocated a chunk at a time up to the cap and recycled
 *    through a free list, so steady traffic allocates nothing;
 *  - two doubly linked activity lists (open, closing), oldest at the head.
 *
 * Older incarnations of a tuple are not in the slot array: they hang off the
 * newest one through c->links.older (and back through entry->newer), and are on the
 * activity lists like any record, so they expire on their own.
 *
 * The slot array doubles while the number of distinct tuples grows, and never
 * past twice the cap, so memory follows the connections open at once.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/flow_table.h"

#define FLOW_DEFAULT_MAX 1000000u
#define FLOW_CHUNK_MAX 1024u		/* records per pool chunk */
#define FLOW_MIN_SLOTS 64u
#define FLOW_NO_SLOT UINT32_MAX
#define FLOW_HASH_SEED 0x7470636175746f70ull /* fixed: output must not vary */

/* The 4-tuple with the lower (address, port) side first, so both directions of
 * a connection build the same key. 37 significant bytes; the tail is zero. */
struct flow_key {
	uint8_t addr[2][16];
	uint8_t port[2][2];
	uint8_t family;
	uint8_t zero[3];
};

/* A pool record: the connection first, so a struct tcp_conn pointer handed
 * out is also the entry's address. */
struct flow_entry {
	struct tcp_conn c;
	struct flow_key key;
	uint64_t hash;
	struct flow_entry *newer;	/* the incarnation that replaced this one */
	uint8_t list;			/* enum flow_list it is on */
};

struct flow_slot {
	struct flow_entry *e;		/* NULL: empty */
	uint64_t hash;
};

struct flow_list_head {
	struct tcp_conn *head;		/* least recently active */
	struct tcp_conn *tail;
};

struct flow_table {
	uint32_t max;			/* cap on live records */
	uint32_t count;			/* live records, incarnations included */
	uint32_t heads;			/* occupied slots: distinct tuples */

	struct flow_slot *slots;
	uint32_t nslots;		/* a power of two */
	uint32_t max_slots;

	struct flow_entry **chunks;
	uint32_t nchunks;
	uint32_t max_chunks;
	uint32_t chunk_len;		/* records per chunk */
	uint32_t pooled;		/* records allocated so far */
	struct flow_entry *free;	/* recycled records, linked by c.links.lru_next */

	struct flow_list_head lists[FLOW_LISTS];
};

static struct flow_entry *flow_entry_of(const struct tcp_conn *c)
{
	/* c is the first member of its entry. */
	return (struct flow_entry *)(void *)(uintptr_t)c;
}

/* --- keys and hashing -------------------------------------------------------- */

static int flow_side_cmp(const struct ip_addr *a, uint16_t ap, const struct ip_addr *b,
			 uint16_t bp)
{
	int r = memcmp(a->bytes, b->bytes, sizeof(a->bytes));

	if (r)
		return r;
	return (int)ap - (int)bp;
}

static void flow_key_side(struct flow_key *k, int i, const struct ip_addr *a, uint16_t port)
{
	memcpy(k->addr[i], a->bytes, sizeof(k->addr[i]));
	k->port[i][0] = (uint8_t)(port >> 8);
	k->port[i][1] = (uint8_t)port;
}

static void flow_key_make(struct flow_key *k, const struct tcp_segment *seg)
{
	bool src_low = flow_side_cmp(&seg->src, seg->sport, &seg->dst, seg->dport) <= 0;

	memset(k, 0, sizeof(*k));
	flow_key_side(k, src_low ? 0 : 1, &seg->src, seg->sport);
	flow_key_side(k, src_low ? 1 : 0, &seg->dst, seg->dport);
	k->family = seg->src.family;
}

static uint64_t flow_load64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* A final avalanche so that every input bit reaches the low bits used as the
 * slot index (the multiply alone leaves the low bits weak). */
static uint64_t flow_avalanche(uint64_t h)
{
	h ^= h >> 31;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

/* Seeded multiply-rotate over the key's five 64-bit words. */
static uint64_t flow_hash(const struct flow_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = FLOW_HASH_SEED ^ sizeof(*k);

	for (size_t i = 0; i < sizeof(*k); i += 8) {
		uint64_t w = flow_load64(p + i) * 0x9fb21c651e98df25ull;

		w ^= w >> 29;
		h = (h ^ w) * 0xc2b2ae3d27d4eb4full;
		h = (h << 27) | (h >> 37);
	}
	return flow_avalanche(h);
}

/* --- activity lists ------------------------------------------------------------ */

static void flow_list_unlink(struct flow_table *t, struct tcp_conn *c)
{
	struct flow_list_head *l = &t->lists[flow_entry_of(c)->list];

	if (c->links.lru_prev)
		c->links.lru_prev->links.lru_next = c->links.lru_next;
	else
		l->head = c->links.lru_next;
	if (c->links.lru_next)
		c->links.lru_next->links.lru_prev = c->links.lru_prev;
	else
		l->tail = c->links.lru_prev;
	c->links.lru_prev = c->links.lru_next = NULL;
}

static void flow_list_append(struct flow_table *t, struct tcp_conn *c, enum flow_list which)
{
	struct flow_list_head *l = &t->lists[which];

	flow_entry_of(c)->list = (uint8_t)which;
	c->links.lru_next = NULL;
	c->links.lru_prev = l->tail;
	if (l->tail)
		l->tail->links.lru_next = c;
	else
		l->head = c;
	l->tail = c;
}

/* --- the slot array ------------------------------------------------------------ */

static uint32_t flow_home(const struct flow_table *t, uint64_t hash)
{
	return (uint32_t)hash & (t->nslots - 1);
}

static void flow_slot_set(struct flow_table *t, uint32_t i, struct flow_entry *e)
{
	t->slots[i].e = e;
	t->slots[i].hash = e->hash;
	e->c.links.slot = i;
}

/* The slot holding the key, or the empty slot where it would go. */
static uint32_t flow_probe(const struct flow_table *t, const struct flow_key *k, uint64_t hash)
{
	uint32_t mask = t->nslots - 1;
	uint32_t i = flow_home(t, hash);

	while (t->slots[i].e) {
		if (t->slots[i].hash == hash &&
		    memcmp(&t->slots[i].e->key, k, sizeof(*k)) == 0)
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

/*
 * Empties slot i and moves later members of its probe run back into the hole
 * when their home slot allows it (Knuth's algorithm R for linear probing), so
 * no probe sequence ever crosses an empty slot it should not.
 */
static void flow_slot_delete(struct flow_table *t, uint32_t i)
{
	uint32_t mask = t->nslots - 1;
	uint32_t j = i;

	for (;;) {
		j = (j + 1) & mask;
		if (!t->slots[j].e)
			break;
		uint32_t home = flow_home(t, t->slots[j].hash);

		/* The entry at j may fill the hole at i only if its home is
		 * not cyclically inside (i, j]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			flow_slot_set(t, i, t->slots[j].e);
			i = j;
		}
	}
	t->slots[i].e = NULL;
	t->slots[i].hash = 0;
}

static bool flow_slots_resize(struct flow_table *t, uint32_t nslots)
{
	struct flow_slot *old = t->slots;
	uint32_t nold = t->nslots;
	struct flow_slot *s = calloc(nslots, sizeof(*s));

	if (!s)
		return false;
	t->slots = s;
	t->nslots = nslots;
	for (uint32_t i = 0; i < nold; i++) {
		struct flow_entry *e = old[i].e;

		if (e)
			flow_slot_set(t, flow_probe(t, &e->key, e->hash), e);
	}
	free(old);
	return true;
}

/* Keeps the load at most one half while tuples are added. */
static bool flow_slots_reserve(struct flow_table *t)
{
	if ((uint64_t)(t->heads + 1) * 2 <= t->nslots || t->nslots >= t->max_slots)
		return true;
	return flow_slots_resize(t, t->nslots * 2);
}

/* --- the pool ------------------------------------------------------------------ */

static struct flow_entry *flow_pool_get(struct flow_table *t)
{
	struct flow_entry *e = t->free;

	if (e) {
		t->free = e->c.links.lru_next ? flow_entry_of(e->c.links.lru_next) : NULL;
		return e;
	}
	if (t->pooled % t->chunk_len == 0) {
		struct flow_entry *chunk;

		if (t->nchunks == t->max_chunks)
			return NULL;
		chunk = malloc((size_t)t->chunk_len * sizeof(*chunk));
		if (!chunk)
			return NULL;
		t->chunks[t->nchunks++] = chunk;
	}
	e = &t->chunks[t->pooled / t->chunk_len][t->pooled % t->chunk_len];
	t->pooled++;
	return e;
}

static void flow_pool_put(struct flow_table *t, struct flow_entry *e)
{
	e->c.links.lru_next = t->free ? &t->free->c : NULL;
	t->free = e;
}

/* --- the interface ------------------------------------------------------------- */

struct flow_table *flow_table_new(uint32_t max_conns)
{
	struct flow_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->max = max_conns ? max_conns : FLOW_DEFAULT_MAX;
	t->chunk_len = t->max < FLOW_CHUNK_MAX ? t->max : FLOW_CHUNK_MAX;
	t->max_chunks = (t->max + t->chunk_len - 1) / t->chunk_len;
	t->max_slots = FLOW_MIN_SLOTS;
	while (t->max_slots < 2 * (uint64_t)t->max && t->max_slots < (1u << 31))
		t->max_slots *= 2;
	t->chunks = calloc(t->max_chunks, sizeof(*t->chunks));
	if (!t->chunks || !flow_slots_resize(t, FLOW_MIN_SLOTS)) {
		flow_table_free(t);
		return NULL;
	}
	return t;
}

void flow_table_free(struct flow_table *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->slots);
	free(t);
}

struct tcp_conn *flow_table_find(struct flow_table *t, const struct tcp_segment *seg)
{
	struct flow_key k;
	uint64_t hash;
	uint32_t i;

	flow_key_make(&k, seg);
	hash = flow_hash(&k);
	i = flow_probe(t, &k, hash);
	return t->slots[i].e ? &t->slots[i].e->c : NULL;
}

struct tcp_conn *flow_table_insert(struct flow_table *t, const struct tcp_segment *seg)
{
	struct flow_entry *e, *old;
	struct flow_key k;
	uint64_t hash;
	uint32_t i;

	if (t->count >= t->max || !flow_slots_reserve(t))
		return NULL;
	e = flow_pool_get(t);
	if (!e)
		return NULL;
	flow_key_make(&k, seg);
	hash = flow_hash(&k);
	i = flow_probe(t, &k, hash);

	memset(e, 0, sizeof(*e));
	e->key = k;
	e->hash = hash;
	old = t->slots[i].e;
	if (old) {
		/* The tuple is reused: the live record becomes the older one. */
		e->c.links.older = &old->c;
		old->newer = e;
		old->c.links.slot = FLOW_NO_SLOT;
	} else {
		t->heads++;
	}
	flow_slot_set(t, i, e);
	flow_list_append(t, &e->c, FLOW_OPEN);
	t->count++;
	return &e->c;
}

void flow_table_remove(struct flow_table *t, struct tcp_conn *c)
{
	struct flow_entry *e = flow_entry_of(c);
	struct flow_entry *older = c->links.older ? flow_entry_of(c->links.older) : NULL;

	flow_list_unlink(t, c);
	if (e->newer) {
		/* An older incarnation: splice it out of its chain. */
		e->newer->c.links.older = c->links.older;
		if (older)
			older->newer = e->newer;
	} else if (older) {
		/* The newest one: the next older incarnation takes its slot. */
		older->newer = NULL;
		flow_slot_set(t, c->links.slot, older);
	} else {
		flow_slot_delete(t, c->links.slot);
		t->heads--;
	}
	t->count--;
	flow_pool_put(t, e);
}

void flow_table_touch(struct flow_table *t, struct tcp_conn *c)
{
	flow_list_unlink(t, c);
	flow_list_append(t, c, c->closing ? FLOW_CLOSING : FLOW_OPEN);
}

struct tcp_conn *flow_table_oldest(const struct flow_table *t, enum flow_list which)
{
	return which < FLOW_LISTS ? t->lists[which].head : NULL;
}

struct tcp_conn *flow_table_newer(const struct tcp_conn *c)
{
	return c->links.lru_next;
}

uint32_t flow_table_count(const struct flow_table *t)
{
	return t->count;
}

uint32_t flow_table_capacity(const struct flow_table *t)
{
	return t->max;
}

size_t flow_table_bytes(const struct flow_table *t)
{
	return sizeof(*t) + (size_t)t->nslots * sizeof(*t->slots) +
	       (size_t)t->max_chunks * sizeof(*t->chunks) +
	       (size_t)t->nchunks * t->chunk_len * sizeof(struct flow_entry);
}
