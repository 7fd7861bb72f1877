/* history: the record format (header + self-checking sample lines), the
 * reader of both history forms, and one sample read under a root.
 * The format is described for users in docs/history.md. */
#include "history.h"

#include "../base/numparse.h"
#include "../base/xalloc.h"
#include "../collect/collect.h"
#include "../collect/parse.h"
#include "../model/wmark_facts.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- which vmstat keys ---------------------------------------------------- */

/* Prefixes: the per-zone families (pgalloc_normal, allocstall_dma32, and
 * before 4.8 pgsteal_kswapd_normal ...) are kept whole.  A short list keeps
 * a sample line near 400 bytes: a history at 1 s is ~1.5 MB an hour. */
static const char *const vm_prefixes[] = {
	"pgalloc_", "allocstall", "pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd",
	"pgsteal_direct", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
	"pageoutrun", "compact_stall", "compact_fail", "compact_success", "workingset_refault",
	"workingset_activate", "pswpin", "pswpout", "pgfree", "nr_free_pages", "thp_fault_alloc",
	"thp_fault_fallback", "oom_kill", "pgmajfault", "zswpin", "zswpout",
};

bool hist_vm_wanted(const char *name)
{
	if (!strcmp(name, "nr_free_pages_blocks") || !strcmp(name, "thp_fault_fallback_charge"))
		return false;
	for (size_t i = 0; i < sizeof(vm_prefixes) / sizeof(vm_prefixes[0]); i++)
		if (!strncmp(name, vm_prefixes[i], strlen(vm_prefixes[i])))
			return true;
	return false;
}

int hist_vm_index(const struct history *h, const char *name)
{
	for (size_t i = 0; i < h->nvm; i++)
		if (!strcmp(h->vm[i], name))
			return (int)i;
	return -1;
}

/* ---- CRC-32 ---------------------------------------------------------------- */

