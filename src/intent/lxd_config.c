/* lxd_config.c: an LXD or Incus instance config, as the JSON of
 * `lxc query /1.0/instances/NAME` (or its REST envelope, or a plain
 * {"key": "value"} object) or the YAML of `lxc config show --expanded`.
 * Text in, string pairs out; no I/O.  Declared in intent_lxd.h. */
#include "intent_lxd.h"
#include "array.h"
#include "error.h"
#include "json_read.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- the instance config (JSON) ------------------------------------------ */

typedef struct strmap {
        char **keys, **values;
        size_t n, keys_cap, values_cap;
        bool seen;
} strmap;

static void strmap_clear(strmap *m)
{
        for (size_t i = 0; i < m->n; i++) {
                free(m->keys[i]);
                free(m->values[i]);
        }
        free(m->keys);
        free(m->values);
        memset(m, 0, sizeof(*m));
}

static const char *strmap_get(const strmap *m, const char *key)
{
        for (size_t i = 0; i < m->n; i++)
                if (strcmp(m->keys[i], key) == 0)
                        return m->values[i];
        return NULL;
}

/* Add (or replace) a pair; takes ownership of both strings. */
static int strmap_put(strmap *m, char *key, char *value)
{
        for (size_t i = 0; i < m->n; i++) {
                if (strcmp(m->keys[i], key) == 0) {
                        free(key);
                        free(m->values[i]);
                        m->values[i] = value;
                        return 0;
                }
        }
        if (np_array_reserve(&m->keys, &m->keys_cap, m->n + 1) < 0 ||
            np_array_reserve(&m->values, &m->values_cap, m->n + 1) < 0) {
                free(key);
                free(value);
                return -ENOMEM;
        }
        m->keys[m->n] = key;
        m->values[m->n++] = value;
        return 0;
}

/* What an instance document holds: its top-level string members, and
 * its "expanded_config" and "config" objects. */
typedef struct collected {
        strmap top, expanded, config;
} collected;

static int jobject(np_json_reader *jr, collected *c, int level);

/* The value of member @key (owned here) of an object at @level. */
static int jmember(np_json_reader *jr, collected *c, int level, char *key)
{
        int v = np_json_read_peek(jr), r;
        char *value;

        if (level == 0 && v == '{' && strcmp(key, "metadata") == 0) {
                r = jobject(jr, c, 1);
        } else if (level < 2 && v == '{' &&
                   (strcmp(key, "expanded_config") == 0 || strcmp(key, "config") == 0)) {
                strmap *m = key[0] == 'e' ? &c->expanded : &c->config;
                collected inner = { { 0 }, { 0 }, { 0 } };

                /* one level of string values: the inner object's
                 * strings land in inner.top */
                r = jobject(jr, &inner, 2);
                if (r == 0) {
                        strmap_clear(m);
                        *m = inner.top;
                        m->seen = true;
                } else {
                        strmap_clear(&inner.top);
                }
                strmap_clear(&inner.expanded);
                strmap_clear(&inner.config);
        } else if (v == '"' && level != 1) {
                r = np_json_read_string(jr, &value, NULL);
                if (r == 0) {
                        r = strmap_put(&c->top, key, value);
                        key = NULL;
                        if (r < 0)
                                r = np_err(jr->err, ENOMEM, "out of memory");
                }
        } else {
                r = np_json_read_skip(jr);
        }
        free(key);
        return r;
}

/* Read an object at the cursor into @c.  Level 0 is the document, 1 the
 * REST envelope's "metadata", 2 a config object (strings only). */
static int jobject(np_json_reader *jr, collected *c, int level)
{
        size_t count = 0;
        char *key;
        int r = np_json_read_object_begin(jr);

        while (r == 0 && (r = np_json_read_object_next(jr, &count, &key)) == 1)
                r = jmember(jr, c, level, key);
        return r;
}

/* ---- the instance config (YAML, as `lxc config show` prints it) ---- */

/* The subset `lxc config show [--expanded]` and `incus config show`
 * print: block mappings indented with spaces, plain, single- and
 * double-quoted scalars, and literal (|) or folded (>) block scalars for
 * multi-line values such as raw.qemu.conf.  Values that are mappings or
 * sequences are skipped. */
