/* facts: the listing of `facts` (contract in render/facts.h). */
#include "facts.h"

#include "../collect/snapshot.h"

#include <json-c/json.h>
#include <string.h>

static void value_text(struct buf *b, const struct value *v)
{
	switch (v->type) {
	case FACT_INT: buf_printf(b, "%lld", (long long)v->u.i); break;
	case FACT_FLOAT:
		/* Rates in bytes/s reach 1e9: whole numbers read better than
		 * 8.32803e+06 in a terminal. */
		if (v->u.f >= 1e6 || v->u.f <= -1e6)
			buf_printf(b, "%.0f", v->u.f);
		else
			buf_printf(b, "%.6g", v->u.f);
		break;
	case FACT_STR: buf_puts(b, v->u.s); break;
	case FACT_BOOL: buf_puts(b, v->u.b ? "true" : "false"); break;
	}
}

static const char *unit_of(const char *name)
{
	const struct fact_def *d = fact_catalog_lookup(name);
	return d ? fact_unit_name(d->unit) : "";
}

static void zone_cell(struct buf *b, int64_t v)
{
	if (v == ZONE_ABSENT)
		buf_printf(b, " %10s", "-");
	else
		buf_printf(b, " %10lld", (long long)v);
}

void facts_render_text(const struct host *h, struct buf *b)
{
	size_t n = facts_count(h->facts), w = 4, vw = 5;
	for (size_t i = 0; i < n; i++) {
		struct value v;
		bool present;
		const char *name = facts_at(h->facts, i, &v, &present, NULL);
		if (strlen(name) > w)
			w = strlen(name);
		if (present) {
			struct buf t = {0};
			value_text(&t, &v);
			if (t.len > vw && t.len <= 40)
				vw = t.len;
			buf_free(&t);
		}
	}
	buf_printf(b, "%-*s  %-*s  %-7s  %s\n", (int)w, "FACT", (int)vw, "VALUE", "UNIT", "SOURCE");
	size_t nabsent = 0;
	for (size_t i = 0; i < n; i++) {
		struct value v;
		bool present;
		const char *sr;
		const char *name = facts_at(h->facts, i, &v, &present, &sr);
		if (!present) {
			nabsent++;
			continue;
		}
		struct buf t = {0};
		value_text(&t, &v);
		buf_printf(b, "%-*s  %-*s  %-7s  %s\n", (int)w, name, (int)vw, buf_str(&t),
			   unit_of(name), sr ? sr : "");
		buf_free(&t);
	}
	if (nabsent) {
		buf_printf(b, "\nabsent (%zu):\n", nabsent);
		for (size_t i = 0; i < n; i++) {
			bool present;
			const char *sr;
			const char *name = facts_at(h->facts, i, NULL, &present, &sr);
			if (!present)
				buf_printf(b, "  %-*s  %s\n", (int)w, name, sr ? sr : "");
		}
	}
	size_t nm = facts_missing_count(h->facts);
	if (nm) {
		buf_printf(b, "\nmissing sources (%zu):\n", nm);
		for (size_t i = 0; i < nm; i++) {
			const char *s, *r;
			facts_missing_at(h->facts, i, &s, &r);
			buf_printf(b, "  %s: %s\n", s, r);
		}
	}
	buf_printf(b, "\nzones (%zu, pages):\n", h->zi.nzones);
	if (h->zi.nzones) {
		buf_printf(b, "  %4s %-8s %10s %10s %10s %10s %10s %10s %10s %10s\n", "NODE", "ZONE",
			   "PRESENT", "MANAGED", "FREE", "MIN", "LOW", "HIGH", "PROMO", "BOOST");
		for (size_t i = 0; i < h->zi.nzones; i++) {
			const struct zone *z = &h->zi.zones[i];
			buf_printf(b, "  %4d %-8s", z->node, z->name ? z->name : "?");
			zone_cell(b, z->present);
			zone_cell(b, z->managed);
			zone_cell(b, z->free);
			zone_cell(b, z->min);
			zone_cell(b, z->low);
			zone_cell(b, z->high);
			zone_cell(b, z->promo);
			zone_cell(b, z->boost);
			buf_putc(b, '\n');
		}
	}
}

void facts_render_json(const struct host *h, struct buf *b)
{
	json_object *root = json_object_new_object();
	json_object *facts = json_object_new_array(), *absent = json_object_new_array();
	size_t n = facts_count(h->facts);
	for (size_t i = 0; i < n; i++) {
		struct value v;
		bool present;
		const char *sr;
		const char *name = facts_at(h->facts, i, &v, &present, &sr);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(name));
		if (present) {
			json_object_object_add(o, "value", snapshot_value_json(&v));
			json_object_object_add(o, "unit", json_object_new_string(unit_of(name)));
			json_object_object_add(o, "source", json_object_new_string(sr ? sr : ""));
			json_object_array_add(facts, o);
		} else {
			json_object_object_add(o, "reason", json_object_new_string(sr ? sr : ""));
			json_object_array_add(absent, o);
		}
	}
	json_object_object_add(root, "facts", facts);
	json_object_object_add(root, "absent", absent);
	json_object_object_add(root, "missing", snapshot_missing_json(h->facts));
	json_object *zones = json_object_new_array();
	for (size_t i = 0; i < h->zi.nzones; i++)
		json_object_array_add(zones, snapshot_zone_json(&h->zi.zones[i]));
	json_object_object_add(root, "zones", zones);
	buf_puts(b, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_SPACED |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_putc(b, '\n');
	json_object_put(root);
}
