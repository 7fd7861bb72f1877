/* parse_klog: OOM kills and page allocation failures in kernel log text
 * (dmesg, /var/log/messages, journalctl -k).  Lines carry any prefix
 * ("[ 123.4] ", "Mar  3 04:11:58 host kernel: "), so messages are found
 * anywhere in a line, not anchored.  Only a NUL byte is an error: anything
 * else is free text that either matches a known kernel message or is
 * ignored.
 *
 * One OOM kill, counted once (as the vmstat oom_kill counter counts: one
 * per victim chosen by oom_kill_process; fixtures/klog/README.md quotes the
 * formats).  A kill prints one or two of these lines:
 * - "oom-kill:constraint=...,pid=N,..." (5.0+ dump_oom_summary), just
 *   before the kill line below for the same pid;
 * - "<message>: Kill process N (name) score S ..." (2.6.x to 4.x: the
 *   announcement; 2.6.1x then printed "<message>: Killed process M" for the
 *   victim or a sacrificed child, 2.6.3x-4.x an unprefixed "Killed process
 *   M", which never matches here);
 * - "<message>: Killed process N (name) ..." (2.6.1x, and again in recent
 *   kernels, about 4.19+ (version from memory, not checked)).
 * <message> must contain "out of memory" in any case ("Out of memory",
 * 2.6's "Out of Memory", "Memory cgroup out of memory", "Out of memory
 * (oom_kill_allocating_task)"); that also rules out 4.x's "Kill process N
 * (x) sharing same memory", extra SIGKILLs the kernel does not count as
 * kills.  So: an "oom-kill:" or "Kill process" line counts and opens a
 * pair; a "Killed process" line within PAIR_WINDOW lines of it (with the
 * same pid, when the oom-kill: line named one) closes the pair without
 * counting; any other "Killed process" line counts.  A log filtered down to
 * one kind of line still counts each kill once.  On 2.6.1x, processes
 * killed because they shared the victim's mm print the same "Killed
 * process" line and are counted: nothing tells them apart.
 *
 * Page allocation failures (mm/page_alloc.c warn_alloc): "page allocation
 * failure: order:N, mode:0x...(FLAGS)" (4.6+ with symbolic FLAGS) and the
 * 2.6-era "page allocation failure. order:N, mode:0xNN".  Atomic means the
 * allocation could not enter direct reclaim: FLAGS name GFP_ATOMIC,
 * GFP_NOWAIT or __GFP_ATOMIC, or name __GFP_HIGH without
 * __GFP_DIRECT_RECLAIM.  A numeric-only mode is classified only in the
 * 2.6-era "failure. order:" form, whose kernels had __GFP_WAIT = 0x10
 * (atomic = bit clear); for 3.x-4.5 "failure: order:N, mode:0xNN" lines the
 * flag bits moved in 4.4 and the kernel version is not known here, so they
 * count as failures but not as atomic.
 *
 * Atomic failures are split by __GFP_HIGH, the flag that decides whether
 * the reserve is theirs (__zone_watermark_ok(): ALLOC_HIGH before 6.3,
 * ALLOC_MIN_RESERVE since, lets an allocation below min): GFP_ATOMIC
 * carries it (symbolic "GFP_ATOMIC" or "__GFP_HIGH"; 0x20 in the 2.6-era
 * numeric mode), GFP_NOWAIT does not and fails at min.  An OOM kill is a
 * memcg kill when its oom-kill: line says CONSTRAINT_MEMCG or its message
 * is "Memory cgroup out of memory"; every other kill is global.
 */
#include "parse.h"

#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* How far (in lines) the second line of a kill may follow the first.  The
 * kernel prints them back to back; a little slack covers interleaved
 * messages from other CPUs, and the limit keeps a stale announcement from
 * swallowing a later, unrelated kill. */
#define PAIR_WINDOW 8u

void klog_free(struct klog *k)
{
	if (!k)
		return;
	free(k->oom_last);
	free(k->alloc_failure_last);
	k->oom_last = k->alloc_failure_last = NULL;
}

/* The pid after `at` ("4321 (java)" or "4321, UID 27"), or -1. */
static long long pid_at(const char *at)
{
	uint64_t v;
	if (parse_u64(at, NULL, &v) || v > INT_MAX)
		return -1;
	return (long long)v;
}

static void set_last(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s);
}

/* Is the allocation described by the text after "mode:" atomic?  *high
 * says whether it carries __GFP_HIGH (set only when atomic). */
