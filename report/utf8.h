/*
 * utf8.h - report/ internals: text from outside made valid for a UTF-8
 * output.
 *
 * File names, pcapng comments and error texts come from outside and may hold
 * any bytes, while JSON and XML must be valid UTF-8 (and XML 1.0 refuses most
 * control characters outright). Both writers clean strings here, the same
 * way: each byte that does not start a valid sequence becomes U+FFFD.
 */
#ifndef TCPAUTOPSY_REPORT_UTF8_H
#define TCPAUTOPSY_REPORT_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Also replace the characters XML 1.0 and HTML refuse or warn about: C0
 * controls other than tab, newline and carriage return, DEL, C1 controls and
 * the non-characters U+FFFE and U+FFFF. */
#define UTF8_NO_CONTROLS 1u

/* Length of the acceptable UTF-8 sequence at p (at most n bytes, n > 0), 0
 * when it is not: overlong forms, surrogates and code points past U+10FFFF
 * are refused, and with UTF8_NO_CONTROLS the characters above. */
size_t utf8_seq(const unsigned char *p, size_t n, unsigned flags);

/* True when the len bytes at s need no cleaning. */
bool utf8_clean_already(const char *s, size_t len, unsigned flags);

/* A new NUL-terminated copy of the len bytes at s with every refused byte
 * replaced by U+FFFD; NULL when out of memory. The caller frees it. */
char *utf8_clean(const char *s, size_t len, unsigned flags);

#endif
