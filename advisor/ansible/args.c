/* args: the Ansible module's arguments.  Contract in ansible.h. */
#include "ansible.h"

#include "../base/xalloc.h"
#include "../render/fragment.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *jstring(json_object *v)
{
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* Ansible's booleans as a module may receive them. */
static bool jbool(json_object *v)
{
	if (!v)
		return false;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		return !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "1") ||
		       !strcmp(s, "on");
	}
	return json_object_get_boolean(v);
}

static int invalid(struct diag_list *d, const char *msg)
{
	diag_add(d, DIAG_ERROR, NULL, 0, 0, "%s", msg);
	return -EINVAL;
}

/* rules: one directory or a list of them. */
static int parse_rules(json_object *val, struct ansible_args *a, struct diag_list *d)
{
	if (json_object_is_type(val, json_type_string)) {
		a->rules = xcalloc(1, sizeof(*a->rules));
		a->rules[a->nrules++] = json_object_get_string(val);
		return 0;
	}
	if (!json_object_is_type(val, json_type_array))
		return invalid(d, "rules: a directory or a list of directories is expected");
	size_t n = json_object_array_length(val);
	a->rules = xcalloc(n + 1, sizeof(*a->rules));
	for (size_t i = 0; i < n; i++) {
		const char *s = jstring(json_object_array_get_idx(val, i));
		if (!s)
			return invalid(d, "rules: a list of directory names is expected");
		a->rules[a->nrules++] = s;
	}
	return 0;
}

static int parse_labels(json_object *val, struct ansible_args *a, struct diag_list *d)
{
	if (!json_object_is_type(val, json_type_object))
		return invalid(d, "labels: a dictionary of strings is expected");
	a->labels = xcalloc((size_t)json_object_object_length(val) + 1, sizeof(*a->labels));
	json_object_object_foreach(val, lk, lv) {
		const char *v = json_object_get_string(lv);
		a->labels[a->nlabels++] = xasprintf("%s=%s", lk, v ? v : "");
	}
	return 0;
}

/* override: all, a key, or a list of them (each as recommend --override
 * takes it: "vm." optional, "k1,k2" allowed). */
static int parse_override(json_object *val, struct ansible_args *a, struct diag_list *d)
{
	size_t n = json_object_is_type(val, json_type_array) ? json_object_array_length(val) : 1;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_is_type(val, json_type_array) ? json_object_array_get_idx(val, i) : val;
		const char *s = jstring(v);
		char bad[64];
		if (!s)
			return invalid(d, "override: a list of sysctl keys, or all, is expected");
		if (overrides_add(&a->overrides, s, bad, sizeof(bad))) {
			diag_add(d, DIAG_ERROR, NULL, 0, 0,
				 "override: '%s' is not a sysctl the advisor sets (a list of keys, or all)", bad);
			return -EINVAL;
		}
	}
	return 0;
}

int ansible_args_parse(json_object *doc, struct ansible_args *a, struct diag_list *d)
{
	memset(a, 0, sizeof(*a));
	a->state = "recommend";
	a->dest = FRAGMENT_DEFAULT_PATH;
	a->root = "/";
	if (!json_object_is_type(doc, json_type_object))
		return invalid(d, "the arguments file does not hold a JSON object");
	const struct {
		const char *key;
		const char **dst;
	} strings[] = {
		{"state", &a->state}, {"profile", &a->profile}, {"rules_dir", &a->rules_dir},
		{"template_dir", &a->template_dir}, {"root", &a->root}, {"dest", &a->dest},
		{"report", &a->report}, {"host_id", &a->host_id},
	};
	json_object_object_foreach(doc, key, val) {
		size_t s = 0;
		while (s < sizeof(strings) / sizeof(strings[0]) && strcmp(key, strings[s].key))
			s++;
		int rc = 0;
		if (!strcmp(key, "_ansible_check_mode"))
			a->check = jbool(val);
		else if (!strcmp(key, "_ansible_diff"))
			a->diff = jbool(val);
		else if (!strncmp(key, "_ansible_", 9) || json_object_is_type(val, json_type_null))
			continue;
		else if (s < sizeof(strings) / sizeof(strings[0]))
			*strings[s].dst = jstring(val);
		else if (!strcmp(key, "apply"))
			a->apply = jbool(val);
		else if (!strcmp(key, "force"))
			a->force = jbool(val);
		else if (!strcmp(key, "page_size"))
			a->page_size = (unsigned long)json_object_get_int64(val);
		else if (!strcmp(key, "labels"))
			rc = parse_labels(val, a, d);
		else if (!strcmp(key, "rules"))
			rc = parse_rules(val, a, d);
		else if (!strcmp(key, "override"))
			rc = parse_override(val, a, d);
		else {
			diag_add(d, DIAG_ERROR, NULL, 0, 0,
				 "unsupported parameter: %s (supported: state, profile, rules_dir, rules, template_dir, "
				 "root, dest, report, apply, force, override, host_id, labels, page_size)",
				 key);
			return -EINVAL;
		}
		if (rc)
			return rc;
	}
	if (!a->state || (strcmp(a->state, "recommend") && strcmp(a->state, "audit") && strcmp(a->state, "absent")))
		return invalid(d, "state must be recommend, audit or absent");
	if (!a->root || !a->dest || a->dest[0] != '/' || (a->report && a->report[0] != '/'))
		return invalid(d, "root, dest and report must be strings; dest and report are absolute paths as the "
				  "host sees them");
	return 0;
}

void ansible_args_free(struct ansible_args *a)
{
	free(a->rules);
	for (size_t i = 0; i < a->nlabels; i++)
		free(a->labels[i]);
	free(a->labels);
	overrides_free(&a->overrides);
}
