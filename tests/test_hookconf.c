/* test_hookconf.c: the hook's keyfile parser.
 *
 * Good files are checked field by field; bad ones by the exact message,
 * which must name the file, the line and the key or value at fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "hookconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct good_case {
        const char *name;
        const char *text;
        np_hook_mode mode;
        bool preferred_is_violation;
        np_device_policy device_policy;
        np_require_binding require_binding;
        bool unverified_refuse;
        unsigned timeout_ms;
        bool on_error_refuse;
        const char *log_json;         /* NULL: none */
        const char *sysroot;          /* NULL: none */
        const char *sample;           /* NULL: auto, 4096 pages from 16 GiB */
        unsigned sample_pages;
        uint64_t sample_above_kib;
} good_case;

static const good_case good[] = {
        {
                .name = "empty file keeps the defaults",
                .text = "",
                .mode = NP_HOOK_MODE_WARN,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 5000,
        },
        {
                .name = "comments and blank lines only",
                .text = "# numaplace\n; another comment\n\n   \t\n   # indented\n",
                .mode = NP_HOOK_MODE_WARN,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 5000,
        },
        {
                .name = "every key, with the section",
                .text = "[numaplace]\n"
                        "mode = enforce\n"
                        "preferred = violation\n"
                        "device_policy = required\n"
                        "require_binding = always\n"
                        "unverified = refuse\n"
                        "timeout_ms = 250\n"
                        "on_error = refuse\n"
                        "log_json = /var/log/numaplace/decisions.jsonl\n"
                        "sample = 700\n"
                        "sysroot = /srv/replay\n",
                .sample = "700",
                .sample_pages = 700,
                .mode = NP_HOOK_MODE_ENFORCE,
                .preferred_is_violation = true,
                .device_policy = NP_DEVICE_POLICY_REQUIRED,
                .require_binding = NP_REQUIRE_BINDING_ALWAYS,
                .unverified_refuse = true,
                .timeout_ms = 250,
                .on_error_refuse = true,
                .log_json = "/var/log/numaplace/decisions.jsonl",
                .sysroot = "/srv/replay",
        },
        {
                .name = "the other words of each choice",
                .text = "mode=off\npreferred=warning\nrequire_binding=no\nunverified=allow\non_error=allow\n"
                        "device_policy=legacy\n",
                .mode = NP_HOOK_MODE_OFF,
                .device_policy = NP_DEVICE_POLICY_LEGACY,
                .require_binding = NP_REQUIRE_BINDING_NO,
                .timeout_ms = 5000,
        },
        {
                .name = "white space, quotes, last line without a newline",
                .text = "  [ numaplace ]  \n\t mode\t=\t\"warn\"  \nlog_json = \"/tmp/a b.jsonl\"\ntimeout_ms = 600000",
                .mode = NP_HOOK_MODE_WARN,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 600000,
                .log_json = "/tmp/a b.jsonl",
        },
        {
                .name = "keys before the section header belong to it",
                .text = "mode = enforce\n[numaplace]\ntimeout_ms = 1\n",
                .mode = NP_HOOK_MODE_ENFORCE,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 1,
        },
        {
                .name = "CRLF line ends",
                .text = "mode = enforce\r\non_error = refuse\r\n",
                .mode = NP_HOOK_MODE_ENFORCE,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 5000,
                .on_error_refuse = true,
        },
        {
                .name = "sample off walks every page",
                .text = "sample = off\n",
                .mode = NP_HOOK_MODE_WARN,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 5000,
                .sample = "off",
        },
        {
                .name = "sample auto, spelt out",
                .text = "sample = \"auto\"\n",
                .mode = NP_HOOK_MODE_WARN,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 5000,
                .sample = "auto",
                .sample_pages = 4096,
                .sample_above_kib = 16ull << 20,
        },
        {
                .name = "a hash inside a value is part of it",
                .text = "log_json = /var/log/np#1.jsonl\n",
                .mode = NP_HOOK_MODE_WARN,
                .require_binding = NP_REQUIRE_BINDING_MULTI_NODE,
                .timeout_ms = 5000,
                .log_json = "/var/log/np#1.jsonl",
        },
};

