/* datadir: where the tool finds its own data (rules, templates).
 *
 * One search order for every kind of data, so the rules and the templates
 * can never come from different trees: an environment variable for that kind
 * (tests), $RECLAIM_ADVISOR_DATADIR/<name> (a tree unpacked somewhere else,
 * e.g. a package extracted with dpkg -x), the installed directory
 * (ADVISOR_DATADIR/<name>), else the source tree next to
 * the executable (build/reclaim-advisor -> ../<name>, build/asan/... ->
 * ../../<name>).  The executable is found through /proc/self/exe: this is
 * the running tool's own file, not the analysed host's /proc.
 */
#ifndef ADVISOR_DATADIR_H
#define ADVISOR_DATADIR_H

/* Returns a new string (caller frees): the value of env_var when set and
 * non-empty; else $RECLAIM_ADVISOR_DATADIR/<name> when that variable is set
 * and non-empty (not checked: a wrong value is an error at its use, not a
 * silent fall-back to another tree); else installed when it is a directory;
 * else the first
 * <exe dir>/../<name> or <exe dir>/../../<name> that is a directory
 * (resolved with realpath); else NULL. */
char *datadir_find(const char *env_var, const char *installed, const char *name);

#endif
