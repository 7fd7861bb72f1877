/* engine: rules + profile + host -> plan.
 *
 * The plan is what the generator renders and the report justifies: one
 * decision per sysctl the rules touched (winner, losers and why), findings
 * without a sysctl, and the rules that did not fire or were skipped.
 * Everything in a plan is owned by it; plan_free releases it.
 */
#ifndef ADVISOR_ENGINE_H
#define ADVISOR_ENGINE_H

#include "../base/diag.h"
#include "../collect/host.h"
#include "../facts/facts.h"

#include "../base/severity.h" /* enum severity, severity_name */

#include <stdbool.h>
#include <stddef.h>

struct ruleset;  /* ruleset.h */
struct profile;  /* ruleset.h */
struct wm_model; /* model/watermark.h */

enum confidence { CONF_LOW, CONF_MEDIUM, CONF_HIGH };

/* The diagnosis a rule names (issue 13): what the evidence says is wrong,
 * so that only a cause a sysctl can fix changes a sysctl. */
#define CAUSES(X)                                                                       \
	X(CAUSE_NONE, "")                                                               \
	X(CAUSE_KSWAPD_LAG, "kswapd-lag")       /* order-0 direct reclaim: the low-min gap */ \
	X(CAUSE_COMPACTION, "compaction")       /* high-order: compaction, THP defrag */     \
	X(CAUSE_MEMCG, "memcg")                 /* a cgroup's memory.high/max */             \
	X(CAUSE_CAPACITY, "capacity")           /* working set larger than memory */         \
	X(CAUSE_ATOMIC, "atomic")               /* GFP_ATOMIC failures: the reserve */       \
	X(CAUSE_NOWAIT, "nowait")               /* GFP_NOWAIT failures: fail at min */       \
	X(CAUSE_OOM_GLOBAL, "oom-global")                                               \
	X(CAUSE_OOM_MEMCG, "oom-memcg")                                                 \
	X(CAUSE_OOM, "oom")                     /* global or memcg unknown */                \
	X(CAUSE_NUMA, "numa")                   /* placement across nodes */                 \
	X(CAUSE_ADMINISTRATOR, "administrator") /* an administrator's explicit value */      \
	X(CAUSE_IDLE, "idle")                   /* no evidence, or too little */             \
	X(CAUSE_CONFIG, "config")               /* a setting wrong whatever the load */
enum cause {
#define X(e, s) e,
	CAUSES(X)
#undef X
};
/* The name of c ("" for CAUSE_NONE); cause_parse: 0 and *out, or -EINVAL. */
const char *cause_name(enum cause c);
int cause_parse(const char *s, enum cause *out);

const char *confidence_name(enum confidence c);

struct evidence {
	char *fact;            /* fact name */
	bool present;
	struct value v;        /* string values owned by the plan */
	enum fact_unit unit;
	char *reason;          /* when absent */
};

struct loser {
	char *rule;
	struct value value;    /* what it proposed (ints; strings owned) */
	char *why;             /* "lower priority (40 < 50)", "tie: reserve takes the larger", ... */
	char *sysctl;          /* NULL, or the exclusive partner key it proposed
				* ("vm.dirty_ratio" in the vm.dirty_bytes decision) */
};

