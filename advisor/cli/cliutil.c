#include "cliutil.h"
#include "exitcodes.h"
#include "hostopts.h"
#include "../base/datadir.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/xalloc.h"
#include "../render/fragment.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_write_code(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case EEXIST: /* the path is a device, symlink or fifo: never replaced */
		return EXIT_CANTCREAT;
	default:
		return EXIT_IOERR;
	}
}

int cli_emit(const char *cmd, const char *path, const char *data, size_t len)
{
	if (!path) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout)) {
			fprintf(stderr, "reclaim-advisor: %s: stdout: %s\n", cmd, strerror(errno));
			return EXIT_IOERR;
		}
		return 0;
	}
	int rc = fileio_write_atomic(path, data, len, 0644);
	if (rc) {
		fprintf(stderr, "reclaim-advisor: %s: %s: %s (the old file, if any, is unchanged)\n", cmd, path,
			rc == -EEXIST ? "exists and is not a regular file" : strerror(-rc));
		return cli_write_code(-rc);
	}
	return 0;
}

char *cli_template_dir(const char *given)
{
	if (given)
		return xstrdup(given);
	char *d = datadir_find("RECLAIM_ADVISOR_TEMPLATE_DIR", ADVISOR_DATADIR "/templates", "templates");
	return d ? d : xstrdup(ADVISOR_DATADIR "/templates");
}

int cli_load_templates(const char *dir, struct fragment_templates *t, struct diag_list *d)
{
	char *hp = xasprintf("%s/%s", dir, FRAGMENT_HEADER_TMPL);
	char *ep = xasprintf("%s/%s", dir, FRAGMENT_ENTRY_TMPL);
	char *h = NULL, *e = NULL;
	size_t hn = 0, en = 0;
	int rc = file_read(hp, 1u << 20, &h, &hn);
	if (rc)
		diag_add(d, DIAG_ERROR, hp, 0, 0, "cannot read template: %s", strerror(-rc));
	int rc2 = file_read(ep, 1u << 20, &e, &en);
	if (rc2)
		diag_add(d, DIAG_ERROR, ep, 0, 0, "cannot read template: %s", strerror(-rc2));
	if (!rc && !rc2)
		rc = fragment_templates_parse(h, hn, hp, e, en, ep, t, d);
	else
		rc = -ENOENT;
	free(h);
	free(e);
	free(hp);
	free(ep);
	return rc;
}

int cli_other_option(struct hostopts *ho, int opt, const char *arg, void (*usage)(FILE *))
{
	int r = hostopts_handle(ho, opt, arg);
	if (r == 1)
		return 0;
	if (r == 0 && usage)
		usage(stderr);
	return EXIT_USAGE;
}

int cli_no_operands(const char *cmd, int argc, char **argv, void (*usage)(FILE *))
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "reclaim-advisor: %s: unexpected argument '%s'\n", cmd, argv[optind]);
	if (usage)
		usage(stderr);
	return EXIT_USAGE;
}

int cli_text_or_json(const char *cmd, const char *arg, int *json)
{
	if (!strcmp(arg, "json") || !strcmp(arg, "text")) {
		*json = !strcmp(arg, "json");
		return 0;
	}
	fprintf(stderr, "reclaim-advisor: %s: --format %s: expected text or json\n", cmd, arg);
	return EXIT_USAGE;
}
