/* qemu_argv.c: QEMU memory options from an argv (/proc/PID/cmdline).
 *
 * Reads the options that decide where guest RAM goes, the way QEMU's own
 * option code reads them (system/vl.c):
 *   -object   JSON when the argument starts with '{', else QemuOpts
 *             key=value with the implied first key "qom-type";
 *   -numa     QemuOpts, implied key "type"; "node" ties memdev to nodeid;
 *   -machine  (or -M) key=value, implied key "type"; memory-backend=ID;
 *   -device   memory devices and the backend they use (memdev=ID);
 *   -m, -mem-path, -mem-prealloc   the machine's own RAM;
 *   -readconfig FILE   sections read where the option stands.
 * "--opt" is the same option as "-opt"; "-opt=value" is no option QEMU
 * knows, so it is none here either.  Every syntax is first turned into a
 * flat list of (key, text) pairs for the graph (qemu_graph.h). */
#include "qemu_cmdline.h"
#include "array.h"
#include "error.h"
#include "json_read.h"
#include "qemu_graph.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QemuOpts key=value ----
 *
 * Items separated by ','; ",," is a literal comma inside a value.  The
 * first item may omit "KEY=" and then gives the implied key's value; any
 * later item without '=' is a flag: "KEY" means on, "noKEY" off
 * (util/qemu-option.c get_opt_name_value).  -machine goes through
 * QEMU's keyval parser instead, which differs only in rejecting bare
 * flags; for the one key read from it the two agree. */
static int opts_parse(const char *s, const char *implied, np_qemu_props *out, np_error *err)
{
        const char *p = s;
        bool first = true;
        char *value = NULL;

        value = malloc(strlen(s) + 1);
        if (!value)
                return np_err(err, ENOMEM, "out of memory");
        while (*p) {
                size_t klen = strcspn(p, "=,"), vlen = 0;
                char key[128];
                int r;

                if (p[klen] != '=' && !(first && implied)) {
                        /* a flag */
                        if (klen == 0 || klen >= sizeof(key)) {
                                free(value);
                                return np_err(err, EINVAL, "'%.*s': expected KEY=VALUE", (int)strcspn(p, ","), p);
                        }
                        if (klen > 2 && strncmp(p, "no", 2) == 0) {
                                memcpy(key, p + 2, klen - 2);
                                key[klen - 2] = '\0';
                                r = np_qemu_props_add(out, key, "off", 3);
                        } else {
                                memcpy(key, p, klen);
                                key[klen] = '\0';
                                r = np_qemu_props_add(out, key, "on", 2);
                        }
                        p += klen;
                } else {
                        if (p[klen] == '=') {
                                if (klen == 0 || klen >= sizeof(key)) {
                                        free(value);
                                        return np_err(err, EINVAL, "'%.*s': expected KEY=VALUE",
                                                      (int)strcspn(p, ","), p);
                                }
                                memcpy(key, p, klen);
                                key[klen] = '\0';
                                p += klen + 1;
                        } else {
                                snprintf(key, sizeof(key), "%s", implied);
                        }
                        for (;;) {
                                if (!*p)
                                        break;
                                if (*p == ',') {
                                        if (p[1] != ',')
                                                break;
                                        p++;
                                }
                                value[vlen++] = *p++;
                        }
                        r = np_qemu_props_add(out, key, value, vlen);
                }
                if (r < 0) {
                        free(value);
                        return np_err(err, ENOMEM, "out of memory");
                }
                if (*p == ',')
                        p++;
                first = false;
        }
        free(value);
        return 0;
}

/* ---- JSON ----
 *
 * One object, as QEMU's JSON parser takes it (qobject/json-lexer.c):
 * standard JSON plus 'single quoted' strings.  Members are flattened into
 * pairs: scalars as their text (true/false spelt so), arrays of scalars as
 * "KEY.0", "KEY.1" ... (the keyval spelling of a list), nested objects
 * and nested arrays checked for syntax and skipped: no memory backend
 * property numaplace reads is nested. */

/* A scalar at the cursor as the pair (@key, its text); null and
 * containers add nothing. */
static int json_scalar_flat(np_json_reader *jr, const char *key, np_qemu_props *out)
{
        char *s;
        size_t len;
        int r = np_json_read_scalar(jr, &s, &len);

        if (r == NP_JSON_CONTAINER)
                return np_json_read_skip(jr);
        if (r != 0)
                return r < 0 ? r : 0;
        r = np_qemu_props_add(out, key, s, len);
        free(s);
        return r < 0 ? np_err(jr->err, ENOMEM, "out of memory") : 0;
}

static int json_member_flat(np_json_reader *jr, const char *key, np_qemu_props *out)
{
        size_t count = 0;
        int r;

        if (np_json_read_peek(jr) != '[')
                return json_scalar_flat(jr, key, out);
        r = np_json_read_array_begin(jr);
        while (r == 0 && (r = np_json_read_array_next(jr, &count)) == 1) {
                char ikey[160];

                snprintf(ikey, sizeof(ikey), "%s.%zu", key, count - 1);
                r = json_scalar_flat(jr, ikey, out);
        }
        return r;
}

