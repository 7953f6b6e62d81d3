/* capture.c: copy what a check read, secrets redacted (see capture.h). */
#include "capture.h"
#include "array.h"
#include "error.h"
#include "json_read.h"
#include "sysroot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAPTURE_FILE_MAX (64u << 20)
#define REDACTED "REDACTED"
/* Shorter values are redacted where they stand but not searched for in
 * other files: "on" or "1" would match everywhere and break the replay. */
#define SWEEP_MIN 6

typedef struct recorded {
        char *path;
        bool directory;
} recorded;

struct np_capture {
        recorded *paths;
        size_t n_paths, cap_paths;
        bool oom;
        char **secrets;
        size_t n_secrets, cap_secrets;
        char *log;
        size_t log_len, log_cap;
        size_t n_redactions, n_files, n_vanished, n_refused;
};

typedef struct strbuf {
        char *p;
        size_t len, cap;
        bool oom;
} strbuf;

static void sb_add(strbuf *sb, const char *data, size_t n)
{
        if (sb->oom)
                return;
        if (np_array_reserve(&sb->p, &sb->cap, sb->len + n + 1) < 0) {
                sb->oom = true;
                return;
        }
        memcpy(sb->p + sb->len, data, n);
        sb->len += n;
        sb->p[sb->len] = '\0';
}

np_capture *np_capture_new(void)
{
        return calloc(1, sizeof(np_capture));
}

void np_capture_free(np_capture *cap)
{
        if (!cap)
                return;
        for (size_t i = 0; i < cap->n_paths; i++)
                free(cap->paths[i].path);
        free(cap->paths);
        for (size_t i = 0; i < cap->n_secrets; i++) {
                explicit_bzero(cap->secrets[i], strlen(cap->secrets[i]));
                free(cap->secrets[i]);
        }
        free(cap->secrets);
        free(cap->log);
        free(cap);
}

void np_capture_record(const char *path, bool directory, void *userdata)
{
        np_capture *cap = userdata;

        while (*path == '/')
                path++;
        if (!*path || strcmp(path, ".") == 0)
                return;
        /* a path read from the evidence (a cgroup's) must not lead the
         * copy out of its tree */
        for (const char *p = path; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
                if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0')) {
                        cap->n_refused++;
                        return;
                }
        for (size_t i = 0; i < cap->n_paths; i++)
                if (strcmp(cap->paths[i].path, path) == 0) {
                        cap->paths[i].directory |= directory;
                        return;
                }
        if (np_array_reserve(&cap->paths, &cap->cap_paths, cap->n_paths + 1) < 0) {
                cap->oom = true;
                return;
        }
        cap->paths[cap->n_paths].path = strdup(path);
        if (!cap->paths[cap->n_paths].path) {
                cap->oom = true;
                return;
        }
        cap->paths[cap->n_paths++].directory = directory;
}

__attribute__((format(printf, 2, 3)))
static void log_line(np_capture *cap, const char *fmt, ...)
{
        char line[512];
        va_list ap;
        strbuf sb = { cap->log, cap->log_len, cap->log_cap, false };

        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        sb_add(&sb, line, strlen(line));
        sb_add(&sb, "\n", 1);
        if (sb.oom) {
                cap->oom = true;
                return;
        }
        cap->log = sb.p;
        cap->log_len = sb.len;
        cap->log_cap = sb.cap;
        cap->n_redactions++;
}

static void learn_secret(np_capture *cap, const char *value, size_t len)
{
        char *s;

        if (len < SWEEP_MIN)
                return;
        for (size_t i = 0; i < cap->n_secrets; i++)
                if (strlen(cap->secrets[i]) == len && memcmp(cap->secrets[i], value, len) == 0)
                        return;
        s = strndup(value, len);
        if (!s || np_array_reserve(&cap->secrets, &cap->cap_secrets, cap->n_secrets + 1) < 0) {
                free(s);
                cap->oom = true;
                return;
        }
        cap->secrets[cap->n_secrets++] = s;
}

