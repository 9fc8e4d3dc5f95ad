// The mount benchmark's bigdir section: a prefix of BENCH_BIG_DIR_OBJECTS small objects (100,000),
// listed and BENCH_BIG_DIR_READS of them (10,000) read through a MOUNT volume, against rclone lsf and
// rclone copy on the same host, then the same on mounts of their own with other geesefs flags.
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadTestbedInfo, testbedInfoPath } from "../tools/testbed/info";
import { down as testbedDown, up as testbedUp } from "../tools/testbed/testbed";
import { runPool } from "../src/sync/pool/pool";
import { hostSeconds, rcloneOnHost, sh } from "./support/host";
import { PARALLEL, s3Of, stackOf } from "./support/mountProgram";
import { ratio, timed } from "./support";

const BIG_DIR_OBJECTS = Number(process.env.BENCH_BIG_DIR_OBJECTS ?? 100_000);
const BIG_DIR_READS = Number(process.env.BENCH_BIG_DIR_READS ?? 10_000);

/** geesefs flag sets tried on the big directory, each on a mount of its own (the tuning table). */
const GEESEFS_VARIANTS: Array<[string, string[]]> = [
    ["geesefs defaults (entry limit 100,000)", []],
    ["--entry-limit=250000", ["--entry-limit=250000"]],
    ["--entry-limit=250000 --disable-xattr", ["--entry-limit=250000", "--disable-xattr"]],
];

