/* taken_back (advise/): desired state across profiles (rules/README.md,
 * "Desired state").  The advice for a host must not depend on values our
 * own earlier fragment put there.  A live value is ours when our deployed
 * fragment sets the key to it, or when the fragment's base line says an
 * earlier fragment of ours put it there and was replaced without being
 * applied (render/fragment.h, "ours=V profile=P").  Such a value is taken
 * back when it is another profile's (the deployed fragment was written
 * for another profile), or when it is such an earlier fragment's (any
 * profile: the deployed fragment does not set it, so no -kept rule knows
 * it): the rules run on the host without it - its value without our
 * fragment: another sysctl.d file's at boot, else the base line's, else the
 * value the fragment's entry says it replaced ("was", a fragment of an
 * older version), else the kernel default - and engine_taken_back tells
 * the plan the live value.  An administrator's value (a file that is not
 * ours) is the value without our fragment, so it stays respected; a value
 * our own profile's fragment set is not taken back (its -kept rules and
 * "never below the current value" keep the fixpoint).
 *
 * The fresh fragment then carries, per key, the value without ours
 * (taken_back_bases), so that the next run knows it after any number of
 * rewrites with or without --apply.  Private to advise/. */
#ifndef ADVISOR_ADVISE_TAKEN_BACK_H
#define ADVISOR_ADVISE_TAKEN_BACK_H

#include "advise.h"

/* A key whose live value is ours. */
struct ours_live {
	const char *sysctl;    /* the catalog's name */
	int64_t live;
	const char *profile;   /* the profile of the fragment of ours that set it (owned by the set) */
	bool has_base;         /* base: its value without any fragment of ours, as recorded (the base
				* line, else the entry's "was", else the kernel default) */
	int64_t base;
	bool taken;            /* taken back under this profile (in v[]) */
};

struct taken_back_set {
	struct taken_back *v;   /* n entries taken back; strings owned by the set */
	size_t n;
	struct ours_live *o;    /* no entries: every live value of ours */
	size_t no;
	char **strs;            /* nstrs strings the entries point to */
	size_t nstrs;
};

/* The live values of ours on h and the keys to take back under profile
 * (the active profile's name), read from a's deployed fragment (its
 * assignments and base lines), h's live facts and a->prec (NULL: no
 * sysctl.d scan; then no other file is known).  Returns out->n (0: none
 * taken back; out->o may still list values of ours).
 * taken_back_set_free releases it. */
size_t advise_taken_back(const struct advice *a, const struct host *h, const char *profile,
			 struct taken_back_set *out);
void taken_back_set_free(struct taken_back_set *s);

/* Is key's live value ours (in s->o)? */
bool taken_back_ours(const struct taken_back_set *s, const char *key);

/* A new fact store: h's facts with each taken-back key at its value
 * without our fragment (the fragment.vm.* facts of another profile's
 * fragment are absent already: advise.c, deployed_facts).  The watermark facts are still h's: the caller
 * runs the model on it. */
struct facts *taken_back_facts(const struct host *h, const struct taken_back_set *s);

/* The base lines the fresh fragment carries (render/fragment.h): one per
 * key the fragment sets (selected[i] over a->plan) and per live value of
 * ours it does not set.  A live value of ours keeps its recorded base, and
 * "ours" when the fragment does not set the key to it; any other key's
 * base is its live value (what the fragment, once applied, replaces).  A
 * key with neither (not readable) gets no line. */
void taken_back_bases(const struct advice *a, const struct host *h, const struct taken_back_set *s,
		      struct fragment_base_list *out);

#endif
