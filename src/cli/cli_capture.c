/* cli_capture.c: `numaplace capture`: the evidence of one check, as a
 * tree that `numaplace check --sysroot DIR --xml DIR/domain.xml` replays
 * anywhere, packed as a .tar.gz.
 *
 * The check runs once against the live system with a recording root;
 * every file it read is then copied (capture.c redacts secrets) into a
 * staging directory, the copy is checked again, and the tree is packed
 * by tar(1) into a file that appears only when complete.
 *
 * Why tar as a child and not an archive writer here: tar is in every
 * Debian system (an Essential package; busybox has one too), writes
 * ustar and gzip correctly for any path length, and keeps numaplace free
 * of an archive format and of a new library (zlib) for a command that
 * runs once per bug report. */
#include "atomic_file.h"
#include "capture.h"
#include "check.h"
#include "cli.h"
#include "cli_target.h"
#include "error.h"
#include "intent.h"
#include "report.h"
#include "sysroot.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef struct capture_args {
        np_target_args target;
        const char *output;      /* -o: the archive */
        const char *dir;         /* --dir: the tree, unpacked */
} capture_args;

enum { OPT_DIR = 0x100 };

static void usage(FILE *f)
{
        fputs("Usage:\n"
              " numaplace capture [options] DOMAIN\n"
              " numaplace capture [options] --xml FILE [--pid PID]\n"
              "\nWrite what a check of a running VM reads (its /proc, /sys and /run files, the\n"
              "domain XML, the host's nodes) as a tree that replays the check elsewhere:\n"
              "  tar xzf FILE && numaplace check --sysroot DIR --xml DIR/domain.xml\n"
              "Secrets are redacted (QEMU -object secret data=, password=, RBD key=,\n"
              "passwords in URLs, XML passwd=); DIR/redactions.txt lists what was removed.\n"
              "\nOptions:\n"
              " -o, --output FILE        the archive (default: numaplace-capture-NAME.tar.gz)\n"
              "     --dir DIR            write the tree as directory DIR instead (must not exist)\n"
              " -c, --connect URI        libvirt URI (read-only connection)\n"
              " -x, --xml FILE           domain XML ('-' for stdin)\n"
              " -p, --pid PID            the QEMU process (default: /run/libvirt/qemu/NAME.pid)\n"
              "     --status-xml FILE    libvirt status XML for placement='auto'\n"
              "     --sysroot DIR        read /proc, /sys and /run below DIR\n"
              " -h, --help               this help\n"
              " -V, --version            version\n"
              "\nExit status: 0 written, 2 trouble (nothing is left half-written).\n", f);
}

static int parse_args(int argc, char **argv, capture_args *a, int *ret_exit)
{
        static const struct option longopts[] = {
                NP_TARGET_LONGOPTS,
                { "output", required_argument, NULL, 'o' },
                { "dir", required_argument, NULL, OPT_DIR },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { NULL, 0, NULL, 0 },
        };
        int c, r;

        optind = 1;
        *ret_exit = NP_EXIT_TROUBLE;
        while ((c = getopt_long(argc, argv, "c:x:p:o:hV", longopts, NULL)) != -1) {
                r = np_target_option(&a->target, c, optarg);
                if (r < 0)
                        return -1;
                if (r > 0)
                        continue;
                if (c == 'o')
                        a->output = optarg;
                else if (c == OPT_DIR)
                        a->dir = optarg;
                else
                        return np_cli_common_option(c, "capture", usage, ret_exit);
        }
        if (a->output && a->dir) {
                np_warnx("give either --output or --dir");
                return -1;
        }
        return np_target_operands(&a->target, "capture", argc, argv, optind);
}

/* A name safe as one path component: the domain name's letters, digits
 * and ._- ("numaplace-capture-web1"). */