struct decision {
	char *sysctl;                 /* "vm.watermark_scale_factor" */
	bool has_current;
	struct value current;
	struct value recommended;
	bool has_default;
	struct value kernel_default;
	bool changed;                 /* recommended != current */
	char *rule, *rule_file;       /* the winning rule and where it is defined */
	unsigned rule_line;
	enum severity severity;
	enum confidence confidence;
	char *reason;                 /* the interpolated `why` */
	char *ref;
	struct evidence *ev;
	size_t nev;
	struct loser *losers;
	size_t nlosers;
	bool clamped;                 /* the catalog's range or safety bound moved it */
	struct value unclamped;
	char *clamp_reason;
	char *pinned_by;              /* profile that pinned the value, or NULL */
	char *zeroes;                 /* exclusive partner the kernel resets to 0 when this
				       * is written ("vm.dirty_ratio"), or NULL */
	enum cause cause;             /* the winning rule's */
	bool held;                    /* a low-confidence change the engine did not make
				       * (recommended is the current value; reason says so) */
	/* An administrator's explicit value of this key that the rules would
	 * change (engine_administrators; NULL when none, or when they agree) */
	char *admin_source;           /* where it is set ("/etc/sysctl.d/99-site.conf:3", "the live
				       * value; no sysctl.d file sets it"), or NULL: none */
	struct value admin_value;
	bool admin_kept;              /* kept: recommended is admin_value, advisor_value what the
				       * rules chose; the key is left out of our fragment */
	struct value advisor_value;
	char *admin_overridden_by;    /* changed anyway, and why ("--override", "profile latency
				       * pins it", ...), or NULL */
	bool noop;                    /* a watermark_scale_factor change the model showed moves
				       * no watermark at the desired min_free_kbytes: not made
				       * (recommended is the current value; reason says so) */
	char *taken_back_from;        /* the profile whose fragment of ours put the live value
				       * there, when the rules ran without it (engine_taken_back;
				       * the reason says so), or NULL */
};

struct finding {
	char *rule, *rule_file;
	unsigned rule_line;
	enum severity severity;
	enum confidence confidence;
	enum cause cause;
	char *reason;
	char *ref;
	struct evidence *ev;
	size_t nev;
	char *tmpfiles_path;          /* a sysfs setting advised (systemd-tmpfiles), or NULL */
	char *tmpfiles_value;
};

/* SKIP_PARTNER: fired, but a rule it names in requires_rules did not apply
 * (waived, pinned, beaten, held, ...), so its advice is not made either. */
enum skip_kind {
#define SKIP(id, name, label, verb) SKIP_##id,
#include "skip_kinds.def"
#undef SKIP
};
/* A kind's spellings (skip_kinds.def): the report's name ("not_fired"),
 * explain's label ("did not fire"), and the verb a partner's reason uses
 * ("was waived"). */
const char *skip_kind_name(enum skip_kind k);
const char *skip_kind_label(enum skip_kind k);
const char *skip_kind_verb(enum skip_kind k);

struct skipped {
	char *rule;
	enum skip_kind kind;
	char *why;
	char **facts;  /* SKIP_NOT_FIRED by its when: the facts it read, so a
			* front end can show their values in its own units */
	size_t nfacts;
};

struct plan {
	struct decision *d;   /* sorted by sysctl name */
	size_t nd;
	struct finding *f;    /* in rule order */
	size_t nf;
	struct skipped *s;    /* in rule order */
	size_t ns;
	char *profile;        /* active profile name */
	char *ruleset_digest; /* FNV-1a 64 of the rule and profile files, 16 hex digits
			       * (stable, not cryptographic) */
	struct diag_list diags;
	struct wm_model *wm;  /* the desired host's watermark model (plan_model), or NULL */
};

/* Evaluate every active rule against h (whose facts must already include
 * the watermark model's wmark.* facts).  live is the model those facts came
 * from (wmark_add_facts keeps it; borrowed, may be NULL): the no-op check
 * reads it instead of running the model again when it describes the host
 * the check asks about.  Returns 0 and *out, or -errno on an internal
 * error.  Rule-level problems (absent facts, division by zero) never fail
 * the run: they become skipped entries. */
int engine_run(const struct ruleset *rs, const struct profile *p, const struct host *h,
	       const struct wm_model *live, struct plan **out);
void plan_free(struct plan *p);

/* The watermark model of the host as the plan wants it: h's zones (h is
 * the host the plan was made for) at the plan's vm.min_free_kbytes and
 * vm.watermark_scale_factor, h's live value where the plan decides
 * neither.  One run serves every reader: the engine's no-op check (step 6)
 * computes it when the plan changes watermark_scale_factor, and advise/
 * takes it as the watermarks after.  The plan keeps it (plan->wm, released
 * by plan_free) and computes it again only when a later step changed one
 * of the two values (the no-op check taking its change back, an
 * administrator's value kept).  When the two values are those live (may be
 * NULL: the model h's live values gave, wmark_add_facts) was computed with,
 * live itself is returned and nothing runs.  NULL when the model cannot run
 * (no zones, a page size it cannot use), the reason in d (may be NULL). */
