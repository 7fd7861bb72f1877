/* summary: the terminal text of `recommend`.
 *
 * Made to be read in one screen (a test holds it to 25 lines of at most
 * 120 columns on this machine's live host; no line is ever wider):
 *   - a header: host, kernel, RAM, profile, rule set;
 *   - the changes: each sysctl whose recommended value differs from the
 *     current one, current -> recommended in plain units (sizes in
 *     KiB/MiB/GiB, centiseconds as seconds), the model's per-zone effect
 *     for the watermark sysctls, the rule and the first words of its
 *     reason; a fragment that a later file shadows;
 *   - the values kept as they are, in one list;
 *   - the findings without a sysctl, one line each;
 *   - the --apply outcomes when present.
 * With verbose: every decision in full (whole reason, boot precedence,
 * clamps, pins, overridden rules) and the rules that did not fire or were
 * skipped, with the facts they read in their units (sizes in bytes as
 * KiB/MiB/GiB, kernel versions as 5.8).  summary_text adds the one closing
 * line (what was written, or what to run next).
 * Deterministic: plan order, no times.  Pure: appends to a buffer.
 */
#ifndef ADVISOR_SUMMARY_H
#define ADVISOR_SUMMARY_H

#include "../base/buf.h"
#include "fragment.h"

#include <stdbool.h>

/* The widest line summary_render writes. */
#define SUMMARY_WIDTH 120

void summary_render(const struct rec_input *in, bool verbose, struct buf *out);

/* Number of decisions whose recommended value differs from the current. */
size_t summary_nchanges(const struct rec_input *in);

/* What the closing line of `recommend` depends on. */
struct summary_next {
	const char *out;            /* -o FILE, or NULL */
	bool up_to_date, identical; /* of the deployed fragment (advise.h) */
	bool apply, apply_ok;       /* --apply given; every value applied */
	bool root_live;             /* no --root, or --root / (the `sysctl -p` hint) */
	bool live;                  /* the live host: root_live and not a snapshot */
	bool verbose;
	size_t nselected;           /* settings in the fragment */
	const char *tmpfiles;       /* --tmpfiles FILE, or NULL */
	size_t ntmpfiles;           /* its settings */
	bool tmpfiles_up_to_date;
	bool live_unknown;          /* no current value of the catalog's sysctls was read */
};

/* The one closing line of the summary: what was written, or what to run
 * next (with the same host and profile options, so it can be pasted). */
void summary_closing_line(const struct rec_input *in, const struct summary_next *n, struct buf *out);

/* The whole terminal text of `recommend`: summary_render (with
 * n->verbose), a blank line, the closing line, and a line for the
 * --tmpfiles file when there is one. */
void summary_text(const struct rec_input *in, const struct summary_next *n, struct buf *out);

struct apply_entry;
/* Values were applied but the report could not be written: the previous
 * values, as `sysctl -w` lines that restore them, must not be lost. */
void summary_restore_hint(const struct apply_entry *e, size_t n, struct buf *out);

#endif
