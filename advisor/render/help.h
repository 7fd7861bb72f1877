/* help: the layout of a command's help, as GNU tools print theirs: the
 * usage lines, a paragraph, the options with their text in a second
 * column, the shared host options, the exit status.  Nothing here is
 * computed: the text is the command table's (cli/commands.def).
 * Pure: appends to b; everything is borrowed.
 */
#ifndef ADVISOR_RENDER_HELP_H
#define ADVISOR_RENDER_HELP_H

#include "../base/buf.h"

#include <stddef.h>

struct help_opt {
	const char *cmd;   /* the command it belongs to ("host": the host options) */
	const char *flags; /* "-o, --output FILE" */
	const char *text;  /* one or more lines, '\n' between them */
};

struct help_page {
	const char *synopsis;    /* lines after "usage: reclaim-advisor "; a line
				  * starting with a blank continues the one before */
	const char *description; /* a paragraph, or NULL */
	const struct help_opt *opts, *host_opts; /* host_opts NULL: none */
	size_t nopts, nhost_opts;
	const char *notes;       /* exit status and remarks, or NULL */
};

void help_render(const struct help_page *p, struct buf *b);

#endif
