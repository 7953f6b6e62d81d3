/* device.c: a host PCI device's NUMA node, read through the sysroot. */
#include "device.h"
#include "bitmap.h"
#include "error.h"
#include "number.h"
#include "sysroot.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int np_device_node_parse(const char *text, int *ret)
{
        const char *s = text;
        uint64_t v;

        while (*s == ' ' || *s == '\t')
                s++;
        if (!strncmp(s, "-1", 2) && !isdigit((unsigned char)s[2])) {
                s += 2;
                v = UINT64_MAX;
        } else if (np_parse_dec_prefix(&s, &v) < 0 || v >= NP_NODE_MAX) {
                return -EINVAL;
        }
        while (isspace((unsigned char)*s))
                s++;
        if (*s)
                return -EINVAL;
        *ret = v == UINT64_MAX ? -1 : (int)v;
        return 0;
}

int np_device_node_read(const np_sysroot *root, const char *address, int *ret,
                        np_error *err)
{
        char path[128], dir[96], shown[512];
        char *text = NULL;
        int node, r;

        /* the address comes from numaplace's own formatting, but a path
         * is built from it: refuse anything that could leave the directory */
        if (!*address || strpbrk(address, "/ ") || strstr(address, ".."))
                return np_err(err, EINVAL, "'%s' is not a PCI address", address);
        snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", address);
        if (!np_sysroot_exists(root, dir))
                return -ENOENT;
        snprintf(path, sizeof(path), "%s/numa_node", dir);
        r = np_sysroot_read_string(root, path, &text, err);
        if (r == -ENOENT) {
                /* kernels built without NUMA have no numa_node file */
                *ret = -1;
                return 0;
        }
        if (r < 0)
                return r;
        r = np_device_node_parse(text, &node);
        free(text);
        if (r < 0)
                return np_err(err, EINVAL, "%s: not a node number",
                              np_sysroot_display(root, path, shown, sizeof(shown)));
        *ret = node;
        return 0;
}
