# tests/lib/libvirtd.sh: a private libvirtd for a suite that only asks
# libvirt questions (domxml-to-native, define), no guest is started.
#
#   . tests/lib/libvirtd.sh
#   lvd_usable || { echo "SKIP ...: $lvd_why"; exit 0; }
#   lvd_start "$workdir" || { echo "FAIL ...: $lvd_why"; exit 1; }
#   ... virsh -c "$LVD_URI" ...
#   lvd_stop             (also from the EXIT trap; safe to call twice)
#
# A suite that starts guests calls lvd_start_virtlogd too and names its
# domains with the prefix in LVD_PREFIX: lvd_stop destroys and undefines
# those and stops the virtlogd it started.
#
# lvd_start takes /run/lock/numaplace-libvirtd.lock (the lock of the other
# suites that start libvirtd), copies /etc/libvirt, mounts hugetlbfs of
# every huge page size the kernel has below the work directory (libvirt
# finds its mounts when it starts, and refuses huge page XML without one),
# makes /dev/kvm root:kvm 0660 as udev would (devkvm.sh says why), and
# starts libvirtd.  lvd_stop stops it, unmounts, puts /dev/kvm and
# /etc/libvirt back, removes whatever the daemon created below
# /run/libvirt, /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt,
# and cuts /var/log/numad.log (numad -w, which libvirt asks for
# placement='auto', logs there) back to what it was.
#
# LVD_HUGETLBFS lists the mounts made, "PAGE_KIB:DIR" a word.

. "$(dirname "${BASH_SOURCE[0]}")/devkvm.sh"

LVD_URI=qemu:///system
LVD_HUGETLBFS=
LVD_PREFIX=${LVD_PREFIX:-np-lvd-}
lvd_why=
lvd_virtlogd_pid=
lvd_dir=
lvd_pid=
lvd_mounts=()
lvd_numad_log=/var/log/numad.log
lvd_numad_log_size=
lvd_state_dirs=(/run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt)

lvd_wait_for() { # seconds command...
        local limit=$1 i
        shift
        for ((i = 0; i < limit * 10; i++)); do
                "$@" >/dev/null 2>&1 && return 0
                sleep 0.1
        done
        return 1
}

lvd_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# Whether this machine can run the daemon; $lvd_why says why not.
lvd_usable() {
        local b
        if [ "$(id -u)" != 0 ]; then
                lvd_why="needs root (starts libvirtd)"
                return 1
        fi
        for b in libvirtd virsh qemu-system-x86_64 flock; do
                if ! command -v "$b" >/dev/null 2>&1; then
                        lvd_why="$b is not installed (Debian: libvirt-daemon-system libvirt-clients qemu-system-x86 util-linux)"
                        return 1
                fi
        done
        return 0
}

