// The supervisor's lookup probe, run for real (bash, curl, a store that answers and one that does
// not) on a mount that exists everywhere (/proc). What a stuck geesefs would do is played by a
// stand-in `stat` that hangs on the probe's fresh names only, and the heal's remount by stand-in
// `mount` and `umount` that record what they were asked (so /proc is never touched).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { quote } from "../../src/hostScripts/shell";
import { renderSupervisor } from "../../src/hostScripts/supervisor";

const work = mkdtempSync(join(tmpdir(), "skymount-lookup-probe-"));
const bin = join(work, "bin");
mkdirSync(bin);
/** Present while the stand-in geesefs is stuck: lookups of fresh names hang. */
const stuck = join(work, "stuck");
const calls = join(work, "calls");
const realStat = spawnSync("bash", ["-c", "command -v stat"], { encoding: "utf8" }).stdout.trim();
writeFileSync(
    join(bin, "stat"),
    `#!/bin/sh\ncase "$*" in *.skymount-lookup-*) echo "stat $*" >> ${quote(calls)}; [ -f ${quote(stuck)} ] && exec sleep 600 ;; esac\nexec ${quote(realStat)} "$@"\n`,
    { mode: 0o755 },
);
for (const command of ["mount", "umount"]) {
    writeFileSync(join(bin, command), `#!/bin/sh\necho "${command} $*" >> ${quote(calls)}\n`, { mode: 0o755 });
}
/** Present while the mount is remounted again and again (an `up`): each look at it finds a new device. */
const remounting = join(work, "remounting");
const realMountpoint = spawnSync("bash", ["-c", "command -v mountpoint"], { encoding: "utf8" }).stdout.trim();
writeFileSync(
    join(bin, "mountpoint"),
    `#!/bin/sh
if [ -f ${quote(remounting)} ]; then echo "0:$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')"; exit 0; fi
exec ${quote(realMountpoint)} "$@"
`,
    { mode: 0o755 },
);
const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };

function waitFor(what: string, probe: () => boolean, ms: number): void {
    const deadline = Date.now() + ms;
    while (!probe()) {
        if (Date.now() > deadline) assert.fail(`${what} after ${ms} ms`);
        spawnSync("sleep", ["0.2"]);
    }
}

/** A supervisor of its own, with short timings, supervising /proc with `endpoint` as its store. */
function supervise(name: string, endpoint: string) {
    const dir = join(work, `supervisor-${name}`);
    const paths = {
        supervisedDir: join(dir, "supervised"),
        logFile: join(dir, "supervisor.log"),
        lockFile: join(dir, "lock"),
        healLock: join(dir, "heal"),
    };
    mkdirSync(paths.supervisedDir, { recursive: true });
    writeFileSync(join(paths.supervisedDir, `lookup-${name}`), `/proc\nendpoint=${endpoint}\n`);
    const program = join(dir, "skymount-supervisor");
    const lookupProbe = { intervalSeconds: 1, lookupSeconds: 2, confirmSeconds: 2, storeSeconds: 2 };
    writeFileSync(program, renderSupervisor({ ...paths, idleChecks: 2, lookupProbe }), { mode: 0o755 });
    const started = spawnSync(program, ["start"], { encoding: "utf8", env });
    assert.equal(started.status, 0, started.stderr);
    const log = () => (existsSync(paths.logFile) ? readFileSync(paths.logFile, "utf8") : "");
    const stop = () => assert.equal(spawnSync(program, ["stop"], { env }).status, 0);
    return { log, stop };
}

const lookups = () => (existsSync(calls) ? (readFileSync(calls, "utf8").match(/^stat /gm)?.length ?? 0) : 0);
const remounts = () => (existsSync(calls) ? (readFileSync(calls, "utf8").match(/^(u?mount) .*\/proc$/gm) ?? []) : []);

