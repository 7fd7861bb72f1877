/* libFuzzer harness for the rule loader: the input is one rule file.  It
 * goes through the INI reader (iniread), the rule checker and the
 * expression stages, then the engine runs the rules that loaded against a
 * small fixed fact store, and the same bytes are read as a profile.  Every
 * diagnostic is printed (to /dev/null) so the caret printer meets every
 * line/column the loader makes.  Built by `make fuzz` (clang
 * -fsanitize=fuzzer) and `make fuzz-replay` (gcc + tests/fuzz/replay.c)
 * against tests/fuzz/corpus/rules/.
 *
 * Contract checks (abort on violation):
 *  - ruleset_add_buffer fails exactly when it adds an error diagnostic;
 *  - a diagnostic with a source line has its column within line + 1;
 *  - every rule that loaded has a parsed value when it sets a sysctl;
 *  - the plan's decisions are sorted, never hold both keys of an
 *    exclusive pair, and stay inside the catalog's legal range. */
#include "rules/engine.h"
#include "rules/profile.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_diags(const struct diag_list *d, size_t from)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	for (size_t i = from; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		if (!g->msg)
			abort();
		if (g->src && g->col > strlen(g->src) + 1)
			abort();
		if (devnull)
			diag_print(devnull, g);
	}
}

static struct facts *fake_facts(void)
{
	struct facts *f = facts_new();
	facts_set_int(f, F_HOST_PAGE_SIZE, 4096, "fuzz");
	facts_set_int(f, F_HOST_KERNEL_VERSION, (5 << 16) + (10 << 8), "fuzz");
	facts_set_int(f, F_HOST_NUMA_NODES, 2, "fuzz");
	facts_set_int(f, F_MEM_LOWMEM_MANAGED_BYTES, INT64_C(8) << 30, "fuzz");
	facts_set_int(f, F_MEM_LOWMEM_MANAGED_PAGES, INT64_C(2) << 20, "fuzz");
	facts_set_float(f, F_MEM_FILE_SHARE, 0.4, "fuzz");
	facts_set_int(f, F_SWAP_TOTAL_BYTES, 0, "fuzz");
	facts_set_str(f, F_SWAP_KIND, "none", "fuzz");
	facts_set_int(f, F_SYSCTL_VM_SWAPPINESS, 60, "fuzz");
	facts_set_int(f, F_SYSCTL_VM_DIRTY_BYTES, 0, "fuzz");
	facts_set_int(f, F_SYSCTL_VM_DIRTY_RATIO, 20, "fuzz");
	facts_set_absent(f, F_PSI_SOME_AVG10, "proc/pressure/memory: not present");
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	/* An exact-size copy: a read past len is an ASan report. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);

	struct diag_list d = {0};
	struct ruleset *rs = ruleset_new();
	int rc = ruleset_add_buffer(rs, text, size, "fuzz.ini", &d);
	if ((rc == 0) != (diag_count(&d, DIAG_ERROR) == 0) || (rc && rc != -EINVAL))
		abort();
	check_diags(&d, 0);
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rule *r = ruleset_rule(rs, i);
		if (r->set && !r->value.e)
			abort();
	}

	struct facts *f = fake_facts();
	struct host h = {.facts = f};
	struct plan *p = NULL;
	if (engine_run(rs, NULL, &h, NULL, &p))
		abort();
	for (size_t i = 0; i < p->nd; i++) {
		const struct decision *x = &p->d[i];
		if (i && strcmp(p->d[i - 1].sysctl, x->sysctl) >= 0)
			abort();
		const struct sysctl_def *sc = sysctl_catalog_lookup(x->sysctl);
		if (!sc || !x->reason)
			abort();
		int64_t lo, hi;
		sysctl_legal_range(sc, (5 << 16) + (10 << 8), &lo, &hi);
		if (x->recommended.u.i < lo || x->recommended.u.i > hi)
			abort();
		for (size_t k = 0; sc->partner && k < p->nd; k++)
			if (!strcmp(p->d[k].sysctl, sc->partner))
				abort();
	}
	plan_free(p);

	/* The same bytes as a profile (no includes without a ruleset). */
	struct profile *prof = NULL;
	size_t before = d.n;
	rc = profile_load_buffer(NULL, "fuzz", text, size, "fuzz-profile.ini", &prof, &d);
	if (rc == 0 && !prof)
		abort();
	check_diags(&d, before);
	profile_free(prof);

	facts_free(f);
	ruleset_free(rs);
	diag_list_clear(&d);
	free(text);
	return 0;
}
