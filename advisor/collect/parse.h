/* parse: pure parsers for the /proc and /sys text the collector reads.
 *
 * Every parser takes a buffer (buf, len; NUL-terminated at buf[len]) and an
 * origin (the relative path, for messages), never a path.  They keep the
 * kernel's spelling, anchor keys at line start, ignore unknown lines, and
 * treat a missing key as absent, never 0.  On malformed input they return
 * -EINVAL (or -ERANGE for a number that does not fit 64 bits) and append an
 * error naming origin:line and what was wrong; *out is then untouched and
 * nothing is leaked.  Warnings (tolerated oddities) may be appended on
 * success.
 *
 * Ownership: output structures are filled on success and owned by the
 * caller, released with the matching *_free (NULL-safe).
 */
#ifndef ADVISOR_PARSE_H
#define ADVISOR_PARSE_H

#include "../base/diag.h"
#include "host.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* proc/zoneinfo: every "Node N, zone NAME" block, all generations (2.6 to
 * 6.x): optional boost/promo/managed/cma lines, per-node stats blocks,
 * empty zones, pagesets skipped.  A counter line before any zone header is
 * an error (a zone block without a header). */
int zoneinfo_parse(const char *buf, size_t len, const char *origin, struct zoneinfo *out,
		   struct diag_list *d);

/* "Key value" lists: proc/vmstat ("name 123") and proc/meminfo
 * ("Name:   123 kB"; the unit is checked: kB or none). */
struct kv {
	char *key;      /* owned */
	int64_t value;
};
struct kvlist {
	struct kv *v;   /* in file order */
	size_t n;
};
int vmstat_parse(const char *buf, size_t len, const char *origin, struct kvlist *out,
		 struct diag_list *d);
int meminfo_parse(const char *buf, size_t len, const char *origin, struct kvlist *out,
		  struct diag_list *d);
/* 0 and *out, or -ENODATA when the key is not in the list. */
int kvlist_get(const struct kvlist *l, const char *key, int64_t *out);
void kvlist_free(struct kvlist *l);

/* proc/swaps */
enum swap_kind { SWAP_PARTITION, SWAP_FILE, SWAP_ZRAM, SWAP_OTHER };
struct swap_area {
	char *name;          /* owned */
	enum swap_kind kind; /* zram when the name is /dev/zramN, else from the Type column */
	int64_t size_kb, used_kb;
	int priority;
};
struct swaps {
	struct swap_area *v;
	size_t n;
};
int swaps_parse(const char *buf, size_t len, const char *origin, struct swaps *out,
		struct diag_list *d);
void swaps_free(struct swaps *s);

/* proc/pressure/memory.  An empty buffer is valid: PSI is off (present =
 * false for both lines).  A "full" line is absent on some kernels. */
struct psi_line {
	bool present;
	double avg10, avg60, avg300; /* percent */
	uint64_t total;              /* microseconds */
};
struct psi {
	struct psi_line some, full;
};
int psi_parse(const char *buf, size_t len, const char *origin, struct psi *out,
	      struct diag_list *d);

/* proc/uptime: "123.45 678.90" -> 123.45 seconds. */
int uptime_parse(const char *buf, size_t len, const char *origin, double *out,
		 struct diag_list *d);

/* A one-value sysctl file ("60\n") as int64. */
int sysctl_int_parse(const char *buf, size_t len, const char *origin, int64_t *out,
		     struct diag_list *d);

/* A `sysctl -a` dump or sysctl.d-style file: "key = value" lines, keys in
 * dotted form ("vm.swappiness"; '/' separators normalised to '.'), values
 * trimmed, later lines win.  Lines starting with '#' or ';' are comments.
 * Lines without '=' are errors in strict mode, ignored otherwise (sosreport
 * dumps carry "sysctl: permission denied" noise). */
struct strkv {
	char *key, *value;   /* owned */
	unsigned line;       /* 1-based line in the buffer */
};
struct strkvlist {
	struct strkv *v;
	size_t n;
};
int sysctl_dump_parse(const char *buf, size_t len, const char *origin, bool strict,
		      struct strkvlist *out, struct diag_list *d);
/* The last value of key, or NULL. */
const char *strkvlist_get(const struct strkvlist *l, const char *key);
void strkvlist_free(struct strkvlist *l);

/* Kernel log text (dmesg, /var/log/messages, journalctl -k). */
struct klog {
	unsigned oom_kills;            /* "Out of memory: Killed process" / "oom-kill:" events */
	char *oom_last;                /* latest such line, owned, or NULL */
	unsigned alloc_failures;       /* "page allocation failure: order:N" */
	unsigned atomic_alloc_failures;/* ... with GFP_ATOMIC or GFP_NOWAIT in the mode */
	unsigned high_alloc_failures;  /* ... of those, with __GFP_HIGH (GFP_ATOMIC): may use the
					* reserve below min */
	unsigned nowait_alloc_failures;/* ... of those, without __GFP_HIGH (GFP_NOWAIT): fail at min */
	unsigned oom_kills_memcg;      /* OOM kills of a memory cgroup (CONSTRAINT_MEMCG,
					* "Memory cgroup out of memory"); the rest are global */
	int max_order;                 /* -1 when none */
	char *alloc_failure_last;      /* owned, or NULL */
};
int klog_parse(const char *buf, size_t len, const char *origin, struct klog *out,
	       struct diag_list *d);
void klog_free(struct klog *k);

/* Helpers shared by the parsers, usable by any caller holding text.
 * parse_line_next walks buf[0..len) one line at a time without copying:
 * *pos and *l start zeroed; each call fills l (the line without its '\n',
 * not NUL-terminated, and its 1-based number, counted in l->no) and returns
 * false at the end.
 * A final line without '\n' is still a line; an empty buffer has none.
 * A '\r' before the '\n' (a CRLF file) is not part of the line. */
struct parse_line {
	const char *s;
	size_t len;
	unsigned no;
};
bool parse_line_next(const char *buf, size_t len, size_t *pos, struct parse_line *l);
/* 0 when buf[0..len) holds no NUL byte; else -EINVAL and an error naming the
 * line of the first NUL ("binary content").  Every parser calls it first, so
 * a binary file is rejected before any field is read. */
int parse_check_text(const char *buf, size_t len, const char *origin, struct diag_list *d);
/* Append an error for line l: origin:l->no, column of `at` (NULL = none),
 * the start of the line as source text (capped), and the message. */
void parse_line_error(struct diag_list *d, const char *origin, const struct parse_line *l,
		      const char *at, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Word scanning within [p, e) for the line-oriented parsers: blanks are
 * spaces and tabs only (a '\n' never appears inside a parse_line). */
static inline bool parse_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline const char *parse_skip_blank(const char *p, const char *e)
{
	while (p < e && parse_is_blank(*p))
		p++;
	return p;
}

static inline const char *parse_word_end(const char *p, const char *e)
{
	while (p < e && !parse_is_blank(*p))
		p++;
	return p;
}

/* Does the word [p, we) equal w? */
static inline bool parse_word_is(const char *p, const char *we, const char *w)
{
	size_t n = __builtin_strlen(w);
	return (size_t)(we - p) == n && !__builtin_memcmp(p, w, n);
}

#endif