/* ---- what is a secret ----------------------------------------------- */

/* The last component of an option name ("file.password" -> "password")
 * names a secret when it is data (-object secret), key (RBD), secret or
 * token, or ends in password or passwd.  password-secret, key-secret and
 * keyid name secret objects, not values, and stay. */
static bool secret_key(const char *key, size_t len)
{
        static const char *const exact[] = { "data", "key", "secret", "token", "passphrase" };
        const char *dot = key;

        for (size_t i = 0; i < len; i++)
                if (key[i] == '.')
                        dot = key + i + 1;
        len -= (size_t)(dot - key);
        key = dot;
        for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
                if (strlen(exact[i]) == len && strncasecmp(key, exact[i], len) == 0)
                        return true;
        return (len >= 8 && strncasecmp(key + len - 8, "password", 8) == 0) ||
               (len >= 6 && strncasecmp(key + len - 6, "passwd", 6) == 0);
}

/* Booleans are not secrets ("-vnc :0,password=on" asks for one). */
static bool boolean_value(const char *v, size_t len)
{
        static const char *const words[] = { "on", "off", "true", "false", "yes", "no" };

        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (strlen(words[i]) == len && strncasecmp(v, words[i], len) == 0)
                        return true;
        return len == 0;
}

typedef struct span {
        size_t start, end;
        char what[48];
} span;

#define MAX_SPANS 32

typedef struct spans {
        span s[MAX_SPANS];
        size_t n;
} spans;

static void add_span(spans *sp, size_t start, size_t end, const char *what, size_t what_len)
{
        if (sp->n == MAX_SPANS || end <= start)
                return;
        if (sp->n && start < sp->s[sp->n - 1].end)
                return;
        sp->s[sp->n].start = start;
        sp->s[sp->n].end = end;
        snprintf(sp->s[sp->n].what, sizeof(sp->s[sp->n].what), "%.*s", (int)what_len, what);
        sp->n++;
}

/* Secrets inside a value: RBD's ":key=..." and a URL's password
 * ("scheme://user:PASS@host", iSCSI's "user%PASS@host"). */
static void value_spans(const char *s, size_t a, size_t b, spans *sp)
{
        for (size_t i = a; i + 5 <= b; i++) {
                if (s[i] == ':' && strncmp(s + i + 1, "key=", 4) == 0) {
                        size_t e = i + 5;

                        while (e < b && s[e] != ':')
                                e++;
                        add_span(sp, i + 5, e, "key", 3);
                        i = e - 1;
                }
        }
        for (size_t i = a; i + 3 <= b; i++) {
                size_t u, at, sep = 0;

                if (strncmp(s + i, "://", 3) != 0)
                        continue;
                u = i + 3;
                for (at = u; at < b && s[at] != '@' && s[at] != '/'; at++)
                        if (!sep && (s[at] == ':' || s[at] == '%'))
                                sep = at;
                if (at < b && s[at] == '@' && sep)
                        add_span(sp, sep + 1, at, "password in URL", 15);
                i = at;
        }
}

/* The spans of one JSON value at the reader's cursor, member @key's
 * (NULL in an array or at the top).  Strings are located by where the
 * reader finds them, so a span is the value's text as written, escapes
 * and all. */
static int json_value_spans(np_json_reader *jr, const char *key, spans *sp)
{
        int c = np_json_read_peek(jr), r;
        size_t count = 0, start = jr->pos;
        char *name = NULL;

        if (c == '{' || c == '[') {
                bool object = c == '{';

                r = object ? np_json_read_object_begin(jr) : np_json_read_array_begin(jr);
                while (r == 0 && (r = object ? np_json_read_object_next(jr, &count, &name)
                                             : np_json_read_array_next(jr, &count)) == 1) {
                        r = json_value_spans(jr, name, sp);
                        free(name);
                        name = NULL;
                }
                return r;
        }
        if (c != '"' && c != '\'')
                return np_json_read_skip(jr); /* numbers, booleans, null */
        r = np_json_read_string(jr, NULL, NULL);
        if (r < 0)
                return r;
        /* between the quotes */
        if (key && secret_key(key, strlen(key)) && !boolean_value(jr->text + start + 1, jr->pos - start - 2))
                add_span(sp, start + 1, jr->pos - 1, key, strlen(key));
        else
                value_spans(jr->text, start + 1, jr->pos - 1, sp);
        return 0;
}