static void top_name(const np_target *t, char *buf, size_t len)
{
        size_t used = (size_t)snprintf(buf, len, "numaplace-capture-");

        if (t->intent->name && *t->intent->name) {
                for (const char *p = t->intent->name; *p && used + 1 < len; p++)
                        buf[used++] = (char)((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') ||
                                             (p[0] >= '0' && p[0] <= '9') || p[0] == '.' || p[0] == '-' ||
                                             p[0] == '_' ? p[0] : '_');
                buf[used] = '\0';
        } else {
                snprintf(buf + used, len - used, "pid%d", (int)t->pid);
        }
        if (buf[18] == '.')
                buf[18] = '_';
}

static int json_of(const np_intent *intent, const np_check_result *res, char **ret, size_t *ret_len)
{
        FILE *f = open_memstream(ret, ret_len);
        int r;

        if (!f)
                return -ENOMEM;
        r = np_report_check_json(f, intent, res, true);
        if (fclose(f) != 0 || r < 0) {
                free(*ret);
                *ret = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* The check, again, on the tree just written: what the receiver will see. */
typedef struct replayed {
        char *json;
        size_t len;
        np_verdict verdict;
        char summary[600];
} replayed;

static int replay(const char *tree, pid_t pid, bool pid_needed, replayed *ret, np_error *err)
{
        np_check_result *res = NULL;
        char xml[PATH_MAX];
        np_target_args ta = { 0 };
        np_target t;
        int r;

        snprintf(xml, sizeof(xml), "%s/domain.xml", tree);
        ta.xml = xml;
        ta.sysroot = tree;
        ta.pid = pid_needed ? pid : 0;
        r = np_target_load(&ta, &t, err);
        if (r == 0)
                r = np_check_process(t.root, t.intent, t.pid, NULL, &res, err);
        if (r == 0 && json_of(t.intent, res, &ret->json, &ret->len) < 0)
                r = np_err(err, ENOMEM, "out of memory");
        if (r == 0) {
                ret->verdict = res->verdict;
                np_report_summary(res, ret->summary, sizeof(ret->summary));
        }
        if (r < 0)
                np_err_prefix(err, -r, "the captured tree does not replay");
        np_check_result_free(res);
        np_target_clear(&t);
        return r;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void remove_tree(const char *path)
{
        if (path && *path)
                nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tar -czf - -C @parent @top, into @fd. */
static int run_tar(const char *parent, const char *top, int fd, np_error *err)
{
        char *argv[] = { "tar", "-czf", "-", "-C", (char *)parent, (char *)top, NULL };
        posix_spawn_file_actions_t fa;
        pid_t pid;
        int status, r;

        if (posix_spawn_file_actions_init(&fa) != 0)
                return np_err(err, ENOMEM, "out of memory");
        posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        r = posix_spawnp(&pid, "tar", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0)
                return np_err(err, r, "cannot run tar: %s", strerror(r));
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return np_err(err, errno, "waiting for tar: %s", strerror(errno));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return np_err(err, EIO, "tar failed (%s %d) packing %s/%s",
                              WIFEXITED(status) ? "exit" : "signal",
                              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), parent, top);
        return 0;
}

static void facts(const capture_args *a, const np_target *t, const replayed *rp, const char *top,
                  const np_capture *cap, size_t n_evidence, bool pid_needed, bool same, char *buf, size_t len)
{
        char when[32];
        struct utsname u;
        time_t now = time(NULL);
        struct tm tm;
        size_t used = 0;

        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
        np_summary_appendf(buf, len, &used,
                           "# What `numaplace capture` wrote: the files a check of this VM read,\n"
                           "# at their own paths, with secrets redacted (redactions.txt).\n"
                           "numaplace: %s\ncaptured: %s\n", NP_VERSION, when);
        if (t->root->live && uname(&u) == 0)
                np_summary_appendf(buf, len, &used, "kernel: %s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
        else
                np_summary_appendf(buf, len, &used, "source: the tree %s\n", t->root->path);
        np_summary_appendf(buf, len, &used, "domain: %s\nuuid: %s\npid: %d\nintent: %s\n",
                           t->intent->name ? t->intent->name : "-", t->intent->uuid ? t->intent->uuid : "-",
                           (int)t->pid, a->target.domain ? "libvirt (live XML without secrets)" : "--xml");
        np_summary_appendf(buf, len, &used, "verdict: %s\nsummary: %s\n", np_verdict_to_string(rp->verdict), rp->summary);
        np_summary_appendf(buf, len, &used, "evidence: %zu files copied, %zu vanished while being copied\n",
                           n_evidence, np_capture_n_vanished(cap));
        if (np_capture_n_refused(cap))
                np_summary_appendf(buf, len, &used, "left out: %zu paths with '..' that lead out of the tree\n",
                                   np_capture_n_refused(cap));
        np_summary_appendf(buf, len, &used, "replay: numaplace check --sysroot %s --xml %s/domain.xml%s",
                           top, top, pid_needed ? " --pid " : "");
        if (pid_needed)
                np_summary_appendf(buf, len, &used, "%d", (int)t->pid);
        np_summary_appendf(buf, len, &used, "\nsame-as-live: %s\n",
                           same ? "yes: the copy checks exactly as the running VM did"
                                : "no: the VM changed between the check and the copy; check.json is the copy's");
}

/* The staging directory (@staging, PATH_MAX) and the tree in it (@tree,
 * PATH_MAX): beside --dir, so that a rename makes it appear, else in
 * TMPDIR with the tree named @top.  With --dir, @top becomes its last
 * component: the replay line in capture.txt names the tree as it will
 * be.  @staging is "" unless it was made. */
static int make_staging(const capture_args *a, char *top, size_t top_len, char *staging,
                        char *tree, np_error *err)
{
        const char *tmp = getenv("TMPDIR");

        if (a->dir) {
                const char *base = strrchr(a->dir, '/');
                char *slash;

                snprintf(top, top_len, "%s", base && base[1] ? base + 1 : a->dir);
                snprintf(staging, PATH_MAX, "%s", a->dir);
                slash = strrchr(staging, '/');
                snprintf(slash ? slash + 1 : staging, PATH_MAX - (size_t)(slash ? slash + 1 - staging : 0),
                         ".numaplace-capture.XXXXXX");
                if (!mkdtemp(staging)) {
                        staging[0] = '\0';
                        return np_err(err, errno, "%s: cannot make a directory beside it: %s", a->dir,
                                      strerror(errno));
                }
                snprintf(tree, PATH_MAX, "%s", staging);
                return 0;
        }
        snprintf(staging, PATH_MAX, "%s/numaplace-capture.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(staging)) {
                int r = np_err(err, errno, "%s: %s", staging, strerror(errno));

                staging[0] = '\0';
                return r;
        }
        snprintf(tree, PATH_MAX, "%s/%s", staging, top);
        if (mkdir(tree, 0755) < 0)
                return np_err(err, errno, "%s: %s", tree, strerror(errno));
        return 0;
}

/* The replay finds the pid where check finds a libvirt guest's: a --pid
 * given for a named domain goes into its pid file in the tree. */
static int write_pid_file(np_capture *cap, int tree_fd, const char *tree, const np_target *t,
                          np_error *err)
{
        char path[600], pidtext[32];
        int n = snprintf(pidtext, sizeof(pidtext), "%d\n", (int)t->pid);

        snprintf(path, sizeof(path), "run/libvirt/qemu/%s.pid", t->intent->name);
        if (faccessat(tree_fd, path, F_OK, 0) == 0 && unlinkat(tree_fd, path, 0) < 0)
                return np_err(err, errno, "%s/%s: %s", tree, path, strerror(errno));
        return np_capture_write_file(cap, tree_fd, path, pidtext, (size_t)n, NP_CAPTURE_PLAIN, err);
}

/* Put the finished tree where it was asked for: renamed to --dir, or
 * packed into the archive (-o, else TOP.tar.gz here, named in @outbuf,
 * PATH_MAX).  *@ret_out names it; *@ret_bytes is the archive's size (0
 * for a directory or when unknown). */
static int deliver(const capture_args *a, char *staging, const char *top, np_atomic_file *af,
                   char *outbuf, const char **ret_out, uint64_t *ret_bytes, np_error *err)
{
        struct stat st;

        *ret_bytes = 0;
        if (a->dir) {
                if (renameat2(AT_FDCWD, staging, AT_FDCWD, a->dir, RENAME_NOREPLACE) < 0)
                        return np_err(err, errno, "%s: %s", a->dir, strerror(errno));
                staging[0] = '\0';
                *ret_out = a->dir;
                return 0;
        }
        if (!a->output) {
                snprintf(outbuf, PATH_MAX, "%s.tar.gz", top);
                if (np_atomic_file_open(outbuf, af, err) < 0)
                        return -1;
        }
        *ret_out = a->output ? a->output : outbuf;
        /* the evidence is the admin's to hand on, no one else's to read */
        if (fchmod(fileno(af->f), 0600) < 0 || fflush(af->f) != 0)
                return np_err(err, errno, "%s: %s", *ret_out, strerror(errno));
        if (run_tar(staging, top, fileno(af->f), err) < 0)
                return -1;
        if (fstat(fileno(af->f), &st) == 0)
                *ret_bytes = (uint64_t)st.st_size;
        return np_atomic_file_commit(af, err);
}

int np_cmd_capture(int argc, char **argv)
{
        capture_args a = { 0 };
        np_target t = { 0 };
        np_capture *cap = NULL;
        np_check_result *res = NULL;
        replayed rp = { 0 };
        np_atomic_file af = { .dir_fd = -1 };
        np_error err = { "" };
        char top[NAME_MAX + 1], staging[PATH_MAX] = "", tree[PATH_MAX], outbuf[PATH_MAX], sizebuf[32];
        char *live_json = NULL, *xml = NULL, *text = NULL;
        size_t live_len = 0, xml_len = 0, n_evidence = 0;
        const char *out = NULL;
        uint64_t size = 0;
        bool pid_needed, same;
        int code = NP_EXIT_TROUBLE, tree_fd = -1;

        if (parse_args(argc, argv, &a, &code) < 0)
                return code;
        cap = np_capture_new();
        text = malloc(8192);
        if (!cap || !text) {
                np_err(&err, ENOMEM, "out of memory");
                goto fail;
        }
        /* a named output's directory is checked before the work; the file
         * appears only when complete */
        if (a.output && np_atomic_file_open(a.output, &af, &err) < 0)
                goto fail;
        a.target.record = np_capture_record;
        a.target.record_userdata = cap;
        if (np_target_load(&a.target, &t, &err) < 0 ||
            np_check_process(t.root, t.intent, t.pid, NULL, &res, &err) < 0)
                goto fail;
        t.root->record = NULL;
        if (json_of(t.intent, res, &live_json, &live_len) < 0 ||
            /* first, so the passwords in it are known before any file is written */
            np_capture_redact(cap, "domain.xml", t.xml, t.xml_len, NP_CAPTURE_XML, &xml, &xml_len) < 0) {
                np_err(&err, ENOMEM, "out of memory");
                goto fail;
        }

        top_name(&t, top, sizeof(top));
        if (make_staging(&a, top, sizeof(top), staging, tree, &err) < 0)
                goto fail;
        tree_fd = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (tree_fd < 0) {
                np_err(&err, errno, "%s: %s", tree, strerror(errno));
                goto fail;
        }
        if (np_capture_write_tree(cap, t.root, tree_fd, &err) < 0)
                goto fail;
        n_evidence = np_capture_n_files(cap);
        if (np_capture_write_file(cap, tree_fd, "domain.xml", xml, xml_len, NP_CAPTURE_PLAIN, &err) < 0)
                goto fail;
        /* the replay finds the pid where check finds a libvirt guest's */
        pid_needed = !t.intent->name || strchr(t.intent->name, '/');
        if (!pid_needed && a.target.pid && write_pid_file(cap, tree_fd, tree, &t, &err) < 0)
                goto fail;
        /* what the receiver will see: the check of the copy, which is
         * the check the files say (a running guest's counters move
         * between the check that found the files and their copy) */
        if (replay(tree, t.pid, pid_needed, &rp, &err) < 0)
                goto fail;
        same = rp.len == live_len && memcmp(rp.json, live_json, live_len) == 0;
        if (np_capture_write_file(cap, tree_fd, "check.json", rp.json, rp.len, NP_CAPTURE_PLAIN, &err) < 0)
                goto fail;
        facts(&a, &t, &rp, top, cap, n_evidence, pid_needed, same, text, 8192);
        if (np_capture_write_file(cap, tree_fd, "capture.txt", text, strlen(text), NP_CAPTURE_PLAIN, &err) < 0)
                goto fail;
        snprintf(text, 8192, "# What numaplace capture removed before writing this tree; the values\n"
                             "# themselves never left the host.\n%s",
                 np_capture_n_redactions(cap) ? np_capture_redactions(cap) : "nothing was redacted\n");
        if (np_capture_write_file(cap, tree_fd, "redactions.txt", text, strlen(text), NP_CAPTURE_PLAIN, &err) < 0)
                goto fail;
        if (fsync(tree_fd) < 0) {
                np_err(&err, errno, "%s: %s", tree, strerror(errno));
                goto fail;
        }

        if (deliver(&a, staging, top, &af, outbuf, &out, &size, &err) < 0)
                goto fail;
        printf("%s: %s, %s (pid %d), %zu evidence files, %zu redacted, verdict %s: %s%s\n", out,
               a.dir ? "directory" : np_format_kib(size / 1024 ? size / 1024 : 1, sizebuf, sizeof(sizebuf)),
               t.intent->name ? t.intent->name : "domain", (int)t.pid, n_evidence,
               np_capture_n_redactions(cap), np_verdict_to_string(rp.verdict), rp.summary,
               same ? "" : " (figures of the copy: the VM changed while it was captured)");
        code = NP_EXIT_OK;
        goto out;
fail:
        np_warnx("%s", err.msg);
        code = NP_EXIT_TROUBLE;
out:
        np_atomic_file_abort(&af);
        if (tree_fd >= 0)
                close(tree_fd);
        remove_tree(staging);
        free(live_json);
        free(rp.json);
        if (xml)
                explicit_bzero(xml, xml_len);
        free(xml);
        free(text);
        np_check_result_free(res);
        np_capture_free(cap);
        np_target_clear(&t);
        if (fflush(stdout) != 0 && code == NP_EXIT_OK) {
                np_warnx("cannot write the output");
                code = NP_EXIT_TROUBLE;
        }
        return code;
}
