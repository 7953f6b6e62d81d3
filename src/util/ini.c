/* ini.c: INI-style files, line by line (ini.h). */
#include "ini.h"

#include <ctype.h>
#include <string.h>

static char *skip_blanks(char *s)
{
        while (isspace((unsigned char)*s))
                s++;
        return s;
}

/* Cut the blanks before @end off the text starting at @start. */
static void cut_blanks(char *start, char *end)
{
        while (end > start && isspace((unsigned char)end[-1]))
                end--;
        *end = '\0';
}

char *np_ini_trim(char *s)
{
        s = skip_blanks(s);
        cut_blanks(s, s + strlen(s));
        return s;
}

char *np_ini_next_line(char **cursor, unsigned *lineno)
{
        char *line = *cursor, *next;

        if (!line)
                return NULL;
        next = strchr(line, '\n');
        if (next)
                *next++ = '\0';
        *cursor = next;
        (*lineno)++;
        line = np_ini_trim(line);
        return *line == '#' ? line + strlen(line) : line;
}

bool np_ini_split(char *line, char **ret_key, char **ret_value)
{
        char *eq = strchr(line, '=');

        if (!eq)
                return false;
        cut_blanks(line, eq);
        *ret_key = line;
        *ret_value = skip_blanks(eq + 1);
        return true;
}

char *np_ini_section(char *line)
{
        char *close;

        if (line[0] != '[')
                return NULL;
        close = strchr(line, ']');
        if (!close || close[1])
                return NULL;
        *close = '\0';
        return line + 1;
}