/* A JSON argument (QEMU's -object {...}, -blockdev {...}), read with
 * QEMU's own leniency (single quotes).  QEMU refuses to start on JSON
 * it cannot parse, so a running one has none; should an argument not
 * parse all the same, it is redacted whole rather than guessed at. */
static void json_spans(const char *s, size_t n, spans *sp)
{
        np_json_reader jr;

        np_json_reader_init(&jr, s, n, "argument", NULL);
        jr.single_quotes = true;
        if (json_value_spans(&jr, NULL, sp) == 0 && np_json_read_end(&jr) == 0)
                return;
        sp->n = 0;
        add_span(sp, 0, n, "JSON that does not parse", 24);
}

/* QEMU's key=value,key=value (",," is a comma inside a value). */
static void keyval_spans(const char *s, size_t n, spans *sp)
{
        size_t i = 0;

        while (i <= n) {
                size_t start = i, eq = 0, end;

                for (end = i; end < n; end++) {
                        if (s[end] == ',' && end + 1 < n && s[end + 1] == ',') {
                                end++;
                                continue;
                        }
                        if (s[end] == ',')
                                break;
                        if (s[end] == '=' && !eq)
                                eq = end;
                }
                if (eq && secret_key(s + start, eq - start) && !boolean_value(s + eq + 1, end - eq - 1))
                        add_span(sp, eq + 1, end, s + start, eq - start);
                else
                        value_spans(s, eq ? eq + 1 : start, end, sp);
                i = end + 1;
        }
}

static void arg_context(const char *arg, size_t n, char *buf, size_t len)
{
        const char *id = NULL;
        size_t id_len = 0;

        if (n && arg[0] == '{') {
                const char *p = memmem(arg, n, "\"id\":\"", 6);

                if (p) {
                        id = p + 6;
                        while (id + id_len < arg + n && id[id_len] != '"')
                                id_len++;
                }
        } else {
                for (size_t i = 0; i + 3 <= n; i++)
                        if ((i == 0 || arg[i - 1] == ',') && strncmp(arg + i, "id=", 3) == 0) {
                                id = arg + i + 3;
                                while (id + id_len < arg + n && id[id_len] != ',')
                                        id_len++;
                                break;
                        }
        }
        if (id)
                snprintf(buf, len, ", id %.*s", (int)(id_len > 64 ? 64 : id_len), id);
        else
                buf[0] = '\0';
}

static void emit(np_capture *cap, strbuf *out, const char *s, size_t n, const spans *sp)
{
        size_t at = 0;

        for (size_t k = 0; k < sp->n; k++) {
                sb_add(out, s + at, sp->s[k].start - at);
                sb_add(out, REDACTED, strlen(REDACTED));
                learn_secret(cap, s + sp->s[k].start, sp->s[k].end - sp->s[k].start);
                at = sp->s[k].end;
        }
        sb_add(out, s + at, n - at);
}