typedef struct bad_case {
        const char *name;
        const char *text;
        size_t len;                   /* 0: strlen(text) */
        const char *message;
} bad_case;

static const bad_case bad[] = {
        { "unknown key", "mode = warn\n\nmdoe = enforce\n", 0,
          "numaplace.conf:3: unknown key 'mdoe'" },
        { "bad mode", "mode = enforcing\n", 0,
          "numaplace.conf:1: 'enforcing' for 'mode' is not one of off, warn, enforce" },
        { "bad preferred", "preferred = fatal\n", 0,
          "numaplace.conf:1: 'fatal' for 'preferred' is not one of warning, violation" },
        { "bad device_policy", "device_policy = strict\n", 0,
          "numaplace.conf:1: 'strict' for 'device_policy' is not one of preferred, required, legacy" },
        { "bad require_binding", "require_binding = yes\n", 0,
          "numaplace.conf:1: 'yes' for 'require_binding' is not one of no, multi-node, always" },
        { "bad unverified", "unverified = deny\n", 0,
          "numaplace.conf:1: 'deny' for 'unverified' is not one of allow, refuse" },
        { "bad on_error", "on_error = ignore\n", 0,
          "numaplace.conf:1: 'ignore' for 'on_error' is not one of allow, refuse" },
        { "values are case sensitive", "mode = Enforce\n", 0,
          "numaplace.conf:1: 'Enforce' for 'mode' is not one of off, warn, enforce" },
        { "timeout with a unit", "timeout_ms = 5s\n", 0,
          "numaplace.conf:1: '5s' for 'timeout_ms' is not a number of milliseconds" },
        { "negative timeout", "timeout_ms = -1\n", 0,
          "numaplace.conf:1: '-1' for 'timeout_ms' is not a number of milliseconds" },
        { "zero timeout", "timeout_ms = 0\n", 0,
          "numaplace.conf:1: '0' for 'timeout_ms' is out of range (1 to 600000)" },
        { "huge timeout", "timeout_ms = 99999999999999999999\n", 0,
          "numaplace.conf:1: '99999999999999999999' for 'timeout_ms' is out of range (1 to 600000)" },
        { "relative log path", "log_json = numaplace.jsonl\n", 0,
          "numaplace.conf:1: 'numaplace.jsonl' for 'log_json' is not an absolute path" },
        { "relative sysroot", "sysroot = tree\n", 0,
          "numaplace.conf:1: 'tree' for 'sysroot' is not an absolute path" },
        { "key given twice", "# x\nmode = warn\nmode = enforce\n", 0,
          "numaplace.conf:3: 'mode' is set twice (first on line 2)" },
        { "other section", "[libvirt]\nmode = warn\n", 0,
          "numaplace.conf:1: unknown section '[libvirt]' (only [numaplace] is allowed)" },
        { "section twice", "[numaplace]\n[numaplace]\n", 0,
          "numaplace.conf:2: section [numaplace] given twice" },
        { "broken section header", "[numaplace\n", 0,
          "numaplace.conf:1: malformed section header '[numaplace'" },
        { "text after section header", "[numaplace] mode = warn\n", 0,
          "numaplace.conf:1: malformed section header '[numaplace] mode = warn'" },
        { "line without equals", "mode enforce\n", 0,
          "numaplace.conf:1: expected 'key = value', found 'mode enforce'" },
        { "missing key", " = enforce\n", 0,
          "numaplace.conf:1: missing key before '='" },
        { "empty value", "log_json =\n", 0,
          "numaplace.conf:1: empty value for 'log_json'" },
        { "empty quoted value", "mode = \"\"\n", 0,
          "numaplace.conf:1: empty value for 'mode'" },
        { "unbalanced quote", "mode = \"warn\n", 0,
          "numaplace.conf:1: unbalanced quotes in the value of 'mode'" },
        { "sample of no pages", "sample = 0\n", 0,
          "numaplace.conf:1: '0' for 'sample' is not a number of pages from 1 to 1000000, 'auto' or 'off'" },
        { "sample with a unit", "sample = 700p\n", 0,
          "numaplace.conf:1: '700p' for 'sample' is not a number of pages from 1 to 1000000, 'auto' or 'off'" },
        { "sample too large", "sample = 99999999999\n", 0,
          "numaplace.conf:1: '99999999999' for 'sample' is not a number of pages from 1 to 1000000, 'auto' or 'off'" },
        { "NUL byte", "mode = warn\0\n", 13,
          "numaplace.conf: contains a NUL byte" },
};

