/*
 * history.c - Zeek's conn.log history string (reference/anchors.md §b.2).
 *
 * One letter per notable thing a direction did, upper case for the client,
 * lower case for the server: S SYN, H SYN-ACK, A pure ACK, D payload, F FIN,
 * R RST, T retransmission, G gap, W zero window, I inconsistent flags (FIN+RST,
 * no flags), Q multi-flag (SYN+FIN, SYN+RST). S/H/F/R repeat only when their
 * seq differs from the last such letter; A, D, I and Q appear once per
 * direction; T, G and W at the 1st, 10th, 100th, ... occurrence, so a
 * connection's life stays readable in one glance however long it was.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "analyzer/classify.h"
#include "analyzer/conn.h"

/* Bits of h->seen[dir]: the letter was recorded once in that direction. */
enum {
	HIST_SYN = 1u << 0,
	HIST_SYNACK = 1u << 1,
	HIST_FIN = 1u << 2,
	HIST_RST = 1u << 3,
	HIST_ACK = 1u << 4,
	HIST_DATA = 1u << 5,
	HIST_BAD = 1u << 6,   /* I */
	HIST_MULTI = 1u << 7, /* Q */
};

/* Slots of h->last_seq[dir][] for the letters that repeat on a new seq. */
enum { SEQ_SYN, SEQ_SYNACK, SEQ_FIN, SEQ_RST };

/* Slots of h->logcount[dir][] for the logarithmic letters. */
enum { LOG_RETRANS, LOG_GAP, LOG_ZWIN };

static void history_put(struct history *h, int dir, char upper)
{
	if (h->len >= HISTORY_MAX - 1)
		return;
	h->s[h->len++] = dir == DIR_C2S ? upper : (char)(upper - 'A' + 'a');
	h->s[h->len] = '\0';
}

static void history_once(struct history *h, int dir, uint8_t bit, char letter)
{
	if (h->seen[dir] & bit)
		return;
	h->seen[dir] |= bit;
	history_put(h, dir, letter);
}

/* S, H, F, R: again only when the seq moved, so a retransmission of the same
 * SYN or FIN does not add a letter but a new incarnation's does. */
static void history_on_seq(struct history *h, int dir, uint8_t bit, int slot, uint32_t seq,
			   char letter)
{
	if ((h->seen[dir] & bit) && h->last_seq[dir][slot] == seq)
		return;
	h->seen[dir] |= bit;
	h->last_seq[dir][slot] = seq;
	history_put(h, dir, letter);
}

/* T, G, W: at counts 1, 10, 100, ... as Zeek does. */
static void history_log(struct history *h, int dir, int slot, char letter)
{
	uint32_t n = ++h->logcount[dir][slot];

	while (n >= 10 && n % 10 == 0)
		n /= 10;
	if (n == 1)
		history_put(h, dir, letter);
}

/* SYN+FIN and SYN+RST are "multi-flag" (Q); FIN+RST and no flag at all are
 * "inconsistent" (I). Either way the other letters of the segment would only
 * mislead, so nothing else is recorded for it. */
static bool history_bad_flags(struct history *h, int dir, uint16_t flags, uint32_t events)
{
	if ((flags & TH_SYN) && (flags & (TH_FIN | TH_RST))) {
		history_once(h, dir, HIST_MULTI, 'Q');
		return true;
	}
	if (events & SEG_BAD_FLAGS) {
		history_once(h, dir, HIST_BAD, 'I');
		return true;
	}
	return false;
}

void history_add(struct history *h, int dir, const struct tcp_segment *seg, uint32_t events)
{
	uint16_t fl = seg->flags;

	dir = dir == DIR_C2S ? DIR_C2S : DIR_S2C;
	if (history_bad_flags(h, dir, fl, events))
		return;
	if (fl & TH_SYN) {
		if (fl & TH_ACK)
			history_on_seq(h, dir, HIST_SYNACK, SEQ_SYNACK, seg->seq, 'H');
		else
			history_on_seq(h, dir, HIST_SYN, SEQ_SYN, seg->seq, 'S');
	}
	if (seg->payload_len)
		history_once(h, dir, HIST_DATA, 'D');
	else if ((fl & (TH_ACK | TH_SYN | TH_FIN | TH_RST)) == TH_ACK)
		history_once(h, dir, HIST_ACK, 'A');
	if (fl & TH_FIN)
		history_on_seq(h, dir, HIST_FIN, SEQ_FIN, seg->seq, 'F');
	if (fl & TH_RST)
		history_on_seq(h, dir, HIST_RST, SEQ_RST, seg->seq, 'R');
	if (events & SEG_RETRANSMISSION)
		history_log(h, dir, LOG_RETRANS, 'T');
	if (events & SEG_PREV_NOT_CAPTURED)
		history_log(h, dir, LOG_GAP, 'G');
	if (events & SEG_ZERO_WINDOW)
		history_log(h, dir, LOG_ZWIN, 'W');
}

/* The '^' goes first whatever was recorded already; the last letter gives way
 * when the string is full. */
void history_mark_guessed(struct history *h)
{
	if (h->len && h->s[0] == '^')
		return;
	if (h->len >= HISTORY_MAX - 1)
		h->len = HISTORY_MAX - 2;
	memmove(&h->s[1], &h->s[0], h->len);
	h->s[0] = '^';
	h->len++;
	h->s[h->len] = '\0';
}
