/* audit_format: the audit's output formats, text | json | prometheus, and
 * where a Prometheus textfile goes.  Pure: appends to a buffer. */
#ifndef ADVISOR_AUDIT_FORMAT_H
#define ADVISOR_AUDIT_FORMAT_H

#include "../audit/audit.h"
#include "../base/buf.h"
#include "prom.h"

enum audit_format { AUDIT_FMT_TEXT, AUDIT_FMT_JSON, AUDIT_FMT_PROM };

/* "text", "json", "prometheus" or "prom": 0 and *f; else -EINVAL. */
int audit_format_parse(const char *name, enum audit_format *f);
/* Is name one of those? */
bool audit_format_known(const char *name);

/* The audit in format f (h, the collected host or NULL, and po feed the
 * Prometheus form). */
void audit_format_render(const struct audit *a, const struct host *h, enum audit_format f,
			 const struct prom_opts *po, struct buf *out);

/* The file a textfile collector directory gets: one per audit instance
 * (instance NULL: the default), so two audits writing there never replace
 * each other's file.  Caller frees. */
char *audit_textfile_path(const char *dir, const char *instance);

#endif
