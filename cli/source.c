/*
 * source.c - capture files through libpcap: open, describe, filter, read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/source.h"
#include "dissect/dissect.h"

/* Large enough for any real link layer; only used to check a filter's syntax. */
#define SOURCE_CHECK_SNAPLEN 262144

/* The largest whole second that still fits in int64 nanoseconds with room for
 * the fractional part libpcap may hand over (up to 2^32 ns in a crafted file). */
#define SOURCE_MAX_SEC ((INT64_MAX - UINT32_MAX) / 1000000000)

/* stdin is dup()ed so that pcap_close() closes our copy, not fd 0. */
static FILE *source_fopen(const char *path, char *err, size_t errlen)
{
	FILE *fp;
	int fd;

	if (strcmp(path, "-") != 0) {
		fp = fopen(path, "rb");
		if (!fp)
			snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return fp;
	}
	fd = dup(STDIN_FILENO);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read standard input: %s", strerror(errno));
		return NULL;
	}
	fp = fdopen(fd, "rb");
	if (!fp) {
		snprintf(err, errlen, "cannot read standard input: %s", strerror(errno));
		close(fd);
	}
	return fp;
}

/*
 * Reads the first bytes of a regular file without moving the FILE's position
 * (pread), so that the nanosecond magic and compressed files can be told
 * apart. A pipe cannot be read twice: only its first byte is peeked at, with
 * the one ungetc() that C guarantees. Returns -1 with err filled when the path
 * is a directory, which fopen() happily opens. *regular tells whether the
 * FILE has an offset to report progress with.
 */
static int source_peek(FILE *fp, uint8_t *buf, size_t len, ssize_t *n, bool *regular, char *err,
		       size_t errlen)
{
	struct stat st;
	int c;

	*n = 0;
	*regular = false;
	if (fstat(fileno(fp), &st) != 0)
		return 0;
	*regular = S_ISREG(st.st_mode);
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot read: %s", strerror(EISDIR));
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		*n = pread(fileno(fp), buf, len, 0);
		if (*n < 0)
			*n = 0;
	} else if ((c = getc(fp)) != EOF) {
		buf[0] = (uint8_t)c;
		*n = 1;
		ungetc(c, fp);
	}
	return 0;
}

static ssize_t source_pipe_read(void *cookie, char *buf, size_t size)
{
	struct source_pipe *p = cookie;
	size_t n = fread(buf, 1, size, p->in);

	if (n == 0 && ferror(p->in))
		return -1;
	p->bytes += n;
	return (ssize_t)n;
}

static int source_pipe_close(void *cookie)
{
	struct source_pipe *p = cookie;

	return fclose(p->in);
}

/* Puts the counting wrapper around a pipe's FILE; the wrapper owns it from
 * now on. On failure the FILE is closed. */
static FILE *source_count(struct source *src, FILE *fp, char *err, size_t errlen)
{
	static const cookie_io_functions_t io = {
		.read = source_pipe_read,
		.close = source_pipe_close,
	};
	FILE *wrapped;

	src->pipe.in = fp;
	src->pipe.bytes = 0;
	wrapped = fopencookie(&src->pipe, "rb", io);
	if (!wrapped) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		fclose(fp);
		return NULL;
	}
	src->counted = true;
	return wrapped;
}

static bool source_starts(const uint8_t *buf, ssize_t n, const char *magic, size_t mlen)
{
	return n >= (ssize_t)mlen && memcmp(buf, magic, mlen) == 0;
}

/* A pcap (µs or ns, either byte order) or pcapng magic: the file is a capture
 * whose header libpcap could not read, rather than something else. */
static bool source_is_capture(const uint8_t *head, ssize_t n)
{
	static const char *const magics[] = {
		"\xa1\xb2\xc3\xd4", "\xd4\xc3\xb2\xa1", "\xa1\xb2\x3c\x4d",
		"\x4d\x3c\xb2\xa1", "\x0a\x0d\x0d\x0a",
	};
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (source_starts(head, n, magics[i], 4))
			return true;
	return false;
}

/* A compressed file: say which tool unpacks it. From a pipe only one byte
 * could be peeked at, so the guess is worded as one. */
static bool source_explain_packed(const char *path, const uint8_t *head, ssize_t n, char *err,
				  size_t errlen)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
		const char *tool;
	} packers[] = {
		{ "\x1f\x8b", 2, "gzip", "zcat" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd", "zstdcat" },
		{ "\xfd\x37\x7a\x58\x5a", 5, "xz", "xzcat" },
		{ "BZh", 3, "bzip2", "bzcat" },
	};
	bool pipe = strcmp(path, "-") == 0;
	size_t i;

	for (i = 0; i < sizeof(packers) / sizeof(packers[0]); i++) {
		if (pipe && n >= 1 && head[0] == (uint8_t)packers[i].magic[0]) {
			snprintf(err, errlen,
				 "not a pcap or pcapng stream: it looks %s-compressed "
				 "(try: %s FILE | tcpautopsy -)",
				 packers[i].what, packers[i].tool);
			return true;
		}
		if (!pipe && source_starts(head, n, packers[i].magic, packers[i].len)) {
			snprintf(err, errlen,
				 "not a pcap or pcapng file: it is %s-compressed "
				 "(try: %s %s | tcpautopsy -)",
				 packers[i].what, packers[i].tool, path);
			return true;
		}
	}
	return false;
}