static int json_object_flat(const char *text, np_qemu_props *out, np_error *err)
{
        np_json_reader jr;
        size_t count = 0;
        char *key;
        int r;

        np_json_reader_init(&jr, text, strlen(text), "JSON", err);
        jr.single_quotes = true;
        r = np_json_read_object_begin(&jr);
        while (r == 0 && (r = np_json_read_object_next(&jr, &count, &key)) == 1) {
                r = strlen(key) < 128 ? json_member_flat(&jr, key, out)
                                      : np_json_read_fail(&jr, "member name too long");
                free(key);
        }
        return r < 0 ? r : np_json_read_end(&jr);
}

/* ---- the options ---- */

static const struct qemu_option {
        const char *name;       /* without its dashes */
        const char *group;      /* the -readconfig group of its properties */
        const char *implied;    /* the key of a first item without "KEY=" */
        bool json;              /* JSON as well as key=value */
} options[] = {
        { "object", "object", "qom-type", true },
        { "numa", "numa", "type", false },
        /* QEMU reads -machine as key=value only; JSON is accepted here
         * as well since it costs nothing and -object already moved to it */
        { "machine", "machine", "type", true },
        { "M", "machine", "type", true },
        { "device", "device", "driver", true },
        { "m", "memory", "size", false },
        { "mem-path", NULL, NULL, false },
        { "readconfig", NULL, NULL, false },
};

/* The memory option @arg names ("-name" or "--name"), or NULL. */
static const struct qemu_option *find_option(const char *arg)
{
        if (arg[0] != '-')
                return NULL;
        arg += arg[1] == '-' ? 2 : 1;
        for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
                if (strcmp(arg, options[i].name) == 0)
                        return &options[i];
        return NULL;
}

/* -readconfig FILE where it stands: its sections join the graph. */
static int handle_readconfig(np_qemu_graph *g, const char *path, np_error *err)
{
        char *text = NULL;
        size_t len = 0;
        int r;

        if (!g->readconfig || g->readconfig(path, &text, &len, g->userdata) < 0) {
                /* what it held stays unknown; names and sizes still
                 * attribute, but the guest may have backends after all */
                g->incomplete = true;
                return 0;
        }
        r = np_qemu_readconfig_into(g, text, len, path, err);
        free(text);
        return r;
}

/* Option @o with its value @arg. */
static int handle_option(np_qemu_graph *g, const struct qemu_option *o, const char *arg,
                         np_error *err)
{
        np_qemu_props props = { 0 };
        int r;

        /* -mem-path DIR: the implicit RAM's backing */
        if (strcmp(o->name, "mem-path") == 0)
                return np_qemu_graph_set_string(&g->mem_path, arg, err);
        if (strcmp(o->name, "readconfig") == 0)
                return handle_readconfig(g, arg, err);
        if (o->json && arg[0] == '{')
                r = json_object_flat(arg, &props, err);
        else
                r = opts_parse(arg, o->implied, &props, err);
        if (r == 0)
                r = np_qemu_graph_group(o->group)(g, NULL, &props, err);
        np_qemu_props_clear(&props);
        return r;
}

/* The NUL-separated arguments of @buf: *@ret_copy holds them (a copy
 * ending in NUL, so a last argument cut short still ends), *@ret_argv
 * points into it. */
static int split_argv(const char *buf, size_t len, char **ret_copy, const char ***ret_argv,
                      size_t *ret_argc, np_error *err)
{
        char *copy = malloc(len + 1);
        const char **argv = NULL;
        size_t argc = 0, cap = 0;

        if (!copy)
                return np_err(err, ENOMEM, "out of memory");
        memcpy(copy, buf, len);
        copy[len] = '\0';
        for (size_t i = 0; i < len; i += strlen(copy + i) + 1) {
                if (np_array_reserve(&argv, &cap, argc + 1) < 0) {
                        free(argv);
                        free(copy);
                        return np_err(err, ENOMEM, "out of memory");
                }
                argv[argc++] = copy + i;
        }
        *ret_copy = copy;
        *ret_argv = argv;
        *ret_argc = argc;
        return 0;
}

int np_qemu_cmdline_parse(const char *buf, size_t len, np_qemu_cmdline **ret, np_error *err)
{
        return np_qemu_cmdline_parse_full(buf, len, NULL, NULL, ret, err);
}

int np_qemu_cmdline_parse_full(const char *buf, size_t len, np_qemu_readconfig_fn readconfig,
                               void *userdata, np_qemu_cmdline **ret, np_error *err)
{
        np_qemu_graph g;
        char *copy = NULL;
        const char **argv = NULL;
        size_t argc = 0;
        int r = np_qemu_graph_init(&g, err);

        if (r == 0)
                r = split_argv(buf, len, &copy, &argv, &argc, err);
        g.readconfig = readconfig;
        g.userdata = userdata;
        /* argv[0] is the program, as QEMU's own loop starts at 1 */
        for (size_t i = 1; r == 0 && i < argc; i++) {
                const struct qemu_option *o = find_option(argv[i]);

                if (strcmp(argv[i], "-mem-prealloc") == 0 || strcmp(argv[i], "--mem-prealloc") == 0)
                        g.mem_prealloc = true;
                if (!o)
                        continue;
                if (i + 1 >= argc) {
                        r = np_err(err, EINVAL, "argument %zu (%s): missing its value", i, argv[i]);
                        break;
                }
                r = handle_option(&g, o, argv[++i], err);
                if (r < 0)
                        np_err_prefix(err, -r, "argument %zu (%s)", i, argv[i - 1]);
        }
        if (r == 0)
                r = np_qemu_graph_finish(&g, readconfig != NULL, ret, err);
        np_qemu_graph_done(&g);
        free(argv);
        free(copy);
        return r;
}
