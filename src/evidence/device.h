/* device.h: where a host PCI device sits: its NUMA node from sysfs.
 *
 * Read directly from /sys/bus/pci/devices/ADDR/numa_node (the value
 * hwloc's I/O topology takes its locality from) so the start hook, which
 * does not link hwloc, reads it as cheaply as the front end. */
#pragma once

struct np_error;
struct np_sysroot;

/* Parse the text of a numa_node file: a decimal node number, or -1 when
 * the firmware gives no locality.  Returns 0 or -EINVAL. */
int np_device_node_parse(const char *text, int *ret);

/* The node of PCI device @address ("0000:21:00.0") below @root: 0 with
 * *@ret set (-1: unknown locality), -ENOENT when the host has no such
 * device, other -errno with @err naming the file. */
int np_device_node_read(const struct np_sysroot *root, const char *address,
                        int *ret, struct np_error *err);