typedef struct yreader {
        char **lines;
        size_t n;
        const char *file;
        np_error *err;
} yreader;

static int yfail(const yreader *yr, size_t line, const char *what)
{
        return np_err(yr->err, EINVAL, "%s: line %zu: %s", yr->file, line + 1, what);
}

/* Indentation of line @i, or -1 for a blank or comment line. */
static int yindent(const yreader *yr, size_t i)
{
        const char *p = yr->lines[i];
        int n = 0;

        while (p[n] == ' ')
                n++;
        if (!p[n] || p[n] == '#')
                return -1;
        return n;
}

/* A flow scalar (plain or quoted) from @v; *ret is malloc'ed. */
static int yscalar(const yreader *yr, size_t line, const char *v, char **ret)
{
        size_t n = strlen(v), o = 0;
        char *out = malloc(n + 1), q = v[0];
        const char *p = v + 1;

        if (!out)
                return np_err(yr->err, ENOMEM, "out of memory");
        if (q != '"' && q != '\'') {
                /* plain: up to a comment, trailing spaces dropped */
                const char *hash = strstr(v, " #");

                n = hash ? (size_t)(hash - v) : n;
                while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
                        n--;
                memcpy(out, v, n);
                out[n] = '\0';
                *ret = out;
                return 0;
        }
        for (;; p++) {
                if (!*p) {
                        free(out);
                        return yfail(yr, line, "a quoted value is not closed on its line");
                }
                if (*p == q) {
                        if (q == '\'' && p[1] == '\'') {
                                out[o++] = *p++;
                                continue;
                        }
                        break;
                }
                if (q == '"' && *p == '\\') {
                        switch (*++p) {
                        case 'n': out[o++] = '\n'; break;
                        case 't': out[o++] = '\t'; break;
                        case 'r': out[o++] = '\r'; break;
                        case '"': case '\\': case '/': case ' ': out[o++] = *p; break;
                        default:
                                free(out);
                                return yfail(yr, line, "an unknown escape in a double-quoted value");
                        }
                        continue;
                }
                out[o++] = *p;
        }
        for (p++; *p == ' '; p++)
                ;
        if (*p && *p != '#' && *p != '\r') {
                free(out);
                return yfail(yr, line, "text after a quoted value");
        }
        out[o] = '\0';
        *ret = out;
        return 0;
}

/* A block scalar after "key: |" on line @i: the lines indented more
 * than @indent.  Sets *end to the first line after it. */
static int yblock(const yreader *yr, size_t i, int indent, const char *style, size_t *end, char **ret)
{
        bool folded = style[0] == '>';
        char chomp = style[1];
        size_t cap = 1, o = 0, j;
        int block = -1;
        char *out;

        for (j = i + 1; j < yr->n; j++) {
                int in = yindent(yr, j);

                if (in >= 0 && in <= indent)
                        break;
                cap += strlen(yr->lines[j]) + 1;
                if (in > 0 && block < 0)
                        block = in;
        }
        *end = j;
        out = malloc(cap);
        if (!out)
                return np_err(yr->err, ENOMEM, "out of memory");
        for (size_t k = i + 1; k < j; k++) {
                const char *l = yr->lines[k];
                size_t skip = 0;

                while (l[skip] == ' ' && (int)skip < block)
                        skip++;
                if (o && (!folded || !l[skip]))
                        out[o++] = '\n';
                else if (o)
                        out[o++] = ' ';
                memcpy(out + o, l + skip, strlen(l + skip));
                o += strlen(l + skip);
        }
        /* chomping: "|-" none, "|" one newline, "|+" every blank line */
        while (o && out[o - 1] == '\n' && chomp != '+')
                o--;
        if (o && chomp != '-')
                out[o++] = '\n';
        out[o] = '\0';
        *ret = out;
        return 0;
}

/* "key: value" on line @i at indentation @indent: the key, and where the
 * value starts (NULL when the line holds none). */
