/* ini.h: the one reader of INI-style "key = value" files, line by line.
 *
 * QEMU's -readconfig files (qemu_readconfig.c), LXD's raw.qemu.conf
 * (intent_lxd.c) and the hook's numaplace.conf (hookconf.c) share the
 * lines, the blanks, '#' comments, "[section]" headers and the '=';
 * each keeps its own rules for what a section holds and how a value is
 * quoted.  The functions cut a writable, NUL-terminated buffer in place. */
#pragma once

#include <stdbool.h>

/* The line at *@cursor: cut out of the buffer, *@cursor moved past it
 * and counted in *@lineno.  Returns the line without surrounding blanks
 * (isspace()), a comment line ('#' first) as "", or NULL at the end of
 * the buffer. */
char *np_ini_next_line(char **cursor, unsigned *lineno);

/* Cut "key = value" at the first '=': *@ret_key without trailing blanks,
 * *@ret_value without leading ones (still quoted as written).  Returns
 * false when the line has no '='. */
bool np_ini_split(char *line, char **ret_key, char **ret_value);

/* @s without surrounding blanks (the trailing ones cut off). */
char *np_ini_trim(char *s);

/* A section header "[...]" with nothing after its first ']': returns
 * what stands between the brackets (the ']' cut off), or NULL when
 * @line is no such header (left as it was). */
char *np_ini_section(char *line);
