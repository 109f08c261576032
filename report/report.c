/*
 * report.c - one report, several outputs: dispatches the analyzer's results to
 * a writer per output and puts each finished output in place atomically.
 *
 * What every format needs (findings, final-state tally) is kept here once; a
 * writer adds only what its format needs. An error met while results stream in
 * (out of memory, spool disk full) is remembered and returned by
 * report_finish(), because the analyzer's sink callbacks cannot fail.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dissect/dissect.h"
#include "report/report.h"
#include "report/writer.h"

#define REPORT_ERR_MAX 512
#define REPORT_TMP_TRIES 100

struct report_out {
	enum report_format format;
	char *path;
	const struct writer_ops *ops;
	void *w;
	char err[REPORT_ERR_MAX];	/* first failure while streaming; "" if none */
};

struct report {
	struct report_options opts;
	char *tool_version;
	char **inputs;			/* opts.inputs, copied */
	struct report_model model;
	size_t cap_findings;
	size_t cap_aggregates;
	char err[REPORT_ERR_MAX];	/* a failure that spoils every output */
	struct report_out *outs;
	size_t nouts;
};

static const char *const report_format_names[REPORT_FORMAT_COUNT] = {
	[REPORT_TEXT] = "text",
	[REPORT_JSON] = "json",
	[REPORT_NDJSON] = "ndjson",
	[REPORT_HTML] = "html",
};

int report_format_from_path(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	/* A dot in a directory name is not an extension. */
	if (!dot || strchr(dot, '/'))
		return -1;
	if (strcasecmp(dot, ".json") == 0)
		return REPORT_JSON;
	if (strcasecmp(dot, ".ndjson") == 0 || strcasecmp(dot, ".jsonl") == 0)
		return REPORT_NDJSON;
	if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
		return REPORT_HTML;
	if (strcasecmp(dot, ".txt") == 0)
		return REPORT_TEXT;
	return -1;
}

const char *report_format_name(enum report_format f)
{
	if ((unsigned)f >= REPORT_FORMAT_COUNT)
		return "unknown";
	return report_format_names[f];
}

int report_format_from_name(const char *name)
{
	for (int f = 0; name && f < REPORT_FORMAT_COUNT; f++)
		if (strcmp(name, report_format_names[f]) == 0)
			return f;
	return -1;
}

unsigned report_state_slot(enum tcp_state s)
{
	return (unsigned)s < TCP_STATE_COUNT ? (unsigned)s : TCP_STATE_COUNT;
}

const char *report_state_slot_name(unsigned slot)
{
	return slot < TCP_STATE_COUNT ? tcp_state_name((enum tcp_state)slot) : "UNKNOWN";
}

static const struct writer_ops *report_ops(enum report_format f)
{
	switch (f) {
	case REPORT_JSON:
		return &writer_json;
	case REPORT_NDJSON:
		return &writer_ndjson;
	case REPORT_HTML:
		return &writer_html;
	case REPORT_TEXT:
		return &writer_text;
	default:
		return NULL;
	}
}

#if defined(__GNUC__)
#define REPORT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define REPORT_PRINTF(f, a)
#endif

/* Fills err with "FILE: " and the rest, the one message shape of the tool. */
static void report_errf(char *err, size_t errlen, const char *file, const char *fmt, ...)
	REPORT_PRINTF(4, 5);
