/* qemu_readconfig.c: QEMU -readconfig files, as LXD and Incus start
 * QEMU from one (their qemu.conf).
 *
 * QEMU's format: "[group]" or [group "id"] opens a section, then
 * key = "value" lines; '#' starts a comment line.  Each section's
 * properties go to the memory graph (qemu_graph.h) when it ends. */
#include "qemu_cmdline.h"
#include "error.h"
#include "ini.h"
#include "qemu_graph.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A double-quoted INI value; returns a pointer past it or NULL. */
static char *ini_value(char *p, char **ret)
{
        char *out;

        if (*p != '"')
                return NULL;
        out = ++p;
        *ret = out;
        while (*p && *p != '"')
                p++;
        if (*p != '"')
                return NULL;
        *p = '\0';
        return p + 1;
}

/* The section being read. */
typedef struct section {
        char group[64];         /* "" before the first header */
        char id[NP_ID_MAX];     /* "" when the header names none */
        unsigned line;          /* of its header */
        np_qemu_props props;
} section;

/* Hand the open section to the graph and empty it; on error *@lineno
 * becomes the line of its header. */
static int section_close(np_qemu_graph *g, section *sec, unsigned *lineno, np_error *err)
{
        np_qemu_group_fn fn = sec->group[0] ? np_qemu_graph_group(sec->group) : NULL;
        int r = fn ? fn(g, sec->id, &sec->props, err) : 0;

        np_qemu_props_clear(&sec->props);
        if (r < 0)
                *lineno = sec->line;
        return r;
}

int np_qemu_readconfig_header(char *line, char **ret_group, char **ret_id, np_error *err)
{
        char *q = np_ini_section(line), *value, *id = NULL;

        if (!q)
                return np_err(err, EINVAL, "expected [group] or [group \"id\"]");
        value = strchr(q, ' ');
        if (value) {
                *value++ = '\0';
                while (*value == ' ')
                        value++;
                if (!ini_value(value, &id) || strlen(id) >= NP_ID_MAX)
                        return np_err(err, EINVAL, "[%s ...]: expected a quoted id", q);
        }
        if (!*q || strlen(q) >= sizeof(((section *)0)->group))
                return np_err(err, EINVAL, "expected a group name after '['");
        *ret_group = q;
        *ret_id = id ? id : q + strlen(q);
        return 0;
}

/* The header @line, seen on line @lineno, opens @sec. */
static int section_open(section *sec, char *line, unsigned lineno, np_error *err)
{
        char *group, *id;
        int r;

        sec->line = lineno;
        sec->id[0] = '\0';
        r = np_qemu_readconfig_header(line, &group, &id, err);
        if (r < 0)
                return r;
        snprintf(sec->group, sizeof(sec->group), "%s", group);
        snprintf(sec->id, sizeof(sec->id), "%s", id);
        return 0;
}

/* key = "value" on @line, a property of the open section. */
static int section_property(section *sec, char *line, np_error *err)
{
        char *key, *value, *p;

        if (!sec->group[0] || !np_ini_split(line, &key, &p))
                return np_err(err, EINVAL, sec->group[0] ? "expected key = \"value\"" :
                                                           "a property before any [group]");
        if (!*key || !(p = ini_value(p, &value)) || *p)
                return np_err(err, EINVAL, "%s: expected key = \"value\"", *key ? key : "(no key)");
        if (np_qemu_props_add(&sec->props, key, value, strlen(value)) < 0)
                return np_err(err, ENOMEM, "out of memory");
        return 0;
}

int np_qemu_readconfig_into(np_qemu_graph *g, const char *text, size_t len,
                            const char *filename, np_error *err)
{
        section sec = { .group = "" };
        char *copy, *cursor, *p;
        unsigned lineno = 0;
        int r = 0;

        copy = malloc(len + 1);
        if (!copy)
                return np_err(err, ENOMEM, "out of memory");
        memcpy(copy, text, len);
        copy[len] = '\0';
        cursor = copy;
        while (r == 0 && (p = np_ini_next_line(&cursor, &lineno))) {
                if (!*p)
                        continue;
                if (*p != '[') {
                        r = section_property(&sec, p, err);
                        continue;
                }
                r = section_close(g, &sec, &lineno, err);
                if (r == 0)
                        r = section_open(&sec, p, lineno, err);
        }
        if (r == 0)
                r = section_close(g, &sec, &lineno, err);
        if (r < 0)
                np_err_prefix(err, -r, "%s: line %u", filename ? filename : "qemu.conf", lineno);
        np_qemu_props_clear(&sec.props);
        free(copy);
        return r;
}

int np_qemu_readconfig_parse(const char *text, size_t len, const char *filename,
                             np_qemu_cmdline **ret, np_error *err)
{
        np_qemu_graph g;
        int r = np_qemu_graph_init(&g, err);

        if (r == 0)
                r = np_qemu_readconfig_into(&g, text, len, filename, err);
        if (r == 0)
                r = np_qemu_graph_finish(&g, false, ret, err);
        np_qemu_graph_done(&g);
        return r;
}
