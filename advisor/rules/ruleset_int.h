/* ruleset_int: what ruleset.c (the rule table and loading), rule_build.c
 * (one section -> one checked rule) and profile.c (profiles) share.
 * Private to advisor/rules/; callers use ruleset.h and profile.h.
 *
 * Strings returned are new (the caller frees them); lists come from
 * rules_split_list and go back through rules_free_list. */
#ifndef ADVISOR_RULESET_INT_H
#define ADVISOR_RULESET_INT_H

#include "iniread.h"
#include "ruleset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RULE_FILE_CAP (1u << 20) /* a rule or profile file larger than 1 MiB is a mistake */

/* A rule id (dots allowed) or a profile name: letters, digits, '-', '_'. */
bool rules_name_ok(const char *s, bool dots);
/* A file the loaders read: NAME.ini, not hidden. */
bool rules_is_ini_name(const char *name);
/* Split a comma list into trimmed, non-empty items (*n of them; NULL when
 * none). */
char **rules_split_list(const char *s, size_t *n);
void rules_free_list(char **v, size_t n);
/* yes/true/on/1 or no/false/off/0; -EINVAL otherwise (*out untouched). */
int rules_parse_bool(const char *s, bool *out);
/* Fold one file into an FNV-1a 64 digest (base/fnv.h): its base name and
 * bytes, each preceded by its length, so that concatenations of different
 * files cannot collide trivially. */
uint64_t rules_file_hash(uint64_t h, const char *origin, const char *buf, size_t len);

/* Build and check one rule from its section, expressions parsed into arena
 * a.  Returns the rule (even with errors, for the error count; the caller
 * frees it with rule_free) and the number of errors in *errs; every error
 * and warning is in d. */
struct rule *rule_build(struct expr_arena *a, const struct ini_doc *doc, const struct ini_section *sec,
			struct diag_list *d, int *errs);
void rule_free(struct rule *r);

#endif
