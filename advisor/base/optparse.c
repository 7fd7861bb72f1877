/* optparse: a command line parsed from options declared as data
 * (contract in optparse.h). */
#include "optparse.h"
#include "buf.h"
#include "diag.h"
#include "numparse.h"
#include "xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void optparse_entry(const char *flags, int long_val, struct option *o, char *shorts)
{
	const char *f = flags, *name;
	char letter = 0;
	if (f[0] == '-' && f[1] != '-') {
		letter = f[1];
		f = strstr(f, "--");
	}
	name = f + 2;
	size_t len = strcspn(name, " ");
	o->name = xstrndup(name, len);
	o->has_arg = name[len] == ' ' ? required_argument : no_argument;
	o->flag = NULL;
	o->val = letter ? letter : long_val;
	if (letter) {
		size_t n = strlen(shorts);
		shorts[n++] = letter;
		if (o->has_arg)
			shorts[n++] = ':';
		shorts[n] = '\0';
	}
}

/* The word after the name: "FILE" in "-o, --output FILE"; a CHOICE's
 * words, "text|json" in "--format text|json". */
static const char *value_word(const char *flags)
{
	return strchr(strstr(flags, "--"), ' ') + 1;
}

int optparse_choice(const char *flags, const char *arg)
{
	const char *c = value_word(flags) - 1;
	size_t len = strlen(arg);
	for (int i = 0; c; i++, c = strchr(c + 1, '|'))
		if (strcspn(c + 1, "|") == len && !strncmp(c + 1, arg, len))
			return i;
	return -1;
}

const char *optparse_refused(const struct optparse_value *v, const char *flags, const char *arg, char *buf,
			     size_t n)
{
	const char *end;
	double d;
	int64_t i;
	size_t bytes;
	switch (v->kind) {
	case OPTPARSE_ANY:
	case OPTPARSE_OUTPUT:
		return *arg ? NULL : "a non-empty value";
	case OPTPARSE_CHOICE:
		return optparse_choice(flags, arg) < 0 ? value_word(flags) : NULL;
	case OPTPARSE_NUMBER:
	case OPTPARSE_INTEGER:
		if (v->kind == OPTPARSE_NUMBER ? !parse_decimal(arg, &end, &d) && !*end && d >= v->lo && d <= v->hi
					       : !parse_i64(arg, &end, &i) && !*end && i >= v->lo && i <= v->hi)
			return NULL;
		snprintf(buf, n, "%s in %.15g..%.15g", v->kind == OPTPARSE_NUMBER ? v->legal : "a whole number", v->lo,
			 v->hi);
		return buf;
	case OPTPARSE_BYTES:
		return parse_byte_count(arg, &bytes) ? "a positive byte count (suffix k, M or G)" : NULL;
	case OPTPARSE_MATCHES:
		return v->fn(arg) ? NULL : v->legal;
	case OPTPARSE_FLAG:
	case OPTPARSE_CALLER:
	case OPTPARSE_HELP:
		break;
	}
	return NULL;
}

double optparse_number(const char *arg)
{
	double d = 0;
	parse_decimal(arg, NULL, &d);
	return d;
}

size_t optparse_bytes(const char *arg)
{
	size_t bytes = 0;
	parse_byte_count(arg, &bytes);
	return bytes;
}

bool optparse_same_file(const char *p, const char *q)
{
	struct stat sp, sq;
	return !strcmp(p, q) ||
	       (stat(p, &sp) == 0 && stat(q, &sq) == 0 && sp.st_dev == sq.st_dev && sp.st_ino == sq.st_ino);
}

/* getopt's value for a long option without a letter: past every char. */
#define LONG_VAL(i) (256 + (int)(i))

/* getopt_long found no option named by word ("--name" or "--name=value"):
 * none starts so, or several do (it accepts the start of only one). */
static void unknown_long(const struct option *lo, size_t n, const char *word, struct diag_list *d)
{
	size_t len = strcspn(word + 2, "=");
	struct buf names = {0};
	for (size_t i = 0; i < n; i++)
		if (!strncmp(lo[i].name, word + 2, len))
			buf_printf(&names, "%s--%s", names.len ? ", " : "", lo[i].name);
	if (names.len)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "'%.*s' is ambiguous: %s", (int)len + 2, word, buf_str(&names));
	else
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "unknown option '%.*s'", (int)len + 2, word);
	buf_free(&names);
}

/* Append arg to o's values; OPTPARSE_CALLER: if not empty and s->check
 * accepts it. */
