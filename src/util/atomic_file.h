/* atomic_file.h: replace a report file so that a reader never sees half
 * of it, and a failed or killed run leaves the previous one in place.
 *
 * The new content goes to a file in the target's directory that has no
 * name yet (O_TMPFILE; a hidden ".NAME.XXXXXX" where the filesystem
 * lacks it), is flushed and synced, gets a temporary name and is renamed
 * over the target; the directory is synced so the rename survives a
 * crash.  A writer killed before the rename leaves nothing behind with
 * O_TMPFILE, and at most the hidden temporary file without it. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

struct np_error;

/* Called after the content is synced and before it replaces the target;
 * a negative errno return abandons the replacement. */
typedef int (*np_atomic_file_hook)(const char *path, void *userdata);

typedef struct np_atomic_file {
        FILE *f;             /* write the content here */
        char *path;          /* the target, as given */
        char *name;          /* its last component */
        int dir_fd;          /* its directory, -1 when closed */
        bool unnamed;        /* O_TMPFILE: no name until commit */
        char *tmp_name;      /* the temporary name in the directory, or NULL */
        np_atomic_file_hook before_rename;
        void *hook_userdata;
} np_atomic_file;

/* Start replacing @path.  Returns 0, or -errno with @err naming the
 * target and why its directory cannot take a new file.  An existing
 * target must be a regular file, or a symbolic link to one (that file is
 * replaced, the link kept): anything else is -NP_ENOTREG and is left
 * alone. */
int np_atomic_file_open(const char *path, np_atomic_file *ret, struct np_error *err);

/* Flush and sync the content, call the hook, move the file over the
 * target and sync the directory.  On any failure before the rename the
 * temporary file is removed and the target is untouched; a failure to
 * sync the directory after the rename is reported as such.  Frees
 * everything either way.  Returns 0 or -errno with @err. */
int np_atomic_file_commit(np_atomic_file *af, struct np_error *err);

/* Give up: drop the content and free everything; the target is
 * untouched.  Accepts a file already committed or aborted. */
void np_atomic_file_abort(np_atomic_file *af);

/* Open a log file that is appended to (the hook's log_json): created
 * 0640 when absent; an existing one must be a regular file, and is
 * neither followed through a symbolic link nor waited on (a FIFO), so a
 * link cannot make root append to a file of its choosing.  Returns an
 * fd (O_APPEND) or -errno with @err naming the file. */
int np_log_file_open(const char *path, struct np_error *err);