const struct wm_model *plan_model(struct plan *plan, const struct host *h, const struct wm_model *live,
				  struct diag_list *d);

/* An administrator's explicit value of a key (advise.c finds them: a
 * sysctl.d file that is not ours sets the key, or the live value is not
 * the kernel's default and no file sets it).  Borrowed. */
struct admin_value {
	const char *sysctl;
	int64_t value;
	const char *source;
};

/* recommend --override KEY[,KEY...] | all: the keys whose administrators'
 * values the advice may change.  Borrowed; all zero = none. */
struct overrides {
	bool all;
	char **keys;   /* owned (overrides_add); sysctl catalog names */
	size_t n;
};

/* Add "KEY[,KEY...]" or "all" to o (recommend --override, the Ansible
 * module's `override`).  A key is a sysctl of the catalog, "vm." optional.
 * 0, or -EINVAL with the offending key copied to bad (o keeps what came
 * before it).  overrides_free releases the copies; NULL is a no-op. */
int overrides_add(struct overrides *o, const char *arg, char *bad, size_t badlen);
void overrides_free(struct overrides *o);

/* Administrators' explicit values (issue 13, rules/README.md; administrators.c): a decision
 * that would change one of v[] keeps it instead (recommended = the
 * administrator's value, admin_kept; the reason says what the advisor would
 * choose and how to override it), unless o names the key (or all), the
 * profile pins it or one of its [bounds] moved it, the winning rule belongs
 * to the active profile (a `profiles` list), or the rule says
 * `overrides_administrator = yes` (a value wrong whoever set it: an
 * oversized reserve or kswapd buffer).  Such a change is made and says so
 * (admin_overridden_by).  A value outside the key's legal range on this
 * kernel or its safety bounds on this host (f: sysctl_catalog.h) is never
 * kept.  Then requires_rules: a decision whose rule requires a rule whose
 * key was kept at an administrator's value is not made either (its key
 * keeps its current value, else the kernel default; the reason says why),
 * repeated through the chain.  rs may be NULL (no rule is then
 * profile-scoped or tied); f and o may be NULL. */
void engine_administrators(struct plan *plan, const struct ruleset *rs, const struct facts *f,
			   const struct admin_value *v, size_t n, const struct overrides *o);


/* A key our deployed fragment sets whose value is live now and is not the
 * host's without our fragment (advise.c finds them; rules/README.md,
 * "Desired state"): the fragment was written for another profile, so the
 * rules ran on the host without that value (base) and the plan is told
 * the live value here.  Borrowed. */
struct taken_back {
	const char *sysctl;      /* "vm.watermark_scale_factor" */
	int64_t ours;            /* our fragment's value, live now */
	int64_t base;            /* the value without our fragment */
	const char *base_source; /* where base comes from ("/etc/sysctl.d/90-site.conf:3",
				  * "the value our fragment replaced", "the kernel default") */
	const char *profile;     /* the profile our fragment was written for */
};

/* After engine_run on the host without our fragment's values
 * (t[]): each decision on a key of t gets the live value as its current
 * value (changed when the advice differs from it; taken_back_from) and its
 * reason says what is taken back from which profile; a key of t that no
 * rule of the plan's profile decides gets a decision of its own, rule
 * FRAGMENT_TAKEN_BACK_RULE (rule_file fragment_file, may be NULL),
 * recommending base: the value another profile's fragment put there is not
 * left live (an --apply restores base, the boot gives it), also when the
 * profile waives the key (a waiver leaves the key to the site; the value is ours,
 * and base is the site's own when a file of its sets it) - except a key of
 * an exclusive pair (dirty_bytes and dirty_ratio: writing the default of
 * one form is not how the other comes back).  f: the facts (kernel
 * defaults); may be NULL. */
#define FRAGMENT_TAKEN_BACK_RULE "fragment-taken-back"
void engine_taken_back(struct plan *plan, const struct facts *f, const char *fragment_file,
		       const struct taken_back *t, size_t n);

#endif
