/* kver: kernel version encoding.  Contract in kver.h. */
#include "kver.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t kver_scan(const char *s, size_t n, int strict, int64_t *out)
{
	int64_t part[3] = {0, 0, 0};
	size_t i = 0;
	int k = 0;
	for (;; k++) {
		if (i >= n || !digit(s[i]))
			return 0;
		int64_t v = 0;
		while (i < n && digit(s[i])) {
			v = v * 10 + (s[i] - '0');
			if (v > 1000000)
				return 0; /* far beyond any field; also bounds the loop's arithmetic */
			i++;
		}
		part[k] = v;
		/* A '.' continues only when a digit follows ("4.20-next" ends at 20). */
		if (k == 2 || i + 1 >= n || s[i] != '.' || !digit(s[i + 1]))
			break;
		i++;
	}
	if (k == 0 || part[0] > 255 || part[1] > 255)
		return 0;
	if (part[2] > 255) {
		if (strict)
			return 0;
		part[2] = 255; /* KERNEL_VERSION clamps the sublevel the same way */
	}
	*out = KVER(part[0], part[1], part[2]);
	return i;
}

int kver_from_release(const char *release, int64_t *out)
{
	int64_t v;
	if (!release || !kver_scan(release, strlen(release), 0, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

int kver_from_proc_version(const char *buf, size_t len, int64_t release_kv, int64_t *out)
{
	static const char tag[] = "Debian ";
	const size_t tn = sizeof(tag) - 1;
	if (!buf || kver_patch(release_kv) != 0)
		return -ENODATA;
	const char *last = NULL;
	for (size_t i = 0; i + tn <= len; i++)
		if (!memcmp(buf + i, tag, tn))
			last = buf + i + tn;
	int64_t v;
	if (!last || !kver_scan(last, len - (size_t)(last - buf), 0, &v) || kver_major(v) != kver_major(release_kv) ||
	    kver_minor(v) != kver_minor(release_kv) || v <= release_kv)
		return -ENODATA;
	*out = v;
	return 0;
}

char *kver_format(int64_t v, char *buf, size_t n)
{
	snprintf(buf, n, "%lld.%lld.%lld", (long long)kver_major(v), (long long)kver_minor(v),
		 (long long)kver_patch(v));
	return buf;
}
