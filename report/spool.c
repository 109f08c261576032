/*
 * spool.c - the connection spool of a streaming writer (see spool.h).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/spool.h"

#define SPOOL_COPY_CHUNK 65536

/* The file is unlinked as soon as it is open: it disappears with the process
 * however the run ends. $TMPDIR lets a user move it off a small /tmp. */
struct spool *spool_new(char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	struct spool *s = calloc(1, sizeof(*s));
	char path[sizeof(s->dir) + 32];
	int fd;

	if (!s) {
		snprintf(err, errlen, "allocating: %s", strerror(ENOMEM));
		return NULL;
	}
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/tcpautopsy-spool-XXXXXX", s->dir);
	fd = mkstemp(path);
	if (fd < 0 || unlink(path) != 0 || !(s->f = fdopen(fd, "w+"))) {
		snprintf(err, errlen, "creating the connection spool in %s: %s", s->dir,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		free(s);
		return NULL;
	}
	return s;
}

void spool_write_error(const struct spool *s, uint64_t id, char *err, size_t errlen)
{
	char why[256];

	snprintf(why, sizeof(why), "%s", errno ? strerror(errno) : "out of memory");
	snprintf(err, errlen, "spooling connection %" PRIu64 " to %s: %s", id, s->dir, why);
}

int spool_copy(struct spool *s, FILE *out, char *err, size_t errlen)
{
	char *buf;
	size_t n;
	int rc = -1;

	if (fflush(s->f) != 0 || fseek(s->f, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "rewinding the connection spool in %s: %s", s->dir,
			 strerror(errno));
		return -1;
	}
	buf = malloc(SPOOL_COPY_CHUNK);
	if (!buf) {
		snprintf(err, errlen, "copying connections: %s", strerror(ENOMEM));
		return -1;
	}
	while ((n = fread(buf, 1, SPOOL_COPY_CHUNK, s->f)) > 0) {
		if (fwrite(buf, 1, n, out) != n) {
			snprintf(err, errlen, "writing: %s", strerror(errno ? errno : EIO));
			goto out_free;
		}
	}
	if (ferror(s->f)) {
		snprintf(err, errlen, "reading the connection spool in %s: %s", s->dir,
			 strerror(errno ? errno : EIO));
		goto out_free;
	}
	rc = 0;
out_free:
	free(buf);
	return rc;
}

void spool_free(struct spool *s)
{
	if (s->f)
		fclose(s->f);
	free(s);
}
