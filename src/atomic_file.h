/* atomic_file.h: replace a report file so that a reader never sees half
 * of it, and a failed run leaves the previous one in place.
 *
 * The new content goes to a temporary file in the same directory, is
 * flushed to disk, and is renamed over the old file; the directory is
 * synced so the rename survives a crash. */
#pragma once

#include <stdio.h>

struct np_error;

typedef struct np_atomic_file {
        FILE *f;             /* write the content here */
        char *path;
        char *tmp_path;
} np_atomic_file;

/* Start replacing @path.  Returns 0, or -errno with @err naming the
 * directory. */
int np_atomic_file_open(const char *path, np_atomic_file *ret, struct np_error *err);

/* Flush, sync and rename over the target.  On failure the temporary file
 * is removed and the target is untouched.  Returns 0 or -errno. */
int np_atomic_file_commit(np_atomic_file *af, struct np_error *err);

/* Give up: remove the temporary file.  Safe after a failed commit. */
void np_atomic_file_abort(np_atomic_file *af);
