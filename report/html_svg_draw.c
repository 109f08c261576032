/*
 * html_svg_draw.c - the building blocks of the pictures: SVG elements in their
 * namespace, text made safe for XML, and the integer arithmetic of scales.
 *
 * Text goes into the tree as content or attribute values, which libxml2
 * escapes when it writes the page; what it cannot escape (control characters
 * and invalid UTF-8, which XML 1.0 forbids outright) is replaced here first,
 * so a crafted label can neither inject markup nor make the page unreadable.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/html_svg_draw.h"
#include "report/utf8.h"

#define SVG_NS "http://www.w3.org/2000/svg"
#define SVG_FONT 11		/* the pictures' default font size (html_svg.c) */

static const xmlChar *svg_x(const char *s)
{
	return (const xmlChar *)s;
}

/* --- the picture ------------------------------------------------------- */

static void svg_set_box(struct svg_ctx *c, int width, int height)
{
	char box[64];

	snprintf(box, sizeof(box), "0 0 %d %d", width, height);
	svg_set_int(c, c->root, "width", width);
	svg_set_int(c, c->root, "height", height);
	svg_set_own(c, c->root, "viewBox", box);
}

bool svg_open(struct svg_ctx *c, xmlNodePtr parent, const char *cls, int width, int height,
	      const char *title, const char *desc)
{
	c->failed = false;
	c->ns = NULL;
	/* Built detached, in the page's document, so that a failure halfway
	 * leaves the page as it was. */
	c->root = xmlNewDocNode(parent ? parent->doc : NULL, NULL, svg_x("svg"), NULL);
	if (!c->root) {
		c->failed = true;
		return false;
	}
	/* A default namespace on <svg> itself: an XML parser needs it, and the
	 * HTML parser accepts it because it is the namespace it would use. */
	c->ns = xmlNewNs(c->root, svg_x(SVG_NS), NULL);
	if (!c->ns) {
		c->failed = true;
		return false;
	}
	xmlSetNs(c->root, c->ns);
	svg_set(c, c->root, "class", cls);
	svg_set_box(c, width, height);
	svg_set(c, c->root, "role", "img");
	svg_tooltip(c, c->root, title);
	if (desc) {
		char clean[SVG_TEXT_MAX * 3];
		xmlNodePtr d = svg_elem(c, c->root, "desc", NULL);

		svg_clean(desc, strlen(desc), clean, sizeof(clean));
		if (d)
			xmlNodeAddContent(d, svg_x(clean));
	}
	return !c->failed;
}

void svg_set_height(struct svg_ctx *c, int width, int height)
{
	if (c->root)
		svg_set_box(c, width, height);
}

xmlNodePtr svg_close(struct svg_ctx *c, xmlNodePtr parent)
{
	xmlNodePtr root = c->root;

	c->root = NULL;
	if (!root)
		return NULL;
	if (c->failed || !parent || !xmlAddChild(parent, root)) {
		xmlFreeNode(root);
		return NULL;
	}
	return root;
}

/* --- elements ---------------------------------------------------------- */

xmlNodePtr svg_elem(struct svg_ctx *c, xmlNodePtr parent, const char *name, const char *cls)
{
	xmlNodePtr n;

	if (c->failed || !parent)
		return NULL;
	n = xmlNewChild(parent, c->ns, svg_x(name), NULL);
	if (!n) {
		c->failed = true;
		return NULL;
	}
	if (cls)
		svg_set(c, n, "class", cls);
	return n;
}

void svg_set_own(struct svg_ctx *c, xmlNodePtr n, const char *name, const char *value)
{
	if (c->failed || !n || !value)
		return;
	/* xmlSetProp keeps the value as text (libxml2 escapes it on output)
	 * and replaces an attribute already set. */
	if (!xmlSetProp(n, svg_x(name), svg_x(value)))
		c->failed = true;
}

void svg_set(struct svg_ctx *c, xmlNodePtr n, const char *name, const char *value)
{
	char clean[SVG_TEXT_MAX * 3];

	if (c->failed || !n || !value)
		return;
	svg_clean(value, strlen(value), clean, sizeof(clean));
	svg_set_own(c, n, name, clean);
}

void svg_set_int(struct svg_ctx *c, xmlNodePtr n, const char *name, long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	svg_set_own(c, n, name, num);
}

xmlNodePtr svg_line(struct svg_ctx *c, xmlNodePtr parent, int x1, int y1, int x2, int y2,
		    const char *cls)
{
	xmlNodePtr n = svg_elem(c, parent, "line", cls);

	svg_set_int(c, n, "x1", x1);
	svg_set_int(c, n, "y1", y1);
	svg_set_int(c, n, "x2", x2);
	svg_set_int(c, n, "y2", y2);
	return n;
}

xmlNodePtr svg_rect(struct svg_ctx *c, xmlNodePtr parent, int x, int y, int w, int h,
		    const char *cls)
{
	xmlNodePtr n = svg_elem(c, parent, "rect", cls);

	svg_set_int(c, n, "x", x);
	svg_set_int(c, n, "y", y);
	svg_set_int(c, n, "width", w < 0 ? 0 : w);
	svg_set_int(c, n, "height", h < 0 ? 0 : h);
	return n;
}

