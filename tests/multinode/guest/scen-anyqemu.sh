# scen-anyqemu.sh: a QEMU started by hand, sourced by scenarios.sh.
#
# QEMU is started as a person would start it: backends called mem0 and
# mem1 in /dev/hugepages (QEMU names the files qemu_back_mem.mem0.XXXXXX),
# no libvirt names, no -name guest=.  `numaplace check --xml --pid` must
# find the cells through the command line's -numa links and report the
# kernel's figures (np-pageoracle).  Then cell 1's huge pages are moved to
# node 0 with move_pages(2) while bind:1 stays in force: a violation.

plan="$plan anyqemu-own-ids anyqemu-cell-moved"
more="$more s_anyqemu_own_ids s_anyqemu_cell_moved"

# anyqemu_start NAME: two 16 MiB hugetlbfs cells bound to nodes 0 and 1
anyqemu_start() {
        qemu_start "$1" -m 32M -smp 2 \
                -object memory-backend-file,id=mem0,size=16M,mem-path=/dev/hugepages,prealloc=on,host-nodes=0,policy=bind \
                -object memory-backend-file,id=mem1,size=16M,mem-path=/dev/hugepages,prealloc=on,host-nodes=1,policy=bind \
                -numa node,nodeid=0,cpus=0,memdev=mem0 -numa node,nodeid=1,cpus=1,memdev=mem1 \
                -name "$1,debug-threads=on"
}

# anyqemu_expect OUT ID QEMU_ID: numaplace's figures for region ID (QEMU's
# QEMU_ID) are the oracle's, and it says which backend it read
anyqemu_expect() {
        oracle --path "qemu_back_mem.$3."
        expect_pages "$1" "$2"
        v=$(region_get "$1" "$2" qemu_id)
        [ "$v" = "$3" ] || err "$2 qemu_id '$v', expected '$3'"
        v=$(region_get "$1" "$2" attributed_by)
        [ "$v" = name ] || err "$2 attributed by '$v', expected 'name'"
}

s_anyqemu_own_ids() {
        begin anyqemu-own-ids
        anyqemu_start aq1
        if qemu_ready; then
                oracle --path qemu_back_mem.mem0.
                expect_oracle '{"0":16384}'
                oracle --path qemu_back_mem.mem1.
                expect_oracle '{"1":16384}'
                if np_check aq1 --xml $XML/anyqemu-two-cells.xml --pid "$QPID"; then
                        expect_rc 0
                        expect_verdict aq1 compliant
                        expect_region aq1 ram-node0 compliant
                        expect_region aq1 ram-node1 compliant
                        anyqemu_expect aq1 ram-node0 mem0
                        anyqemu_expect aq1 ram-node1 mem1
                fi
        fi
        finish
}

s_anyqemu_cell_moved() {
        begin anyqemu-cell-moved
        anyqemu_start aq2
        if qemu_ready; then
                if np-pageoracle -J --pid "$QPID" --path qemu_back_mem.mem1. --move-to 0 >"$T/aq2.move" 2>&1; then
                        detail "np-pageoracle --pid $QPID --path qemu_back_mem.mem1. --move-to 0: $(cat "$T/aq2.move")"
                else
                        err "moving mem1 to node 0: $(tr '\n' ' ' <"$T/aq2.move")"
                fi
                oracle --path qemu_back_mem.mem1.
                expect_oracle '{"0":16384}'
                if np_check aq2 --xml $XML/anyqemu-two-cells.xml --pid "$QPID"; then
                        expect_rc 1
                        expect_verdict aq2 violation
                        expect_region aq2 ram-node0 compliant
                        expect_region aq2 ram-node1 violation
                        anyqemu_expect aq2 ram-node0 mem0
                        anyqemu_expect aq2 ram-node1 mem1
                        r=$(region_get aq2 ram-node1 reason)
                        case $r in
                        *"16 MiB on node 0 although bound to node 1 (placed before the binding was set, or moved since)"*) ;;
                        *) err "ram-node1 reason '$r' does not say what the pages show" ;;
                        esac
                        [ "$(region_get aq2 ram-node1 policy_seen)" = bind:1 ] ||
                                err "ram-node1 policy_seen '$(region_get aq2 ram-node1 policy_seen)', the binding stays bind:1"
                fi
        fi
        finish
}
