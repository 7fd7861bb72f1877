#include "host.h"

#include <stdlib.h>
#include <string.h>

static void counters_free(struct zone_counter *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

void zoneinfo_free(struct zoneinfo *zi)
{
	if (!zi)
		return;
	for (size_t i = 0; i < zi->nzones; i++) {
		free(zi->zones[i].name);
		counters_free(zi->zones[i].counters, zi->zones[i].ncounters);
	}
	for (size_t i = 0; i < zi->nnodes; i++)
		counters_free(zi->nodes[i].counters, zi->nodes[i].ncounters);
	free(zi->zones);
	free(zi->nodes);
	memset(zi, 0, sizeof(*zi));
}

void host_free(struct host *h)
{
	if (!h)
		return;
	facts_free(h->facts);
	zoneinfo_free(&h->zi);
	diag_list_clear(&h->diags);
	free(h->origin);
	memset(h, 0, sizeof(*h));
}

enum zone_kind zone_kind_of(const char *name)
{
	static const struct {
		const char *n;
		enum zone_kind k;
	} t[] = {
		{"DMA", ZK_DMA},         {"DMA32", ZK_DMA32},     {"Normal", ZK_NORMAL},
		{"HighMem", ZK_HIGHMEM}, {"Movable", ZK_MOVABLE}, {"Device", ZK_DEVICE},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(t[i].n, name))
			return t[i].k;
	return ZK_OTHER;
}