/* Turns libpcap's refusal into something an operator can act on. */
static void source_explain(const char *path, const uint8_t *head, ssize_t n, const char *pcap_err,
			   char *err, size_t errlen)
{
	bool pipe = strcmp(path, "-") == 0;

	if (source_explain_packed(path, head, n, err, errlen))
		return;
	if (n == 0 && strstr(pcap_err, "only got 0"))
		snprintf(err, errlen, "not a pcap or pcapng %s: it is empty",
			 pipe ? "stream" : "file");
	else if (source_is_capture(head, n) || (!strstr(pcap_err, "unknown file format") &&
						!strstr(pcap_err, "truncated dump file")))
		snprintf(err, errlen, "cannot read the capture header: %s", pcap_err);
	else if (pipe)
		snprintf(err, errlen, "not a pcap or pcapng stream (%s)", pcap_err);
	else
		snprintf(err, errlen,
			 "not a pcap or pcapng file (compressed? try: zcat %s | tcpautopsy -)",
			 path);
}

/* pcap_datalink() answers in DLT_* values; the dissector and the report speak
 * the LINKTYPE_* values stored in files. They differ for raw IP only among the
 * link types we decode (DLT_RAW is 12, or 14 on OpenBSD). */
static int source_linktype(int dlt)
{
	if (dlt == DLT_RAW)
		return LINKTYPE_RAW;
	return dlt;
}

static void source_describe(struct source *src, const uint8_t *head, ssize_t n)
{
	snprintf(src->format, sizeof(src->format), "%s",
		 pcap_major_version(src->pcap) == 1 ? "pcapng" : "pcap");
	/* libpcap scales every timestamp to the precision we asked for, so the
	 * file's own resolution is only visible in its magic number. */
	src->nanosecond = source_starts(head, n, "\xa1\xb2\x3c\x4d", 4) ||
			  source_starts(head, n, "\x4d\x3c\xb2\xa1", 4);
	src->snaplen = (uint32_t)pcap_snapshot(src->pcap);
	src->dlt = pcap_datalink(src->pcap);
	src->linktype = source_linktype(src->dlt);
}

int source_open(struct source *src, const char *path, char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	uint8_t head[8];
	bool regular;
	ssize_t n;
	FILE *fp;

	memset(src, 0, sizeof(*src));
	fp = source_fopen(path, err, errlen);
	if (!fp)
		return -1;
	if (source_peek(fp, head, sizeof(head), &n, &regular, err, errlen) != 0) {
		fclose(fp);
		return -1;
	}
	if (!regular && !(fp = source_count(src, fp, err, errlen)))
		return -1;
	errbuf[0] = '\0';
	src->pcap =
		pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!src->pcap) {
		/* On failure libpcap leaves the FILE to us. */
		source_explain(path, head, n, errbuf, err, errlen);
		fclose(fp);
		return -1;
	}
	source_describe(src, head, n);
	return 0;
}

int source_set_filter(struct source *src, const char *expr, char *err, size_t errlen)
{
	if (pcap_compile(src->pcap, &src->filter, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "%s", pcap_geterr(src->pcap));
		return -1;
	}
	src->has_filter = true;
	return 0;
}

/* Seconds + nanoseconds -> int64 ns, saturating: a crafted pcapng timestamp
 * can put any 64-bit value into tv_sec. */
static int64_t source_ts_ns(const struct timeval *tv)
{
	int64_t sec = (int64_t)tv->tv_sec;

	if (sec > SOURCE_MAX_SEC)
		sec = SOURCE_MAX_SEC;
	if (sec < 0)
		sec = 0;
	return sec * 1000000000 + (int64_t)tv->tv_usec;
}

enum source_status source_next(struct source *src, struct source_frame *out, char *err,
			       size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	rc = pcap_next_ex(src->pcap, &h, &data);
	if (rc == 1) {
		out->data = data;
		out->caplen = h->caplen;
		out->wirelen = h->len;
		/* With nanosecond precision tv_usec holds nanoseconds. */
		out->ts_ns = source_ts_ns(&h->ts);
		return SOURCE_FRAME;
	}
	if (rc == PCAP_ERROR_BREAK || rc == 0)
		return SOURCE_END;
	snprintf(err, errlen, "%s", pcap_geterr(src->pcap));
	return SOURCE_ERROR;
}

bool source_accept(const struct source *src, const struct source_frame *f)
{
	struct pcap_pkthdr h;

	if (!src->has_filter)
		return true;
	memset(&h, 0, sizeof(h));
	h.caplen = f->caplen;
	h.len = f->wirelen;
	return pcap_offline_filter(&src->filter, &h, f->data) != 0;
}

uint64_t source_position(const struct source *src)
{
	off_t pos;

	if (src->counted)
		return src->pipe.bytes;
	pos = ftello(pcap_file(src->pcap));
	return pos > 0 ? (uint64_t)pos : 0;
}

void source_close(struct source *src)
{
	if (src->has_filter)
		pcap_freecode(&src->filter);
	if (src->pcap)
		pcap_close(src->pcap);
	memset(src, 0, sizeof(*src));
}

int source_check_filter(const char *expr, char *err, size_t errlen)
{
	struct bpf_program prog;
	pcap_t *p;
	int rc = 0;

	p = pcap_open_dead(DLT_EN10MB, SOURCE_CHECK_SNAPLEN);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		rc = -1;
	} else {
		pcap_freecode(&prog);
	}
	pcap_close(p);
	return rc;
}
