import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { disksUnder, MASKED_UNITS, namespaceInits, systemdBootScript, systemdPowerScript } from "../../tools/testbed/systemdHost";

test("a systemd host's power and boot scripts are valid sh, and the boot masks this machine's own units", () => {
    const power = systemdPowerScript("/repo/.testbed-x/hosts/s1", "sktx-s1");
    const boot = systemdBootScript(
        "/repo/.testbed-x/hosts/s1",
        "s1",
        'echo s1 > "$H/root/etc/hostname-testhost"',
        "/etc/ssh/skymount-testbed",
    );
    for (const script of [power, boot]) execFileSync("sh", ["-n"], { input: script });
    // Its cgroups are named by its namespace, under the parent down removes.
    assert.match(power, /group="\$\{root\}skymount-testbed\/sktx-s1"/);
    // A poweroff (SIGINT to the namespace's init: 128 + 2) stays off; anything else boots again.
    assert.match(power, /\[ "\$status" != 130 \] \|\| exit 0/);
    for (const unit of MASKED_UNITS) assert.ok(boot.includes(unit), unit);
    assert.match(boot, /container=other \/lib\/systemd\/systemd --system\n$/);
    // The first boot only: a reboot keeps what skymount installed.
    assert.match(boot, /if \[ ! -e "\$M\/etc\/hostname-testhost" \]; then/);
});

test("down finds the systemd hosts' disks under the testbed's directory only, deepest first", () => {
    const mountinfo = [
        "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
        "301 22 0:70 / /repo/.testbed-x/hosts/s1/disk rw,relatime - tmpfs tmpfs rw,mode=755",
        "302 22 0:71 / /repo/.testbed-x/hosts/s2/disk rw,relatime - tmpfs tmpfs rw,mode=755",
        "303 22 0:72 / /repo/.testbed-xy/hosts/s1/disk rw,relatime - tmpfs tmpfs rw,mode=755",
        "",
    ].join("\n");
    assert.deepEqual(disksUnder("/repo/.testbed-x", mountinfo), ["/repo/.testbed-x/hosts/s2/disk", "/repo/.testbed-x/hosts/s1/disk"]);
});

test("a process of this PID namespace is not taken for a systemd host's init", () => {
    assert.deepEqual(namespaceInits([process.pid, 1]), []);
});
