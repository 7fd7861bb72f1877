/* Exit codes of every command, in one place (the README's table mirrors it).
 * Errors follow sysexits(3); audit follows the monitoring-plugin convention. */
#ifndef ADVISOR_EXITCODES_H
#define ADVISOR_EXITCODES_H

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,       /* runtime failure not covered below */
	EXIT_CHANGED = 2,    /* recommend --check: the fragment on disk would change */
	EXIT_USAGE = 64,     /* bad command line */
	EXIT_DATAERR = 65,   /* malformed input (proc file, snapshot, report) */
	EXIT_NOINPUT = 66,   /* input missing or unreadable (root, snapshot, rules dir) */
	EXIT_CANTCREAT = 73, /* refusing or unable to write an output file */
	EXIT_IOERR = 74,     /* write failed (disk full, read-only) */
	EXIT_NOPERM = 77,    /* --apply not permitted */
	EXIT_CONFIG = 78,    /* rule or profile files do not load */
	EXIT_APPLIED_UNRECORDED = 79, /* --apply changed the host but an output could not be written
				       * afterwards; the previous values are on stderr as sysctl -w lines */
};

/* audit: monitoring-plugin convention (Nagios, Icinga, Zabbix). */
enum {
	AUDIT_OK = 0,
	AUDIT_WARNING = 1,
	AUDIT_CRITICAL = 2,
	AUDIT_UNKNOWN = 3,
};

#endif
