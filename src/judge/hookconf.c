/* hookconf.c: parser for the hook's keyfile configuration.
 *
 * Deliberately strict: the hook can stop virtual machines, so a misspelt
 * key or value must be an error naming the file and line rather than a
 * default quietly taking its place. */
#include "hookconf.h"
#include "enum.h"
#include "error.h"
#include "ini.h"
#include "number.h"
#include "sample.h"
#include "sysroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const hook_mode_names[NP_HOOK_MODE__COUNT] = {
        [NP_HOOK_MODE_OFF] = "off",
        [NP_HOOK_MODE_WARN] = "warn",
        [NP_HOOK_MODE_ENFORCE] = "enforce",
};

static const char *const require_binding_names[NP_REQUIRE_BINDING__COUNT] = {
        [NP_REQUIRE_BINDING_NO] = "no",
        [NP_REQUIRE_BINDING_MULTI_NODE] = "multi-node",
        [NP_REQUIRE_BINDING_ALWAYS] = "always",
};

NP_ENUM_TO_STRING(np_hook_mode_to_string, np_hook_mode, hook_mode_names, "?")

NP_ENUM_TO_STRING(np_require_binding_to_string, np_require_binding, require_binding_names, "?")

NP_ENUM_FROM_STRING(np_hook_mode_from_string, np_hook_mode, hook_mode_names)

void np_hookconf_init(np_hookconf *conf)
{
        memset(conf, 0, sizeof(*conf));
        conf->mode = NP_HOOK_MODE_WARN;
        conf->require_binding = NP_REQUIRE_BINDING_MULTI_NODE;
        conf->timeout_ms = NP_HOOK_TIMEOUT_MS_DEFAULT;
        conf->sample_pages = NP_SAMPLE_AUTO_PAGES;
        conf->sample_above_kib = NP_SAMPLE_AUTO_ABOVE_KIB;
}

void np_hookconf_done(np_hookconf *conf)
{
        if (!conf)
                return;
        free(conf->log_json);
        free(conf->sysroot);
        conf->log_json = NULL;
        conf->sysroot = NULL;
}

/* Where one value is written; each key's setter reports its own
 * message (without the "FILE:LINE: " prefix, which the caller adds). */
typedef int (*key_setter)(np_hookconf *conf, const char *key,
                          const char *value, np_error *err);

static int pick_word(const char *key, const char *value,
                     const char *const *words, unsigned n, unsigned *ret,
                     np_error *err)
{
        char allowed[128] = "";
        size_t used = 0;

        if (np_enum_index(words, n, value, ret) == 0)
                return 0;
        for (unsigned i = 0; i < n; i++)
                used += (size_t)snprintf(allowed + used, used < sizeof(allowed) ? sizeof(allowed) - used : 0,
                                         "%s%s", i ? ", " : "", words[i]);
        return np_err(err, EINVAL, "'%s' for '%s' is not one of %s", value, key, allowed);
}

static int set_mode(np_hookconf *conf, const char *key, const char *value,
                    np_error *err)
{
        unsigned v;
        int r = pick_word(key, value, hook_mode_names, NP_HOOK_MODE__COUNT, &v, err);

        if (r == 0)
                conf->mode = (np_hook_mode)v;
        return r;
}

static int set_require_binding(np_hookconf *conf, const char *key,
                               const char *value, np_error *err)
{
        unsigned v;
        int r = pick_word(key, value, require_binding_names,
                          NP_REQUIRE_BINDING__COUNT, &v, err);

        if (r == 0)
                conf->require_binding = (np_require_binding)v;
        return r;
}

static int set_choice(bool *dst, const char *key, const char *value,
                      const char *no_word, const char *yes_word, np_error *err)
{
        const char *const words[2] = { no_word, yes_word };
        unsigned v;
        int r = pick_word(key, value, words, 2, &v, err);

        if (r == 0)
                *dst = v == 1;
        return r;
}

