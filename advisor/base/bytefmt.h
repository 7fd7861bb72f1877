/* bytefmt: a byte count as people read it ("117 MiB", "1.9 GiB").
 *
 * The one formatter of sizes in binary units for every output.  Two styles,
 * because two kinds of text already carry sizes that tests and users compare
 * byte for byte:
 *   BYTEFMT_PROSE   sentences (a rule's why, the no-op check's reason):
 *                   units up to EiB, one decimal below 10 units only when it
 *                   is not .0 ("1.5 KiB", "2 MiB"), "512 bytes";
 *   BYTEFMT_COLUMN  headers and tables (the fragment's RAM line, the
 *                   terminal summary): units up to GiB, always one decimal
 *                   for 1-10 MiB or GiB ("2.0 MiB"), KiB whole ("1 KiB"),
 *                   "512 B".
 * Both pick the largest binary unit not above the value; negative values
 * keep their sign.  Appends to b; never fails. */
#ifndef ADVISOR_BYTEFMT_H
#define ADVISOR_BYTEFMT_H

#include "buf.h"

enum bytefmt { BYTEFMT_PROSE, BYTEFMT_COLUMN };

void bytefmt_put(struct buf *b, double bytes, enum bytefmt style);

#endif
