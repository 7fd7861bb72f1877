/* sim_set: whatif's --set candidates (contract in sim_set.h). */
#include "sim_set.h"

#include "../base/kver.h"
#include "../base/numparse.h"
#include "../base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sim_given_parse(const char *arg, struct sim_given *g, char **why)
{
	char *copy = xstrdup(arg), *save = NULL;
	int rc = 0;
	*why = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		const char *key = !strncmp(tok, "vm.", 3) ? tok + 3 : tok;
		if (!strncmp(key, "watermark_boost_factor=", 23)) {
			const char *end;
			if (parse_i64(key + 23, &end, &g->bf) || *end) {
				*why = xasprintf("'%s' is not an integer", key + 23);
				rc = -EDOM;
			}
			g->have_bf = true;
			continue;
		}
		rc = wm_setting_parse(tok, &g->w);
		if (rc == -EDOM)
			*why = xasprintf("'%s' is not an integer", strchr(tok, '=') + 1);
		else if (rc == -ENOENT)
			*why = xstrdup("only vm.min_free_kbytes, vm.watermark_scale_factor and "
				       "vm.watermark_boost_factor are simulated");
	}
	if (rc == -EINVAL || (!rc && !g->w.have_mfk && !g->w.have_wsf && !g->have_bf)) {
		*why = xstrdup("expected KEY=VALUE");
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

int sim_given_settings(const struct sim_given *g, size_t n, const struct history *h, struct sim_settings *out,
		       const char **why)
{
	for (size_t i = 0; i < n; i++) {
		out[i].min_free_kbytes = g[i].w.have_mfk ? g[i].w.mfk : h->p.min_free_kbytes;
		out[i].wsf = g[i].w.have_wsf ? g[i].w.wsf : h->p.wsf;
		out[i].boost_factor = g[i].have_bf ? g[i].bf : -1;
		if (out[i].min_free_kbytes < 0) {
			*why = "the history does not say min_free_kbytes: give it too";
			return -EINVAL;
		}
		if (g[i].w.have_wsf && h->p.kver && h->p.kver < KVER(4, 6, 0)) {
			*why = "this kernel has no vm.watermark_scale_factor (before 4.6)";
			return -EINVAL;
		}
	}
	return 0;
}

int sim_run_given(const struct history *h, const struct sim_given *g, size_t n, const struct sim_opts *o,
		  struct sim_result *out, struct diag_list *d)
{
	struct sim_settings *set = xcalloc(n + 1, sizeof(*set));
	struct sim_opts so = *o;
	const char *why;
	int rc = sim_given_settings(g, n, h, set, &why);
	if (rc) {
		diag_add(d, DIAG_ERROR, h->origin, 0, 0, "--set: %s", why);
		rc = -ERANGE;
	} else {
		so.given = set;
		so.ngiven = n;
		rc = sim_run(h, &so, out, d);
	}
	free(set);
	return rc;
}
