/*
 * seq.h - wrap-safe comparisons in TCP sequence space (RFC 9293 §3.4).
 *
 * Sequence numbers are compared modulo 2^32: a is "before" b when the signed
 * distance from b to a is negative. Linux calls these before() and after().
 */
#ifndef TCPAUTOPSY_ANALYZER_SEQ_H
#define TCPAUTOPSY_ANALYZER_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool seq_geq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* a <= x < b, all in sequence space. */
static inline bool seq_in(uint32_t x, uint32_t a, uint32_t b)
{
	return seq_geq(x, a) && seq_lt(x, b);
}

static inline uint32_t seq_max(uint32_t a, uint32_t b)
{
	return seq_gt(a, b) ? a : b;
}

/* Signed distance b - a. */
static inline int32_t seq_diff(uint32_t b, uint32_t a)
{
	return (int32_t)(b - a);
}

#endif