static int ykey(const yreader *yr, size_t i, int indent, char **ret_key, const char **ret_value)
{
        char *l = yr->lines[i] + indent, *colon;

        if (l[0] == '-' && (l[1] == ' ' || !l[1]))
                return yfail(yr, i, "expected 'key: value', found a list item");
        colon = strstr(l, ": ");
        if (!colon) {
                size_t n = strlen(l);

                while (n && (l[n - 1] == ' ' || l[n - 1] == '\r'))
                        n--;
                if (!n || l[n - 1] != ':')
                        return yfail(yr, i, "expected 'key: value'");
                colon = l + n - 1;
        }
        *ret_key = strndup(l, (size_t)(colon - l));
        if (!*ret_key)
                return np_err(yr->err, ENOMEM, "out of memory");
        for (l = colon + 1; *l == ' '; l++)
                ;
        *ret_value = *l && *l != '\r' && *l != '#' ? l : NULL;
        return 0;
}

/* The entry on line @i at indentation @in: a string value goes to @m,
 * anything else (a nested mapping or list, null) is skipped.  Sets *end
 * to the line after it. */
static int yentry(const yreader *yr, size_t i, int in, strmap *m, size_t *end)
{
        const char *value;
        char *key, *text = NULL;
        size_t j;
        int r;

        if ((r = ykey(yr, i, in, &key, &value)) < 0)
                return r;
        if (value && (value[0] == '|' || value[0] == '>')) {
                r = yblock(yr, i, in, value, &j, &text);
        } else {
                r = value ? yscalar(yr, i, value, &text) : 0;
                /* what belongs to it: deeper lines, and the items of a
                 * list written at the key's own indentation */
                for (j = i + 1; j < yr->n; j++) {
                        int jn = yindent(yr, j);
                        const char *l = yr->lines[j] + (jn > 0 ? jn : 0);

                        if (jn >= 0 && jn < in)
                                break;
                        if (jn == in && (value || l[0] != '-' || (l[1] != ' ' && l[1])))
                                break;
                        /* LXD quotes what would need more lines */
                        if (jn > in && value) {
                                free(text);
                                free(key);
                                return r < 0 ? r : yfail(yr, j, "indented more than the entries before it");
                        }
                }
        }
        if (r == 0 && text) {
                r = strmap_put(m, key, text);
                key = NULL;
                if (r < 0)
                        r = np_err(yr->err, ENOMEM, "out of memory");
        } else {
                free(text);
        }
        free(key);
        *end = j;
        return r;
}

/* The entries of the mapping starting at line @i, at indentation
 * @indent, into @m.  Sets *end past it. */
static int ymapping(const yreader *yr, size_t i, int indent, strmap *m, size_t *end)
{
        size_t j = i;
        int r;

        while (j < yr->n) {
                int in = yindent(yr, j);

                if (in < 0) {
                        j++;
                        continue;
                }
                if (in < indent)
                        break;
                if (in > indent)
                        return yfail(yr, j, "indented more than the entries before it");
                if ((r = yentry(yr, j, in, m, &j)) < 0)
                        return r;
        }
        *end = j;
        return 0;
}

