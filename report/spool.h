/*
 * spool.h - report/ internals: the connection spool of a streaming writer.
 *
 * Connections are far too many to hold: a writer that lists them prints each
 * one as it is finalised into an unlinked temporary file in $TMPDIR (else
 * /tmp), and copies that file into its output at the end. The file has no name
 * once open, so it disappears with the process however the run ends; messages
 * name its directory instead, which is where the disk filled.
 */
#ifndef TCPAUTOPSY_REPORT_SPOOL_H
#define TCPAUTOPSY_REPORT_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct spool {
	FILE *f;		/* write what is spooled here */
	char dir[1024];		/* for messages */
	uint64_t items;		/* counted by the writer */
};

/* A new spool with its file created: the whole state of the writers that
 * spool (json.c, ndjson.c). Returns NULL with err filled ("allocating: why",
 * "creating the connection spool in DIR: why"). */
struct spool *spool_new(char *err, size_t errlen);

/* Fills err after a failed write of connection id to the spool: "spooling
 * connection ID to DIR: why", why from errno (0: out of memory). */
void spool_write_error(const struct spool *s, uint64_t id, char *err, size_t errlen);

/* Copies everything spooled so far to out. Returns 0, or -1 with err filled. */
int spool_copy(struct spool *s, FILE *out, char *err, size_t errlen);

/* Closes the file and frees s. */
void spool_free(struct spool *s);

#endif