static int keep(const struct optparse_spec *s, const struct optparse_opt *o, const char *name, const char *arg,
		struct diag_list *d)
{
	const char *why = o->value.kind != OPTPARSE_CALLER ? NULL
			  : *arg ? s->check(s->ctx, name, arg)
				 : "expected a non-empty value";
	if (why) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "--%s '%s': %s", name, arg, why);
		return -EINVAL;
	}
	*o->v = xreallocarray(*o->v, *o->n + 1, sizeof(**o->v));
	(*o->v)[(*o->n)++] = arg;
	return 0;
}

/* The values but CALLER's once every option is read (so --help wins over a
 * bad value before it): a refused one is dropped. */
static int check_values(const struct optparse_opt *o, const char *name, struct diag_list *d)
{
	char buf[96];
	size_t kept = 0, given = *o->n;
	int rc = 0;
	for (size_t k = 0; k < *o->n; k++) {
		const char *arg = (*o->v)[k], *legal = optparse_refused(&o->value, o->flags, arg, buf, sizeof(buf));
		if (legal)
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "--%s '%s': expected %s", name, arg, legal);
		else
			(*o->v)[kept++] = arg;
		rc = legal ? -EINVAL : rc;
	}
	*o->n = kept;
	if (o->value.once && *o->n > 1) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "--%s given %zu times (%s, %s%s): once only", name, *o->n,
			 (*o->v)[0], (*o->v)[1], *o->n > 2 ? ", ..." : "");
		rc = -EINVAL;
	}
	if (o->value.required && !given) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s is required", o->flags);
		return -EINVAL;
	}
	return rc;
}

int optparse_parse(const struct optparse_spec *s, int argc, char **argv, size_t *first, struct diag_list *d)
{
	size_t n = s->nopts;
	struct option *lo = xcalloc(n + 1, sizeof(*lo));
	char *shorts = xcalloc(2 * n + 2, 1);
	shorts[0] = ':'; /* a missing value is ':', not '?' */
	for (size_t i = 0; i < n; i++)
		optparse_entry(s->opts[i].flags, LONG_VAL(i), &lo[i], shorts);
	int rc = 0, opt;
	opterr = 0; /* the messages are ours, in d */
	optind = 0; /* glibc: full re-initialisation */
	while ((opt = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		/* the option: the one found, or the one optopt names for an error */
		size_t i = 0;
		while (i < n && lo[i].val != (opt == '?' || opt == ':' ? optopt : opt))
			i++;
		if (opt == ':')
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "--%s needs a value (%s)", lo[i].name,
				 value_word(s->opts[i].flags));
		else if (opt == '?' && i < n) /* "--force=1" */
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "--%s '%s': expected no value", lo[i].name,
				 strchr(argv[optind - 1], '=') + 1);
		else if (opt == '?' && optopt)
			diag_add(d, DIAG_ERROR, NULL, 0, 0, "unknown option '-%c'", optopt);
		else if (opt == '?')
			unknown_long(lo, n, argv[optind - 1], d);
		else if (s->opts[i].value.kind == OPTPARSE_HELP && !rc)
			break;
		else if (s->opts[i].value.kind != OPTPARSE_HELP && keep(s, &s->opts[i], lo[i].name, optarg ? optarg : "", d))
			rc = -EINVAL;
		if (opt == '?' || opt == ':')
			rc = -EINVAL;
	}
	*first = (size_t)optind;
	if (opt != -1) {
		rc = OPTPARSE_HELP_GIVEN;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (s->opts[i].value.kind != OPTPARSE_CALLER && s->opts[i].value.kind != OPTPARSE_HELP &&
		    check_values(&s->opts[i], lo[i].name, d))
			rc = -EINVAL;
	size_t nops = (size_t)argc - *first;
	if (nops < s->lo)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "missing argument %s", s->what);
	else if (nops > s->hi)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "unexpected argument '%s'", argv[*first + s->hi]);
	rc = nops < s->lo || nops > s->hi ? -EINVAL : rc;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const struct optparse_opt *p = &s->opts[i], *q = &s->opts[j];
			if (p->value.kind == OPTPARSE_OUTPUT && q->value.kind == OPTPARSE_OUTPUT && *p->n && *q->n &&
			    optparse_same_file((*p->v)[*p->n - 1], (*q->v)[*q->n - 1])) {
				diag_add(d, DIAG_ERROR, NULL, 0, 0, "--%s and --%s name the same file (%s): one would "
					 "replace the other", lo[i].name, lo[j].name, (*p->v)[*p->n - 1]);
				rc = -EINVAL;
			}
		}
out:
	for (size_t i = 0; i < n; i++)
		free((char *)lo[i].name);
	free(lo);
	free(shorts);
	return rc;
}
