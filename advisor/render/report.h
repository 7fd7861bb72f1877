/* report: the JSON rationale of a recommendation (json-c).
 *
 * One document serves `recommend --report FILE` and `--format json`; its
 * shape is published in schema/report.schema.json ("schema":
 * "reclaim-advisor/report", "version": 1) and every field is documented
 * there.  Keys are inserted in a fixed order (json-c keeps insertion
 * order), arrays follow the plan's order (decisions by sysctl name,
 * findings and skipped rules in rule order), and nothing time- or
 * host-dependent is added unless asked (in->timestamp), so the same inputs
 * give byte-identical text.
 *
 * Integers use the _int64 constructors.  report_to_text is the one place
 * that chooses the output flags (pretty, no slash escaping) and appends
 * the final newline.
 *
 * Ownership: report_build returns a new json_object the caller releases
 * with json_object_put; it copies every string it uses.
 */
#ifndef ADVISOR_REPORT_H
#define ADVISOR_REPORT_H

#include "../base/buf.h"
#include "fragment.h"

#include <json-c/json.h>

#define REPORT_SCHEMA "reclaim-advisor/report"
#define REPORT_VERSION 1

struct json_object *report_build(const struct rec_input *in);

/* A decision's administrator object {source, value, kept, advisor when
 * kept, overridden_by when changed anyway} (the report's and the Ansible
 * module's recommendations), or NULL when no administrator set the key. */
struct json_object *report_admin_json(const struct decision *x);

/* Serialise a document (report_build's or any other) into b, with a
 * trailing newline. */
void report_to_text(struct json_object *doc, struct buf *b);

#endif