static void report_errf(char *err, size_t errlen, const char *file, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || errlen == 0)
		return;
	n = snprintf(err, errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static int report_open_outputs(struct report *r, const struct report_output *outs,
			       size_t nouts, char *err, size_t errlen)
{
	char why[REPORT_ERR_MAX];

	r->outs = calloc(nouts ? nouts : 1, sizeof(*r->outs));
	if (!r->outs) {
		report_errf(err, errlen, "report", "allocating outputs: %s", strerror(ENOMEM));
		return -1;
	}
	for (size_t i = 0; i < nouts; i++) {
		struct report_out *o = &r->outs[i];
		const char *path = outs[i].path ? outs[i].path : "-";

		o->format = outs[i].format;
		o->ops = report_ops(outs[i].format);
		o->path = strdup(path);
		r->nouts = i + 1;
		if (!o->path) {
			report_errf(err, errlen, path, "allocating: %s", strerror(ENOMEM));
			return -1;
		}
		if (!o->ops) {
			report_errf(err, errlen, path, "unknown report format %d", (int)o->format);
			return -1;
		}
		why[0] = '\0';
		o->w = o->ops->open(why, sizeof(why));
		if (!o->w) {
			report_errf(err, errlen, path, "%s", why);
			return -1;
		}
	}
	return 0;
}

/* Copies the strings of opts into r, so the caller's may go. */
static int report_copy_options(struct report *r, const struct report_options *opts)
{
	size_t n = opts && opts->inputs ? opts->ninputs : 0;

	r->tool_version = strdup(opts && opts->tool_version ? opts->tool_version : "");
	if (!r->tool_version)
		return -1;
	r->opts.tool_version = r->tool_version;
	r->opts.color = opts ? opts->color == 1 : 0;
	if (n == 0)
		return 0;
	r->inputs = calloc(n, sizeof(*r->inputs));
	if (!r->inputs)
		return -1;
	r->opts.inputs = (const char *const *)r->inputs;
	for (size_t i = 0; i < n; i++) {
		r->inputs[i] = strdup(opts->inputs[i] ? opts->inputs[i] : "-");
		if (!r->inputs[i])
			return -1;
		r->opts.ninputs = i + 1;
	}
	return 0;
}

struct report *report_new(const struct report_output *outs, size_t nouts,
			  const struct report_options *opts, char *err, size_t errlen)
{
	struct report *r = calloc(1, sizeof(*r));

	if (!r) {
		report_errf(err, errlen, "report", "allocating: %s", strerror(ENOMEM));
		return NULL;
	}
	if (report_copy_options(r, opts) < 0) {
		report_errf(err, errlen, "report", "allocating: %s", strerror(ENOMEM));
		report_free(r);
		return NULL;
	}
	r->model.opts = &r->opts;
	if (report_open_outputs(r, outs, nouts, err, errlen) < 0) {
		report_free(r);
		return NULL;
	}
	return r;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nouts; i++) {
		if (r->outs[i].w)
			r->outs[i].ops->free(r->outs[i].w);
		free(r->outs[i].path);
	}
	free(r->outs);
	free(r->model.findings);
	free(r->model.aggregates);
	for (size_t i = 0; i < r->opts.ninputs; i++)
		free(r->inputs[i]);
	free(r->inputs);
	free(r->tool_version);
	free(r);
}

void report_connection(void *ctx, const struct tcp_conn *c)
{
	struct report *r = ctx;
	struct report_model *m = &r->model;

	m->connections++;
	m->final_states[report_state_slot(c->ep[CLIENT].state)]
		       [report_state_slot(c->ep[SERVER].state)]++;
	for (size_t i = 0; i < r->nouts; i++) {
		struct report_out *o = &r->outs[i];

		/* After a failure the output is lost anyway: stop feeding it. */
		if (o->err[0] || !o->ops->on_connection)
			continue;
		o->ops->on_connection(o->w, m, c, o->err, sizeof(o->err));
	}
}

/* Frames in capture order, whatever order the detector found them in, so a
 * reader can walk them in Wireshark from top to bottom; each packet note
 * moves with its frame. */
static void report_sort_frames(struct finding *f)
{
	uint32_t n = f->nframes < FINDING_MAX_FRAMES ? f->nframes : FINDING_MAX_FRAMES;

	for (uint32_t i = 1; i < n; i++) {
		uint64_t v = f->frames[i];
		struct packet_note p = f->packets[i];
		uint32_t j = i;

		for (; j > 0 && f->frames[j - 1] > v; j--) {
			f->frames[j] = f->frames[j - 1];
			f->packets[j] = f->packets[j - 1];
		}
		f->frames[j] = v;
		f->packets[j] = p;
	}
}

