import assert from "node:assert/strict";
import { test } from "node:test";
import { mentionsAddress, testbedInstance } from "../../tools/testbed/instance";

test("the default testbed keeps its prefix, subnet, directory and tag", () => {
    assert.deepEqual(testbedInstance("", "/repo"), {
        name: "",
        prefix: "skym",
        subnet: "10.213.0",
        dir: "/repo/.testbed",
        hostsTag: "# skymount-testbed",
        blobDnsSuffix: "blob.skym.test",
    });
});

test("a named testbed shares no prefix, subnet, directory or tag with the default one", () => {
    const base = testbedInstance("", "/repo");
    for (const name of ["fleet", "a", "m", "ym", "abcdefgh"]) {
        const other = testbedInstance(name, "/repo");
        assert.notEqual(other.subnet, base.subnet);
        assert.notEqual(other.dir, base.dir);
        // down matches namespaces and links by "<prefix>-", /etc/hosts lines by their ending.
        assert.ok(!`${other.prefix}-h1`.startsWith(`${base.prefix}-`) && !`${base.prefix}-h1`.startsWith(`${other.prefix}-`), name);
        assert.ok(!other.hostsTag.endsWith(base.hostsTag) && !base.hostsTag.endsWith(other.hostsTag), name);
        // Linux interface names: at most 15 characters, host 64 included.
        assert.ok(`${other.prefix}-h64`.length <= 15, name);
    }
    assert.equal(testbedInstance("fleet", "/repo").dir, "/repo/.testbed-fleet");
});

test("a testbed name is short lowercase letters and digits", () => {
    for (const bad of ["Fleet", "a-b", "1a", "abcdefghi", "a b"]) assert.throws(() => testbedInstance(bad, "/repo"), /testbed name/);
});

test("a server's command line names an address only as a whole address", () => {
    assert.ok(mentionsAddress("minio server /d --address 10.213.0.1:9000", "10.213.0.1"));
    assert.ok(mentionsAddress("python3 -m http.server 8088 --bind 10.213.0.1 --directory x", "10.213.0.1"));
    assert.ok(!mentionsAddress("minio server /d --address 10.213.0.12:9000", "10.213.0.1"));
    assert.ok(!mentionsAddress("minio server /d --address 110.213.0.1:9000", "10.213.0.1"));
    assert.ok(!mentionsAddress("minio server /d --address 10.228.0.1:9000", "10.213.0.1"));
});
