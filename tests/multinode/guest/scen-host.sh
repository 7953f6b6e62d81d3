# Sourced by scenarios.sh: the host settings checks and a PCI device's
# node, on the guest's real kernel.
#
# host-balancing-ksm-on-off: `numaplace host --check` with a domain bound
# to node 1 sees kernel.numa_balancing and KSM (merge_across_nodes=1) off
# (pass), then both switched on (warn, fail: exit 1), then off again
# (pass); the settings are restored whatever happens.
# host-pci-device-off-node: the outer QEMU puts an e1000e behind a
# pxb-pcie on node 1; the guest kernel shows it as 0000:21:00.0 with
# numa_node 1.  A nested QEMU bound to node 0 is checked against a domain
# XML whose <hostdev> is that device: the device row says node 1, remote,
# a warning, and a violation with --device-policy required.  What this
# does not prove: the nested QEMU is not given the device (no VFIO in
# TCG), so nothing shows the guest's DMA crossing nodes; the proof is that
# numaplace finds the device's node where the kernel puts it and judges
# it against the binding.

plan="$plan host-balancing-ksm-on-off host-pci-device-off-node"
more="$more s_host_settings s_pci_device"

# host_check OUT: `numaplace host --check --json` against a bound domain;
# sets RC, leaves $T/OUT.json
host_check() {
        timeout -s KILL $CHECK_TIMEOUT numaplace host --check --no-libvirt \
                --xml $XML/strict-hugepages-node1.xml --json >"$T/$1.json" 2>"$T/$1.err"
        RC=$?
        detail "numaplace host --check --json ($2) -> exit $RC: $(tr -d '\n' <"$T/$1.json" | head -c 3000) $(head -c 300 "$T/$1.err")"
        jq -e .checks "$T/$1.json" >/dev/null 2>&1 || err "$2: host --check printed no JSON (exit $RC)"
}

# expect_check OUT NAME STATUS WHEN
expect_check() {
        v=$(jq -r --arg n "$2" '[.checks[]? | select(.name == $n)][0].status // empty' "$T/$1.json" 2>/dev/null)
        [ "$v" = "$3" ] || err "$4: $2 is '$v', expected '$3' ($(jq -r --arg n "$2" '[.checks[]? | select(.name == $n)][0].value // empty' "$T/$1.json" 2>/dev/null))"
}

s_host_settings() {
        begin host-balancing-ksm-on-off
        nb=/proc/sys/kernel/numa_balancing
        ksm=/sys/kernel/mm/ksm
        if [ ! -w $nb ] || [ ! -w $ksm/run ] || [ ! -r $ksm/merge_across_nodes ]; then
                err "setup: this kernel has no $nb or $ksm"
                finish
                return
        fi
        old_nb=$(cat $nb)
        old_run=$(cat $ksm/run)
        [ "$(cat $ksm/merge_across_nodes)" = 1 ] || err "setup: merge_across_nodes is $(cat $ksm/merge_across_nodes), the kernel's default is 1"
        echo 0 >$nb
        echo 0 >$ksm/run
        host_check hc-off "both off"
        expect_check hc-off numa_balancing pass "both off"
        expect_check hc-off ksm_merge_across_nodes pass "both off"
        echo 1 >$nb
        echo 1 >$ksm/run
        [ "$(cat $nb)" = 1 ] && [ "$(cat $ksm/run)" = 1 ] || err "setup: the kernel did not switch balancing and KSM on"
        host_check hc-on "both on"
        expect_rc 1
        expect_check hc-on numa_balancing warn "both on"
        expect_check hc-on ksm_merge_across_nodes fail "both on"
        # the human lines too, for the record (np.verbose=1 shows them)
        timeout -s KILL $CHECK_TIMEOUT numaplace host --check --no-libvirt \
                --xml $XML/strict-hugepages-node1.xml >"$T/hc-on.txt" 2>&1
        detail "numaplace host --check --no-libvirt --xml $XML/strict-hugepages-node1.xml (both on) -> exit $?:"
        while IFS= read -r l; do detail "| $l"; done <"$T/hc-on.txt"
        # stop KSM and unmerge what it merged
        echo 2 >$ksm/run
        echo 0 >$ksm/run
        echo 0 >$nb
        host_check hc-again "off again"
        expect_rc 0
        expect_check hc-again numa_balancing pass "off again"
        expect_check hc-again ksm_merge_across_nodes pass "off again"
        echo "$old_nb" >$nb
        [ "$old_run" = 1 ] && echo 1 >$ksm/run
        note "balancing and KSM seen on and off; $(jq -r '[.checks[] | select(.status != "pass") | .name + "=" + .status] | join(" ")' "$T/hc-on.json" 2>/dev/null) while on"
        finish
}

s_pci_device() {
        begin host-pci-device-off-node
        dev=/sys/bus/pci/devices/0000:21:00.0
        n=$(cat $dev/numa_node 2>/dev/null)
        if [ "$n" != 1 ]; then
                err "setup: $dev/numa_node is '$n', the outer QEMU's pxb-pcie puts it on node 1"
                finish
                return
        fi
        qemu_start pci -name guest=npmn-hostdev,debug-threads=on -m size=65536k -smp 1 \
                -object '{"qom-type":"memory-backend-ram","id":"ram-node0","prealloc":true,"size":67108864,"host-nodes":[0],"policy":"bind"}' \
                -numa node,nodeid=0,cpus=0,memdev=ram-node0
        if qemu_ready; then
                oracle --size $((64 * MiB))
                expect_oracle '{"0":65536}'
                if np_check pci --xml $XML/hostdev-node1-mem-node0.xml --pid "$QPID"; then
                        expect_rc 0
                        expect_verdict pci warning
                        expect_region pci ram-node0 compliant
                        d=$(jq -c '[.devices[]? | select(.address == "0000:21:00.0")][0] | [.node, .nodes_wanted, .locality, .verdict]' "$T/pci.json" 2>/dev/null)
                        [ "$d" = '[1,"0","remote","warning"]' ] || err "device row $d, expected node 1, wanted 0, remote, warning"
                fi
                if np_check pcir --xml $XML/hostdev-node1-mem-node0.xml --pid "$QPID" --device-policy required; then
                        expect_rc 1
                        expect_verdict pcir violation
                        d=$(jq -r '[.devices[]? | select(.address == "0000:21:00.0")][0].verdict' "$T/pcir.json" 2>/dev/null)
                        [ "$d" = violation ] || err "required policy: device verdict '$d', expected violation"
                fi
        fi
        note "0000:21:00.0 on node $n, memory on node 0: device row warning, violation when required"
        finish
}
