/*
 * json_expect.c - checks field-level facts in a JSON report.
 *
 *	json_expect REPORT.json EXPECT_FILE
 *
 * Golden files catch every change, including cosmetic ones that get accepted
 * with `make update-golden` without much thought; an expectation file states
 * the few facts that must stay true whatever the cosmetics, so a regression in
 * them cannot slip through an update. Each line of EXPECT_FILE is one of
 *
 *	PATH = VALUE		VALUE is a JSON literal: "text", 3, 1.5, true, null
 *	PATH length = N		array or object size, or string length
 *	PATH count = N		how many elements the last [key=value] selector matches
 *	PATH exists
 *	PATH absent
 *
 * and '#' starts a comment line. PATH walks the document: `.key` enters an
 * object (the key runs to the next '.' or '[', so "TIME-WAIT/CLOSED" is one
 * key), `[N]` an array element (negative counts from the end), `[key=value]`
 * the first array element whose member key equals value (quotes optional), and
 * `[k1=v1,k2=v2]` the first one matching all of them.
 *
 * Prints one line per failed expectation and exits 1 on any failure, on a
 * malformed expectation, or when REPORT is not valid JSON; exits 0 silently
 * when everything holds, and 2 on a usage error.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#define EXPECT_LINE_MAX 4096

struct expect_ctx {
	const char *file;
	unsigned line;
	int failures;
};

static void expect_fail(struct expect_ctx *x, const char *path, const char *why)
{
	printf("%s:%u: %s: %s\n", x->file, x->line, path, why);
	x->failures++;
}

/* Reads a whole file into a NUL-terminated buffer. */
static char *expect_slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL, *grown;
	size_t len = 0, cap = 0, n;

	if (!fp)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			grown = realloc(buf, cap + 1);
			if (!grown) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = grown;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
	fclose(fp);
	return buf;
}

static char *expect_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Does a member value match the text of a [key=value] selector? */
static bool expect_member_matches(const cJSON *v, const char *want)
{
	size_t len = strlen(want);
	char *end;
	double d;

	if (cJSON_IsString(v)) {
		if (len >= 2 && want[0] == '"' && want[len - 1] == '"')
			return strlen(v->valuestring) == len - 2 &&
			       strncmp(v->valuestring, want + 1, len - 2) == 0;
		return strcmp(v->valuestring, want) == 0;
	}
	if (cJSON_IsNumber(v)) {
		errno = 0;
		d = strtod(want, &end);
		return !errno && end != want && *end == '\0' && d == v->valuedouble;
	}
	if (cJSON_IsBool(v))
		return strcmp(want, cJSON_IsTrue(v) ? "true" : "false") == 0;
	return cJSON_IsNull(v) && strcmp(want, "null") == 0;
}

/* Does an array element match every key=value of a selector (comma-separated)? */
static bool expect_item_matches(const cJSON *item, const char *sel)
{
	char buf[EXPECT_LINE_MAX], *cond, *save = NULL, *eq;

	snprintf(buf, sizeof(buf), "%s", sel);
	for (cond = strtok_r(buf, ",", &save); cond; cond = strtok_r(NULL, ",", &save)) {
		const cJSON *m;

		eq = strchr(cond, '=');
		if (!eq)
			return false;
		*eq = '\0';
		m = cJSON_GetObjectItemCaseSensitive(item, expect_trim(cond));
		if (!m || !expect_member_matches(m, expect_trim(eq + 1)))
			return false;
	}
	return true;
}

/* One [...] selector, sel being its text without brackets. */
static const cJSON *expect_select(const cJSON *cur, char *sel)
{
	char *end;
	const cJSON *item;
	long idx;
	int n;

	if (!cJSON_IsArray(cur))
		return NULL;
	if (strchr(sel, '=')) {
		cJSON_ArrayForEach (item, cur) {
			if (expect_item_matches(item, sel))
				return item;
		}
		return NULL;
	}
	errno = 0;
	idx = strtol(sel, &end, 10);
	if (errno || end == sel || *end != '\0')
		return NULL;
	n = cJSON_GetArraySize(cur);
	if (idx < 0)
		idx += n;
	if (idx < 0 || idx >= n)
		return NULL;
	return cJSON_GetArrayItem(cur, (int)idx);
}

/* Walks PATH from the document root; NULL when any step does not exist. The
 * path is copied because selectors are cut up in place. */
static const cJSON *expect_walk(const cJSON *root, const char *path)
{
	char buf[EXPECT_LINE_MAX], *p = buf, *close, saved;
	const cJSON *cur = root;
	size_t klen;

	snprintf(buf, sizeof(buf), "%s", path);
	while (cur && *p) {
		if (*p == '.') {
			p++;
		} else if (*p == '[') {
			close = strchr(p, ']');
			if (!close)
				return NULL;
			*close = '\0';
			cur = expect_select(cur, p + 1);
			p = close + 1;
		} else {
			klen = strcspn(p, ".[");
			saved = p[klen];
			p[klen] = '\0';
			cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, p) : NULL;
			p[klen] = saved;
			p += klen;
		}
	}
	return cur;
}

static int expect_size(const cJSON *v)
{
	if (cJSON_IsString(v))
		return (int)strlen(v->valuestring);
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return cJSON_GetArraySize(v);
	return -1;
}