static void redact_cmdline(np_capture *cap, const char *file, const char *data, size_t len, strbuf *out)
{
        const char *prev = NULL;
        size_t arg = 0, i = 0;

        while (i < len) {
                const char *a = data + i;
                size_t n = strnlen(a, len - i);
                spans sp = { .n = 0 };
                char ctx[96];

                if (n && a[0] == '{')
                        json_spans(a, n, &sp);
                else
                        keyval_spans(a, n, &sp);
                arg_context(a, n, ctx, sizeof(ctx));
                for (size_t k = 0; k < sp.n; k++)
                        log_line(cap, "%s: argument %zu (%s%s): the value of '%s'", file, arg,
                                 prev && prev[0] == '-' ? prev : "", ctx, sp.s[k].what);
                emit(cap, out, a, n, &sp);
                i += n;
                if (i < len) {
                        sb_add(out, "", 1); /* the NUL */
                        i++;
                }
                prev = a;
                arg++;
        }
}

/* -readconfig: lines 'key = "value"' below "[section]" headers. */
static void redact_config(np_capture *cap, const char *file, const char *data, size_t len, strbuf *out)
{
        size_t i = 0, line = 1;

        while (i < len) {
                const char *l = data + i;
                const char *eol = memchr(l, '\n', len - i);
                size_t n = eol ? (size_t)(eol - l) + 1 : len - i;
                size_t k = 0, ks, ke;
                spans sp = { .n = 0 };

                while (k < n && isspace((unsigned char)l[k]) && l[k] != '\n')
                        k++;
                ks = k;
                while (k < n && (isalnum((unsigned char)l[k]) || l[k] == '-' || l[k] == '_' || l[k] == '.'))
                        k++;
                ke = k;
                while (k < n && (l[k] == ' ' || l[k] == '\t'))
                        k++;
                if (ke > ks && k < n && l[k] == '=') {
                        size_t vs, ve;

                        k++;
                        while (k < n && (l[k] == ' ' || l[k] == '\t'))
                                k++;
                        vs = k;
                        if (k < n && l[k] == '"') {
                                vs = k + 1;
                                for (ve = vs; ve < n && l[ve] != '"'; ve++)
                                        ;
                        } else {
                                for (ve = vs; ve < n && l[ve] != '\n' && l[ve] != '\r'; ve++)
                                        ;
                        }
                        if (secret_key(l + ks, ke - ks) && !boolean_value(l + vs, ve - vs))
                                add_span(&sp, vs, ve, l + ks, ke - ks);
                        else
                                value_spans(l, vs, ve, &sp);
                }
                for (size_t s = 0; s < sp.n; s++)
                        log_line(cap, "%s: line %zu: the value of '%s'", file, line, sp.s[s].what);
                emit(cap, out, l, n, &sp);
                i += n;
                line++;
        }
}

/* Attributes holding passwords (libvirt's <graphics passwd=...>, which
 * its non-secure XML leaves out) are removed whole. */
static void redact_xml(np_capture *cap, const char *file, const char *data, size_t len, strbuf *out)
{
        static const char *const names[] = { "passwd", "password", "passphrase" };
        size_t at = 0, line = 1, counted = 0;

        for (size_t i = 0; i < len; i++) {
                size_t nl = 0, q, e;
                const char *tag;

                if (!isspace((unsigned char)data[i]))
                        continue;
                for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
                        size_t l = strlen(names[k]);

                        if (i + 1 + l + 2 <= len && strncmp(data + i + 1, names[k], l) == 0 &&
                            data[i + 1 + l] == '=' && (data[i + 2 + l] == '"' || data[i + 2 + l] == '\''))
                                nl = l;
                }
                if (!nl)
                        continue;
                q = i + 2 + nl;
                for (e = q + 1; e < len && data[e] != data[q]; e++)
                        ;
                if (e >= len)
                        continue;
                /* inside a tag: the last '<' before is after the last '>' */
                tag = NULL;
                for (size_t b = i; b-- > 0;) {
                        if (data[b] == '>')
                                break;
                        if (data[b] == '<') {
                                tag = data + b + 1;
                                break;
                        }
                }
                if (!tag)
                        continue;
                for (; counted < i; counted++)
                        if (data[counted] == '\n')
                                line++;
                log_line(cap, "%s: line %zu: the %.*s attribute of <%.*s>", file, line, (int)nl, data + i + 1,
                         (int)strcspn(tag, " \t\r\n/>"), tag);
                learn_secret(cap, data + q + 1, e - q - 1);
                sb_add(out, data + at, i - at);
                at = e + 1;
                i = e;
        }
        sb_add(out, data + at, len - at);
}

