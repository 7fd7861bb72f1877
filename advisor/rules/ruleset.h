/* ruleset: rule files, loaded and checked.
 *
 * A rule file is INI (read through iniread.h): one [section] per rule, the
 * section name is the rule id.  Keys:
 *   description  text
 *   when         bool expression (default: true)
 *   set          a sysctl from sysctl_catalog.h; absent = a finding
 *   value        int expression, required with set (and only with set)
 *   priority     integer 0..10000 (default 50)
 *   severity     info | warning | critical (default info)
 *   confidence   low | medium | high, or a string expression yielding one
 *                (default medium)
 *   why          text with {expr} and {expr : unit} (unit: bytes, kB, pages,
 *                percent, ratio, raw); {{ and }} are literal braces; the
 *                name `value` is the rule's computed value
 *   ref          URL or document
 *   profiles     comma list of profile names (empty = every profile)
 *   enabled      yes | no (default yes)
 *   evidence     comma list of extra fact names to show
 *   cause        the diagnosis the rule names (engine.h, cause_parse):
 *                kswapd-lag, compaction, memcg, capacity, atomic, nowait,
 *                oom-global, oom-memcg, oom, numa, administrator, idle,
 *                config; default none
 *   overrides_administrator  yes | no (default no): the value is wrong whoever
 *                set it (an oversized reserve or buffer), so the rule changes
 *                an administrator's explicit value too (engine_administrators)
 *   requires_raised  a sysctl: the rule's change is made only when the same
 *                advice leaves that key above its kernel default (the boost
 *                off on zram only with a wider kswapd buffer); otherwise the
 *                decision is the kernel default of the key the rule sets
 *                (engine.c, step 7).  Only with set.
 *   under_thp_floor  yes | no (default no): the rule's vm.min_free_kbytes may go
 *                under THP's floor (kernel.default.min_free_kbytes) down to
 *                wmark.thp_lower_bound_kbytes (the sqrt default and the
 *                floor's two free pageblocks per zone); the safety bound is
 *                that instead of the floor (engine.c, catalog_clamp).  Only
 *                in a rule that sets vm.min_free_kbytes and names profiles:
 *                the default profiles never go under the floor
 *   requires_rules  comma list of rule ids: advice valid only together with
 *                theirs (the pair the simulator evaluated: min_free_kbytes
 *                under THP's floor and the wider wsf for the same sum of
 *                high).  The rule's change is made only when every named
 *                rule wins its own key with the value it proposed (not
 *                waived, pinned, bounded, held, beaten or switched off);
 *                otherwise the rule is dropped before its key is decided
 *                (its key goes to the next rule) and the plan says why
 *                (SKIP_PARTNER, engine.c step 8).  Only with set; each id
 *                must name another rule that sets a different sysctl, checked
 *                once the whole set is read (ruleset_check_requires: an
 *                unknown id is a load error at the key's file:line).  Name
 *                each other both ways for all-or-nothing.
 *   tmpfiles     "/sys/PATH VALUE": a sysfs setting the rule advises, written
 *                as a systemd-tmpfiles line (w PATH - - - - VALUE); only in
 *                a finding (no set)
 * Every error (unknown key, unknown sysctl, unknown fact, type error, a set
 * without value, ...) is a diagnostic with file:line (and col + caret for
 * expressions); loading goes through every file before failing.
 *
 * Loading order (ruleset_load): the rules directory, then the site drop-ins
 * <sysconfdir>/reclaim-advisor/rules.d/ *.ini, then every extra directory in
 * order; files in name order (*.ini only).  A later section with an id seen
 * before replaces that rule in its slot (rule.replaced_* records what it
 * replaced); a section whose only key is `enabled` switches an earlier rule
 * off (or on) instead of replacing it.
 *   rules directory: $RECLAIM_ADVISOR_RULES_DIR, else ADVISOR_DATADIR/rules,
 *     else (running from the source tree) <dir of /proc/self/exe>/../rules
 *     or ../../rules (build/asan/reclaim-advisor)
 *   sysconfdir: $RECLAIM_ADVISOR_SYSCONFDIR, else ADVISOR_SYSCONFDIR (/etc)
 *
 * Ownership: a struct ruleset owns its rules, their text and parsed
 * expressions (one arena); rules returned by the accessors are borrowed
 * until ruleset_free.
 *
 * Sources: ruleset.c (the table and loading), rule_build.c (one section ->
 * one rule: keys, expressions, `why` templates); profiles are profile.h.
 */
#ifndef ADVISOR_RULESET_H
#define ADVISOR_RULESET_H

#include "../base/diag.h"
#include "engine.h"
#include "expr.h"
#include "../model/sysctl_catalog.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The expression slot of a bound's "value" (every other name's slot is its
 * enum fact_id). */
#define RULE_SLOT_VALUE (-1)

/* One expression as written, with its position and parse. */
struct rule_expr {
	char *text;         /* continuation lines joined with '\n'; NULL when absent */
	struct expr *e;     /* NULL when absent or when it did not parse */
	unsigned line, col; /* of text[0] */
};

