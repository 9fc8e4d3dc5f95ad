// The checks refresh runs on hosts (src/hostScripts/check.ts): they parse, probe exactly what the scripts
// record (the renderings are held together here), and judge real files: run with the host's paths
// moved into a temporary directory.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { renderCopyCheck, renderInstallCheck, renderMountCheck, renderPresentCheck, renderWorkdirCheck } from "../../src/hostScripts/check";
import { copyVolumeFingerprint } from "../../src/hostScripts/copyVolume";
import { fstabLine } from "../../src/hostScripts/fstabLine";
import { renderMountHelper } from "../../src/hostScripts/mountHelper";
import { mountSpecFunctions, renderMountScript } from "../../src/hostScripts/mount";
import { presentFstabEntry, renderPresentScript } from "../../src/hostScripts/present";
import { renderWorkdirScript } from "../../src/hostScripts/job";
import { quote } from "../../src/hostScripts/shell";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { spec, volume } from "./fixtures";

const plan = planSkyVolume(
    spec({
        volumes: [
            volume({ mount: "/data", prefix: "iris" }),
            volume({ mount: "/out", prefix: "runs", readOnly: false, storage: { ...volume().storage, bucket: "outputs" } }),
            volume({ mount: "/snapshot", mode: "COPY", prefix: "iris" }),
            volume({ mount: "/cached", mode: "MOUNT_CACHED", storage: { ...volume().storage, bucket: "weights" } }),
        ],
    }),
);
const originOf = (mountId: string) => {
    const mount = plan.mounts.find((m) => m.id === mountId)!;
    return { dir: mount.dir, bucket: mount.bucket, fingerprint: fstabLine(mount, plan.geesefs), fuse: true };
};

