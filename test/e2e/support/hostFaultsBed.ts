// The set-up hostFaults.test.ts shares across its rows: two buckets (one read through a MOUNT volume
// and written through a writable one, one under MOUNT_CACHED), two MinIO key pairs (before and after a
// rotation), stacks of the `faults` program over a host without an init system (h1) and one that boots
// systemd (s1) on one throwaway backend, and what each row asks of a host: its mount's geesefs, its
// service, the supervisor's log, every object of both buckets.
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { FSTAB_FUNCTIONS } from "../../../src/hostScripts/fstab";
import { SUPERVISOR_LOG } from "../../../src/hostScripts/hostPaths";
import { MOUNT_FUNCTIONS } from "../../../src/hostScripts/mountFunctions";
import { mountServiceName } from "../../../src/hostScripts/systemdUnits";
import { addMinioUser, removeMinioUser } from "./minioAdmin";
import { onHost, programsDir, s3ClientFor, TestbedHost, TestbedInfo, uniqueName } from "./testbed";

export interface VolumeConfig {
    bucket: string;
    mount: string;
    prefix?: string;
    readOnly?: boolean;
    mode?: string;
}

export interface KeyPair {
    accessKey: string;
    secretKey: string;
}

/** The mount functions skymount's scripts use (geesefs_pids finds only this mount's geesefs). */
const FUNCTIONS = [...FSTAB_FUNCTIONS, ...MOUNT_FUNCTIONS].join("\n");

/** "alive" if any of the pids runs (a zombie, killed and not yet reaped, counts as gone). */
export const alive = (pids: string) =>
    `for p in ${pids.split(/\s+/).join(" ")}; do [ "$(awk '{ print $3 }' /proc/$p/stat 2>/dev/null || echo Z)" = Z ] || echo alive; done | sort -u`;

/** Milliseconds since $t0 (set with t0=$(date +%s%N)), on the host. */
export const ELAPSED_MS = "$(( ($(date +%s%N) - t0) / 1000000 ))";

/** A measured figure for docs/RELIABILITY.md, naming the host and its kind. */
export function report(host: TestbedHost, row: string): void {
    console.log(`[figure] ${host.name} (${host.init === "systemd" ? "systemd" : "no init system"}): ${row}`);
}