/** A prefix of BIG_DIR_OBJECTS small objects, listed and partly read through a MOUNT volume and by rclone. */
export async function bigDir(): Promise<string[]> {
    // BENCH_KEEP_TESTBED=1 leaves the testbed and its filled bucket up for the next run, which reuses both.
    const keep = process.env.BENCH_KEEP_TESTBED === "1";
    const testbed = keep && existsSync(testbedInfoPath) ? loadTestbedInfo() : await testbedUp({ hosts: 1 });
    const [h1] = testbed.hosts;
    const bucket = `bench-bigdir-${BIG_DIR_OBJECTS}`;
    const s3 = s3Of(testbed);
    const backend = mkdtempSync(path.join(tmpdir(), "skymount-bench-state-"));
    const stack = await stackOf("bigdir", backend);
    const rows: string[] = [];
    try {
        const keys = Array.from({ length: BIG_DIR_OBJECTS }, (_, i) => `big/f${String(i).padStart(6, "0")}.bin`);
        const exists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
            () => true,
            () => false,
        );
        if (!exists) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        const filled = await timed(() =>
            runPool(
                (exists ? [] : keys).map((key, i) => ({
                    label: key,
                    run: async () => {
                        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(512 * (1 + (i % 8))) }));
                    },
                })),
                64,
            ),
        );
        console.log(`bigdir: ${BIG_DIR_OBJECTS} objects put in ${filled.seconds.toFixed(0)} s`);
        const readList = keys.slice(0, BIG_DIR_READS).map((k) => k.slice("big/".length));
        await sh(h1, "cat > /tmp/reads.txt", readList.join("\n") + "\n");

        await stack.setAllConfig({ bucket: { value: bucket }, readPrefix: { value: "big" }, writeVolume: { value: "false" } });
        await stack.up({ parallel: PARALLEL });
        const measures: Array<[string, number, number]> = [];
        // Through the SkyVolume mount (skymount's geesefs flags), then rclone from the same host.
        const mountList = await hostSeconds(h1, `test "$(ls -f /bench-ro | wc -l)" = ${BIG_DIR_OBJECTS + 2}`);
        const mountFind = await hostSeconds(h1, `test "$(find /bench-ro -type f | wc -l)" = ${BIG_DIR_OBJECTS}`);
        const rcloneList = await hostSeconds(
            h1,
            `test "$(${rcloneOnHost(testbed, `lsf bench:${bucket}/big`)} | wc -l)" = ${BIG_DIR_OBJECTS}`,
        );
        measures.push([`list ${BIG_DIR_OBJECTS} objects (mount: first \`ls -f\`; rclone lsf)`, mountList, rcloneList]);
        measures.push([`list again (mount: \`find -type f\` within the stat cache TTL; rclone lsf)`, mountFind, rcloneList]);
        const mountRead = await hostSeconds(h1, "cd /bench-ro && xargs -P 16 -n 64 cat < /tmp/reads.txt > /dev/null");
        const rcloneRead = await hostSeconds(
            h1,
            `${rcloneOnHost(testbed, `copy bench:${bucket}/big /tmp/rclone-reads --files-from /tmp/reads.txt --no-traverse --transfers 16 --checkers 16`)} && rm -rf /tmp/rclone-reads`,
        );
        measures.push([
            `read ${BIG_DIR_READS} of them (1-4 KiB; 16 at a time: xargs cat; rclone copy --transfers 16)`,
            mountRead,
            rcloneRead,
        ]);
        // Hosts share this machine's process table: pick the geesefs of this bucket.
        const rss = await sh(h1, `ps -eo rss=,args= | awk '/[g]eesefs ${bucket} / { print $1; exit }'`);
        rows.push(
            `| through a MOUNT volume, from the host | mount (s) | rclone (s) | rclone time / mount time |`,
            "|---|---|---|---|",
            ...measures.map(([what, m, r]) => `| ${what} | ${m.toFixed(2)} | ${r.toFixed(2)} | ${ratio(r, m)} |`),
            "",
            `geesefs RSS after the listing and reads: ${(Number(rss.trim()) / 1024).toFixed(0)} MiB; ${BIG_DIR_OBJECTS} objects put (64 at a time) in ${filled.seconds.toFixed(0)} s.`,
            "",
        );
        console.log(rows.join("\n"));

        // Tuning: the same listing and reads on mounts of their own, one flag set each.
        const fstab = await sh(h1, "grep ' /var/lib/skymount/mnt/' /etc/fstab | head -1");
        const options = fstab.split(/\s+/)[3].split(",");
        const base = options.filter((o) => o.startsWith("--") && !o.startsWith("--log-file"));
        rows.push(
            "| geesefs flags (on top of skymount's) | first `ls -f` (s) | second `ls -f` (s) | read (s) | RSS (MiB) |",
            "|---|---|---|---|---|",
        );
        for (const [label, flags] of GEESEFS_VARIANTS) {
            const dir = "/var/tmp/bench-variant";
            const args = [...base, ...flags, "--log-file=/var/tmp/bench-variant.log", `${bucket}:big`, dir].map((a) => `'${a}'`).join(" ");
            await sh(h1, `mkdir -p ${dir} && /usr/local/bin/geesefs ${args}`);
            try {
                const first = await hostSeconds(h1, `ls -f ${dir} | wc -l > /dev/null`);
                const second = await hostSeconds(h1, `ls -f ${dir} | wc -l > /dev/null`);
                const read = await hostSeconds(h1, `cd ${dir} && xargs -P 16 -n 64 cat < /tmp/reads.txt > /dev/null`);
                const rss = await sh(h1, `ps -eo rss=,args= | awk '/[g]eesefs .*bench-variant/ { print $1; exit }'`);
                const mib = Number(rss.trim()) / 1024;
                rows.push(`| ${label} | ${first.toFixed(2)} | ${second.toFixed(2)} | ${read.toFixed(2)} | ${mib.toFixed(0)} |`);
                console.log(rows[rows.length - 1]);
            } finally {
                await sh(h1, `fusermount3 -u ${dir} || umount -l ${dir}`);
            }
        }
    } finally {
        await stack.workspace.removeStack("bigdir", { force: true }).catch(() => undefined);
        s3.destroy();
        rmSync(backend, { recursive: true, force: true });
        if (!keep) await testbedDown(() => undefined);
    }
    return rows;
}