describe("checks", () => {
    const all = [
        renderInstallCheck(plan.install),
        ...plan.mounts.map((m) => renderMountCheck(m, plan.geesefs)),
        ...plan.presents.filter((p) => !p.fromCopy).map((p) => renderPresentCheck(p, originOf(p.mountId))),
        ...plan.copies.map((c) => renderCopyCheck(c, plan.geesefs)),
        renderWorkdirCheck("abc"),
    ];

    it("parse (bash -n), and bound every probe of a FUSE mount", () => {
        for (const script of all) assert.equal(spawnSync("bash", ["-n"], { input: script }).status, 0, script);
        for (const script of all.filter((s) => s.includes("mountpoint") || s.includes("stat -c"))) {
            assert.ok(script.includes("\nprobe_seconds='5'\n"), script);
            for (const line of script.split("\n").filter((l) => /\b(mountpoint -q|ls|stat -c) "\$/.test(l))) {
                assert.match(line, /timeout "\$probe_seconds" (mountpoint|ls|stat)/, line);
            }
        }
    });

    it("change nothing on the host", () => {
        for (const script of all) assert.doesNotMatch(script, /\b(rm|mv|umount|mount --bind|mkdir|fstab_set|kill|chmod) /);
    });

    it("a mount's check resolves the owner and recomputes the fingerprint exactly as the mount script does", () => {
        for (const mount of plan.mounts) {
            const script = renderMountScript(mount, plan.geesefs);
            const check = renderMountCheck(mount, plan.geesefs);
            const spec = 'spec=$(mount_spec "$fstab_line" "$creds_hash" "$cached" "$cache_mb" "$systemd")';
            for (const line of [...mountSpecFunctions(plan.geesefs), 'fstab_line=$(owned "$fstab_line")', spec]) {
                assert.ok(script.includes(`\n${line}\n`), `${mount.bucket}: the mount script has ${line}`);
                assert.ok(check.includes(`\n${line}\n`), `${mount.bucket}: the check has ${line}`);
            }
            // On a systemd host the service, not fstab, remounts it: the check looks for the unit there,
            // present and enabled (what boot starts), as the mount script leaves it.
            assert.match(check, /if \[ -n "\$systemd" \]; then\n(.*\n){1,2} {2}if \[ ! -f "\$unit_file" \]; then/);
            assert.match(check, /systemctl is-enabled --quiet "\$unit"/);
            assert.match(script, /systemctl is-enabled --quiet "\$unit" 2>\/dev\/null \|\| systemctl enable "\$unit"/);
        }
    });

    it("a present's check expects the very fstab entry the present script writes", () => {
        for (const p of plan.presents.filter((p) => !p.fromCopy)) {
            const entry = presentFstabEntry(p, originOf(p.mountId));
            assert.ok(renderPresentScript(p, originOf(p.mountId)).includes(`\nfstab_entry=${quote(entry)}\n`), p.target);
            assert.ok(renderPresentCheck(p, originOf(p.mountId)).includes(`\nfstab_entry=${quote(entry)}\n`), p.target);
        }
    });
});

describe("checks judge real files", () => {
    const root = mkdtempSync(path.join(tmpdir(), "skymount-check-"));
    after(() => rmSync(root, { recursive: true, force: true }));
    const local = (script: string) =>
        script
            .replaceAll("/var/lib/skymount", `${root}/state`)
            .replaceAll("/var/log/skymount", `${root}/log`)
            .replaceAll("/var/cache/skymount", `${root}/cache`)
            .replaceAll("/etc/skymount", `${root}/etc`)
            .replaceAll("/root/sky_workdir", `${root}/work`)
            .replaceAll("/usr/local/bin", `${root}/bin`)
            .replaceAll("/usr/local/sbin", `${root}/sbin`);
    const run = (script: string, input = "") => {
        const result = spawnSync("bash", ["-c", local(script)], { input, encoding: "utf8" });
        return { status: result.status, out: result.stdout.trim() };
    };

    it("workdir: as made after the workdir script, drift when it is gone", () => {
        const archive = spawnSync("bash", ["-c", "d=$(mktemp -d) && echo hi > $d/a && tar -czf - -C $d . | base64 -w0"], {
            encoding: "utf8",
        });
        assert.equal(run(renderWorkdirScript("sha-1"), archive.stdout).status, 0);
        assert.deepEqual(run(renderWorkdirCheck("sha-1")), { status: 0, out: `workdir ${root}/work: as made` });
        assert.deepEqual(run(renderWorkdirCheck("sha-2")), {
            status: 1,
            out: `the workdir ${root}/work was not unpacked from this archive`,
        });
        rmSync(`${root}/work`, { recursive: true });
        assert.deepEqual(run(renderWorkdirCheck("sha-1")), { status: 1, out: `the workdir ${root}/work is missing` });
    });

    it("copy: as made with its recorded fingerprint, drift when the snapshot is replaced or removed", () => {
        const copy = plan.copies[0];
        const dir = local(copy.dir);
        mkdirSync(dir, { recursive: true });
        // The copy script appends the owner it resolved: root's, here.
        writeFileSync(
            `${dir}.spec`,
            `${local(copyVolumeFingerprint(copy, plan.geesefs))} owner=${process.getuid!()} ${process.getgid!()}\n`,
        );
        assert.deepEqual(run(renderCopyCheck(copy, plan.geesefs)), { status: 0, out: `copy ${dir}: as made` });
        writeFileSync(`${dir}.spec`, "something else\n");
        assert.equal(run(renderCopyCheck(copy, plan.geesefs)).out, `the copy ${dir} is not the recorded one (${dir}.spec differs)`);
        rmSync(dir, { recursive: true });
        assert.equal(run(renderCopyCheck(copy, plan.geesefs)).out, `the copy ${dir} is missing`);
    });

    it("install: geesefs's checksum and the mount helper, every finding listed", () => {
        mkdirSync(`${root}/bin`, { recursive: true });
        mkdirSync(`${root}/sbin`, { recursive: true });
        writeFileSync(`${root}/bin/geesefs`, "not geesefs");
        const installed = {
            ...plan.install,
            geesefsSha256: spawnSync("sha256sum", [`${root}/bin/geesefs`], { encoding: "utf8" }).stdout.split(" ")[0],
        };
        writeFileSync(`${root}/sbin/skymount-geesefs`, renderMountHelper(), { mode: 0o755 });
        for (const d of ["state", "log", "cache", "etc"]) {
            mkdirSync(`${root}/${d}`, { recursive: true });
            chmodSync(`${root}/${d}`, 0o700);
        }
        const fuse = spawnSync("bash", ["-c", "command -v fusermount3"]).status === 0;
        const check = renderInstallCheck(installed);
        assert.deepEqual(
            run(check),
            fuse ? { status: 0, out: "install: as made" } : { status: 1, out: "fusermount3 (fuse3) is not installed" },
        );
        writeFileSync(`${root}/bin/geesefs`, "replaced");
        writeFileSync(`${root}/sbin/skymount-geesefs`, "#!/bin/sh\n", { mode: 0o755 });
        const findings = run(check).out.split("\n");
        assert.equal(
            findings[0],
            `geesefs at ${root}/bin/geesefs: sha256 ${spawnSync("bash", ["-c", "printf replaced | sha256sum | cut -d' ' -f1"], { encoding: "utf8" }).stdout.trim()}, installed was ${installed.geesefsSha256}`,
        );
        assert.equal(findings[1], `mount helper ${root}/sbin/skymount-geesefs: missing, changed or not executable`);
        chmodSync(`${root}/log`, 0o755);
        assert.ok(
            run(check)
                .out.split("\n")
                .includes(`${root}/log is not root's alone (mode 0700): keys, logs or bucket data may be readable by other accounts`),
        );
    });
});