/* "expected X, got Y" with Y printed compactly and cut to a readable size. */
static void expect_mismatch(struct expect_ctx *x, const char *path, const char *want,
			    const cJSON *got)
{
	char *text = got ? cJSON_PrintUnformatted(got) : NULL;
	char why[EXPECT_LINE_MAX + 256];

	snprintf(why, sizeof(why), "expected %s, got %.200s%s", want, text ? text : "(nothing)",
		 text && strlen(text) > 200 ? "..." : "");
	expect_fail(x, path, why);
	free(text);
}

static void expect_value(struct expect_ctx *x, const cJSON *root, const char *path,
			 const char *value)
{
	const cJSON *got = expect_walk(root, path);
	cJSON *want = cJSON_Parse(value);

	if (!want) {
		expect_fail(x, path, "the expected value is not a JSON literal");
		return;
	}
	if (!got)
		expect_fail(x, path, "not found");
	else if (!cJSON_Compare(got, want, true))
		expect_mismatch(x, path, value, got);
	cJSON_Delete(want);
}

static void expect_length(struct expect_ctx *x, const cJSON *root, const char *path,
			  const char *value)
{
	const cJSON *got = expect_walk(root, path);
	char *end, why[64];
	long want;

	errno = 0;
	want = strtol(value, &end, 10);
	if (errno || end == value || *end != '\0') {
		expect_fail(x, path, "the expected length is not a number");
		return;
	}
	if (!got) {
		expect_fail(x, path, "not found");
	} else if (expect_size(got) != want) {
		snprintf(why, sizeof(why), "expected length %ld, got %d", want, expect_size(got));
		expect_fail(x, path, why);
	}
}

/* PATH count = N: PATH ends in a [key=value] selector; counts the elements of
 * the array before it that match. */
static void expect_count(struct expect_ctx *x, const cJSON *root, const char *path,
			 const char *value)
{
	char buf[EXPECT_LINE_MAX], *open, *end, why[64];
	const cJSON *arr, *item;
	long want, got = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	open = strrchr(buf, '[');
	if (!open || buf[strlen(buf) - 1] != ']' || !strchr(open, '=')) {
		expect_fail(x, path, "count needs a PATH ending in [key=value]");
		return;
	}
	buf[strlen(buf) - 1] = '\0';
	*open = '\0';
	errno = 0;
	want = strtol(value, &end, 10);
	if (errno || end == value || *end != '\0') {
		expect_fail(x, path, "the expected count is not a number");
		return;
	}
	arr = expect_walk(root, buf);
	if (!cJSON_IsArray(arr)) {
		expect_fail(x, path, "not an array");
		return;
	}
	cJSON_ArrayForEach (item, arr)
		got += expect_item_matches(item, open + 1);
	if (got != want) {
		snprintf(why, sizeof(why), "expected count %ld, got %ld", want, got);
		expect_fail(x, path, why);
	}
}

/* One line of the expectation file. */
static void expect_line(struct expect_ctx *x, const cJSON *root, char *line)
{
	char *path = expect_trim(line), *rest;

	if (*path == '\0' || *path == '#')
		return;
	rest = path + strcspn(path, " \t");
	if (*rest)
		*rest++ = '\0';
	rest = expect_trim(rest);
	if (strcmp(rest, "exists") == 0) {
		if (!expect_walk(root, path))
			expect_fail(x, path, "not found");
	} else if (strcmp(rest, "absent") == 0) {
		if (expect_walk(root, path))
			expect_fail(x, path, "present, expected absent");
	} else if (strncmp(rest, "length", 6) == 0 && *(rest = expect_trim(rest + 6)) == '=') {
		expect_length(x, root, path, expect_trim(rest + 1));
	} else if (strncmp(rest, "count", 5) == 0 && *(rest = expect_trim(rest + 5)) == '=') {
		expect_count(x, root, path, expect_trim(rest + 1));
	} else if (rest[0] == '=') {
		expect_value(x, root, path, expect_trim(rest + 1));
	} else {
		expect_fail(x, path,
			    "cannot understand this line "
			    "(PATH = VALUE, PATH length = N, PATH count = N, PATH exists, PATH absent)");
	}
}

static int expect_run(struct expect_ctx *x, const cJSON *root)
{
	char line[EXPECT_LINE_MAX];
	FILE *fp = fopen(x->file, "r");

	if (!fp) {
		printf("%s: cannot open: %s\n", x->file, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), fp)) {
		x->line++;
		expect_line(x, root, line);
	}
	fclose(fp);
	return x->failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct expect_ctx x = { 0 };
	const char *end = NULL;
	cJSON *root;
	char *text;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: json_expect REPORT.json EXPECT_FILE\n");
		return 2;
	}
	text = expect_slurp(argv[1]);
	if (!text) {
		printf("%s: cannot read: %s\n", argv[1], strerror(errno));
		return 1;
	}
	root = cJSON_ParseWithOpts(text, &end, true);
	if (!root) {
		printf("%s: not valid JSON (near byte %ld)\n", argv[1],
		       end ? (long)(end - text) : -1L);
		free(text);
		return 1;
	}
	x.file = argv[2];
	rc = expect_run(&x, root);
	cJSON_Delete(root);
	free(text);
	return rc;
}
