/*
 * cursor.h - a bounds-checked reader over untrusted packet bytes.
 *
 * Every getter returns false, and moves nothing, when the bytes it needs are not
 * all below `end`; callers check with a plain `if`. Nothing casts packet bytes
 * to structs. Narrowing (cursor_clamp) is how the IP total length stops TCP from
 * reading link-layer padding as payload.
 */
#ifndef TCPAUTOPSY_DISSECT_CURSOR_H
#define TCPAUTOPSY_DISSECT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *p;
	const uint8_t *end;
};

static inline struct cursor cursor_make(const uint8_t *p, size_t len)
{
	struct cursor c = { p, p + len };
	return c;
}

static inline size_t cursor_left(const struct cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline bool cursor_has(const struct cursor *c, size_t n)
{
	return cursor_left(c) >= n;
}

static inline bool cursor_skip(struct cursor *c, size_t n)
{
	if (!cursor_has(c, n))
		return false;
	c->p += n;
	return true;
}

static inline bool cursor_u8(struct cursor *c, uint8_t *v)
{
	if (!cursor_has(c, 1))
		return false;
	*v = c->p[0];
	c->p += 1;
	return true;
}

/* Network byte order. */
static inline bool cursor_be16(struct cursor *c, uint16_t *v)
{
	if (!cursor_has(c, 2))
		return false;
	*v = (uint16_t)((c->p[0] << 8) | c->p[1]);
	c->p += 2;
	return true;
}

static inline bool cursor_be32(struct cursor *c, uint32_t *v)
{
	if (!cursor_has(c, 4))
		return false;
	*v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) |
	     ((uint32_t)c->p[2] << 8) | (uint32_t)c->p[3];
	c->p += 4;
	return true;
}

/* Host byte order of the capturing machine is unknown to us; the BSD loopback
 * header stores its family in that order, so callers need little-endian too. */
static inline bool cursor_le32(struct cursor *c, uint32_t *v)
{
	if (!cursor_has(c, 4))
		return false;
	*v = ((uint32_t)c->p[3] << 24) | ((uint32_t)c->p[2] << 16) |
	     ((uint32_t)c->p[1] << 8) | (uint32_t)c->p[0];
	c->p += 4;
	return true;
}

static inline bool cursor_bytes(struct cursor *c, void *dst, size_t n)
{
	const uint8_t *src = c->p;
	uint8_t *out = dst;

	if (!cursor_has(c, n))
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = src[i];
	c->p += n;
	return true;
}

/* Splits off the next n bytes as a sub-cursor, or fails. */
static inline bool cursor_sub(struct cursor *c, size_t n, struct cursor *sub)
{
	if (!cursor_has(c, n))
		return false;
	sub->p = c->p;
	sub->end = c->p + n;
	c->p += n;
	return true;
}

/* Narrows the readable end to at most n bytes from here; never widens. */
static inline void cursor_clamp(struct cursor *c, size_t n)
{
	if (cursor_left(c) > n)
		c->end = c->p + n;
}

#endif
