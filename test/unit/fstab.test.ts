// skymount's fstab edits, run for real against a private /etc/fstab (a bind mount in a mount
// namespace of the test's own, so the machine's fstab is never touched).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { FSTAB_FUNCTIONS } from "../../src/hostScripts/fstab";

/** Runs `body` with the fstab functions, /etc/fstab starting as `initial`; returns the final fstab. */
function withPrivateFstab(initial: string, body: string): string {
    const script = [...FSTAB_FUNCTIONS, body, "cat /etc/fstab"].join("\n");
    const result = spawnSync(
        "unshare",
        [
            "-m",
            "bash",
            "-c",
            'set -euo pipefail; f=$(mktemp); printf "%s" "$1" > "$f"; mount --bind "$f" /etc/fstab; bash -euo pipefail -c "$2"; rm -f "$f"',
            "fstab-test",
            initial,
            script,
        ],
        { encoding: "utf8" },
    );
    assert.equal(result.status, 0, `fstab script failed: ${result.stderr}`);
    return result.stdout;
}

const SOMEONE_ELSES = "UUID=1234 / ext4 defaults 0 1\n";

describe("fstab edits", () => {
    it("keep every entry when a host's scripts edit fstab at the same time", () => {
        const fstab = withPrivateFstab(
            SOMEONE_ELSES,
            'for i in $(seq 1 24); do fstab_set "t$i" "src$i /mnt/$i none bind 0 0" & done; wait',
        );
        const lines = fstab.trimEnd().split("\n");
        assert.equal(lines[0], SOMEONE_ELSES.trimEnd());
        for (let i = 1; i <= 24; i++) {
            const at = lines.indexOf(`# skymount:t${i}`);
            assert.ok(at > 0, `entry t${i} lost`);
            assert.equal(lines[at + 1], `src${i} /mnt/${i} none bind 0 0`);
        }
        assert.equal(lines.length, 1 + 2 * 24);
    });

    it("never show a reader that takes the lock a half-written fstab while entries are edited", () => {
        // Without the shared lock, about one read in ten here missed the first line: the rewrite
        // truncates fstab before writing it (a mount then failed with "can't find in /etc/fstab").
        const reads = 'misses=0; for j in $(seq 1 300); do fstab_reading grep -qF "UUID=1234" /etc/fstab || misses=$((misses+1)); done';
        const body = `for i in $(seq 1 40); do fstab_set "t$i" "src$i /mnt/$i none bind 0 0" & done; ${reads}; wait; [ "$misses" = 0 ] || { echo "reads that missed an entry: $misses" >&2; exit 1; }`;
        const lines = withPrivateFstab(SOMEONE_ELSES, body).trimEnd().split("\n");
        assert.equal(lines.length, 1 + 2 * 40);
    });

    it("replace an entry in place and remove only their own, leaving other lines alone", () => {
        const fstab = withPrivateFstab(
            SOMEONE_ELSES,
            [
                'fstab_set fuse "b /mnt/b fuse ro 0 0"',
                'fstab_set bind "/mnt/b/x /data none bind 0 0"',
                'fstab_set fuse "b /mnt/b fuse rw 0 0"',
                'fstab_set gone "c /mnt/c fuse ro 0 0"',
                "fstab_remove gone",
                "fstab_remove never-there",
            ].join("\n"),
        );
        assert.equal(fstab, `${SOMEONE_ELSES}# skymount:fuse\nb /mnt/b fuse rw 0 0\n# skymount:bind\n/mnt/b/x /data none bind 0 0\n`);
    });

    it("put a removed FUSE entry back ahead of the binds that still point into it", () => {
        const binds = "# skymount:bind\n/mnt/b/x /data none bind,x-systemd.requires-mounts-for=/mnt/b 0 0\n";
        const fstab = withPrivateFstab(
            `${SOMEONE_ELSES}# skymount:other\nc /mnt/c fuse ro 0 0\n${binds}`,
            [
                'fstab_set fuse "b /mnt/b fuse rw 0 0" "x-systemd.requires-mounts-for=/mnt/b"',
                'fstab_set fuse "b /mnt/b fuse ro 0 0" "x-systemd.requires-mounts-for=/mnt/b"',
            ].join("\n"),
        );
        assert.equal(fstab, `${SOMEONE_ELSES}# skymount:other\nc /mnt/c fuse ro 0 0\n# skymount:fuse\nb /mnt/b fuse ro 0 0\n${binds}`);
        // The bind entries skymount writes name the mount's service too (x-systemd.requires=…), and
        // a mount whose directory only starts with /mnt/b does not count (the option is matched whole).
        const named =
            "# skymount:bind2\n/mnt/b/y /y none bind,x-systemd.requires-mounts-for=/mnt/b,x-systemd.requires=skymount-b.service 0 0\n";
        const sibling = "# skymount:sib\n/mnt/bb/z /z none bind,x-systemd.requires-mounts-for=/mnt/bb 0 0\n";
        assert.equal(
            withPrivateFstab(
                `${SOMEONE_ELSES}${sibling}${named}`,
                'fstab_set fuse "b /mnt/b fuse rw 0 0" "x-systemd.requires-mounts-for=/mnt/b"',
            ),
            `${SOMEONE_ELSES}${sibling}# skymount:fuse\nb /mnt/b fuse rw 0 0\n${named}`,
        );
        // Nothing points into it: at the end, as before.
        assert.equal(
            withPrivateFstab(SOMEONE_ELSES, 'fstab_set fuse "b /mnt/b fuse rw 0 0" "x-systemd.requires-mounts-for=/mnt/b"'),
            `${SOMEONE_ELSES}# skymount:fuse\nb /mnt/b fuse rw 0 0\n`,
        );
    });

    it("write a line byte for byte, fstab's escapes and awk's specials included", () => {
        const line = String.raw`/mnt/a\040b /my\040data none bind,x-a=&\\ 0 0`;
        assert.equal(withPrivateFstab("", `fstab_set odd '${line}'`), `# skymount:odd\n${line}\n`);
    });
});
