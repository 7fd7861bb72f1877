/* template: logic-free text templates for the sysctl.d fragment.
 *
 * A template is plain text with holes written {{name}} (blanks inside the
 * braces are allowed: {{ name }}).  A hole name is letters, digits, '_' and
 * '.'.  There are no conditionals, loops or filters: the caller decides what
 * goes where (the fragment module repeats the entry template once per
 * decision).  A literal "{{" cannot be written; nothing in sysctl.d(5)
 * syntax needs it.
 *
 * tmpl_parse checks the whole text once, against the list of holes the
 * caller will fill, and reports *every* problem as a diagnostic naming
 * origin:line:col (1-based, col in bytes): an unknown hole, an unterminated
 * "{{" (no "}}" on the same line), an empty or malformed name; a NUL byte
 * anywhere rejects the text at once (binary content).  Rendering
 * a parsed template cannot fail on syntax; it fails with -ENOENT only when
 * the variable map lacks a hole the template uses (a programmer error in
 * the caller: the allowed list and the map disagree).
 *
 * Ownership: a struct tmpl owns a copy of the text and its origin.  A
 * struct tmpl_vars owns copies of its keys and values; a zero-initialised
 * struct tmpl_vars is an empty map.  NULL is a no-op for the *_free calls.
 */
#ifndef ADVISOR_TEMPLATE_H
#define ADVISOR_TEMPLATE_H

#include "../base/buf.h"
#include "../base/diag.h"

#include <stdbool.h>
#include <stddef.h>

struct tmpl;

struct tmpl_var {
	char *key, *value;
};

struct tmpl_vars {
	struct tmpl_var *v;
	size_t n, cap;
};

/* Parse text (len bytes; need not be NUL-terminated) named origin.
 * allowed is a NULL-terminated list of hole names.  Returns 0 and *out, or
 * -EINVAL after appending one error per problem to d (*out untouched). */
int tmpl_parse(const char *text, size_t len, const char *origin, const char *const *allowed,
	       struct tmpl **out, struct diag_list *d);

/* Append the template to b with every hole replaced by its value.
 * Returns 0, or -ENOENT when vars lacks a used hole (b may then hold a
 * partial rendering; the caller discards it). */
int tmpl_render(const struct tmpl *t, const struct tmpl_vars *vars, struct buf *b);

/* Does t use the hole name? */
bool tmpl_has_hole(const struct tmpl *t, const char *name);

/* The template's origin as given to tmpl_parse. */
const char *tmpl_origin(const struct tmpl *t);

void tmpl_free(struct tmpl *t);

/* Set key to value (copied; replaces an earlier value of key). */
void tmpl_vars_set(struct tmpl_vars *m, const char *key, const char *value);
void tmpl_vars_setf(struct tmpl_vars *m, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The value of key, or NULL. */
const char *tmpl_vars_get(const struct tmpl_vars *m, const char *key);
void tmpl_vars_free(struct tmpl_vars *m);

#endif