describe("supervisor's lookup probe", () => {
    /** A store that answers every request with 403, as S3 does one without keys. */
    let store: ReturnType<typeof spawn>;
    let storeUrl = "";
    before(() => {
        const portFile = join(work, "port");
        store = spawn(process.execPath, [
            "-e",
            `const s = require("http").createServer((q, r) => { r.statusCode = 403; r.end(); });
             s.listen(0, "127.0.0.1", () => require("fs").writeFileSync(${JSON.stringify(portFile)}, String(s.address().port)));`,
        ]);
        waitFor("the store listens", () => existsSync(portFile), 10_000);
        storeUrl = `http://127.0.0.1:${readFileSync(portFile, "utf8")}`;
    });
    after(() => {
        store?.kill();
        rmSync(work, { recursive: true, force: true });
    });

    it("a mount that answers lookups: probed once a second here, nothing logged, nothing healed", () => {
        rmSync(calls, { force: true });
        const supervisor = supervise("healthy", storeUrl);
        try {
            waitFor("three lookups", () => lookups() >= 3, 15_000);
            assert.doesNotMatch(supervisor.log(), /lookup|stuck|heal/);
            assert.deepEqual(remounts(), []);
        } finally {
            supervisor.stop();
        }
    });

    it("lookups that hang while the store answers: logged as stuck, healed (remounted) with the reason", () => {
        rmSync(calls, { force: true });
        writeFileSync(stuck, "");
        const supervisor = supervise("stuck", storeUrl);
        try {
            waitFor("a heal", () => /healed \/proc /.test(supervisor.log()), 30_000);
            const log = supervisor.log();
            assert.match(
                log,
                /\/proc: stuck: lookups under it did not answer in 2 s, then 2 s, while its store http:\/\/127\.0\.0\.1:\d+ answered \(HTTP 403\)/,
            );
            assert.match(
                log,
                /healed \/proc \(lookups under it hang while its store http:\/\/127\.0\.0\.1:\d+ answers\): remounted in \d+ ms/,
            );
            assert.deepEqual(remounts().slice(0, 2), ["umount -l /proc", "mount /proc"]);
            // Lookups killed at their timeout leave no word of the shell's ("Killed") in the log.
            assert.doesNotMatch(log, /Killed/);
            // The 2-second checks went on while the probe hung: the loop never waits for it.
            assert.ok(lookups() >= 2);
        } finally {
            supervisor.stop();
            rmSync(stuck, { force: true });
        }
    });

    it("a mount remounted while its lookups hung (an up): the new mount's geesefs is not healed for the old one's hang", () => {
        rmSync(calls, { force: true });
        writeFileSync(stuck, "");
        writeFileSync(remounting, "");
        const supervisor = supervise("remounted", storeUrl);
        try {
            // Each probe takes 2 s, then 2 s more once the store answered: two of them (the first would have
            // healed it without the look at its device).
            waitFor("four lookups", () => lookups() >= 4, 30_000);
            assert.doesNotMatch(supervisor.log(), /stuck|heal/);
            assert.deepEqual(remounts(), []);
        } finally {
            supervisor.stop();
            rmSync(stuck, { force: true });
            rmSync(remounting, { force: true });
        }
    });

    it("lookups that hang while the store does not answer either (stopped, link cut): logged, never healed", () => {
        rmSync(calls, { force: true });
        writeFileSync(stuck, "");
        // Nothing listens there: refused at once, as a stopped store is.
        const supervisor = supervise("storeDown", "http://127.0.0.1:1");
        try {
            waitFor("two verdicts", () => (supervisor.log().match(/nor did its store/g) ?? []).length >= 2, 30_000);
            assert.match(
                supervisor.log(),
                /\/proc: a lookup under it did not answer in 2 s, nor did its store http:\/\/127\.0\.0\.1:1: left alone/,
            );
            assert.doesNotMatch(supervisor.log(), /stuck|heal/);
            assert.deepEqual(remounts(), []);
        } finally {
            supervisor.stop();
            rmSync(stuck, { force: true });
        }
    });
});