/* Keeps a copy whose strings are certainly terminated: the writers read them
 * as C strings long after the detector's buffer is gone. */
static int report_hold_finding(struct report *r, const struct finding *f)
{
	struct report_model *m = &r->model;
	struct finding *h;

	if (m->nfindings == r->cap_findings) {
		size_t cap = r->cap_findings ? r->cap_findings * 2 : 64;
		struct finding *grown = realloc(m->findings, cap * sizeof(*grown));

		if (!grown)
			return -1;
		m->findings = grown;
		r->cap_findings = cap;
	}
	h = &m->findings[m->nfindings++];
	*h = *f;
	h->summary[sizeof(h->summary) - 1] = '\0';
	h->explanation[sizeof(h->explanation) - 1] = '\0';
	report_sort_frames(h);
	for (uint32_t i = 0; i < h->nevidence && i < FINDING_MAX_EVIDENCE; i++)
		if (h->evidence[i].type == EVIDENCE_TEXT)
			h->evidence[i].v.text[sizeof(h->evidence[i].v.text) - 1] = '\0';
	return 0;
}

void report_finding(void *ctx, const struct finding *f)
{
	struct report *r = ctx;

	if ((unsigned)f->severity <= SEV_CRITICAL)
		r->model.severities[f->severity]++;
	if (r->err[0])
		return;
	if (report_hold_finding(r, f) < 0)
		snprintf(r->err, sizeof(r->err), "holding findings: %s", strerror(ENOMEM));
}

uint64_t report_findings_at_least(const struct report *r, enum severity s)
{
	uint64_t n = 0;

	for (unsigned i = (unsigned)s; i <= SEV_CRITICAL; i++)
		n += r->model.severities[i];
	return n;
}

/* Roll-ups arrive once, at the end of the run, already in report order. */
void report_aggregate(void *ctx, const struct aggregate *g)
{
	struct report *r = ctx;
	struct report_model *m = &r->model;

	if (r->err[0])
		return;
	if (m->naggregates == r->cap_aggregates) {
		size_t cap = r->cap_aggregates ? r->cap_aggregates * 2 : 32;
		struct aggregate *grown = realloc(m->aggregates, cap * sizeof(*grown));

		if (!grown) {
			snprintf(r->err, sizeof(r->err), "holding aggregates: %s", strerror(ENOMEM));
			return;
		}
		m->aggregates = grown;
		r->cap_aggregates = cap;
	}
	m->aggregates[m->naggregates++] = *g;
}