/* Wipe every secret learnt so far from @sb. */
static void sweep(np_capture *cap, const char *file, strbuf *sb)
{
        for (size_t k = 0; k < cap->n_secrets; k++) {
                const char *s = cap->secrets[k];
                size_t sl = strlen(s);
                char *hit;
                bool logged = false;

                while (!sb->oom && (hit = memmem(sb->p, sb->len, s, sl))) {
                        strbuf nb = { 0 };
                        size_t off = (size_t)(hit - sb->p);

                        sb_add(&nb, sb->p, off);
                        sb_add(&nb, REDACTED, strlen(REDACTED));
                        sb_add(&nb, hit + sl, sb->len - off - sl);
                        free(sb->p);
                        *sb = nb;
                        if (!logged)
                                log_line(cap, "%s: a value redacted elsewhere", file);
                        logged = true;
                }
        }
}

int np_capture_redact(np_capture *cap, const char *file, const char *data, size_t len,
                      np_capture_kind kind, char **ret, size_t *ret_len)
{
        strbuf out = { 0 };

        switch (kind) {
        case NP_CAPTURE_CMDLINE: redact_cmdline(cap, file, data, len, &out); break;
        case NP_CAPTURE_CONFIG: redact_config(cap, file, data, len, &out); break;
        case NP_CAPTURE_XML: redact_xml(cap, file, data, len, &out); break;
        default: sb_add(&out, data, len); break;
        }
        sb_add(&out, "", 0);
        sweep(cap, file, &out);
        if (out.oom || cap->oom) {
                free(out.p);
                return -ENOMEM;
        }
        *ret = out.p;
        *ret_len = out.len;
        return 0;
}

/* ---- writing ---------------------------------------------------------- */

static int make_dirs(int dir_fd, const char *path, bool last_too)
{
        char buf[4096];
        size_t n = strlen(path);

        if (n >= sizeof(buf))
                return -ENAMETOOLONG;
        memcpy(buf, path, n + 1);
        for (size_t i = 1; i <= n; i++) {
                if (buf[i] != '/' && !(last_too && i == n))
                        continue;
                buf[i] = '\0';
                if (mkdirat(dir_fd, buf, 0755) < 0 && errno != EEXIST)
                        return -errno;
                if (i < n)
                        buf[i] = '/';
        }
        return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
        while (len) {
                ssize_t w = write(fd, data, len);

                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                data += w;
                len -= (size_t)w;
        }
        return 0;
}

int np_capture_write_file(np_capture *cap, int dir_fd, const char *path,
                          const char *data, size_t len, np_capture_kind kind, np_error *err)
{
        char *red = NULL;
        size_t red_len = 0;
        int fd, r;

        while (*path == '/')
                path++;
        r = np_capture_redact(cap, path, data, len, kind, &red, &red_len);
        if (r < 0)
                return np_err(err, ENOMEM, "out of memory");
        r = make_dirs(dir_fd, path, false);
        if (r < 0) {
                free(red);
                return np_err(err, -r, "%s: cannot make its directory: %s", path, strerror(-r));
        }
        fd = openat(dir_fd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
                r = -errno;
                free(red);
                return np_err(err, -r, "%s: %s", path, strerror(-r));
        }
        r = write_all(fd, red, red_len);
        if (close(fd) < 0 && r == 0)
                r = -errno;
        free(red);
        if (r < 0)
                return np_err(err, -r, "%s: %s", path, strerror(-r));
        cap->n_files++;
        return 0;
}

