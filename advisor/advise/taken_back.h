/* taken_back (advise/): desired state across profiles (rules/README.md,
 * "Desired state").  The advice for a host must not depend on values our
 * own earlier fragment put there: when our deployed fragment on the host
 * was written for another profile, each key it sets whose value is live
 * is taken back - the rules run on the host without it (its value without
 * our fragment: another sysctl.d file's at boot, else the value our
 * fragment's entry says it replaced, else the kernel default), and
 * engine_taken_back tells the plan the live value.  An administrator's
 * value (a file that is not ours) is the value without our fragment, so it
 * stays respected; within one profile nothing is taken back (its own
 * -kept rules and "never below the current value" keep the fixpoint).
 * Private to advise/. */
#ifndef ADVISOR_ADVISE_TAKEN_BACK_H
#define ADVISOR_ADVISE_TAKEN_BACK_H

#include "advise.h"

struct taken_back_set {
	struct taken_back *v;   /* n entries; strings owned by the set */
	size_t n;
	char *profile;          /* the profile our fragment was written for */
};

/* The keys of a's deployed fragment to take back under profile (the
 * active profile's name), read from h's live facts and a->prec (NULL: no
 * sysctl.d scan; then no other file is known).  Returns out->n (0: none,
 * nothing allocated).  taken_back_set_free releases it. */
size_t advise_taken_back(const struct advice *a, const struct host *h, const char *profile,
			 struct taken_back_set *out);
void taken_back_set_free(struct taken_back_set *s);

/* A new fact store: h's facts with each taken-back key at its value
 * without our fragment and every fragment.vm.* fact absent (the
 * fragment is another profile's: its -kept values are not this one's).
 * The watermark facts are still h's: the caller runs the model on it. */
struct facts *taken_back_facts(const struct host *h, const struct taken_back_set *s);

#endif