static void test_good(void **state)
{
        const good_case *c = *state;
        np_error err = { "" };
        np_hookconf conf;

        np_hookconf_init(&conf);
        print_message("case: %s\n", c->name);
        assert_int_equal(np_hookconf_parse(c->text, strlen(c->text), "numaplace.conf", &conf, &err), 0);
        assert_string_equal(err.msg, "");
        assert_int_equal(conf.mode, c->mode);
        assert_int_equal(conf.preferred_is_violation, c->preferred_is_violation);
        assert_int_equal(conf.device_policy, c->device_policy);
        assert_int_equal(conf.require_binding, c->require_binding);
        assert_int_equal(conf.unverified_refuse, c->unverified_refuse);
        assert_int_equal(conf.timeout_ms, c->timeout_ms);
        assert_int_equal(conf.on_error_refuse, c->on_error_refuse);
        if (c->log_json)
                assert_string_equal(conf.log_json, c->log_json);
        else
                assert_null(conf.log_json);
        if (c->sysroot)
                assert_string_equal(conf.sysroot, c->sysroot);
        else
                assert_null(conf.sysroot);
        if (c->sample) {
                assert_int_equal(conf.sample_pages, c->sample_pages);
                assert_int_equal(conf.sample_above_kib, c->sample_above_kib);
        } else {
                assert_int_equal(conf.sample_pages, 4096);
                assert_int_equal(conf.sample_above_kib, 16ull << 20);
        }
        np_hookconf_done(&conf);
}

/* A failed parse must leave the record exactly as it was. */
static void test_bad(void **state)
{
        const bad_case *c = *state;
        np_error err = { "" };
        np_hookconf conf;

        np_hookconf_init(&conf);
        conf.mode = NP_HOOK_MODE_ENFORCE;
        conf.log_json = strdup("/var/log/np.jsonl");
        assert_non_null(conf.log_json);
        print_message("case: %s\n", c->name);
        assert_int_equal(np_hookconf_parse(c->text, c->len ? c->len : strlen(c->text),
                                           "numaplace.conf", &conf, &err), -EINVAL);
        assert_string_equal(err.msg, c->message);
        assert_int_equal(conf.mode, NP_HOOK_MODE_ENFORCE);
        assert_int_equal(conf.timeout_ms, 5000);
        assert_int_equal(conf.require_binding, NP_REQUIRE_BINDING_MULTI_NODE);
        assert_string_equal(conf.log_json, "/var/log/np.jsonl");
        assert_null(conf.sysroot);
        np_hookconf_done(&conf);
}

static void test_parse_replaces_strings(void **state)
{
        np_hookconf conf;

        (void)state;
        np_hookconf_init(&conf);
        assert_int_equal(np_hookconf_parse("log_json = /a\n", 14, NULL, &conf, NULL), 0);
        assert_int_equal(np_hookconf_parse("log_json = /b\n", 14, NULL, &conf, NULL), 0);
        assert_string_equal(conf.log_json, "/b");
        np_hookconf_done(&conf);
        assert_null(conf.log_json);
        np_hookconf_done(&conf); /* twice is harmless */
        np_hookconf_done(NULL);
}

static void write_file(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
}

