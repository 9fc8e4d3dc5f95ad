// Holders of one bucket's FUSE mount on a host (sh/holderFunctions.sh): holders of another stack or
// component that ask for other options fail the mount, naming the holder, each option and both values.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FSTAB_FUNCTIONS } from "../../src/hostScripts/fstab";
import { HOLDER_FUNCTIONS } from "../../src/hostScripts/holders";
describe("holders of other stacks agree or are told", () => {
    const agree = (files: Record<string, string>, group: string, spec: string) => {
        const dir = mkdtempSync(join(tmpdir(), "skymount-holders-"));
        try {
            for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
            const script = [...FSTAB_FUNCTIONS, ...HOLDER_FUNCTIONS, 'agree_with_holders "$1" "$1/mine" "$2" "$3" "bucket b at /m"'];
            return spawnSync("bash", ["-c", script.join("\n"), "agree", dir, group, spec], { encoding: "utf8" });
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    };
    const specOf = (options: string, keys = "k1") => `/usr/local/sbin/skymount-geesefs#b /m fuse _netdev,${options} 0 0 ${keys}`;
    const ours = specOf("--memory-limit=500,--stat-cache-ttl=1s");

    it("holders of the same group, or with the same mount, pass", () => {
        assert.equal(agree({ mine: `me\ng\n${specOf("old")}\n`, sibling: `p/s/vol:/x\ng\n${specOf("old")}\n` }, "g", ours).status, 0);
        assert.equal(agree({ other: `p/t/vol:/y\nt\n${ours}\n` }, "g", ours).status, 0);
    });

    it("another stack's holder with other options fails the mount, naming it, each option and both values", () => {
        const theirs = specOf("--stat-cache-ttl=60s,ro", "k2");
        const result = agree({ other: `p/t/vol:/y\nt\n${theirs}\n` }, "g", ours);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /bucket b at \/m has one FUSE mount on this host, and its other holders asked for other options:/);
        assert.match(result.stderr, /held by p\/t\/vol:\/y \(.*\/other\) with other options:/);
        for (const line of [
            "--memory-limit: unset there, 500 here",
            "--stat-cache-ttl: 60s there, 1s here",
            "keys (credentials): other keys there than here",
            "ro: set there, unset here",
        ])
            assert.ok(result.stderr.includes(`    ${line}\n`), line);
        assert.doesNotMatch(result.stderr, /k1|k2/, "never the keys' hashes");
    });
});
