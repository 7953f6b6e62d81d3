/* capture.h: write what a check read as a tree that replays it.
 *
 * The sysroot tells a capture of every path a reader opened or found
 * (np_sysroot_recorder); the capture then copies exactly those files,
 * in the same layout, below a directory, so that
 * `numaplace check --sysroot DIR --xml DIR/domain.xml` reads the same
 * bytes.  Secrets never reach the tree: QEMU command lines and -readconfig
 * files lose the values of secret options (`-object secret` data=,
 * password=, RBD key=, passwords in URLs), XML loses passwd= attributes,
 * and every value found that way is then wiped from every file written.
 * What was removed is listed, without the values, by
 * np_capture_redactions(). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct np_error;
struct np_sysroot;

typedef struct np_capture np_capture;

/* Returns NULL when out of memory. */
np_capture *np_capture_new(void);

/* Destroys the capture, wiping the secret values it learnt.  Accepts NULL. */
void np_capture_free(np_capture *capture);

/* The np_sysroot_recorder: @userdata is the capture.  A path recorded
 * twice is kept once; out of memory is remembered and reported by
 * np_capture_write_tree(). */
void np_capture_record(const char *path, bool directory, void *userdata);

/* Copy every recorded path from @root into the directory @dir_fd, each
 * at its own path, redacted.  A file that vanished since it was read is
 * skipped and counted.  Returns 0 or -errno with @err naming the file. */
int np_capture_write_tree(np_capture *capture, const struct np_sysroot *root, int dir_fd,
                          struct np_error *err);

typedef enum np_capture_kind {
        NP_CAPTURE_PLAIN,    /* written as is, less the secrets already found */
        NP_CAPTURE_XML,      /* a domain or status XML: passwd= attributes go */
        NP_CAPTURE_CMDLINE,  /* NUL-separated argv */
        NP_CAPTURE_CONFIG,   /* a QEMU -readconfig file */
} np_capture_kind;

/* Write one more file of the capture (@path relative to @dir_fd, its
 * directories made as needed), redacted as @kind says and wiped of
 * every secret found so far.  Returns 0 or -errno with @err. */
int np_capture_write_file(np_capture *capture, int dir_fd, const char *path,
                          const char *data, size_t len, np_capture_kind kind,
                          struct np_error *err);

/* Counts for the summary line. */
size_t np_capture_n_files(const np_capture *capture);
size_t np_capture_n_vanished(const np_capture *capture);
size_t np_capture_n_redactions(const np_capture *capture);
/* Paths not recorded because a ".." component would lead out of the tree. */
size_t np_capture_n_refused(const np_capture *capture);

/* What was redacted, one line per value ("FILE: argument N (-object
 * secret,id=sec0): the value of 'data'"), never the values.  The text
 * belongs to the capture; "" when nothing was. */
const char *np_capture_redactions(const np_capture *capture);

/* Redact one buffer as @kind says (pure, for the tests and the above):
 * returns a new buffer in *@ret (*@ret_len bytes, NUL-terminated) and
 * appends what it removed to the capture's list under the name @file.
 * Returns 0 or -ENOMEM. */
int np_capture_redact(np_capture *capture, const char *file, const char *data, size_t len,
                      np_capture_kind kind, char **ret, size_t *ret_len);