static void test_read(void **state)
{
        char dir[] = "/tmp/np-hookconf-XXXXXX";
        char path[256], msg[512];
        np_error err = { "" };
        np_hookconf conf;
        char *big;

        (void)state;
        assert_non_null(mkdtemp(dir));
        np_hookconf_init(&conf);

        /* missing: -ENOENT, nothing changed, nothing reported */
        snprintf(path, sizeof(path), "%s/absent.conf", dir);
        assert_int_equal(np_hookconf_read(path, &conf, &err), -ENOENT);
        assert_string_equal(err.msg, "");
        assert_int_equal(conf.mode, NP_HOOK_MODE_WARN);

        /* a good file */
        snprintf(path, sizeof(path), "%s/numaplace.conf", dir);
        write_file(path, "[numaplace]\nmode = enforce\ntimeout_ms = 100\n");
        assert_int_equal(np_hookconf_read(path, &conf, &err), 0);
        assert_int_equal(conf.mode, NP_HOOK_MODE_ENFORCE);
        assert_int_equal(conf.timeout_ms, 100);

        /* a bad file names itself and the line */
        write_file(path, "mode = enforce\nfoo = bar\n");
        assert_int_equal(np_hookconf_read(path, &conf, &err), -EINVAL);
        snprintf(msg, sizeof(msg), "%s:2: unknown key 'foo'", path);
        assert_string_equal(err.msg, msg);

        /* too large */
        big = malloc(NP_HOOKCONF_MAX + 2);
        assert_non_null(big);
        memset(big, '#', NP_HOOKCONF_MAX + 1);
        big[NP_HOOKCONF_MAX + 1] = '\0';
        write_file(path, big);
        free(big);
        assert_int_equal(np_hookconf_read(path, &conf, &err), -EFBIG);
        snprintf(msg, sizeof(msg), "%s: larger than %u bytes", path, NP_HOOKCONF_MAX);
        assert_string_equal(err.msg, msg);
        unlink(path);

        /* a directory */
        assert_int_equal(np_hookconf_read(dir, &conf, &err), -NP_ENOTREG);
        snprintf(msg, sizeof(msg), "%s: not a regular file (a directory)", dir);
        assert_string_equal(err.msg, msg);

        /* a FIFO no one writes: refused at once, not waited on */
        snprintf(path, sizeof(path), "%s/fifo.conf", dir);
        assert_int_equal(mkfifo(path, 0600), 0);
        assert_int_equal(np_hookconf_read(path, &conf, &err), -NP_ENOTREG);
        snprintf(msg, sizeof(msg), "%s: not a regular file (a FIFO)", path);
        assert_string_equal(err.msg, msg);
        unlink(path);

        /* a symbolic link, even to a good file, is not followed */
        snprintf(msg, sizeof(msg), "%s/real.conf", dir);
        write_file(msg, "mode = off\n");
        snprintf(path, sizeof(path), "%s/link.conf", dir);
        assert_int_equal(symlink(msg, path), 0);
        assert_int_equal(np_hookconf_read(path, &conf, &err), -ELOOP);
        assert_int_equal(conf.mode, NP_HOOK_MODE_ENFORCE);
        unlink(msg);
        snprintf(msg, sizeof(msg), "%s: cannot open: a symbolic link, not followed", path);
        assert_string_equal(err.msg, msg);
        unlink(path);

        np_hookconf_done(&conf);
        assert_int_equal(rmdir(dir), 0);
}

