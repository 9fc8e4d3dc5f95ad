// The host side of self-healing, run for real where it can be: the supervisor's start (one instance,
// detached, idles out), the mount helper starting it, systemd's view of the units skymount writes, the
// login user's ownership of mounts, and what the mount and unmount scripts do with holders.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fstabLine } from "../../src/hostScripts/fstabLine";
import { renderInstallScript } from "../../src/hostScripts/install";
import { mountSpecFunctions, renderMountScript, renderUnmountScript } from "../../src/hostScripts/mount";
import { renderMountHelper } from "../../src/hostScripts/mountHelper";
import { renderPresentScript } from "../../src/hostScripts/present";
import { quote } from "../../src/hostScripts/shell";
import { renderSupervisor } from "../../src/hostScripts/supervisor";
import { mountServiceName, renderMountService, renderSupervisorService, systemdWord } from "../../src/hostScripts/systemdUnits";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { spec, volume } from "./fixtures";

const plan = planSkyVolume(
    spec({
        volumes: [
            volume({ mount: "/data", prefix: "iris" }),
            volume({ mount: "/out", prefix: "out", readOnly: false }),
            volume({
                mount: "/cached",
                mode: "MOUNT_CACHED",
                storage: { bucket: "weights", endpoint: "http://10.0.0.1:9000", hasCredentials: true },
            }),
        ],
    }),
);
const datasets = plan.mounts.find((m) => m.bucket === "datasets")!;
const weights = plan.mounts.find((m) => m.bucket === "weights")!;
const work = mkdtempSync(join(tmpdir(), "skymount-supervisor-"));
after(() => rmSync(work, { recursive: true, force: true }));

function waitFor(what: string, probe: () => boolean, ms = 10_000): void {
    const deadline = Date.now() + ms;
    while (!probe()) {
        if (Date.now() > deadline) assert.fail(`${what} after ${ms} ms`);
        spawnSync("sleep", ["0.1"]);
    }
}

describe("supervisor", () => {
    const dir = join(work, "sup");
    mkdirSync(dir);
    const paths = {
        supervisedDir: join(dir, "supervised"),
        logFile: join(dir, "supervisor.log"),
        lockFile: join(dir, "lock"),
        healLock: join(dir, "heal"),
    };
    const program = join(dir, "skymount-supervisor");
    writeFileSync(program, renderSupervisor({ ...paths, idleChecks: 2 }), { mode: 0o755 });
    /** The running supervisor's pid (the lock's holder), or none. */
    const holders = () => {
        const status = spawnSync(program, ["status"], { encoding: "utf8" }).stdout;
        return status.startsWith("running: ") ? [status.split("\n")[0].slice("running: ".length)] : [];
    };
    /** Processes running the supervisor's loop, by their command line. */
    const loops = () =>
        spawnSync("pgrep", ["-f", `${program} run`], { encoding: "utf8" })
            .stdout.trim()
            .split("\n")
            .filter(Boolean);

    it("parses (bash -n) and is installed by the install script, byte for byte", () => {
        execFileSync("bash", ["-n"], { input: renderSupervisor() });
        assert.ok(renderInstallScript(plan.install).includes(quote(renderSupervisor())));
    });

    it("starts detached, once however often it is started, and stops when it has nothing to supervise", () => {
        for (let i = 0; i < 3; i++) {
            const started = spawnSync(program, ["start"], { encoding: "utf8", timeout: 5000 });
            assert.equal(started.status, 0, started.stderr);
        }
        waitFor("the supervisor holds its lock", () => holders().length > 0);
        // A `start` that looked while the first loop was still starting spawns a second one, which finds
        // the lock taken within its 2 s and exits without a word: one instance stays.
        waitFor("one instance", () => loops().length === 1, 5_000);
        assert.deepEqual(loops(), holders());
        // Two checks (2 s apart) with an empty list, then it stops.
        waitFor("the idle supervisor stopped", () => holders().length === 0 && loops().length === 0, 15_000);
        // Each loop that took the lock logged its start and its stop. Usually there is one; on a loaded
        // machine the second loop above may still be waiting when the first idles out, and takes over.
        const log = readFileSync(paths.logFile, "utf8");
        const starts = log.match(/ started \(pid \d+\)$/gm)?.length ?? 0;
        assert.ok(starts >= 1 && starts <= 2, log);
        assert.equal(log.match(/ nothing to supervise: stopped$/gm)?.length, starts, log);
    });

    it("heals only what it is told about: an unmounted mount on the list is left alone", () => {
        mkdirSync(paths.supervisedDir, { recursive: true });
        writeFileSync(join(paths.supervisedDir, "abc"), `${join(dir, "not-mounted")}\n`);
        const started = spawnSync(program, ["start"], { encoding: "utf8" });
        assert.equal(started.status, 0, started.stderr);
        waitFor(`the supervisor holds its lock (${readFileSync(paths.logFile, "utf8")})`, () => holders().length > 0);
        spawnSync("sleep", ["5"]);
        assert.doesNotMatch(readFileSync(paths.logFile, "utf8"), /heal/);
        assert.match(
            spawnSync(program, ["status"], { encoding: "utf8" }).stdout,
            new RegExp(`^running: \\d+\\nsupervises ${join(dir, "not-mounted")}`),
        );
        assert.equal(spawnSync(program, ["stop"]).status, 0);
        assert.equal(holders().length, 0, "stopped");
        assert.match(readFileSync(paths.logFile, "utf8"), /stopped by request/);
    });
});

