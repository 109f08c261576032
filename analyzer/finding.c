/*
 * finding.c - building a finding, and the stable names it carries.
 *
 * Detectors fill findings through these functions only, so that every finding
 * has its kind's scope and severity, sane times and bounded text, whatever the
 * detector forgot.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/conn.h"
#include "analyzer/finding.h"

/* The names are part of the JSON and HTML output: never change one. */
const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_CRITICAL:
		return "critical";
	}
	return "unknown";
}

void finding_init(struct finding *f, enum finding_kind k, const struct tcp_conn *c)
{
	const struct kind_info *ki = kind_info(k);

	memset(f, 0, sizeof(*f));
	f->code = k;
	f->kind = ki ? ki->id : "unknown";
	f->scope = ki ? ki->scope : "connection";
	f->severity = ki ? ki->severity : SEV_INFO;
	f->confidence = 1.0;
	if (!c)
		return;
	f->connection = c->id;
	f->has_client = true;
	f->client = c->ep[CLIENT].addr;
	f->client_port = c->ep[CLIENT].port;
	f->server = c->ep[SERVER].addr;
	f->server_port = c->ep[SERVER].port;
	f->capture = c->first_capture;
	f->first_ts_ns = c->first_ts_ns;
	f->last_ts_ns = c->first_ts_ns;
}

void finding_frame(struct finding *f, uint64_t frame, int64_t ts_ns)
{
	if (frame == 0)
		return;
	for (uint32_t i = 0; i < f->nframes; i++)
		if (f->frames[i] == frame)
			return;
	if (f->nframes == 0 || ts_ns < f->first_ts_ns)
		f->first_ts_ns = ts_ns;
	if (f->nframes == 0 || ts_ns > f->last_ts_ns)
		f->last_ts_ns = ts_ns;
	if (f->nframes < FINDING_MAX_FRAMES)
		f->frames[f->nframes++] = frame;
}

static struct evidence *finding_evidence(struct finding *f, const char *name,
					 enum evidence_type type)
{
	struct evidence *e;

	if (f->nevidence >= FINDING_MAX_EVIDENCE)
		return NULL;
	e = &f->evidence[f->nevidence++];
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->type = type;
	return e;
}

void finding_int(struct finding *f, const char *name, int64_t v)
{
	struct evidence *e = finding_evidence(f, name, EVIDENCE_INT);

	if (e)
		e->v.i = v;
}

void finding_real(struct finding *f, const char *name, double v)
{
	struct evidence *e = finding_evidence(f, name, EVIDENCE_REAL);

	if (e)
		e->v.r = v;
}

void finding_bool(struct finding *f, const char *name, bool v)
{
	struct evidence *e = finding_evidence(f, name, EVIDENCE_BOOL);

	if (e)
		e->v.b = v;
}

void finding_text(struct finding *f, const char *name, const char *v)
{
	struct evidence *e = finding_evidence(f, name, EVIDENCE_TEXT);

	if (e)
		snprintf(e->v.text, sizeof(e->v.text), "%s", v ? v : "");
}

/* Rounded to the millisecond so that reports do not show float noise. */
void finding_secs(struct finding *f, const char *name, int64_t ns)
{
	int64_t ms = (ns + (ns >= 0 ? 500000 : -500000)) / 1000000;

	finding_real(f, name, (double)ms / 1e3);
}

void finding_summary(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
	va_end(ap);
}

void finding_explain(struct finding *f, const char *fmt, ...)
{
	size_t used = strnlen(f->explanation, sizeof(f->explanation));
	va_list ap;

	if (used + 1 >= sizeof(f->explanation))
		return;
	va_start(ap, fmt);
	vsnprintf(f->explanation + used, sizeof(f->explanation) - used, fmt, ap);
	va_end(ap);
}