enum why_unit { WHY_PLAIN, WHY_BYTES, WHY_KB, WHY_PAGES, WHY_PERCENT, WHY_RATIO, WHY_RAW };

/* A piece of a `why` text: literal text or an {expression : unit}. */
struct why_part {
	char *text;         /* literal text (braces unescaped), or NULL for an expression */
	struct rule_expr x; /* the expression */
	enum why_unit unit;
};

struct rule {
	char *id;
	char *file;                   /* file of the definition in force */
	unsigned line;                /* its [section] line */
	char *replaced_file;          /* the definition it replaced, or NULL */
	unsigned replaced_line;
	char *enabled_by;             /* drop-in with `enabled` alone that last switched it, or NULL */
	unsigned enabled_line;
	char *description;            /* "" when absent */
	struct rule_expr when;        /* when.e == NULL: always fires */
	const struct sysctl_def *set; /* NULL: a finding */
	struct rule_expr value;
	int priority;
	enum severity severity;
	bool conf_is_expr;
	enum confidence confidence;   /* when !conf_is_expr */
	struct rule_expr conf;
	char *why_text;               /* as written; "" when absent */
	struct why_part *why;
	size_t nwhy;
	char *ref;                    /* NULL when absent */
	char **profiles;
	size_t nprofiles;
	bool enabled;
	bool reads_current;           /* reads the live value of the key it sets, on purpose */
	bool overrides_administrator; /* changes an administrator's explicit value (engine.h) */
	const struct sysctl_def *requires_raised; /* made only with this key above its default, or NULL */
	bool under_thp_floor;         /* may set min_free_kbytes down to wmark.thp_lower_bound_kbytes */
	char **requires_rules;        /* ids of the rules whose advice this one needs, or NULL */
	size_t nrequires_rules;
	unsigned requires_rules_line; /* of the requires_rules key */
	char **evidence;
	size_t nevidence;
	enum cause cause;             /* CAUSE_NONE when absent */
	char *tmpfiles_path;          /* NULL when absent */
	char *tmpfiles_value;
	size_t order;                 /* slot in load order */
};

struct ruleset;

struct ruleset_opts {
	const char *rules_dir;   /* NULL: the default (see above) */
	const char *sysconf_dir; /* NULL: the default (see above) */
	bool only_dirs;          /* read only dirs[] (rules check DIR ...) */
	const char *const *dirs; /* --rules DIR, in order */
	size_t ndirs;
};

/* Load and check every rule file on the search path.  Returns 0 and *out,
 * or -EINVAL (every error in d, *out NULL).  Warnings (an `enabled`-only
 * section for an unknown rule) are added to d without failing. */
int ruleset_load(const struct ruleset_opts *o, struct ruleset **out, struct diag_list *d);

/* Build a ruleset by hand: new, add buffers (each as one file named
 * origin, in order), then use it.  ruleset_add_buffer returns 0 or -EINVAL
 * (errors in d; the rules that checked are kept).  Profiles are searched in
 * the directories given with ruleset_add_profile_dir. */
struct ruleset *ruleset_new(void);
int ruleset_add_buffer(struct ruleset *rs, const char *buf, size_t len, const char *origin,
		       struct diag_list *d);
void ruleset_add_profile_dir(struct ruleset *rs, const char *dir);

size_t ruleset_count(const struct ruleset *rs);
const struct rule *ruleset_rule(const struct ruleset *rs, size_t i); /* in load order */
const struct rule *ruleset_find(const struct ruleset *rs, const char *id);
/* FNV-1a 64 over each file's base name and bytes, in load order, as 16 hex
 * digits.  Stable and cheap, not cryptographic. */
const char *ruleset_digest(const struct ruleset *rs);
uint64_t ruleset_hash(const struct ruleset *rs);
size_t ruleset_nfiles(const struct ruleset *rs);
const char *ruleset_file(const struct ruleset *rs, size_t i);   /* paths in load order */
size_t ruleset_nprofile_dirs(const struct ruleset *rs);
const char *ruleset_profile_dir(const struct ruleset *rs, size_t i);
void ruleset_free(struct ruleset *rs);

/* Call fn for every fact name r reads (when, value, confidence, why,
 * evidence; `value` excluded), each name once, in first-use order. */
void rule_foreach_fact(const struct rule *r, void (*fn)(void *ctx, const char *name), void *ctx);

/* Check every rule's requires_rules against the whole set: each id names a
 * loaded rule other than itself that sets a sysctl other than the rule's
 * own (two rules on one key cannot both win it).  ruleset_load calls it
 * once every file and drop-in is read; a set built by hand
 * (ruleset_add_buffer) may call it.  0, or -EINVAL with one error per bad
 * id in d (file:line of the requires_rules key). */
int ruleset_check_requires(const struct ruleset *rs, struct diag_list *d);

/* Parse one rule-file buffer on its own (no drop-in merging): what the fuzz
 * harness and `rules check` of a single file use.  0 or -EINVAL. */
int ruleset_check_buffer(const char *buf, size_t len, const char *origin, struct diag_list *d);

#endif
