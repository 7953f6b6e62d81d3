# tests/lib/devkvm.sh: /dev/kvm as Debian's udev leaves it, for the
# suites that start libvirtd by hand (sourced by tests/libvirt/run and
# tests/scan/run).
#
# Without udev, /dev/kvm stays root-only (0600).  libvirt probes QEMU's
# capabilities as root and finds KVM, then finds the QEMU user
# (libvirt-qemu, group kvm) cannot open /dev/kvm, calls its cache
# outdated and probes again, on every define and start: ~30 s each.
# udev's rule makes it root:kvm 0660; the suites do the same for their
# run and put it back afterwards.

devkvm_saved=

devkvm_as_udev() {
        [ -c /dev/kvm ] && getent group kvm >/dev/null || return 0
        devkvm_saved=$(stat -c '%u:%g %a' /dev/kvm) || return 0
        chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
}

devkvm_restore() {
        [ -n "$devkvm_saved" ] || return 0
        chown "${devkvm_saved% *}" /dev/kvm
        chmod "${devkvm_saved#* }" /dev/kvm
        devkvm_saved=
}
