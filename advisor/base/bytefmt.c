/* bytefmt: see bytefmt.h. */
#include "bytefmt.h"

#include <math.h>

void bytefmt_put(struct buf *b, double bytes, enum bytefmt style)
{
	static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	const size_t top = style == BYTEFMT_COLUMN ? 3 : sizeof(unit) / sizeof(unit[0]) - 1;
	double a = fabs(bytes), v = bytes;
	size_t i = 0;
	while (a >= 1024 && i < top) {
		a /= 1024;
		v /= 1024;
		i++;
	}
	if (i == 0)
		buf_printf(b, "%.0f %s", v, style == BYTEFMT_COLUMN ? "B" : "bytes");
	else if (style == BYTEFMT_COLUMN)
		buf_printf(b, a < 10 && i >= 2 ? "%.1f %s" : "%.0f %s", v, unit[i]);
	else if (a < 10 && llround(a * 10) % 10 != 0)
		buf_printf(b, "%.1f %s", v, unit[i]);
	else
		buf_printf(b, "%.0f %s", v, unit[i]);
}
