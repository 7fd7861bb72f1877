/* rules: the listing of `rules list` (contract in render/rules.h). */
#include "rules.h"

#include <string.h>

void rules_render_list(const struct ruleset *rs, const struct profile *p, struct buf *b)
{
	buf_printf(b, "profile %s%s%s\n", p->name, *p->description ? ": " : "", p->description);
	int w = 4;
	for (size_t i = 0; i < ruleset_count(rs); i++)
		if ((int)strlen(ruleset_rule(rs, i)->id) > w)
			w = (int)strlen(ruleset_rule(rs, i)->id);
	buf_printf(b, "%-*s %-30s %4s %-8s %s\n", w, "RULE", "SETS", "PRIO", "SEVERITY", "SOURCE");
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		if (!r->enabled || !profile_selects(p, r))
			continue;
		buf_printf(b, "%-*s %-30s %4d %-8s %s:%u", w, r->id, r->set ? r->set->name : "(finding)",
			   r->priority, severity_name(r->severity), r->file, r->line);
		if (r->replaced_file)
			buf_printf(b, " (replaces %s:%u)", r->replaced_file, r->replaced_line);
		buf_putc(b, '\n');
	}
	for (size_t i = 0; i < p->npins; i++)
		buf_printf(b, "pin    %s = %lld (%s:%u)\n", p->pins[i].sc->name, (long long)p->pins[i].value,
			   p->pins[i].file, p->pins[i].line);
	for (size_t i = 0; i < p->nbounds; i++) {
		const struct profile_bound *bd = &p->bounds[i];
		buf_printf(b, "bounds %s", bd->sc->name);
		if (bd->has_lo)
			buf_printf(b, " >= %lld", (long long)bd->lo);
		if (bd->has_hi)
			buf_printf(b, "%s <= %lld", bd->has_lo ? "," : "", (long long)bd->hi);
		buf_printf(b, " (%s:%u)\n", bd->file, bd->line);
	}
	for (size_t i = 0; i < p->nwaivers; i++)
		buf_printf(b, "waive  %s: %s (%s:%u)\n", p->waivers[i].sc->name, p->waivers[i].reason,
			   p->waivers[i].file, p->waivers[i].line);
}

void rules_render_check(const struct ruleset *rs, size_t nerr, size_t nprof_err, struct buf *b)
{
	if (!rs) {
		buf_printf(b, "rules check: %zu error%s%s\n", nerr, nerr == 1 ? "" : "s",
			   nprof_err ? " (profiles included)" : "");
		return;
	}
	size_t on = 0;
	for (size_t i = 0; i < ruleset_count(rs); i++)
		on += ruleset_rule(rs, i)->enabled;
	buf_printf(b, "rules check: ok: %zu rules (%zu enabled) in %zu files, digest %s\n", ruleset_count(rs), on,
		   ruleset_nfiles(rs), ruleset_digest(rs));
}