describe("mount helper", () => {
    it("starts the supervisor after a mount (at boot: mount -a brings it back), not after a failure", () => {
        const dir = join(work, "helper");
        mkdirSync(dir);
        const fake = join(dir, "geesefs");
        writeFileSync(fake, '#!/bin/sh\n[ "$FAKE" = ok ]\n', { mode: 0o755 });
        const supervisor = join(dir, "supervisor");
        writeFileSync(supervisor, `#!/bin/sh\necho "$@" >> ${quote(join(dir, "started"))}\n`, { mode: 0o755 });
        const helper = join(dir, "helper");
        writeFileSync(helper, renderMountHelper({ geesefs: fake, supervisor, waitSeconds: 1 }), { mode: 0o755 });
        assert.equal(spawnSync(helper, ["b", "/mnt/b", "-o", "ro"], { env: { ...process.env, FAKE: "no" } }).status, 1);
        assert.ok(!existsSync(join(dir, "started")));
        assert.equal(spawnSync(helper, ["b", "/mnt/b", "-o", "ro"], { env: { ...process.env, FAKE: "ok" } }).status, 0);
        assert.equal(readFileSync(join(dir, "started"), "utf8"), "start\n");
    });
});

describe("login user's ownership", () => {
    const line = fstabLine(datasets, plan.geesefs);
    const owned = (options: typeof plan.geesefs, sudoUser: string) =>
        execFileSync("bash", ["-c", [...mountSpecFunctions(options), 'owned "$1"'].join("\n"), "owner-test", line], {
            encoding: "utf8",
            env: { ...process.env, SUDO_USER: sudoUser },
        });

    it("root stays root: the fstab line is the plan's, byte for byte", () => {
        assert.equal(owned(plan.geesefs, "root"), line);
    });

    it("a login user owns the files; the kernel lets only the owner and root in (allow_other, default_permissions, 0700/0600)", () => {
        const uid = execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim();
        const gid = execFileSync("id", ["-g", "nobody"], { encoding: "utf8" }).trim();
        assert.equal(owned(plan.geesefs, "nobody"), line.replace(",--uid=0,--gid=0,", `,--uid=${uid},--gid=${gid},`));
        assert.match(line, /,allow_other,default_permissions,--uid=0,--gid=0,--file-mode=0600,--dir-mode=0700,/);
    });

    it("shareWith opens the modes to the group or to everyone, and nothing else", () => {
        assert.match(fstabLine(datasets, { ...plan.geesefs, shareWith: "group" }), /,--file-mode=0660,--dir-mode=0770,/);
        assert.match(fstabLine(datasets, { ...plan.geesefs, shareWith: "everyone" }), /,--file-mode=0666,--dir-mode=0777,/);
        const others = (l: string) => l.replace(/,--file-mode=\d+,--dir-mode=\d+,/, ",");
        assert.equal(others(fstabLine(datasets, { ...plan.geesefs, shareWith: "group" })), others(line));
    });

    it("uid and gid override the login user", () => {
        const options = { ...plan.geesefs, uid: 1234, gid: 99 };
        const explicit = fstabLine(datasets, options);
        const result = execFileSync("bash", ["-c", [...mountSpecFunctions(options), 'owned "$1"'].join("\n"), "owner-test", explicit], {
            encoding: "utf8",
            env: { ...process.env, SUDO_USER: "nobody" },
        });
        assert.equal(result, explicit);
        assert.match(explicit, /,--uid=1234,--gid=99,/);
        const uidOnly = { ...plan.geesefs, uid: 1234 };
        const withUid = fstabLine(datasets, uidOnly);
        const ownedUid = execFileSync("bash", ["-c", [...mountSpecFunctions(uidOnly), 'owned "$1"'].join("\n"), "owner-test", withUid], {
            encoding: "utf8",
            env: { ...process.env, SUDO_USER: "root" },
        });
        assert.equal(ownedUid, withUid, "root's login keeps the given owner");
    });
});

