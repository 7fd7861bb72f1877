/* optparse: options declared as data (contract in optparse.h). */
#include "optparse.h"
#include "numparse.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
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

/* "text|json" in "--format text|json" (also "-f, --format text|json") */
static const char *choices(const char *flags)
{
	return strchr(strstr(flags, "--"), ' ') + 1;
}

int optparse_choice(const char *flags, const char *arg)
{
	const char *c = choices(flags) - 1;
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
	case OPTPARSE_NONEMPTY:
	case OPTPARSE_OUTPUT:
		return *arg ? NULL : "a non-empty value";
	case OPTPARSE_CHOICE:
		return optparse_choice(flags, arg) < 0 ? choices(flags) : NULL;
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
	case OPTPARSE_ANY:
	case OPTPARSE_CALLER:
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
