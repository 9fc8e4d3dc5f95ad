// hostsNamed: which testbed hosts a test program runs on (config `hosts`), from either list.
import assert from "node:assert/strict";
import { test } from "node:test";
import { hostsNamed, TestbedHost, TestbedInfo } from "../../tools/testbed/info";

const host = (name: string): TestbedHost => ({
    name,
    init: name.startsWith("s") ? "systemd" : "none",
    netns: `t-${name}`,
    address: `10.0.0.${name.length}`,
    port: 22,
    user: "root",
    privateKeyPath: "/k",
    hostPublicKey: "ssh-ed25519 AAAA",
});
const info = { hosts: [host("h1"), host("h2")], systemdHosts: [host("s1"), host("s2")] } as TestbedInfo;

test("without names, the hosts without an init system", () => {
    assert.deepEqual(
        hostsNamed(info, undefined).map((h) => h.name),
        ["h1", "h2"],
    );
});

test("names pick from both lists, in the order given", () => {
    assert.deepEqual(
        hostsNamed(info, "s2,h1,s1").map((h) => h.name),
        ["s2", "h1", "s1"],
    );
});

test("a name the testbed does not have fails, listing the ones it has", () => {
    assert.throws(() => hostsNamed(info, "h1,s3"), /^Error: no testbed host s3 \(the testbed has h1, h2, s1, s2\)$/);
});