static np_capture_kind kind_of(const char *path)
{
        size_t n = strlen(path);

        if (strncmp(path, "proc/", 5) == 0 && n > 8 && strcmp(path + n - 8, "/cmdline") == 0)
                return NP_CAPTURE_CMDLINE;
        if (n > 4 && strcmp(path + n - 4, ".xml") == 0)
                return NP_CAPTURE_XML;
        /* outside /proc and /sys only configuration files are read
         * (-readconfig, LXD's and libvirt's run files) */
        if (strncmp(path, "proc/", 5) != 0 && strncmp(path, "sys/", 4) != 0)
                return NP_CAPTURE_CONFIG;
        return NP_CAPTURE_PLAIN;
}

typedef struct pending {
        const char *path;
        char *data;
        size_t len;
        np_capture_kind kind;
} pending;

int np_capture_write_tree(np_capture *cap, const np_sysroot *root, int dir_fd, np_error *err)
{
        pending *files;
        size_t n = 0;
        int r = 0;

        if (cap->oom)
                return np_err(err, ENOMEM, "out of memory");
        files = calloc(cap->n_paths ? cap->n_paths : 1, sizeof(*files));
        if (!files)
                return np_err(err, ENOMEM, "out of memory");
        /* read everything first, command lines before the rest, so the
         * secrets they hold are known before any file is written */
        for (int pass = 0; pass < 2 && r == 0; pass++)
                for (size_t i = 0; i < cap->n_paths && r == 0; i++) {
                        const recorded *rec = &cap->paths[i];
                        np_capture_kind kind = kind_of(rec->path);
                        np_error sub;

                        if (rec->directory || (pass == 0) != (kind == NP_CAPTURE_CMDLINE))
                                continue;
                        files[n].path = rec->path;
                        files[n].kind = kind;
                        r = np_sysroot_read_file(root, rec->path, CAPTURE_FILE_MAX, &files[n].data,
                                                 &files[n].len, &sub);
                        if (r == -ENOENT || r == -ESRCH) {
                                cap->n_vanished++;
                                r = 0;
                                continue;
                        }
                        if (r < 0) {
                                *err = sub;
                                break;
                        }
                        if (kind == NP_CAPTURE_CMDLINE) {
                                /* learn the secrets now; written below */
                                char *red;
                                size_t red_len;

                                r = np_capture_redact(cap, rec->path, files[n].data, files[n].len, kind, &red, &red_len);
                                if (r < 0) {
                                        np_err(err, ENOMEM, "out of memory");
                                        break;
                                }
                                explicit_bzero(files[n].data, files[n].len);
                                free(files[n].data);
                                files[n].data = red;
                                files[n].len = red_len;
                                files[n].kind = NP_CAPTURE_PLAIN;
                        }
                        n++;
                }
        for (size_t i = 0; i < cap->n_paths && r == 0; i++)
                if (cap->paths[i].directory) {
                        r = make_dirs(dir_fd, cap->paths[i].path, true);
                        if (r < 0)
                                np_err(err, -r, "%s: %s", cap->paths[i].path, strerror(-r));
                }
        for (size_t i = 0; i < n && r == 0; i++)
                r = np_capture_write_file(cap, dir_fd, files[i].path, files[i].data, files[i].len,
                                          files[i].kind, err);
        for (size_t i = 0; i < n; i++) {
                if (files[i].data)
                        explicit_bzero(files[i].data, files[i].len);
                free(files[i].data);
        }
        free(files);
        return r;
}

size_t np_capture_n_files(const np_capture *cap)
{
        return cap->n_files;
}

size_t np_capture_n_vanished(const np_capture *cap)
{
        return cap->n_vanished;
}

size_t np_capture_n_refused(const np_capture *cap)
{
        return cap->n_refused;
}

size_t np_capture_n_redactions(const np_capture *cap)
{
        return cap->n_redactions;
}

const char *np_capture_redactions(const np_capture *cap)
{
        return cap->log ? cap->log : "";
}
