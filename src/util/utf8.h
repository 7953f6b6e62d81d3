/* utf8.h: text that must come out as valid UTF-8.
 *
 * Names come from domain XMLs, instance configs and directory names, and
 * may hold any bytes; every report that escapes text (JSON, JUnit XML,
 * the Prometheus text format, HTML) reads it through these. */
#pragma once

#include <stddef.h>
#include <stdio.h>

/* The next character of a UTF-8 string: its length in bytes, or 0 when
 * the bytes at @s are not valid UTF-8 (the writers put U+FFFD there).
 * Formats that must be valid UTF-8 (XML, the Prometheus text format)
 * read names from domain XMLs and directory names through it. */
size_t np_utf8_char_len(const char *s);

/* The same for bytes not NUL-terminated: at most @avail are read. */
size_t np_utf8_char_len_n(const char *s, size_t avail);

/* Code point @cp (at most U+10FFFF, no surrogate) as UTF-8 into @out:
 * the number of bytes written. */
size_t np_utf8_encode(unsigned cp, char out[4]);

/* Write @s as valid UTF-8: U+FFFD for each byte that is not, and for
 * each single-byte character @escape's string when it returns one (NULL:
 * the character itself). */
void np_utf8_write(FILE *out, const char *s, const char *(*escape)(unsigned char c));