static int yaml_document(const char *text, size_t len, const char *file, collected *c, np_error *err)
{
        yreader yr = { NULL, 0, file, err };
        char *copy = strndup(text, len), *line, *next;
        size_t cap = 0, i = 0;
        bool any = false, ended = false;
        int r = 0;

        if (!copy)
                return np_err(err, ENOMEM, "out of memory");
        for (line = copy; line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (np_array_reserve(&yr.lines, &cap, yr.n + 1) < 0) {
                        r = np_err(err, ENOMEM, "out of memory");
                        goto out;
                }
                if (strchr(line, '\t') && strspn(line, " \t") > strspn(line, " ")) {
                        r = yfail(&yr, yr.n, "a tab in the indentation");
                        goto out;
                }
                yr.lines[yr.n++] = line;
        }
        while (i < yr.n && r == 0) {
                int in = yindent(&yr, i);
                const char *value;
                char *key;
                size_t j;

                /* one instance, one document: a second one would be
                 * merged into the first without a word */
                if (strcmp(yr.lines[i], "---") == 0 && (any || ended)) {
                        r = yfail(&yr, i, "a second YAML document (one instance config per file)");
                        break;
                }
                if (strcmp(yr.lines[i], "...") == 0)
                        ended = true;
                if (in < 0 || strcmp(yr.lines[i], "---") == 0 || strcmp(yr.lines[i], "...") == 0) {
                        i++;
                        continue;
                }
                if (ended) {
                        r = yfail(&yr, i, "text after the end of the YAML document");
                        break;
                }
                any = true;
                if (in > 0) {
                        r = yfail(&yr, i, "indented without a key above it");
                        break;
                }
                if ((r = ykey(&yr, i, 0, &key, &value)) < 0)
                        break;
                if (!value && (strcmp(key, "config") == 0 || strcmp(key, "expanded_config") == 0)) {
                        strmap *m = key[0] == 'e' ? &c->expanded : &c->config;

                        for (j = i + 1; j < yr.n && yindent(&yr, j) < 0; j++)
                                ;
                        strmap_clear(m);
                        m->seen = true;
                        if (j < yr.n && yindent(&yr, j) > 0)
                                r = ymapping(&yr, j, yindent(&yr, j), m, &i);
                        else
                                i = j;
                } else {
                        /* any other entry: a string counts for a plain
                         * key/value file, the rest is skipped */
                        r = yentry(&yr, i, 0, &c->top, &i);
                }
                free(key);
        }
out:
        free(yr.lines);
        free(copy);
        return r;
}

/* What parsed but is no instance config: nothing at all (an empty file,
 * blank YAML, "{}"), or LXD's answer that there is no such instance
 * ({"type":"error","error_code":404,"error":"Instance not found"}).
 * Either would read as an instance that demands nothing. */
static int check_document(const collected *c, const char *file, np_error *err)
{
        const char *type = strmap_get(&c->top, "type");

        if (type && strcmp(type, "error") == 0) {
                const char *msg = strmap_get(&c->top, "error");

                return np_err(err, EINVAL, "%s: an LXD error response, not an instance config: '%s'",
                              file, msg && *msg ? msg : "(no message)");
        }
        if (!c->expanded.seen && !c->config.seen && c->top.n == 0)
                return np_err(err, EINVAL, "%s: no instance config in it (empty)", file);
        /* a REST envelope ("type": "sync") whose metadata held none */
        if (!c->expanded.seen && !c->config.seen && type)
                return np_err(err, EINVAL, "%s: an LXD response of type '%s' without an instance config", file, type);
        return 0;
}

int np_lxd_config_parse(const char *text, size_t len, const char *filename,
                        np_lxd_config **ret, np_error *err)
{
        const char *file = filename ? filename : "instance config";
        np_json_reader jr;
        collected c = { { 0 }, { 0 }, { 0 } };
        np_lxd_config *config;
        strmap *use;
        int r;

        /* JSON from `lxc query`, or YAML from `lxc config show` */
        np_json_reader_init(&jr, text, len, file, err);
        if (np_json_read_peek(&jr) == '{') {
                r = jobject(&jr, &c, 0);
                if (r == 0)
                        r = np_json_read_end(&jr);
        } else {
                r = yaml_document(text, len, file, &c, err);
        }
        if (r < 0)
                goto out;
        r = check_document(&c, file, err);
        if (r < 0)
                goto out;
        use = c.expanded.seen ? &c.expanded : c.config.seen ? &c.config : &c.top;
        config = calloc(1, sizeof(*config));
        if (!config) {
                r = np_err(err, ENOMEM, "out of memory");
                goto out;
        }
        config->keys = use->keys;
        config->values = use->values;
        config->n = use->n;
        memset(use, 0, sizeof(*use));
        *ret = config;
out:
        strmap_clear(&c.top);
        strmap_clear(&c.expanded);
        strmap_clear(&c.config);
        return r;
}

const char *np_lxd_config_get(const np_lxd_config *config, const char *key)
{
        for (size_t i = 0; config && i < config->n; i++)
                if (strcmp(config->keys[i], key) == 0)
                        return config->values[i];
        return NULL;
}

void np_lxd_config_free(np_lxd_config *config)
{
        if (!config)
                return;
        for (size_t i = 0; i < config->n; i++) {
                free(config->keys[i]);
                free(config->values[i]);
        }
        free(config->keys);
        free(config->values);
        free(config);
}