static int set_preferred(np_hookconf *conf, const char *key, const char *value,
                         np_error *err)
{
        return set_choice(&conf->preferred_is_violation, key, value,
                          "warning", "violation", err);
}

static int set_device_policy(np_hookconf *conf, const char *key, const char *value,
                             np_error *err)
{
        const char *words[NP_DEVICE_POLICY__COUNT];
        unsigned v;
        int r;

        for (unsigned i = 0; i < NP_DEVICE_POLICY__COUNT; i++)
                words[i] = np_device_policy_to_string((np_device_policy)i);
        r = pick_word(key, value, words, NP_DEVICE_POLICY__COUNT, &v, err);
        if (r == 0)
                conf->device_policy = (np_device_policy)v;
        return r;
}

static int set_unverified(np_hookconf *conf, const char *key, const char *value,
                          np_error *err)
{
        return set_choice(&conf->unverified_refuse, key, value, "allow", "refuse", err);
}

static int set_on_error(np_hookconf *conf, const char *key, const char *value,
                        np_error *err)
{
        return set_choice(&conf->on_error_refuse, key, value, "allow", "refuse", err);
}

static int set_timeout(np_hookconf *conf, const char *key, const char *value,
                       np_error *err)
{
        uint64_t v;

        if (value[strspn(value, "0123456789")])
                return np_err(err, EINVAL, "'%s' for '%s' is not a number of milliseconds", value, key);
        if (np_parse_u64_max(value, NP_HOOK_TIMEOUT_MS_MAX, &v) < 0 || v < 1)
                return np_err(err, EINVAL, "'%s' for '%s' is out of range (1 to %u)",
                              value, key, NP_HOOK_TIMEOUT_MS_MAX);
        conf->timeout_ms = (unsigned)v;
        return 0;
}

static int set_path(char **dst, const char *key, const char *value, np_error *err)
{
        char *s;

        if (value[0] != '/')
                return np_err(err, EINVAL, "'%s' for '%s' is not an absolute path", value, key);
        if (strlen(value) >= PATH_MAX)
                return np_err(err, EINVAL, "the path for '%s' is too long", key);
        s = strdup(value);
        if (!s)
                return np_err(err, ENOMEM, "out of memory");
        free(*dst);
        *dst = s;
        return 0;
}

static int set_sample(np_hookconf *conf, const char *key, const char *value,
                      np_error *err)
{
        uint64_t above;
        unsigned pages;
        int r = np_sample_setting_parse(value, &pages, &above, err);

        if (r < 0)
                return np_err(err, EINVAL, "'%s' for '%s' is not a number of pages from 1 to %u, 'auto' or 'off'",
                              value, key, NP_SAMPLE_MAX);
        conf->sample_pages = pages;
        conf->sample_above_kib = above;
        return 0;
}

static int set_log_json(np_hookconf *conf, const char *key, const char *value,
                        np_error *err)
{
        return set_path(&conf->log_json, key, value, err);
}

static int set_sysroot(np_hookconf *conf, const char *key, const char *value,
                       np_error *err)
{
        return set_path(&conf->sysroot, key, value, err);
}

