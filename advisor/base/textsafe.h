/* textsafe: untrusted text made safe for every output format.
 *
 * Trees, snapshots and fleet reports come from other machines: a zone
 * name, a hostname, a sysctl string, a host id or a line quoted in a
 * diagnostic may hold invalid UTF-8 or control characters.  Passed raw,
 * they break JSON for strict parsers, make node_exporter drop a whole
 * textfile, and reach a terminal as escape sequences.  text_safe() is the
 * one helper: valid UTF-8 printable text is kept byte for byte; every byte
 * that is not part of valid UTF-8, every C0 control except tab, DEL and
 * every C1 control (U+0080..U+009F) is written as the four characters
 * "\xNN" (each byte of a C1 character's encoding), so the result is valid,
 * printable UTF-8 and the original bytes can still be read off it.
 *
 * It is applied where untrusted text enters a long-lived structure
 * (diagnostics, string facts, zone names, host ids, labels, fleet
 * records), so no renderer can forget it.
 */
#ifndef ADVISOR_TEXTSAFE_H
#define ADVISOR_TEXTSAFE_H

#include <stdbool.h>
#include <stddef.h>

/* A new NUL-terminated safe copy of s[0..n) (stops at a NUL byte); the
 * caller frees it. */
char *text_safe_n(const char *s, size_t n);
/* The same for a NUL-terminated string; NULL gives NULL. */
char *text_safe(const char *s);
/* Would text_safe return s unchanged? */
bool text_is_safe(const char *s, size_t n);

#endif
