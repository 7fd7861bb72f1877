/* severity: names of severities and statuses.  Contract in severity.h. */
#include "severity.h"

#include <errno.h>
#include <string.h>

static const char *const sev_names[SEV_COUNT] = {"info", "warning", "critical"};
static const char *const status_names[STATUS_COUNT] = {"ok", "warning", "critical", "unknown"};
static const char *const status_upper[STATUS_COUNT] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

const char *severity_name(enum severity s)
{
	return (unsigned)s < SEV_COUNT ? sev_names[s] : sev_names[SEV_INFO];
}

int severity_parse(const char *s, enum severity *out)
{
	for (unsigned i = 0; s && i < SEV_COUNT; i++)
		if (!strcmp(s, sev_names[i])) {
			*out = (enum severity)i;
			return 0;
		}
	return -EINVAL;
}

const char *status_name(enum status s)
{
	return (unsigned)s < STATUS_COUNT ? status_names[s] : status_names[STATUS_UNKNOWN];
}

const char *status_plugin_name(enum status s)
{
	return (unsigned)s < STATUS_COUNT ? status_upper[s] : status_upper[STATUS_UNKNOWN];
}

int status_parse(const char *s, enum status *out)
{
	for (unsigned i = 0; s && i < STATUS_COUNT; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum status)i;
			return 0;
		}
	return -EINVAL;
}
