/*
 * catalog.c - --list-kinds: the kinds and thresholds as text, JSON or man.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analyzer/kinds.h"
#include "analyzer/thresholds.h"
#include "report/catalog.h"

#define NS_PER_MS 1000000LL

int catalog_format_from_name(const char *name)
{
	if (strcmp(name, "text") == 0)
		return CATALOG_TEXT;
	if (strcmp(name, "json") == 0)
		return CATALOG_JSON;
	if (strcmp(name, "man") == 0)
		return CATALOG_MAN;
	return -1;
}

/* "60 s", "500 ms", "3": a threshold's value as a person writes it. */
static void catalog_value(char *buf, size_t len, const struct threshold_info *t, int64_t v)
{
	if (t->unit == THRESHOLD_COUNT)
		snprintf(buf, len, "%" PRId64, v);
	else if (v % 1000000000LL == 0)
		snprintf(buf, len, "%" PRId64 " s", (int64_t)(v / 1000000000LL));
	else
		snprintf(buf, len, "%" PRId64 " ms", (int64_t)(v / NS_PER_MS));
}

static void catalog_text(FILE *out, const struct detect_config *d)
{
	char val[32];

	fputs("Kinds of findings (id, usual severity, what it means):\n", out);
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct kind_info *ki = kind_info((enum finding_kind)k);

		fprintf(out, "  %-30s %-8s %s%s\n", ki->id, severity_name(ki->severity), ki->line,
			ki->table_only ? " [connection table only]" : "");
	}
	fputs("\nThresholds (set with --threshold NAME=VALUE):\n", out);
	for (size_t i = 0; i < nthresholds; i++) {
		const struct threshold_info *t = &thresholds[i];

		catalog_value(val, sizeof(val), t, threshold_get(d, t));
		fprintf(out, "  %-22s %-8s %s\n", t->name, val, t->help);
	}
}

/* Man source must not start a line with '.' or '\'', and '\' is an escape. */
static void catalog_roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			putc(*s, out);
	}
}

static void catalog_man(FILE *out, const struct detect_config *d)
{
	char val[32];

	for (int k = 0; k < KIND_COUNT; k++) {
		const struct kind_info *ki = kind_info((enum finding_kind)k);

		fputs(".TP\n.B ", out);
		catalog_roff(out, ki->id);
		fprintf(out, "\n(%s, %s) ", severity_name(ki->severity), ki->scope);
		catalog_roff(out, ki->line);
		fputs(ki->table_only ? " (connection table only)\n" : "\n", out);
	}
	fputs(".SH THRESHOLDS\nSet with\n.BI \"\\-\\-threshold \" NAME = VALUE\n"
	      "(durations accept ms, s, m, h; a bare number is seconds).\n", out);
	for (size_t i = 0; i < nthresholds; i++) {
		const struct threshold_info *t = &thresholds[i];

		catalog_value(val, sizeof(val), t, threshold_get(d, t));
		fputs(".TP\n.B ", out);
		catalog_roff(out, t->name);
		fprintf(out, "\n(default %s) ", val);
		catalog_roff(out, t->help);
		putc('\n', out);
	}
}

static cJSON *catalog_json(const struct detect_config *d)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *kinds = cJSON_AddArrayToObject(doc, "kinds");
	cJSON *ths = cJSON_AddArrayToObject(doc, "thresholds");

	for (int k = 0; kinds && k < KIND_COUNT; k++) {
		const struct kind_info *ki = kind_info((enum finding_kind)k);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToArray(kinds, o);
		cJSON_AddStringToObject(o, "id", ki->id);
		cJSON_AddStringToObject(o, "severity", severity_name(ki->severity));
		cJSON_AddStringToObject(o, "family", ki->family);
		cJSON_AddStringToObject(o, "scope", ki->scope);
		cJSON_AddStringToObject(o, "description", ki->line);
		cJSON_AddBoolToObject(o, "table_only", ki->table_only);
	}
	for (size_t i = 0; ths && i < nthresholds; i++) {
		const struct threshold_info *t = &thresholds[i];
		cJSON *o = cJSON_CreateObject();
		double v = (double)threshold_get(d, t);

		cJSON_AddItemToArray(ths, o);
		cJSON_AddStringToObject(o, "name", t->name);
		cJSON_AddStringToObject(o, "unit", t->unit == THRESHOLD_COUNT ? "count" : "seconds");
		cJSON_AddNumberToObject(o, "value", t->unit == THRESHOLD_COUNT ? v : v / 1e9);
		cJSON_AddStringToObject(o, "description", t->help);
	}
	return doc;
}

int catalog_write(FILE *out, enum catalog_format f, const struct detect_config *d)
{
	char *text;

	switch (f) {
	case CATALOG_TEXT:
		catalog_text(out, d);
		break;
	case CATALOG_MAN:
		catalog_man(out, d);
		break;
	case CATALOG_JSON: {
		cJSON *doc = catalog_json(d);

		text = doc ? cJSON_Print(doc) : NULL;
		cJSON_Delete(doc);
		if (!text)
			return -1;
		fprintf(out, "%s\n", text);
		cJSON_free(text);
		break;
	}
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