static const struct {
        const char *name;
        key_setter set;
} keys[] = {
        { "mode", set_mode },
        { "preferred", set_preferred },
        { "device_policy", set_device_policy },
        { "require_binding", set_require_binding },
        { "unverified", set_unverified },
        { "timeout_ms", set_timeout },
        { "on_error", set_on_error },
        { "log_json", set_log_json },
        { "sample", set_sample },
        { "sysroot", set_sysroot },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* One line, already stripped.  @seen holds the line each key was first
 * set on (0: not yet). */
static int parse_line(char *line, unsigned lineno, bool *section_seen,
                      unsigned *seen, np_hookconf *conf, np_error *err)
{
        char *key, *value, *name;
        size_t vlen;

        if (line[0] == '[') {
                name = np_ini_section(line);
                if (!name)
                        return np_err(err, EINVAL, "malformed section header '%s'", line);
                name = np_ini_trim(name);
                if (strcmp(name, "numaplace") != 0)
                        return np_err(err, EINVAL, "unknown section '[%s]' (only [numaplace] is allowed)", name);
                if (*section_seen)
                        return np_err(err, EINVAL, "section [numaplace] given twice");
                *section_seen = true;
                return 0;
        }

        if (!np_ini_split(line, &key, &value))
                return np_err(err, EINVAL, "expected 'key = value', found '%s'", line);
        if (!*key)
                return np_err(err, EINVAL, "missing key before '='");
        vlen = strlen(value);
        if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
                value[vlen - 1] = '\0';
                value++;
        } else if (vlen && (value[0] == '"' || value[vlen - 1] == '"')) {
                return np_err(err, EINVAL, "unbalanced quotes in the value of '%s'", key);
        }
        if (!*value)
                return np_err(err, EINVAL, "empty value for '%s'", key);

        for (size_t i = 0; i < N_KEYS; i++) {
                if (strcmp(key, keys[i].name) != 0)
                        continue;
                if (seen[i])
                        return np_err(err, EINVAL, "'%s' is set twice (first on line %u)", key, seen[i]);
                seen[i] = lineno;
                return keys[i].set(conf, key, value, err);
        }
        return np_err(err, EINVAL, "unknown key '%s'", key);
}

int np_hookconf_parse(const char *text, size_t len, const char *filename,
                      np_hookconf *conf, np_error *err)
{
        unsigned seen[N_KEYS] = { 0 };
        bool section_seen = false;
        np_hookconf work = *conf;
        unsigned lineno = 0;
        char *copy, *cursor, *s;
        int r = 0;

        if (!filename)
                filename = "(config)";
        if (memchr(text, '\0', len))
                return np_err(err, EINVAL, "%s: contains a NUL byte", filename);
        copy = malloc(len + 1);
        if (!copy)
                return np_err(err, ENOMEM, "out of memory");
        memcpy(copy, text, len);
        copy[len] = '\0';

        /* Work on private copies of the strings so that a failure leaves
         * @conf exactly as it was. */
        work.log_json = work.sysroot = NULL;
        if ((conf->log_json && !(work.log_json = strdup(conf->log_json))) ||
            (conf->sysroot && !(work.sysroot = strdup(conf->sysroot)))) {
                r = np_err(err, ENOMEM, "out of memory");
                goto out;
        }

        cursor = copy;
        while ((s = np_ini_next_line(&cursor, &lineno))) {
                if (!*s || *s == ';')
                        continue;
                r = parse_line(s, lineno, &section_seen, seen, &work, err);
                if (r < 0) {
                        np_err_prefix(err, -r, "%s:%u", filename, lineno);
                        goto out;
                }
        }

out:
        free(copy);
        if (r < 0) {
                np_hookconf_done(&work);
                return r;
        }
        np_hookconf_done(conf);
        *conf = work;
        return 0;
}

int np_hookconf_read(const char *path, np_hookconf *conf, np_error *err)
{
        np_error sub;
        char *buf = NULL;
        size_t len = 0;
        struct stat st;
        int fd, r;

        /* root reads it: no FIFO to block on, no link to follow */
        fd = np_file_open(path, O_NOFOLLOW, &sub);
        if (fd == -ENOENT)
                return -ENOENT;
        if (fd < 0) {
                if (err)
                        *err = sub;
                return fd;
        }
        if (fstat(fd, &st) < 0) {
                r = np_err(err, errno, "%s: %s", path, strerror(errno));
                goto out;
        }
        if ((size_t)st.st_size > NP_HOOKCONF_MAX) {
                r = np_err(err, EFBIG, "%s: larger than %u bytes", path, NP_HOOKCONF_MAX);
                goto out;
        }
        r = np_fd_read_all(fd, path, NP_HOOKCONF_MAX, &buf, &len, err);
        if (r < 0)
                goto out;
        r = np_hookconf_parse(buf, len, path, conf, err);
out:
        free(buf);
        close(fd);
        return r;
}