static void test_names(void **state)
{
        static const struct {
                const char *word;
                int ret;
                np_hook_mode mode;
        } modes[] = {
                { "off", 0, NP_HOOK_MODE_OFF },
                { "warn", 0, NP_HOOK_MODE_WARN },
                { "enforce", 0, NP_HOOK_MODE_ENFORCE },
                { "ENFORCE", -EINVAL, NP_HOOK_MODE_OFF },
                { "", -EINVAL, NP_HOOK_MODE_OFF },
                { NULL, -EINVAL, NP_HOOK_MODE_OFF },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
                np_hook_mode m = NP_HOOK_MODE_OFF;

                assert_int_equal(np_hook_mode_from_string(modes[i].word, &m), modes[i].ret);
                assert_int_equal(m, modes[i].mode);
                if (modes[i].ret == 0)
                        assert_string_equal(np_hook_mode_to_string(m), modes[i].word);
        }
        assert_string_equal(np_hook_mode_to_string(NP_HOOK_MODE__COUNT), "?");
        assert_string_equal(np_require_binding_to_string(NP_REQUIRE_BINDING_NO), "no");
        assert_string_equal(np_require_binding_to_string(NP_REQUIRE_BINDING_MULTI_NODE), "multi-node");
        assert_string_equal(np_require_binding_to_string(NP_REQUIRE_BINDING_ALWAYS), "always");
        assert_string_equal(np_require_binding_to_string(NP_REQUIRE_BINDING__COUNT), "?");
}

/* contrib/numaplace.conf as installed: every key commented out, so the
 * defaults; with the commented examples switched on, still valid and
 * still the defaults apart from the paths.  Found through NP_TOP, which
 * tests/run-all exports; skipped when run alone without it. */
static void test_contrib_config(void **state)
{
        const char *top = getenv("NP_TOP");
        char path[4096], *text, *on, *out;
        np_error err = { "" };
        np_hookconf conf;
        size_t len = 0;
        FILE *f;

        (void)state;
        if (!top)
                skip();
        snprintf(path, sizeof(path), "%s/contrib/numaplace.conf", top);
        np_hookconf_init(&conf);
        assert_int_equal(np_hookconf_read(path, &conf, &err), 0);
        assert_int_equal(conf.mode, NP_HOOK_MODE_WARN);
        assert_null(conf.log_json);

        f = fopen(path, "re");
        assert_non_null(f);
        text = calloc(1, NP_HOOKCONF_MAX + 1);
        on = calloc(1, NP_HOOKCONF_MAX + 1);
        assert_non_null(text);
        assert_non_null(on);
        len = fread(text, 1, NP_HOOKCONF_MAX, f);
        fclose(f);
        out = on;
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
                /* "#key = value" -> "key = value"; prose comments stay */
                size_t k = line[0] == '#' ? strspn(line + 1, "abcdefghijklmnopqrstuvwxyz_") : 0;

                if (k && strncmp(line + 1 + k, " = ", 3) == 0)
                        line++;
                out += sprintf(out, "%s\n", line);
        }
        np_hookconf_done(&conf);
        np_hookconf_init(&conf);
        assert_int_equal(np_hookconf_parse(on, (size_t)(out - on), path, &conf, &err), 0);
        assert_int_equal(conf.mode, NP_HOOK_MODE_WARN);
        assert_false(conf.preferred_is_violation);
        assert_int_equal(conf.require_binding, NP_REQUIRE_BINDING_MULTI_NODE);
        assert_false(conf.unverified_refuse);
        assert_int_equal(conf.timeout_ms, 5000);
        assert_false(conf.on_error_refuse);
        assert_non_null(conf.log_json);
        assert_non_null(conf.sysroot);
        assert_true(len > 0);
        np_hookconf_done(&conf);
        free(text);
        free(on);
}

#define N_GOOD (sizeof(good) / sizeof(good[0]))
#define N_BAD (sizeof(bad) / sizeof(bad[0]))

int main(void)
{
        struct CMUnitTest tests[N_GOOD + N_BAD + 4];
        size_t n = 0;

        for (size_t i = 0; i < N_GOOD; i++) {
                tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_good, (void *)&good[i]);
                tests[n++].name = good[i].name;
        }
        for (size_t i = 0; i < N_BAD; i++) {
                tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_bad, (void *)&bad[i]);
                tests[n++].name = bad[i].name;
        }
        tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_parse_replaces_strings);
        tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_read);
        tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_names);
        tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_contrib_config);
        return _cmocka_run_group_tests("hookconf", tests, n, NULL, NULL);
}