lvd_start() { # work directory
        local lockdir=/run/lock f kib d
        lvd_dir=$1
        [ -d "$lockdir" ] || lockdir=/tmp
        exec 8>"$lockdir/numaplace-libvirtd.lock"
        if ! flock -w 300 8; then
                lvd_why="another run held $lockdir/numaplace-libvirtd.lock for 5 minutes"
                return 1
        fi
        if pgrep -x libvirtd >/dev/null || pgrep -x virtqemud >/dev/null; then
                lvd_why="a libvirt daemon is already running; this suite starts and stops its own"
                return 1
        fi
        cp -a /etc/libvirt "$lvd_dir/lvd-etc-libvirt" || { lvd_why="cannot copy /etc/libvirt"; return 1; }
        find "${lvd_state_dirs[@]}" -mindepth 0 2>/dev/null | sort >"$lvd_dir/lvd-state-before"
        lvd_numad_log_size=absent
        [ -e "$lvd_numad_log" ] && lvd_numad_log_size=$(stat -c %s "$lvd_numad_log")

        for f in /sys/kernel/mm/hugepages/hugepages-*kB; do
                [ -d "$f" ] || continue
                kib=${f##*hugepages-}
                kib=${kib%kB}
                d=$lvd_dir/hugetlbfs-$kib
                mkdir -p "$d"
                if ! mount -t hugetlbfs -o "pagesize=${kib}K" hugetlbfs "$d"; then
                        lvd_why="cannot mount hugetlbfs with ${kib} KiB pages on $d"
                        return 1
                fi
                lvd_mounts+=("$d")
                LVD_HUGETLBFS="$LVD_HUGETLBFS${LVD_HUGETLBFS:+ }$kib:$d"
        done

        devkvm_as_udev
        rm -f "$lvd_dir/libvirtd.pid"
        if ! libvirtd -d -p "$lvd_dir/libvirtd.pid" ||
           ! lvd_wait_for 10 test -s "$lvd_dir/libvirtd.pid"; then
                lvd_why="libvirtd did not start"
                return 1
        fi
        lvd_pid=$(cat "$lvd_dir/libvirtd.pid")
        if ! lvd_wait_for 60 timeout 5 virsh -c "$LVD_URI" uri; then
                lvd_why="libvirtd did not answer on $LVD_URI within 60 s"
                return 1
        fi
        return 0
}

lvd_start_virtlogd() {
        pgrep -x virtlogd >/dev/null && return 0 # someone else's: use it, leave it
        rm -f "$lvd_dir/virtlogd.pid"
        if ! virtlogd -d -p "$lvd_dir/virtlogd.pid" || ! lvd_wait_for 10 test -s "$lvd_dir/virtlogd.pid"; then
                lvd_why="virtlogd did not start"
                return 1
        fi
        lvd_virtlogd_pid=$(cat "$lvd_dir/virtlogd.pid")
}

lvd_stop_pid() { # pid seconds
        lvd_alive "$1" || return 0
        kill -TERM "$1" 2>/dev/null
        lvd_wait_for "$2" bash -c "! kill -0 $1 2>/dev/null" && return 0
        kill -KILL "$1" 2>/dev/null
        lvd_wait_for 5 bash -c "! kill -0 $1 2>/dev/null"
}

lvd_stop() {
        local i p d
        if lvd_alive "$lvd_pid"; then
                for d in $(virsh -q -c "$LVD_URI" list --all --name 2>/dev/null | grep "^$LVD_PREFIX"); do
                        timeout 30 virsh -q -c "$LVD_URI" destroy "$d" >/dev/null 2>&1
                        timeout 30 virsh -q -c "$LVD_URI" undefine "$d" >/dev/null 2>&1
                done
        fi
        # a guest libvirt could not destroy: its QEMU was started for us
        for p in $(pgrep -f -- "-name guest=$LVD_PREFIX" 2>/dev/null); do lvd_stop_pid "$p" 10; done
        if lvd_alive "$lvd_pid"; then
                kill -TERM "$lvd_pid" 2>/dev/null
                lvd_wait_for 30 bash -c "! kill -0 $lvd_pid 2>/dev/null" ||
                        kill -KILL "$lvd_pid" 2>/dev/null
                lvd_wait_for 5 bash -c "! kill -0 $lvd_pid 2>/dev/null"
        fi
        lvd_pid=
        lvd_stop_pid "$lvd_virtlogd_pid" 10
        lvd_virtlogd_pid=
        devkvm_restore
        for ((i = ${#lvd_mounts[@]} - 1; i >= 0; i--)); do
                umount "${lvd_mounts[i]}" 2>/dev/null
                rmdir "${lvd_mounts[i]}" 2>/dev/null
        done
        lvd_mounts=()
        [ -n "$lvd_dir" ] || return 0
        if [ -d "$lvd_dir/lvd-etc-libvirt" ]; then
                rm -rf /etc/libvirt
                cp -a "$lvd_dir/lvd-etc-libvirt" /etc/libvirt
                rm -rf "$lvd_dir/lvd-etc-libvirt"
        fi
        if [ -f "$lvd_dir/lvd-state-before" ]; then
                # new paths only, parents before children: remove the tops
                find "${lvd_state_dirs[@]}" -mindepth 0 2>/dev/null | sort |
                        comm -13 "$lvd_dir/lvd-state-before" - | awk '
                        { for (i = 0; i < n; i++) if (index($0, top[i] "/") == 1) next
                          top[n++] = $0; print }' | while IFS= read -r p; do rm -rf -- "$p"; done
                rm -f "$lvd_dir/lvd-state-before"
        fi
        if [ "$lvd_numad_log_size" = absent ]; then
                rm -f "$lvd_numad_log"
        elif [ -n "$lvd_numad_log_size" ]; then
                truncate -s "$lvd_numad_log_size" "$lvd_numad_log"
        fi
        lvd_numad_log_size=
        lvd_dir=
        exec 8>&-
}