uint32_t hist_crc32(uint32_t crc, const void *data, size_t len)
{
	/* bitwise, reflected 0xEDB88320: a sample line is ~400 bytes, so the
	 * 8x slower loop costs microseconds and needs no table */
	const unsigned char *p = data;
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* ---- free ------------------------------------------------------------------ */

void hist_free(struct history *h)
{
	if (!h)
		return;
	free(h->origin);
	free(h->kernel_release);
	zoneinfo_free(&h->zi);
	free(h->zi_text);
	for (size_t i = 0; i < h->nvm; i++)
		free(h->vm[i]);
	free(h->vm);
	free(h->t_ns);
	free(h->seq);
	free(h->val);
	memset(h, 0, sizeof(*h));
}

int hist_slice(const struct history *h, size_t from, size_t to, struct history *out, struct diag_list *d)
{
	memset(out, 0, sizeof(*out));
	if (from >= to || to - from < 2 || to > h->n) {
		diag_add(d, DIAG_ERROR, h->origin, 0, 0, "samples %zu-%zu: not a range of its %zu samples", from, to,
			 h->n);
		return -EINVAL;
	}
	struct history t = {
		.form = h->form, .version = h->version, .p = h->p, .boost_factor = h->boost_factor,
		.interval_ns = h->interval_ns, .nvm = h->nvm, .n = to - from,
		.mono_start_ns = h->mono_start_ns >= 0 ? h->mono_start_ns + h->t_ns[from] : -1,
	};
	memcpy(t.boot_id, h->boot_id, sizeof(t.boot_id));
	t.origin = xasprintf("%s [%.1f-%.1f s]", h->origin, (double)h->t_ns[from] / 1e9,
			     (double)h->t_ns[to - 1] / 1e9);
	t.kernel_release = h->kernel_release ? xstrdup(h->kernel_release) : NULL;
	if (h->zi_text) {
		struct diag_list zd = {0};
		t.zi_text = xstrndup(h->zi_text, h->zi_len);
		t.zi_len = h->zi_len;
		int rc = zoneinfo_parse(t.zi_text, t.zi_len, "zoneinfo", &t.zi, &zd);
		diag_list_clear(&zd);
		if (rc) {
			diag_add(d, DIAG_ERROR, h->origin, 0, 0, "its zoneinfo does not parse again");
			hist_free(&t);
			return -EINVAL;
		}
	}
	t.vm = xcalloc(h->nvm ? h->nvm : 1, sizeof(*t.vm));
	for (size_t k = 0; k < h->nvm; k++)
		t.vm[k] = xstrdup(h->vm[k]);
	size_t stride = hist_stride(h);
	t.t_ns = xcalloc(t.n, sizeof(*t.t_ns));
	t.seq = xcalloc(t.n, sizeof(*t.seq));
	t.val = xcalloc(t.n * stride, sizeof(*t.val));
	for (size_t i = 0; i < t.n; i++) {
		t.t_ns[i] = h->t_ns[from + i] - h->t_ns[from];
		t.seq[i] = h->seq[from + i];
	}
	memcpy(t.val, h->val + from * stride, t.n * stride * sizeof(*t.val));
	*out = t;
	return 0;
}

int hist_split(struct history **hs, size_t *n, double piece_s, struct diag_list *d)
{
	struct history *out = NULL;
	size_t nout = 0, cap = 0;
	const int64_t piece = (int64_t)(piece_s * 1e9);
	int rc = 0;
	for (size_t i = 0; !rc && i < *n; i++) {
		const struct history *h = &(*hs)[i];
		size_t from = 0;
		while (!rc && from + 1 < h->n) {
			/* this piece: the samples up to piece_s after its first */
			size_t to = from + 1;
			while (to < h->n && h->t_ns[to] - h->t_ns[from] < piece)
				to++;
			/* the rest, if shorter than half a piece, joins this one */
			if (to < h->n && h->t_ns[h->n - 1] - h->t_ns[to] < piece / 2)
				to = h->n;
			if (to - from < HIST_MIN_PIECE) {
				diag_add(d, DIAG_ERROR, h->origin, 0, 0,
					 "--split %g: a piece of %zu samples (at least %d: the interval is %.3g s)",
					 piece_s, to - from, HIST_MIN_PIECE,
					 h->n > 1 ? (double)(h->t_ns[1] - h->t_ns[0]) / 1e9 : 0.0);
				rc = -EINVAL;
				break;
			}
			if (nout == HIST_MAX_PIECES) {
				diag_add(d, DIAG_ERROR, h->origin, 0, 0,
					 "--split %g: more than %d pieces in all (each is replayed against every "
					 "other's candidates): a longer S",
					 piece_s, HIST_MAX_PIECES);
				rc = -EINVAL;
				break;
			}
			if (nout == cap) {
				cap = cap ? cap * 2 : 8;
				out = xreallocarray(out, cap, sizeof(*out));
			}
			/* pieces share their boundary sample: each interval is in one piece */
			rc = hist_slice(h, from, to, &out[nout], d);
			if (!rc)
				nout++;
			from = to - 1;
		}
	}
	if (rc) {
		for (size_t i = 0; i < nout; i++)
			hist_free(&out[i]);
		free(out);
		return rc;
	}
	for (size_t i = 0; i < *n; i++)
		hist_free(&(*hs)[i]);
	free(*hs);
	*hs = out;
	*n = nout;
	return 0;
}

/* Grow the sample arrays to hold n+1 samples. */
static void grow(struct history *h, size_t *cap)
{
	if (h->n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 64;
	h->t_ns = xreallocarray(h->t_ns, *cap, sizeof(*h->t_ns));
	h->seq = xreallocarray(h->seq, *cap, sizeof(*h->seq));
	h->val = xreallocarray(h->val, *cap, hist_stride(h) * sizeof(*h->val));
}

/* ---- writing --------------------------------------------------------------- */

static void put_opt(struct buf *b, const char *key, int64_t v, int64_t unknown)
{
	if (v == unknown)
		buf_printf(b, "%s -\n", key);
	else
		buf_printf(b, "%s %" PRId64 "\n", key, v);
}

void hist_format_header(const struct history *h, struct buf *b)
{
	size_t start = b->len;
	buf_puts(b, HIST_MAGIC "\n");
	buf_printf(b, "page_size %" PRId64 "\n", h->p.page_size);
	put_opt(b, "kernel_version", h->p.kver, 0);
	/* the release is text from the host: kept only when it is one plain word */
	bool plain = h->kernel_release && h->kernel_release[0];
	for (const char *c = h->kernel_release; plain && *c; c++)
		plain = *c > ' ' && *c < 127;
	buf_printf(b, "kernel_release %s\n", plain ? h->kernel_release : "-");
	put_opt(b, "min_free_kbytes", h->p.min_free_kbytes, -1);
	put_opt(b, "watermark_scale_factor", h->p.wsf, -1);
	put_opt(b, "watermark_boost_factor", h->boost_factor, -1);
	buf_puts(b, "lowmem_reserve_ratio");
	if (!h->p.nlrr)
		buf_puts(b, " -");
	for (unsigned i = 0; i < h->p.nlrr; i++)
		buf_printf(b, " %" PRId64, h->p.lrr[i]);
	buf_printf(b, "\nthp %s\n", wm_thp_name(h->p.thp));
	buf_printf(b, "hpage_pmd_size %" PRId64 "\n", h->p.hpage_pmd_size);
	buf_printf(b, "interval_ns %" PRId64 "\n", h->interval_ns);
	buf_printf(b, "boot_id %s\n", h->boot_id[0] ? h->boot_id : "-");
	put_opt(b, "monotonic_start_ns", h->mono_start_ns, -1);
	buf_puts(b, "vmstat");
	for (size_t i = 0; i < h->nvm; i++)
		buf_printf(b, " %s", h->vm[i]);
	buf_printf(b, "\nzoneinfo %zu\n", h->zi_len);
	buf_add(b, h->zi_text, h->zi_len);
	buf_putc(b, '\n');
	uint32_t crc = hist_crc32(0, b->p + start, b->len - start);
	buf_printf(b, "H %08" PRIx32 "\n", crc);
}

static void put_val(struct buf *b, int64_t v)
{
	if (v == HIST_ABSENT)
		buf_puts(b, " -");
	else
		buf_printf(b, " %" PRId64, v);
}

void hist_format_sample(const struct history *h, uint64_t seq, int64_t t_ns, const int64_t *row,
			struct buf *b)
{
	size_t start = b->len;
	buf_printf(b, "S %" PRIu64 " %" PRId64, seq, t_ns);
	for (size_t i = 0; i < hist_stride(h); i++)
		put_val(b, row[i]);
	buf_putc(b, ' ');
	uint32_t crc = hist_crc32(0, b->p + start, b->len - start);
	buf_printf(b, "%08" PRIx32 "\n", crc);
}

/* ---- one sample from a root ------------------------------------------------ */

/* rel (a proc file) under the root, its failure as an error in d. */
static int read_proc(const struct root *r, const char *rel, char **buf, size_t *n, struct diag_list *d)
{
	int rc = root_read(r, rel, FILEIO_DEFAULT_CAP, buf, n);
	if (rc)
		diag_add(d, DIAG_ERROR, r->path, 0, 0, "%s: %s", rel, strerror(-rc));
	return rc;
}

static int read_zoneinfo(const struct root *r, char **text, size_t *len, struct zoneinfo *zi,
			 struct diag_list *d)
{
	char *buf;
	size_t n;
	int rc = read_proc(r, "proc/zoneinfo", &buf, &n, d);
	if (rc)
		return rc;
	struct zoneinfo tmp = {0};
	rc = zoneinfo_parse(buf, n, "proc/zoneinfo", &tmp, d);
	if (rc == 0 && tmp.nzones == 0) {
		diag_add(d, DIAG_ERROR, r->path, 0, 0, "proc/zoneinfo: no zones");
		zoneinfo_free(&tmp);
		rc = -EINVAL;
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*zi = tmp;
	if (text) {
		*text = buf;
		*len = n;
	} else {
		free(buf);
	}
	return 0;
}

static int read_vmstat(const struct root *r, struct kvlist *kv, struct diag_list *d)
{
	char *buf;
	size_t n;
	int rc = read_proc(r, "proc/vmstat", &buf, &n, d);
	if (rc)
		return rc;
	rc = vmstat_parse(buf, n, "proc/vmstat", kv, d);
	free(buf);
	return rc;
}

static bool same_layout(const struct zoneinfo *a, const struct zoneinfo *b)
{
	if (a->nzones != b->nzones)
		return false;
	for (size_t i = 0; i < a->nzones; i++)
		if (a->zones[i].node != b->zones[i].node || strcmp(a->zones[i].name, b->zones[i].name))
			return false;
	return true;
}

bool hist_can_append(const struct history *old, const struct history *now, const char **why)
{
	*why = NULL;
	if (old->form != HIST_RECORD || old->version != 2)
		*why = "it is an older format";
	else if (!old->boot_id[0] || !now->boot_id[0] || strcmp(old->boot_id, now->boot_id) || old->mono_start_ns < 0)
		*why = "it was recorded in another boot (or the boot is unknown)";
	else if (old->p.page_size != now->p.page_size || old->p.kver != now->p.kver ||
		 strcmp(old->kernel_release ? old->kernel_release : "", now->kernel_release ? now->kernel_release : ""))
		*why = "the kernel differs";
	else if (old->p.min_free_kbytes != now->p.min_free_kbytes || old->p.wsf != now->p.wsf ||
		 old->boost_factor != now->boost_factor || old->p.thp != now->p.thp)
		*why = "the sysctls changed (the header states the settings of every sample)";
	else if (old->interval_ns != now->interval_ns)
		*why = "the interval differs";
	else if (!same_layout(&old->zi, &now->zi))
		*why = "the zones differ";
	else if (old->nvm != now->nvm)
		*why = "the vmstat keys differ";
	for (size_t i = 0; !*why && i < old->nvm; i++)
		if (strcmp(old->vm[i], now->vm[i]))
			*why = "the vmstat keys differ";
	return !*why;
}


int hist_sample_root(const struct root *r, const struct history *layout, int64_t *row,
		     struct diag_list *d)
{
	struct kvlist kv = {0};
	struct zoneinfo zi = {0};
	int rc = read_vmstat(r, &kv, d);
	if (rc)
		return rc;
	rc = read_zoneinfo(r, NULL, NULL, &zi, d);
	if (rc)
		goto out;
	if (!same_layout(&zi, &layout->zi)) {
		diag_add(d, DIAG_ERROR, r->path, 0, 0,
			 "proc/zoneinfo: %zu zones where the history started with %zu, or other names "
			 "(memory hot-plug?); a history needs one zone layout",
			 zi.nzones, layout->zi.nzones);
		rc = -EINVAL;
		goto out;
	}
	for (size_t i = 0; i < layout->nvm; i++) {
		int64_t v;
		row[i] = kvlist_get(&kv, layout->vm[i], &v) ? HIST_ABSENT : v;
	}
	for (size_t z = 0; z < zi.nzones; z++) {
		row[layout->nvm + z] = zi.zones[z].free == ZONE_ABSENT ? HIST_ABSENT : zi.zones[z].free;
		row[hist_boost_col(layout, z)] = zi.zones[z].boost == ZONE_ABSENT ? HIST_ABSENT : zi.zones[z].boost;
	}
	int64_t *psi = row + layout->nvm + zi.nzones;
	psi[0] = psi[1] = HIST_ABSENT;
	char *buf;
	size_t n;
	/* PSI is optional (CONFIG_PSI, psi=1, 4.20+): missing is absent, malformed is an error */
	if (root_read(r, "proc/pressure/memory", 4096, &buf, &n) == 0) {
		struct psi p;
		rc = psi_parse(buf, n, "proc/pressure/memory", &p, d);
		free(buf);
		if (rc)
			goto out;
		if (p.some.present && p.some.total <= INT64_MAX)
			psi[0] = (int64_t)p.some.total;
		if (p.full.present && p.full.total <= INT64_MAX)
			psi[1] = (int64_t)p.full.total;
	}
	rc = 0;
out:
	kvlist_free(&kv);
	zoneinfo_free(&zi);
	return rc;
}

int hist_layout_from_root(const struct root *r, const struct host *h, int64_t interval_ns,
			  struct history *out, struct diag_list *d)
{
	struct history t = {0};
	struct kvlist kv = {0};
	int rc = read_zoneinfo(r, &t.zi_text, &t.zi_len, &t.zi, d);
	if (rc)
		goto fail;
	rc = read_vmstat(r, &kv, d);
	if (rc)
		goto fail;
	t.vm = xcalloc(HIST_MAX_VM, sizeof(*t.vm));
	for (size_t i = 0; i < kv.n && t.nvm < HIST_MAX_VM; i++)
		if (hist_vm_wanted(kv.v[i].key) && hist_vm_index(&t, kv.v[i].key) < 0)
			t.vm[t.nvm++] = xstrdup(kv.v[i].key);
	kvlist_free(&kv);
	wmark_params_from_host(h, &t.p);
	int64_t bf;
	t.boost_factor = facts_get_int(h->facts, F_SYSCTL_VM_WATERMARK_BOOST_FACTOR, &bf) == 0 && bf >= 0 ? bf : -1;
	const char *rel = facts_get_str(h->facts, F_KERNEL_OSRELEASE);
	t.kernel_release = rel ? xstrdup(rel) : NULL;
	t.interval_ns = interval_ns;
	t.mono_start_ns = -1;
	char *bid;
	size_t bn;
	/* the boot: a restart may append only within one (counters and CLOCK_MONOTONIC continue) */
	if (root_read(r, "proc/sys/kernel/random/boot_id", 256, &bid, &bn) == 0) {
		while (bn && (bid[bn - 1] == '\n' || bid[bn - 1] == ' '))
			bn--;
		bool ok = bn > 0 && bn < sizeof(t.boot_id);
		for (size_t i = 0; ok && i < bn; i++)
			ok = (bid[i] >= '0' && bid[i] <= '9') || (bid[i] >= 'a' && bid[i] <= 'f') || bid[i] == '-';
		if (ok) {
			memcpy(t.boot_id, bid, bn);
			t.boot_id[bn] = 0;
		}
		free(bid);
	}
	t.origin = xstrdup(r->path);
	*out = t;
	return 0;
fail:
	kvlist_free(&kv);
	hist_free(&t);
	return rc;
}

/* ---- the record format ----------------------------------------------------- */

struct cursor {
	const char *buf;
	size_t len, pos;
	struct parse_line l;
	const char *origin;
	struct diag_list *d;
};

static bool next_line(struct cursor *c)
{
	return parse_line_next(c->buf, c->len, &c->pos, &c->l);
}

/* The header line "key rest": rest (not NUL-terminated) in *v, *vn. */
static int header_line(struct cursor *c, const char *key, const char **v, size_t *vn)
{
	if (!next_line(c)) {
		diag_add(c->d, DIAG_ERROR, c->origin, c->l.no + 1, 0,
			 "header ends before '%s' (the recorder stopped while writing it?)", key);
		return -EINVAL;
	}
	size_t kl = strlen(key);
	if (c->l.len <= kl || strncmp(c->l.s, key, kl) || c->l.s[kl] != ' ') {
		parse_line_error(c->d, c->origin, &c->l, c->l.s, "expected '%s VALUE'", key);
		return -EINVAL;
	}
	*v = c->l.s + kl + 1;
	*vn = c->l.len - kl - 1;
	return 0;
}

/* An integer header value, or "-" for unknown.  lo bounds it. */
static int header_int(struct cursor *c, const char *key, int64_t unknown, int64_t lo, int64_t *out)
{
	const char *v;
	size_t vn;
	int rc = header_line(c, key, &v, &vn);
	if (rc)
		return rc;
	if (vn == 1 && *v == '-') {
		*out = unknown;
		return 0;
	}
	int64_t x;
	const char *end;
	if (parse_i64(v, &end, &x) || end != v + vn || x < lo) {
		parse_line_error(c->d, c->origin, &c->l, v, "%s: expected an integer >= %" PRId64 " or '-'",
				 key, lo);
		return -EINVAL;
	}
	*out = x;
	return 0;
}

static int parse_header(struct cursor *c, struct history *t)
{
	int rc;
	bool v1 = false;
	if (!next_line(c) ||
	    !((c->l.len == strlen(HIST_MAGIC) && !memcmp(c->l.s, HIST_MAGIC, c->l.len)) ||
	      (v1 = c->l.len == strlen(HIST_MAGIC_V1) && !memcmp(c->l.s, HIST_MAGIC_V1, c->l.len)))) {
		diag_add(c->d, DIAG_ERROR, c->origin, 1, 0,
			 "not a reclaim-advisor history (first line is not '" HIST_MAGIC "')");
		return -EINVAL;
	}
	t->version = v1 ? 1 : 2;
	if ((rc = header_int(c, "page_size", -1, 1024, &t->p.page_size)))
		return rc;
	if (t->p.page_size & (t->p.page_size - 1) || t->p.page_size > (INT64_C(1) << 30)) {
		parse_line_error(c->d, c->origin, &c->l, c->l.s, "page_size: not a power of two up to 1 GiB");
		return -EINVAL;
	}
	if ((rc = header_int(c, "kernel_version", 0, 0, &t->p.kver)))
		return rc;
	const char *v;
	size_t vn;
	if ((rc = header_line(c, "kernel_release", &v, &vn)))
		return rc;
	for (size_t i = 0; i < vn; i++)
		if (v[i] <= ' ' || v[i] >= 127) {
			parse_line_error(c->d, c->origin, &c->l, v + i, "kernel_release: not one printable word");
			return -EINVAL;
		}
	if (!(vn == 1 && *v == '-') && vn)
		t->kernel_release = xstrndup(v, vn < 128 ? vn : 128);
	if ((rc = header_int(c, "min_free_kbytes", -1, 0, &t->p.min_free_kbytes)) ||
	    (rc = header_int(c, "watermark_scale_factor", -1, 0, &t->p.wsf)))
		return rc;
	t->boost_factor = -1;
	if (!v1 && (rc = header_int(c, "watermark_boost_factor", -1, 0, &t->boost_factor)))
		return rc;
	if ((rc = header_line(c, "lowmem_reserve_ratio", &v, &vn)))
		return rc;
	if (!(vn == 1 && *v == '-')) {
		char tmp[256];
		if (vn >= sizeof(tmp) ||
		    (memcpy(tmp, v, vn), tmp[vn] = 0, wmark_parse_ratios(tmp, t->p.lrr, ZONE_MAX_PROTECTION,
									&t->p.nlrr))) {
			parse_line_error(c->d, c->origin, &c->l, v, "lowmem_reserve_ratio: expected integers");
			return -EINVAL;
		}
	}
	if ((rc = header_line(c, "thp", &v, &vn)))
		return rc;
	if (vn == 6 && !memcmp(v, "always", 6))
		t->p.thp = WM_THP_ALWAYS;
	else if (vn == 7 && !memcmp(v, "madvise", 7))
		t->p.thp = WM_THP_MADVISE;
	else if (vn == 5 && !memcmp(v, "never", 5))
		t->p.thp = WM_THP_NEVER;
	else if (vn == 1 && *v == '-')
		t->p.thp = WM_THP_UNKNOWN;
	else {
		parse_line_error(c->d, c->origin, &c->l, v, "thp: expected always, madvise, never or '-'");
		return -EINVAL;
	}
	if ((rc = header_int(c, "hpage_pmd_size", 0, 0, &t->p.hpage_pmd_size)) ||
	    (rc = header_int(c, "interval_ns", 0, 0, &t->interval_ns)))
		return rc;
	t->mono_start_ns = -1;
	if (!v1) {
		if ((rc = header_line(c, "boot_id", &v, &vn)))
			return rc;
		bool ok = vn > 0 && vn < sizeof(t->boot_id);
		for (size_t i = 0; ok && i < vn; i++)
			ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') || v[i] == '-';
		if (!ok) {
			parse_line_error(c->d, c->origin, &c->l, v, "boot_id: expected a boot id or '-'");
			return -EINVAL;
		}
		if (!(vn == 1 && *v == '-')) {
			memcpy(t->boot_id, v, vn);
			t->boot_id[vn] = 0;
		}
		if ((rc = header_int(c, "monotonic_start_ns", -1, 0, &t->mono_start_ns)))
			return rc;
	}
	if (!next_line(c) || c->l.len < 6 || memcmp(c->l.s, "vmstat", 6) ||
	    (c->l.len > 6 && c->l.s[6] != ' ')) {
		diag_add(c->d, DIAG_ERROR, c->origin, c->l.no, 0, "expected 'vmstat KEY...'");
		return -EINVAL;
	}
	t->vm = xcalloc(HIST_MAX_VM, sizeof(*t->vm));
	for (const char *p = c->l.s + 6, *e = c->l.s + c->l.len; (p = parse_skip_blank(p, e)) < e;) {
		const char *we = parse_word_end(p, e);
		if (t->nvm == HIST_MAX_VM) {
			parse_line_error(c->d, c->origin, &c->l, p, "more than %u vmstat keys", HIST_MAX_VM);
			return -EINVAL;
		}
		t->vm[t->nvm++] = xstrndup(p, (size_t)(we - p));
		p = we;
	}
	int64_t zl;
	if ((rc = header_int(c, "zoneinfo", -1, 0, &zl)))
		return rc;
	if (zl < 0 || (uint64_t)zl >= c->len - c->pos || c->buf[c->pos + (size_t)zl] != '\n') {
		parse_line_error(c->d, c->origin, &c->l, c->l.s,
				 "zoneinfo: %" PRId64 " bytes do not fit in the file followed by a newline", zl);
		return -EINVAL;
	}
	t->zi_len = (size_t)zl;
	t->zi_text = xstrndup(c->buf + c->pos, t->zi_len);
	struct diag_list zd = {0};
	rc = zoneinfo_parse(t->zi_text, t->zi_len, "zoneinfo", &t->zi, &zd);
	/* the embedded file's lines are renumbered into the record's */
	for (size_t i = 0; i < zd.n; i++)
		if (zd.v[i].sev == DIAG_ERROR)
			diag_add(c->d, DIAG_ERROR, c->origin, c->l.no + zd.v[i].line, zd.v[i].col,
				 "embedded zoneinfo: %s", zd.v[i].msg);
	diag_list_clear(&zd);
	if (rc)
		return rc;
	if (!t->zi.nzones) {
		parse_line_error(c->d, c->origin, &c->l, c->l.s, "embedded zoneinfo has no zones");
		return -EINVAL;
	}
	/* count the embedded lines so later line numbers stay true */
	for (size_t i = 0; i < t->zi_len; i++)
		c->l.no += c->buf[c->pos + i] == '\n';
	c->l.no++;
	c->pos += t->zi_len + 1;
	size_t hend = c->pos;
	if ((rc = header_line(c, "H", &v, &vn)))
		return rc;
	uint32_t want = hist_crc32(0, c->buf, hend);
	char hex[9];
	snprintf(hex, sizeof(hex), "%08" PRIx32, want);
	if (vn != 8 || memcmp(v, hex, 8)) {
		parse_line_error(c->d, c->origin, &c->l, v, "header checksum mismatch (damaged file)");
		return -EINVAL;
	}
	return 0;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* One "S ..." line into the next row; false with *why set when damaged. */
static bool parse_sample(const struct parse_line *l, struct history *t, const char **why)
{
	const char *s = l->s, *e = l->s + l->len;
	if (l->len < 12 || s[0] != 'S' || s[1] != ' ') {
		*why = "not a sample line";
		return false;
	}
	/* the checksum: the last 8 characters, after a blank */
	const char *cs = e - 8;
	if (cs[-1] != ' ') {
		*why = "no checksum at the end";
		return false;
	}
	uint32_t got = 0;
	for (int i = 0; i < 8; i++) {
		int h = hexval(cs[i]);
		if (h < 0) {
			*why = "checksum is not 8 hex digits";
			return false;
		}
		got = got << 4 | (uint32_t)h;
	}
	if (hist_crc32(0, s, (size_t)(cs - s)) != got) {
		*why = "checksum mismatch";
		return false;
	}
	size_t stride = hist_stride(t);
	int64_t *row = t->val + t->n * stride;
	size_t given = t->version == 1 ? stride - t->zi.nzones : stride; /* version 1: no boosts */
	for (size_t i = given; i < stride; i++)
		row[i] = HIST_ABSENT;
	const char *p = s + 2;
	uint64_t seq;
	int64_t tn;
	const char *end;
	if (parse_u64(p, &end, &seq) || *end != ' ' || parse_i64(end, &end, &tn) || tn < 0) {
		*why = "bad sequence number or time";
		return false;
	}
	p = end;
	for (size_t i = 0; i < given; i++) {
		p = parse_skip_blank(p, cs);
		if (p >= cs) {
			*why = "fewer values than the header's vmstat keys and zones";
			return false;
		}
		if (*p == '-' && (p + 1 == cs || parse_is_blank(p[1]))) {
			row[i] = HIST_ABSENT;
			p++;
			continue;
		}
		int64_t v;
		if (parse_i64(p, &end, &v) || (end < cs && !parse_is_blank(*end)) || v < 0) {
			*why = "a value is not a non-negative integer or '-'";
			return false;
		}
		row[i] = v;
		p = end;
	}
	if (parse_skip_blank(p, cs) != cs) {
		*why = "more values than the header's vmstat keys and zones";
		return false;
	}
	if (t->n && (tn <= t->t_ns[t->n - 1] || seq <= t->seq[t->n - 1])) {
		*why = "time or sequence number does not increase";
		return false;
	}
	t->t_ns[t->n] = tn;
	t->seq[t->n] = seq;
	return true;
}

int hist_parse(const char *buf, size_t len, const char *origin, struct history *out,
	       struct diag_list *d)
{
	int rc = parse_check_text(buf, len, origin, d);
	if (rc)
		return rc;
	struct history t = {.form = HIST_RECORD};
	struct cursor c = {.buf = buf, .len = len, .origin = origin, .d = d};
	if ((rc = parse_header(&c, &t)))
		goto fail;
	t.rec_header_len = t.rec_end = c.pos;
	size_t cap = 0;
	while (next_line(&c)) {
		bool last_line = c.pos >= len;
		bool complete = c.l.s + c.l.len < buf + len; /* ends in '\n' */
		if (t.n == HIST_MAX_SAMPLES) {
			parse_line_error(d, origin, &c.l, NULL, "more than %u samples", HIST_MAX_SAMPLES);
			rc = -EINVAL;
			goto fail;
		}
		grow(&t, &cap);
		const char *why = NULL;
		if (complete && parse_sample(&c.l, &t, &why)) {
			t.n++;
			t.rec_end = c.pos;
			continue;
		}
		if (last_line) {
			/* a killed recorder or a crash leaves at most this one
			 * torn: every sample before it is whole */
			diag_add(d, DIAG_WARNING, origin, c.l.no, 0,
				 "last sample incomplete (%s): dropped; the recorder was stopped mid-write",
				 complete ? why : "no newline");
			t.dropped++;
			break;
		}
		parse_line_error(d, origin, &c.l, c.l.s, "damaged sample: %s", why ? why : "no newline");
		rc = -EINVAL;
		goto fail;
	}
	t.origin = xstrdup(origin);
	*out = t;
	return 0;
fail:
	hist_free(&t);
	return rc;
}

/* ---- the directory form ---------------------------------------------------- */

struct dir_entry {
	double sec;
	char *name;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct dir_entry *x = a, *y = b;
	return (x->sec > y->sec) - (x->sec < y->sec);
}

static int read_dir(const char *path, struct history *out, struct diag_list *d)
{
	/* the history's directory is the user's choice; its samples are
	 * confined to it (a link out, to "/" say, would make this host's
	 * /proc a sample of another's history) */
	struct root hr;
	char **names = NULL;
	size_t nn = 0;
	int rc = root_open(&hr, path);
	if (rc) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open: %s", fileio_strerror(rc));
		return rc;
	}
	if ((rc = root_list(&hr, ".", &names, &nn))) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot list: %s", fileio_strerror(rc));
		root_close(&hr);
		return rc;
	}
	struct dir_entry *e = xcalloc(nn ? nn : 1, sizeof(*e));
	size_t ne = 0;
	for (size_t i = 0; i < nn; i++) {
		double s;
		const char *end;
		/* names other than a time ("README", "sysctl-a.txt") are not samples */
		if (parse_decimal(names[i], &end, &s) || *end || names[i][0] < '0' || names[i][0] > '9' ||
		    !isfinite(s))
			continue;
		e[ne].sec = s;
		e[ne].name = names[i];
		ne++;
	}
	qsort(e, ne, sizeof(*e), cmp_entry);
	struct history t = {.form = HIST_DIR};
	struct host h = {0};
	char *sub = NULL;
	if (ne > HIST_MAX_SAMPLES) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "more than %u samples", HIST_MAX_SAMPLES);
		rc = -EINVAL;
		goto out;
	}
	size_t cap = 0;
	for (size_t i = 0; i < ne; i++) {
		if (i && e[i].sec == e[i - 1].sec) {
			diag_add(d, DIAG_ERROR, path, 0, 0, "samples %s and %s have the same time", e[i - 1].name,
				 e[i].name);
			rc = -EINVAL;
			goto out;
		}
		free(sub);
		sub = xasprintf("%s/%s", path, e[i].name);
		struct root r;
		rc = root_open_sub(&hr, e[i].name, &r);
		if (rc) {
			diag_add(d, DIAG_ERROR, sub, 0, 0, "a sample must be a directory inside the history: %s",
				 fileio_strerror(rc));
			if (rc == FILEIO_E_ESCAPE || rc == -ENOTDIR || rc == -ELOOP)
				rc = -EINVAL; /* malformed, not missing */
			goto out;
		}
		if (i == 0) {
			/* the settings come from the first capture, read like any --root tree */
			struct collect_opts o = {0};
			collect_host(&r, &o, &h);
			rc = hist_layout_from_root(&r, &h, 0, &t, d);
			host_free(&h);
			if (rc) {
				root_close(&r);
				goto out;
			}
			t.form = HIST_DIR;
		}
		grow(&t, &cap);
		struct diag_list sd = {0};
		rc = hist_sample_root(&r, &t, t.val + t.n * hist_stride(&t), &sd);
		root_close(&r);
		for (size_t k = 0; k < sd.n; k++)
			diag_add(d, sd.v[k].sev, sub, sd.v[k].line, sd.v[k].col, "%s%s%s",
				 sd.v[k].origin ? sd.v[k].origin : "", sd.v[k].origin ? ": " : "", sd.v[k].msg);
		diag_list_clear(&sd);
		if (rc)
			goto out;
		t.t_ns[t.n] = (int64_t)llround(e[i].sec * 1e9);
		t.seq[t.n] = t.n;
		t.n++;
	}
	free(t.origin);
	t.origin = xstrdup(path);
	*out = t;
	memset(&t, 0, sizeof(t));
	rc = 0;
out:
	root_close(&hr);
	free(sub);
	hist_free(&t);
	free(e);
	fileio_names_free(names);
	return rc;
}

int hist_read(const char *path, struct history *out, struct diag_list *d)
{
	struct stat st;
	if (stat(path, &st)) {
		int rc = -errno;
		diag_add(d, DIAG_ERROR, path, 0, 0, "%s", strerror(errno));
		return rc;
	}
	struct history t = {0};
	int rc;
	if (S_ISDIR(st.st_mode)) {
		rc = read_dir(path, &t, d);
	} else {
		char *buf;
		size_t len;
		/* a history of a day at 0.1 s is ~120 MB; the cap is 1 GiB */
		rc = file_read(path, (size_t)1 << 30, &buf, &len);
		if (rc) {
			diag_add(d, DIAG_ERROR, path, 0, 0, "%s", strerror(-rc));
			return rc;
		}
		rc = hist_parse(buf, len, path, &t, d);
		free(buf);
	}
	if (rc)
		return rc;
	if (t.n < 2) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "%zu sample%s: a history needs at least 2", t.n,
			 t.n == 1 ? "" : "s");
		hist_free(&t);
		return -ENODATA;
	}
	*out = t;
	return 0;
}
