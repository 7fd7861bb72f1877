#include "textsafe.h"
#include "xalloc.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static bool is_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t') || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

bool text_is_safe(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n && p[i];) {
		uint32_t cp;
		size_t l = utf8_len(p + i, n - i, &cp);
		if (!l || is_control(cp))
			return false;
		i += l;
	}
	return true;
}

char *text_safe_n(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t end = 0;
	while (end < n && p[end])
		end++;
	if (text_is_safe(s, end))
		return xstrndup(s, end);
	/* Worst case every byte becomes "\xNN". */
	char *out = xmalloc(end * 4 + 1), *w = out;
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < end;) {
		uint32_t cp;
		size_t l = utf8_len(p + i, end - i, &cp);
		if (l && !is_control(cp)) {
			memcpy(w, p + i, l);
			w += l;
			i += l;
			continue;
		}
		for (size_t k = 0; k < (l ? l : 1); k++) {
			*w++ = '\\';
			*w++ = 'x';
			*w++ = hex[p[i + k] >> 4];
			*w++ = hex[p[i + k] & 15];
		}
		i += l ? l : 1;
	}
	*w = 0;
	return out;
}

char *text_safe(const char *s)
{
	return s ? text_safe_n(s, strlen(s)) : NULL;
}