export function hostFaultsBed(testbed: TestbedInfo) {
    const hosts = [testbed.hosts[0], testbed.systemdHosts[0]];
    const s3 = s3ClientFor(testbed);
    const data = uniqueName("hfdata");
    const cached = uniqueName("hfcache");
    const base = `/${uniqueName("hf")}`;
    const paths = { data: `${base}-data`, out: `${base}-out`, cached: `${base}-cached`, other: `${base}-b` };
    const volumes: VolumeConfig[] = [
        { bucket: data, mount: paths.data, prefix: "data" },
        { bucket: data, mount: paths.out, prefix: "out", readOnly: false },
        { bucket: cached, mount: paths.cached, mode: "MOUNT_CACHED" },
    ];
    const keys: KeyPair[] = [1, 2].map((n) => ({
        accessKey: `hfkey${n}${randomBytes(4).toString("hex")}`,
        secretKey: randomBytes(18).toString("base64url"),
    }));
    const fresh = randomBytes(2 << 20);
    const backendDir = mkdtempSync(path.join(tmpdir(), "skymount-faults-"));
    const stacks: Stack[] = [];
    /** Each host's FUSE mount of the data bucket (the same id on every host: its options are the same). */
    const fuseDirs = new Map<string, string>();

    const fuseDir = (host: TestbedHost) => fuseDirs.get(host.name)!;
    const sh = (host: TestbedHost, command: string) => onHost(host, `${FUNCTIONS}\n${command}`);
    /** Every object of both buckets: "<bucket>/<key>" → "<size>:<etag>". */
    const objects = async () => {
        const all: Record<string, string> = {};
        for (const bucket of [data, cached]) {
            const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
            for (const o of listed.Contents ?? []) all[`${bucket}/${o.Key}`] = `${o.Size}:${o.ETag}`;
        }
        return all;
    };

    return {
        hosts,
        s3,
        data,
        cached,
        base,
        paths,
        keys,
        fresh,
        fuseDir,
        sh,
        /** The mount of `bucket` on the host, from its mount table. */
        mountedDir: (host: TestbedHost, bucket: string) =>
            onHost(host, `awk '$1 == "${bucket}" && $2 ~ "^/var/lib/skymount/mnt/" { print $2 }' /proc/mounts`),
        setFuseDir: (host: TestbedHost, dir: string) => fuseDirs.set(host.name, dir),
        /** The service that runs the data bucket's geesefs on a systemd host. */
        unit: (host: TestbedHost) => mountServiceName(fuseDir(host).slice(-10)),
        /** A property of a systemd unit (`systemctl show`). */
        show: (host: TestbedHost, unit: string, property: string) => onHost(host, `systemctl show -p ${property} --value ${unit}`),
        /** This mount's geesefs processes on the host, one line. */
        pidsOf: async (host: TestbedHost) => (await sh(host, `geesefs_pids ${fuseDir(host)}`)).split("\n").filter(Boolean).join(" "),
        supervisorLog: (host: TestbedHost) => onHost(host, `cat ${SUPERVISOR_LOG} 2>/dev/null || true`),
        diagnose: async (host: TestbedHost, what: string) =>
            console.log(
                `[diagnosis] ${host.name}: ${what}\n${await sh(
                    host,
                    `for p in $(geesefs_pids ${fuseDir(host)}); do ps -o pid=,ppid=,stat=,lstart= -p $p; done; grep " ${base}-\\| ${fuseDir(host)} " /proc/mounts; tail -n 5 ${SUPERVISOR_LOG}`,
                ).catch((e) => String(e))}`,
            ),
        objects,
        /** Every object as before, but for the keys the row wrote, which must be there. */
        assertNothingLost: async (before: Record<string, string>, written: string[]) => {
            const now = await objects();
            const without = (all: Record<string, string>) =>
                Object.fromEntries(Object.entries(all).filter(([key]) => !written.includes(key)));
            assert.deepEqual(without(now), without(before));
            for (const key of written) assert.ok(now[key], `${key} is in the bucket`);
        },
        /** The files (under /etc, skymount's directories, the logs with the journal's, /run, /root) and
         *  the command lines on the host that hold `secret`. The pattern travels in a file (base64 in
         *  the command), so no command line of the search itself holds it. A test host's root is an
         *  overlay of this machine's, whose /root holds the toolchain (about 20 GB of caches a cloud host
         *  would not have, and that skymount never writes): grepping it took 200 of the test's 240 s, so
         *  those caches are left out. */
        filesHolding: (host: TestbedHost, secret: string) =>
            onHost(
                host,
                [
                    `p=$(mktemp /tmp/${path.basename(base)}-pattern.XXXXXX)`,
                    `echo ${Buffer.from(secret).toString("base64")} | base64 -d > "$p"`,
                    `grep -rlsF -f "$p" --exclude-dir=.cache --exclude-dir=go --exclude-dir=.rustup --exclude-dir=.pyenv --exclude-dir=.npm --exclude-dir=.cargo /etc /var/lib/skymount /var/log /var/cache/skymount /run /root 2>/dev/null | grep -v "^$p$" || true`,
                    `for c in /proc/[0-9]*/cmdline; do grep -qsF -f "$p" "$c" && echo "$c"; done`,
                    'rm -f "$p"',
                ].join("\n"),
            ),
        /** A stack of the `faults` program over both hosts, on the shared backend. */
        stackNamed: async (name: string, list: VolumeConfig[], key: KeyPair) => {
            const stack = await LocalWorkspace.createOrSelectStack(
                { stackName: name, workDir: path.join(programsDir, "faults") },
                { envVars: { PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: "skymount-e2e" } },
            );
            await stack.setAllConfig({
                volumes: { value: JSON.stringify(list) },
                hosts: { value: hosts.map((h) => h.name).join(",") },
                accessKey: { value: key.accessKey },
                secretKey: { value: key.secretKey, secret: true },
            });
            stacks.push(stack);
            return stack;
        },
        /** The key pairs, the buckets and their first objects. */
        setUp: async () => {
            for (const key of keys) await addMinioUser(testbed, key.accessKey, key.secretKey);
            for (const bucket of [data, cached]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
            await s3.send(new PutObjectCommand({ Bucket: data, Key: "data/x.txt", Body: "x\n" }));
            await s3.send(new PutObjectCommand({ Bucket: cached, Key: "weights.bin", Body: randomBytes(1 << 20) }));
            // Read for the first time only once the cache is full (a file put after the mount stays
            // unseen for the read-only mount's stat-cache TTL).
            await s3.send(new PutObjectCommand({ Bucket: cached, Key: "fresh.bin", Body: fresh }));
        },
        tearDown: async () => {
            for (const stack of stacks) {
                await stack.destroy().catch(() => undefined);
                await stack.workspace.removeStack(stack.name).catch(() => undefined);
            }
            rmSync(backendDir, { recursive: true, force: true });
            for (const host of hosts) await onHost(host, `rm -f /tmp/${path.basename(base)}-*`).catch(() => undefined);
            for (const bucket of [data, cached]) {
                const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
                const objects = (listed?.Contents ?? []).map((o) => ({ Key: o.Key! }));
                if (objects.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
                await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
            }
            for (const key of keys) await removeMinioUser(testbed, key.accessKey).catch(() => undefined);
        },
        volumes,
    };
}

export type HostFaultsBed = ReturnType<typeof hostFaultsBed>;
