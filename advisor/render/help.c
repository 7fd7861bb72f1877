/* help: the layout of the command-line help (contract in help.h). */
#include "help.h"

#include <stdbool.h>
#include <string.h>

/* "  flags   text" with the text in a column; continuation lines of the
 * text (and a text after long flags) start in that column. */
static void opt(struct buf *b, const char *flags, const char *t)
{
	enum { COL = 24 };
	size_t start = b->len;
	buf_printf(b, "  %s", flags);
	int w = (int)(b->len - start);
	if (w >= COL - 1) {
		buf_putc(b, '\n');
		w = 0;
	}
	for (bool first = true; *t; first = false) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		buf_printf(b, "%*s%.*s\n", first ? COL - w : COL, "", (int)len, t);
		t += len + (nl != NULL);
	}
}

/* A blank line, then every line of text. */
static void paragraph(struct buf *b, const char *text)
{
	buf_putc(b, '\n');
	for (const char *t = text; *t;) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		buf_printf(b, "%.*s\n", (int)len, t);
		t += len + (nl != NULL);
	}
}

/* Synopsis lines: each a form of the command, or (starting with a blank)
 * the continuation of the one before. */
static void synopsis(struct buf *b, const char *text)
{
	const char *lead = "usage: reclaim-advisor ";
	int indent = (int)(strlen(lead) + strcspn(text, " \n") + 1);
	for (const char *t = text; *t;) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		if (*t == ' ') {
			size_t sp = strspn(t, " ");
			buf_printf(b, "%*s%.*s\n", indent, "", (int)(len - sp), t + sp);
		} else {
			buf_printf(b, "%s%.*s\n", lead, (int)len, t);
		}
		lead = "       reclaim-advisor ";
		t += len + (nl != NULL);
	}
}

void help_render(const struct help_page *p, struct buf *b)
{
	synopsis(b, p->synopsis);
	if (p->description)
		paragraph(b, p->description);
	buf_puts(b, "\noptions:\n");
	for (size_t i = 0; i < p->nopts; i++)
		opt(b, p->opts[i].flags, p->opts[i].text);
	opt(b, "-h, --help", "this text");
	if (p->host_opts) {
		buf_puts(b, "\nhost options:\n");
		for (size_t i = 0; i < p->nhost_opts; i++)
			opt(b, p->host_opts[i].flags, p->host_opts[i].text);
	}
	if (p->notes)
		paragraph(b, p->notes);
}
