// The stack configuration of examples/python, examples/go and examples/yaml (the same SkyPilot-shaped
// task) on the testbed's first two hosts, shared by the tests that run them from the checkout
// (languages.test.ts) and from the release artifacts (release.test.ts); and of the Python test programs
// that mount one volume on one host (crossLanguage.test.ts, releaseSameUp.test.ts). And what a Python
// example needs to run from a copy of its directory (languages.test.ts, exampleAws.test.ts).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import * as path from "node:path";
import type { TestbedHost, TestbedInfo } from "./testbed";

const repoRoot = path.join(__dirname, "..", "..", "..");

/**
 * The environment a copy of a Python example at `workDir` runs in: the toolchain's venv first on PATH
 * and the checkout's generated SDK, installed with pip from a copy (the checkout stays clean) into
 * `workDir`/.site-packages. skymount's provider must still be put on PATH.
 */
export function pythonExampleEnv(workDir: string): Record<string, string> {
    const venv = process.env.SKYMOUNT_PYTHON_VENV;
    assert.ok(venv, "SKYMOUNT_PYTHON_VENV is not set: run through tools/with-toolchain.sh after tools/setup.sh");
    const source = path.join(workDir, ".sdk-python");
    const site = path.join(workDir, ".site-packages");
    cpSync(path.join(repoRoot, "sdk", "python"), source, { recursive: true });
    execFileSync(
        path.join(venv, "bin", "pip"),
        ["install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--target", site, source],
        { stdio: "inherit" },
    );
    // The v3.68 Python host runs the python3 it finds first on PATH.
    return { PATH: path.join(venv, "bin"), PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: "1" };
}

type StackConfig = Record<string, { value: string; secret?: boolean }>;

export interface ExampleNames {
    datasets: string;
    outputs: string;
    mountRoot: string;
}

export function exampleConfig(testbed: TestbedInfo, names: ExampleNames): StackConfig {
    const [node1, node2] = testbed.hosts;
    return {
        endpoint: { value: testbed.s3.endpoint },
        region: { value: testbed.s3.region },
        accessKey: { value: testbed.s3.accessKey },
        secretKey: { value: testbed.s3.secretKey, secret: true },
        datasetsBucket: { value: names.datasets },
        outputsBucket: { value: names.outputs },
        privateKeyPath: { value: node1.privateKeyPath },
        sshUser: { value: node1.user },
        sshPort: { value: String(node1.port) },
        node1Address: { value: node1.address },
        node1HostKey: { value: node1.hostPublicKey },
        node2Address: { value: node2.address },
        node2HostKey: { value: node2.hostPublicKey },
        dataMount: { value: `${names.mountRoot}/data` },
        outputMount: { value: `${names.mountRoot}/output` },
        runName: { value: "run-1" },
        geesefsUrl: { value: testbed.mirror.geesefs.url },
        geesefsSha256: { value: testbed.mirror.geesefs.sha256 },
        aptSource: { value: testbed.mirror.aptSource },
    };
}

/** The store, `host` and geesefs of test/e2e/programs/python and pythonauto: one volume at `mount` on one host. */
export function oneHostConfig(testbed: TestbedInfo, host: TestbedHost, mount: string): StackConfig {
    return {
        endpoint: { value: testbed.s3.endpoint },
        region: { value: testbed.s3.region },
        accessKey: { value: testbed.s3.accessKey },
        secretKey: { value: testbed.s3.secretKey, secret: true },
        host: { value: host.address },
        port: { value: String(host.port) },
        user: { value: host.user },
        privateKeyPath: { value: host.privateKeyPath },
        hostKey: { value: host.hostPublicKey },
        mount: { value: mount },
        geesefsUrl: { value: testbed.mirror.geesefs.url },
        geesefsSha256: { value: testbed.mirror.geesefs.sha256 },
        aptSource: { value: testbed.mirror.aptSource },
    };
}

/** Pids and buckets of the geesefs processes serving this host (the testbed's hosts share one pid namespace). */
export const GEESEFS_PIDS = `me=$(readlink /proc/self/ns/mnt); for p in $(pgrep -x geesefs); do [ "$(readlink /proc/$p/ns/mnt 2>/dev/null)" = "$me" ] && echo "$p $(tr '\\0' ' ' < /proc/$p/cmdline | cut -d' ' -f2)"; done | sort`;
