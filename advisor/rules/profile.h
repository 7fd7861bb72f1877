/* profile: a named selection of rules plus the author's orders, read
 * from INI files through iniread.h.
 *
 * A profile (profile_load) is NAME.ini, searched in <rules dir>/profiles,
 * <rules dir>/../profiles (the installed layout), <sysconfdir>/
 * reclaim-advisor/profiles and each extra DIR/profiles; the last one found
 * wins (site files override shipped ones).
 *   [profile]  include = a, b     inherit (cycles are errors naming the chain)
 *              description = text
 *              rules = id, glob*  select rules (absent: the nearest included
 *                                 profile's list, else every rule whose
 *                                 `profiles` is empty or names this profile
 *                                 or one it includes)
 *   [pin]      vm.swappiness = 1            the value wins over any rule
 *   [bounds]   vm.min_free_kbytes >= 65536  clamp what rules recommend
 *              vm.min_free_kbytes <= 262144
 *   [waive]    vm.zone_reclaim_mode = reason  the advisor leaves this key alone
 * The profile's own entries replace inherited ones for the same sysctl.
 * `general` is the default; without a general.ini it is empty.
 *
 * Ownership: a struct profile owns its strings and borrows nothing from the
 * ruleset (rs is read for its profile directories and, to warn about a
 * pattern that selects nothing, its rule ids).
 */
#ifndef ADVISOR_PROFILE_H
#define ADVISOR_PROFILE_H

#include "../base/diag.h"
#include "../model/sysctl_catalog.h"
#include "ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct profile_pin {
	const struct sysctl_def *sc;
	int64_t value;
	char *from;    /* profile name */
	char *file;
	unsigned line;
};

struct profile_bound {
	const struct sysctl_def *sc;
	bool has_lo, has_hi;
	int64_t lo, hi;
	char *from, *file;
	unsigned line;
};

struct profile_waiver {
	const struct sysctl_def *sc;
	char *reason;
	char *from, *file;
	unsigned line;
};

struct profile {
	char *name;
	char *description;   /* "" when none */
	char *file;          /* NULL for the implicit general profile */
	char **chain;        /* this profile, then every profile it includes (depth first) */
	size_t nchain;
	char **rules;        /* selection patterns, NULL when none */
	size_t nrules;
	bool has_rules;
	struct profile_pin *pins;
	size_t npins;
	struct profile_bound *bounds;
	size_t nbounds;
	struct profile_waiver *waivers;
	size_t nwaivers;
	uint64_t hash;       /* FNV-1a 64 of the profile files read */
};

/* Load profile name (NULL = "general") from rs's profile directories.
 * Returns 0 and *out, or -EINVAL / -ENOENT (not found) with errors in d. */
int profile_load(const struct ruleset *rs, const char *name, struct profile **out, struct diag_list *d);
/* Parse a profile from a buffer; includes are resolved in rs's profile
 * directories (rs may be NULL: no includes allowed). */
int profile_load_buffer(const struct ruleset *rs, const char *name, const char *buf, size_t len,
			const char *origin, struct profile **out, struct diag_list *d);
/* Load every *.ini in the profile directories (rules check).  0 or -EINVAL. */
int profile_check_all(const struct ruleset *rs, struct diag_list *d);
/* `rules check`: load the rule set o names and every profile beside it,
 * every diagnostic appended to d.  ok when nothing failed to load and no
 * error was reported (strict: no warning either, as systemd-analyze verify
 * does).  rs is the loaded set (NULL when it did not load; the caller
 * frees it), nerr the errors (and with strict the warnings), nprof_err the
 * errors in profiles. */
struct rules_check {
	struct ruleset *rs;
	bool ok;
	size_t nerr, nprof_err;
};
void rules_check(const struct ruleset_opts *o, bool strict, struct rules_check *out, struct diag_list *d);
/* Does profile p select rule r?  (p NULL: the implicit general profile.) */
bool profile_selects(const struct profile *p, const struct rule *r);
const struct profile_pin *profile_pin(const struct profile *p, const struct sysctl_def *sc);
const struct profile_bound *profile_bound(const struct profile *p, const struct sysctl_def *sc);
const struct profile_waiver *profile_waiver(const struct profile *p, const struct sysctl_def *sc);
void profile_free(struct profile *p);

#endif
