/*
 * utf8.c - text from outside made valid for a UTF-8 output (see utf8.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/utf8.h"

/* The code points UTF8_NO_CONTROLS refuses. */
static bool utf8_control(uint32_t cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	return (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff;
}

size_t utf8_seq(const unsigned char *p, size_t n, unsigned flags)
{
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned c = p[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		len = 1;
	else if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if ((c & 0xf0) == 0xe0)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	cp = len == 1 ? c : c & (0x7fu >> len);	/* the lead byte's payload bits */
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if ((flags & UTF8_NO_CONTROLS) && utf8_control(cp))
		return 0;
	return len;
}

bool utf8_clean_already(const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < len && (k = utf8_seq(p + i, len - i, flags)) > 0)
		i += k;
	return i == len;
}

char *utf8_clean(const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	char *buf = malloc(len * 3 + 1);
	size_t o = 0, k;

	if (!buf)
		return NULL;
	for (size_t i = 0; i < len; i += k ? k : 1) {
		k = utf8_seq(p + i, len - i, flags);
		if (k) {
			memcpy(buf + o, p + i, k);
			o += k;
		} else {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
		}
	}
	buf[o] = '\0';
	return buf;
}