xmlNodePtr svg_text(struct svg_ctx *c, xmlNodePtr parent, int x, int y, const char *anchor,
		    const char *cls, const char *s, int size, int max_px)
{
	char clean[SVG_TEXT_MAX * 3];
	size_t chars = svg_clean(s ? s : "", SVG_TEXT_MAX, clean, sizeof(clean));
	xmlNodePtr n = svg_elem(c, parent, "text", cls);

	svg_set_int(c, n, "x", x);
	svg_set_int(c, n, "y", y);
	if (anchor && strcmp(anchor, "start") != 0)
		svg_set(c, n, "text-anchor", anchor);
	if (size != SVG_FONT)
		svg_set_int(c, n, "font-size", size);
	if (max_px > 0 && SVG_TEXT_PX(chars, (size_t)size) > max_px) {
		svg_set_int(c, n, "textLength", max_px);
		svg_set(c, n, "lengthAdjust", "spacingAndGlyphs");
	}
	if (n)
		xmlNodeAddContent(n, svg_x(clean));
	return n;
}

void svg_tooltip(struct svg_ctx *c, xmlNodePtr parent, const char *s)
{
	char clean[SVG_TEXT_MAX * 3];
	xmlNodePtr t = svg_elem(c, parent, "title", NULL);

	svg_clean(s ? s : "", SVG_TEXT_MAX, clean, sizeof(clean));
	if (t)
		xmlNodeAddContent(t, svg_x(clean));
}

/* --- text ---------------------------------------------------------------- */

size_t svg_clean(const char *s, size_t max, char *out, size_t outlen)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *in = (const unsigned char *)s;
	size_t i = 0, o = 0, chars = 0;

	if (outlen == 0)
		return 0;
	while (i < max && in[i]) {
		/* A NUL is never a continuation byte, so a sequence cannot
		 * run past the string's end. */
		size_t len = utf8_seq(in + i, max - i, UTF8_NO_CONTROLS);
		const char *from = s + i;
		size_t n = len;

		if (len == 0) {
			from = replacement;
			n = 3;
			len = 1;
		}
		if (o + n >= outlen)
			break;
		memcpy(out + o, from, n);
		o += n;
		i += len;
		chars++;
	}
	out[o] = '\0';
	return chars;
}

size_t svg_cut(const char *s, size_t max_chars, char *out, size_t outlen)
{
	size_t chars = svg_clean(s ? s : "", SVG_TEXT_MAX, out, outlen), o = 0, n = 0;

	if (chars <= max_chars || max_chars == 0)
		return chars;
	/* Keep max_chars - 1 characters and the ellipsis (3 bytes, never more
	 * than the characters it replaces take). */
	while (out[o] && n < max_chars - 1) {
		o++;
		while (((unsigned char)out[o] & 0xc0) == 0x80)
			o++;
		n++;
	}
	if (o + 4 > outlen) {
		out[o] = '\0';
		return n;
	}
	memcpy(out + o, "\xe2\x80\xa6", 4);
	return max_chars;
}

size_t svg_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* --- numbers ------------------------------------------------------------- */

int svg_scale(uint64_t v, uint64_t max, int len)
{
	if (max == 0 || len <= 0)
		return 0;
	if (v > max)
		v = max;
	/* Drop low bits until v * len fits in 64 bits: len < 2^31, v <= 2^32. */
	while (max > UINT32_MAX) {
		max >>= 1;
		v >>= 1;
	}
	return (int)(v * (uint64_t)len / max);
}

int64_t svg_add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

int64_t svg_sub_sat(int64_t a, int64_t b)
{
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	return a - b;
}

/* The smallest 1, 2 or 5 times a power of ten that is >= raw. */
static uint64_t svg_nice(uint64_t raw)
{
	uint64_t p = 1;

	for (;;) {
		if (p >= raw)
			return p;
		if (p <= UINT64_MAX / 2 && 2 * p >= raw)
			return 2 * p;
		if (p <= UINT64_MAX / 5 && 5 * p >= raw)
			return 5 * p;
		if (p > UINT64_MAX / 10)
			return p;	/* raw above 5e18: cannot happen for max / 5 */
		p *= 10;
	}
}

struct svg_ticks svg_ticks_for(uint64_t max)
{
	struct svg_ticks t = { 1, 1, 1 };
	uint64_t n;

	if (max == 0)
		return t;
	t.step = svg_nice(max / 5 + (max % 5 != 0));
	n = max / t.step + (max % t.step != 0);
	if (t.step > UINT64_MAX / n) {
		/* The round top is past 2^64: the axis ends at the largest value
		 * and its last tick is the round one below. */
		t.top = UINT64_MAX;
		t.n = (unsigned)(n - 1);
	} else {
		t.top = n * t.step;
		t.n = (unsigned)n;
	}
	return t;
}

char *svg_fmt_short(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "kMGTPE";
	uint64_t unit = 1000;
	unsigned u = 0;
	uint64_t q, tenth;

	if (v < 100000) {
		snprintf(buf, len, "%" PRIu64, v);
		return buf;
	}
	while (u + 1 < sizeof(units) - 1 && v / unit >= 1000) {
		unit *= 1000;
		u++;
	}
	q = v / unit;
	tenth = v % unit / (unit / 10);
	if (q >= 100 || tenth == 0)
		snprintf(buf, len, "%" PRIu64 "%c", q, units[u]);
	else
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", q, tenth, units[u]);
	return buf;
}