static bool mode_atomic(const char *mode, bool old_format, bool *high)
{
	*high = false;
	const char *open = strchr(mode, '(');
	const char *sp = strpbrk(mode, " ,");
	if (open && (!sp || open < sp)) {
		const char *close = strchr(open, ')');
		size_t n = close ? (size_t)(close - open) : strlen(open);
		char *flags = xstrndup(open, n);
		bool atomic = strstr(flags, "GFP_ATOMIC") || strstr(flags, "GFP_NOWAIT") ||
			      (strstr(flags, "__GFP_HIGH") && !strstr(flags, "__GFP_DIRECT_RECLAIM"));
		/* "GFP_ATOMIC" matches "__GFP_ATOMIC" too: 4.x-6.2 GFP_ATOMIC is
		 * __GFP_HIGH|__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM, printed as
		 * "GFP_ATOMIC"; a bare __GFP_ATOMIC without __GFP_HIGH does not
		 * occur in the kernel's own masks. */
		*high = atomic && (strstr(flags, "GFP_ATOMIC") || strstr(flags, "__GFP_HIGH"));
		free(flags);
		return atomic;
	}
	if (!old_format || strncmp(mode, "0x", 2))
		return false;
	uint64_t v = 0;
	const char *p = mode + 2;
	int digits = 0;
	for (; digits < 16; p++, digits++) {
		char c = *p;
		unsigned dv = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			      : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			      : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						     : 16u;
		if (dv == 16)
			break;
		v = v << 4 | dv;
	}
	bool atomic = digits > 0 && !(v & 0x10); /* 2.6: __GFP_WAIT */
	*high = atomic && (v & 0x20);              /* 2.6: __GFP_HIGH */
	return atomic;
}

int klog_parse(const char *buf, size_t len, const char *origin, struct klog *out,
	       struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct klog k = {.max_order = -1};
	/* The open pair: the line number of the "oom-kill:" or "Kill process"
	 * line (0 = none) and the pid it named (-1 = any). */
	unsigned pending_line = 0;
	long long pending_pid = -1;
	char *line = NULL;
	size_t cap = 0, pos = 0;
	struct parse_line l = {0};
	while (parse_line_next(buf, len, &pos, &l)) {
		/* Copy to a NUL-terminated scratch line: the searches below
		 * use the C string functions. */
		if (l.len + 1 > cap) {
			cap = l.len + 1 > 2 * cap ? l.len + 1 : 2 * cap;
			free(line);
			line = xmalloc(cap);
		}
		memcpy(line, l.s, l.len);
		line[l.len] = 0;
		if (l.len && line[l.len - 1] == '\r')
			line[l.len - 1] = 0;

		const char *p;
		if ((p = strstr(line, "oom-kill:"))) {
			const char *pid = strstr(p, ",pid=");
			pending_pid = pid ? pid_at(pid + 5) : -1;
			pending_line = l.no;
			k.oom_kills++;
			if (strstr(p, "constraint=CONSTRAINT_MEMCG"))
				k.oom_kills_memcg++;
			set_last(&k.oom_last, line);
			continue;
		}
		const char *kp = strstr(line, ": Killed process ");
		bool killed = kp != NULL;
		if (!kp)
			kp = strstr(line, ": Kill process ");
		if (kp) {
			char *msg = xstrndup(line, (size_t)(kp - line));
			bool oom = strcasestr(msg, "out of memory") != NULL;
			bool memcg = strstr(msg, "Memory cgroup") != NULL;
			free(msg);
			if (oom) {
				long long pid = pid_at(kp + (killed ? 17 : 15));
				bool open = pending_line && l.no - pending_line <= PAIR_WINDOW;
				if (!killed) {
					/* an announcement: counts and opens a pair */
					k.oom_kills++;
					k.oom_kills_memcg += memcg;
					pending_line = l.no;
					pending_pid = -1;
				} else if (open && (pending_pid == -1 || pending_pid == pid)) {
					pending_line = 0; /* second line of the same kill */
				} else {
					k.oom_kills++;
					k.oom_kills_memcg += memcg;
					pending_line = 0;
				}
				set_last(&k.oom_last, line);
				continue;
			}
		}
		const char *af = strstr(line, "page allocation failure");
		if (af && (af[23] == ':' || af[23] == '.')) {
			bool old_format = af[23] == '.';
			k.alloc_failures++;
			set_last(&k.alloc_failure_last, line);
			const char *o = strstr(af, "order:");
			uint64_t order;
			if (o && !parse_u64(o + 6, NULL, &order) && order <= INT_MAX &&
			    (int)order > k.max_order)
				k.max_order = (int)order;
			const char *m = strstr(af, "mode:");
			bool high;
			if (m && mode_atomic(m + 5, old_format, &high)) {
				k.atomic_alloc_failures++;
				if (high)
					k.high_alloc_failures++;
				else
					k.nowait_alloc_failures++;
			}
		}
	}
	free(line);
	*out = k;
	return 0;
}
