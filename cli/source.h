/*
 * source.h - one capture file opened with libpcap, read frame by frame.
 *
 * Every file goes through fopen() + pcap_fopen_offline_with_tstamp_precision()
 * so that stdin (and, later, a decompressing stream) takes the same path as a
 * file on disk. Timestamps are always asked for in nanoseconds.
 *
 * The BPF filter is compiled per file, for that file's link type and snap
 * length, and applied by source_accept() rather than pcap_setfilter(): libpcap
 * would silently drop the rejected frames, and we must still count them so
 * that frame numbers match Wireshark's.
 *
 * Errors are written into a caller buffer as "what failed: why", without the
 * file name, which the caller prefixes.
 *
 * How far a file has been read (for the progress bar) is the FILE's offset
 * for a regular file; a pipe has none, so its FILE is wrapped in one that
 * counts the bytes going through (fopencookie), which costs a call per
 * buffer, not per frame.
 *
 * Ownership: struct source owns the FILE and pcap handle; frame data returned
 * by source_next() is libpcap's and valid only until the next call. An open
 * struct source must not be moved: a pipe's wrapper points into it.
 */
#ifndef TCPAUTOPSY_CLI_SOURCE_H
#define TCPAUTOPSY_CLI_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap.h>

/* A pipe's FILE as libpcap reads it through the counting wrapper. */
struct source_pipe {
	FILE *in;
	uint64_t bytes; /* read so far */
};

struct source {
	pcap_t *pcap;
	bool has_filter;
	struct bpf_program filter;
	bool counted; /* not a regular file: pipe.bytes says how far it is read */
	struct source_pipe pipe;

	/* What the file says about itself. */
	char format[16]; /* "pcap" or "pcapng" */
	bool nanosecond; /* pcap magic of a nanosecond file */
	uint32_t snaplen;
	int linktype; /* LINKTYPE_* value (as in the file), not DLT_* */
	int dlt;      /* libpcap's DLT_* value, for names */
};

/* One frame as read. */
struct source_frame {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	int64_t ts_ns;
};

enum source_status {
	SOURCE_FRAME, /* *out is filled */
	SOURCE_END,   /* clean end of file */
	SOURCE_ERROR, /* the file is damaged here; err says why */
};

/* Opens path ("-" for stdin). Returns 0, or -1 with err filled. */
int source_open(struct source *src, const char *path, char *err, size_t errlen);

/* Compiles expr for this file. Returns 0, or -1 with libpcap's reason in err. */
int source_set_filter(struct source *src, const char *expr, char *err, size_t errlen);

enum source_status source_next(struct source *src, struct source_frame *out, char *err,
			       size_t errlen);

/* True when the frame passes the filter (always, without one). */
bool source_accept(const struct source *src, const struct source_frame *f);

/* Bytes of the file read so far (up to libpcap's read-ahead for a pipe);
 * at the end of the file, its size. */
uint64_t source_position(const struct source *src);

void source_close(struct source *src);

/* Checks a filter expression's syntax before any file is opened, so that a
 * typo is a usage error rather than an error per file. Returns 0, or -1 with
 * libpcap's reason in err. */
int source_check_filter(const char *expr, char *err, size_t errlen);

#endif
