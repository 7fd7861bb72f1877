/* kver: the one encoding of a Linux kernel version.
 *
 * A version is major << 16 | minor << 8 | patch, as the kernel's own
 * KERNEL_VERSION() (include/generated/uapi/linux/version.h) builds it: an
 * int64 that orders like the version, so "at least 5.8" is a comparison.
 * host.kernel_version holds it, the watermark model and the sysctl
 * catalog compare with it, and the rule language writes it as v5.8 or
 * v5.15.58 (expr_lex.c), never as 329728.
 *
 * Everything here is pure; nothing allocates.
 */
#ifndef ADVISOR_KVER_H
#define ADVISOR_KVER_H

#include <stddef.h>
#include <stdint.h>

#define KVER(a, b, c) (((int64_t)(a) << 16) | ((int64_t)(b) << 8) | (int64_t)(c))

static inline int64_t kver_major(int64_t v) { return v >> 16; }
static inline int64_t kver_minor(int64_t v) { return (v >> 8) & 0xff; }
static inline int64_t kver_patch(int64_t v) { return v & 0xff; }

/* Read "x.y" or "x.y.z" at s (at most n bytes), digits only.  Returns the
 * number of bytes read (the text may go on: "6.18.44-fc", "4.20-next"), or
 * 0 when s does not start with a version.  strict: the patch must fit 255
 * (a version a person wrote); otherwise it is clamped to 255 as
 * KERNEL_VERSION clamps the sublevel of a release string.  Major and minor
 * above 255 never fit. */
size_t kver_scan(const char *s, size_t n, int strict, int64_t *out);

/* A release string ("6.18.44-fc-v669", "2.6.16"): 0 and *out, or -EINVAL. */
int kver_from_release(const char *release, int64_t *out);

/* The stable version a distribution kernel was built from.  Debian names
 * its kernels by ABI ("6.1.0-57-amd64", "5.10.0-46-amd64": uname -r always
 * says x.y.0) and writes the upstream version after the build number in
 * /proc/version: "... #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)".
 * A legal range that came with a stable backport (5.10.186, 5.15.58) needs
 * that patch level.  buf: the text of /proc/version (len bytes);
 * release_kv: the version read from the release string.  Returns 0 and
 * *out (the same major and minor, the larger patch) when the release is
 * x.y.0 and the last "Debian x.y.z" in buf has release_kv's major and
 * minor (gcc's own "(Debian 12.2.0-14)" never does), else -ENODATA.
 * Ubuntu's /proc/version carries no upstream version ("#121-Ubuntu"): its
 * releases stay x.y.0, the narrower range.  Pure. */
int kver_from_proc_version(const char *buf, size_t len, int64_t release_kv, int64_t *out);

/* "5.15.58" into buf (always x.y.z); returns buf. */
char *kver_format(int64_t v, char *buf, size_t n);

#endif