static int report_cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Checks a stream after the writer: buffered data still has to reach the file. */
static int report_flush(FILE *out, const char *path, char *err, size_t errlen)
{
	errno = 0;
	if (fflush(out) != 0 || ferror(out)) {
		report_errf(err, errlen, path, "writing: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

static int report_write_stream(struct report_out *o, const struct report_model *m,
			       FILE *out, char *err, size_t errlen)
{
	char why[REPORT_ERR_MAX] = "";

	if (o->ops->finish(o->w, m, out, why, sizeof(why)) < 0) {
		report_errf(err, errlen, o->path, "%s", why);
		return -1;
	}
	return report_flush(out, o->path, err, errlen);
}

/*
 * Creates "DIR/.BASE.PID.N.tmp" next to the destination, so that rename(2)
 * stays within one file system. O_EXCL instead of mkstemp() lets the mode
 * follow the umask like any other output file.
 */
static int report_create_temp(const char *path, char *tmp, size_t tmplen)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	const char *base = slash ? slash + 1 : path;

	for (int n = 0; n < REPORT_TMP_TRIES; n++) {
		int len = snprintf(tmp, tmplen, "%.*s.%s.%ld.%d.tmp", dirlen, path, base,
				   (long)getpid(), n);
		int fd;

		if (len < 0 || (size_t)len >= tmplen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Writes the temporary file, syncs it and renames it over the destination. */
static int report_write_file(struct report_out *o, const struct report_model *m,
			     char *err, size_t errlen)
{
	size_t tmplen = strlen(o->path) + 64;
	char *tmp = malloc(tmplen);
	FILE *out = NULL;
	int fd, rc = -1;

	if (!tmp) {
		report_errf(err, errlen, o->path, "allocating: %s", strerror(ENOMEM));
		return -1;
	}
	fd = report_create_temp(o->path, tmp, tmplen);
	if (fd < 0) {
		report_errf(err, errlen, o->path, "creating a temporary file: %s",
			    strerror(errno));
		goto out_free;
	}
	out = fdopen(fd, "w");
	if (!out) {
		report_errf(err, errlen, o->path, "opening: %s", strerror(errno));
		close(fd);
		goto out_unlink;
	}
	if (report_write_stream(o, m, out, err, errlen) < 0)
		goto out_close;
	if (fsync(fileno(out)) != 0 && errno != EINVAL && errno != ENOTSUP) {
		report_errf(err, errlen, o->path, "syncing: %s", strerror(errno));
		goto out_close;
	}
	rc = fclose(out);
	out = NULL;
	if (rc != 0) {
		report_errf(err, errlen, o->path, "closing: %s", strerror(errno));
		goto out_unlink;
	}
	if (rename(tmp, o->path) != 0) {
		rc = -1;
		report_errf(err, errlen, o->path, "renaming %s into place: %s", tmp,
			    strerror(errno));
		goto out_unlink;
	}
	goto out_free;

out_close:
	fclose(out);
out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
	return rc;
}

/* A device or FIFO (/dev/null, /dev/stdout, a named pipe) is written in place:
 * renaming a temporary file over it would replace the device itself. */
static bool report_is_special(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 &&
	       (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode));
}

static int report_write_special(struct report_out *o, const struct report_model *m,
				char *err, size_t errlen)
{
	FILE *out = fopen(o->path, "w");

	if (!out) {
		report_errf(err, errlen, o->path, "opening: %s", strerror(errno));
		return -1;
	}
	if (report_write_stream(o, m, out, err, errlen) < 0) {
		fclose(out);
		return -1;
	}
	if (fclose(out) != 0) {
		report_errf(err, errlen, o->path, "closing: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int report_write_output(struct report *r, struct report_out *o, char *err,
			       size_t errlen)
{
	const char *spoiled = r->err[0] ? r->err : o->err;

	if (spoiled[0]) {
		report_errf(err, errlen, o->path, "%s", spoiled);
		return -1;
	}
	if (strcmp(o->path, "-") == 0)
		return report_write_stream(o, &r->model, stdout, err, errlen);
	if (report_is_special(o->path))
		return report_write_special(o, &r->model, err, errlen);
	return report_write_file(o, &r->model, err, errlen);
}

int report_finish(struct report *r, struct capture_info *const *captures, size_t ncaptures,
		  const struct analyzer_stats *stats, char *err, size_t errlen)
{
	static const struct analyzer_stats report_no_stats;
	char first[REPORT_ERR_MAX] = "";
	int rc = 0;

	r->model.captures = captures;
	r->model.ncaptures = captures ? ncaptures : 0;
	r->model.stats = stats ? stats : &report_no_stats;
	if (r->model.nfindings > 1)
		qsort(r->model.findings, r->model.nfindings, sizeof(*r->model.findings),
		      report_cmp_finding);
	/* One bad output must not cost the others: write them all and report the
	 * first failure. */
	for (size_t i = 0; i < r->nouts; i++) {
		char why[REPORT_ERR_MAX];

		if (report_write_output(r, &r->outs[i], why, sizeof(why)) < 0 && rc == 0) {
			rc = -1;
			snprintf(first, sizeof(first), "%s", why);
		}
	}
	if (rc < 0 && err && errlen)
		snprintf(err, errlen, "%s", first);
	return rc;
}
