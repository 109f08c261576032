/*
 * flow_table.h - connections by 4-tuple, from a pool, in order of activity.
 *
 * Open addressing keyed by the 4-tuple in a direction-independent form, so both
 * directions of a connection find the same record. Records come from a pool that
 * grows in chunks up to a cap and are recycled; nothing is allocated per packet.
 * Every record is also on one of two activity lists, ordered by last activity:
 * open connections and closing ones (c->closing: closed or reset, waiting out
 * the linger time). They expire on different limits, so each list is kept in
 * its own order; that gives idle/linger expiry and eviction in O(1) per
 * connection.
 *
 * A tuple maps to its newest incarnation; an older one that is still live (a
 * stale CLOSE-WAIT socket hit by a new SYN) hangs off it via c->links.older and is
 * owned by the table until finalised.
 */
#ifndef TCPAUTOPSY_ANALYZER_FLOW_TABLE_H
#define TCPAUTOPSY_ANALYZER_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/conn.h"
#include "dissect/segment.h"

struct flow_table;

/* The two activity lists. */
enum flow_list {
	FLOW_OPEN,
	FLOW_CLOSING,
	FLOW_LISTS
};

/* max_conns bounds the live records (incarnations included); 0 means the
 * default. Returns NULL when out of memory. */
struct flow_table *flow_table_new(uint32_t max_conns);
void flow_table_free(struct flow_table *t);

/* The newest connection on the segment's 4-tuple, or NULL. */
struct tcp_conn *flow_table_find(struct flow_table *t, const struct tcp_segment *seg);

/* A zeroed record for the segment's tuple, inserted as its newest incarnation
 * (an existing one becomes its c->links.older) and put on the open list as the most
 * recently active. Returns NULL when the table is full; the caller then evicts
 * (flow_table_oldest) and retries. The table's own fields live in c->links,
 * which conn_init() leaves alone. */
struct tcp_conn *flow_table_insert(struct flow_table *t, const struct tcp_segment *seg);

/* Removes a record (newest or older incarnation) and returns it to the pool.
 * The pointer is invalid afterwards. */
void flow_table_remove(struct flow_table *t, struct tcp_conn *c);

/* Marks c as just active: moves it to the most recent end of the list that
 * matches c->closing (taking it off the other one if c->closing changed). */
void flow_table_touch(struct flow_table *t, struct tcp_conn *c);

/* The least recently active record on one list, or NULL when that list is
 * empty. */
struct tcp_conn *flow_table_oldest(const struct flow_table *t, enum flow_list which);

/* The next more recently active record on the same list, or NULL. */
struct tcp_conn *flow_table_newer(const struct tcp_conn *c);

uint32_t flow_table_count(const struct flow_table *t);
uint32_t flow_table_capacity(const struct flow_table *t);
size_t flow_table_bytes(const struct flow_table *t);	/* memory held */

#endif