describe("systemd units", () => {
    it("run geesefs in the foreground through the mount's program, after the network, before the binds, restarting on failure", () => {
        const unit = renderMountService(weights, plan.geesefs);
        for (const line of [
            "Wants=network-online.target",
            "After=network-online.target",
            "Before=remote-fs.target",
            "Restart=on-failure",
            "StartLimitIntervalSec=0",
            `RequiresMountsFor=/var/cache/skymount/${weights.id}`,
            `ExecStop=-/bin/umount "${weights.dir}"`,
            `ExecStartPost="/usr/local/sbin/skymount-supervisor" "settle" "${weights.dir}"`,
        ])
            assert.ok(unit.split("\n").includes(line), line);
        assert.match(
            unit,
            new RegExp(`^ExecStart="/usr/local/sbin/skymount-geesefs" "weights" "${weights.dir}" "-o" "--endpoint=[^"]*,-f"$`, "m"),
        );
        assert.ok(!unit.includes("_netdev"), "mount(8)'s own option stays out of geesefs's arguments");
    });

    it("keep systemd's specifiers and variables literal in Exec words", () => {
        assert.equal(systemdWord('a%b$c"d\\e'), '"a%%b$$c\\"d\\\\e"');
    });

    it("are ordered before the bind mounts: a present's fstab entry requires the mount's service", () => {
        const present = plan.presents.find((p) => p.mountId === datasets.id)!;
        const script = renderPresentScript(present, { dir: datasets.dir, bucket: "datasets", fingerprint: "x", fuse: true });
        assert.ok(script.includes(`x-systemd.requires-mounts-for=${datasets.dir},x-systemd.requires=${mountServiceName(datasets.id)} 0 0`));
    });

    it("pass systemd-analyze verify", () => {
        // In a mount namespace of the test's own, with stand-ins for the programs the units run.
        const dir = join(work, "units");
        mkdirSync(dir);
        const units = {
            [mountServiceName(weights.id)]: renderMountService(weights, plan.geesefs),
            "skymount-supervisor.service": renderSupervisorService(),
        };
        for (const [name, text] of Object.entries(units)) writeFileSync(join(dir, name), text);
        const result = spawnSync(
            "unshare",
            [
                "-m",
                "bash",
                "-c",
                'set -e; mount -t tmpfs tmpfs /usr/local/sbin; for p in skymount-geesefs skymount-supervisor; do printf "#!/bin/sh\\n" > /usr/local/sbin/$p; chmod 755 /usr/local/sbin/$p; done; cd "$1"; systemd-analyze verify ./*.service',
                "verify",
                dir,
            ],
            { encoding: "utf8" },
        );
        assert.equal(result.status, 0, `systemd-analyze verify: ${result.stderr}`);
        assert.equal(result.stderr.trim(), "");
    });
});

describe("holders", () => {
    it("the mount script holds before it mounts; the unmount script lets go and unmounts only as the last holder", () => {
        const a = { id: "aaaa", description: "p/a/vol:/data", group: "p/a/vol" };
        const mountScript = renderMountScript(datasets, plan.geesefs, a);
        const unmountScript = renderUnmountScript(datasets, a);
        for (const script of [mountScript, unmountScript]) execFileSync("bash", ["-n"], { input: script });
        const holderFile = `/var/lib/skymount/holders/${datasets.id}/aaaa`;
        assert.ok(mountScript.indexOf(`holder_file='${holderFile}'`) > 0);
        assert.ok(mountScript.indexOf('> "$holder_file"') < mountScript.indexOf('fstab_set "$id"'), "held before mounting");
        assert.ok(mountScript.indexOf("\nagree_with_holders ") < mountScript.indexOf('> "$holder_file"'), "told before holding");
        const letGo = unmountScript.indexOf('rm -f "$holder_file"');
        const othersStay = unmountScript.indexOf('if [ -n "$(ls -A "$holders" 2>/dev/null)" ]; then');
        assert.ok(letGo > 0 && letGo < othersStay && othersStay < unmountScript.indexOf('drain_unmount "$dir"'));
        assert.ok(
            unmountScript.indexOf('rm -f "$supervised_file"') < unmountScript.indexOf('drain_unmount "$dir"'),
            "off the supervisor's list first",
        );
    });
});
