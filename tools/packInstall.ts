// Installs skymount into a Pulumi program as `npm install skymount` would: the `npm pack` tarball
// (the published file set, with dist/ compiled by the prepack script) unpacked into the program's
// node_modules/skymount. Its dependencies resolve from the repository's node_modules, as a hoisted
// install's would. Used by the installed-package end-to-end test and the sync benchmark.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const REPO = path.join(__dirname, "..");

export function installPackedSkymount(programDir: string): void {
    const packDir = mkdtempSync(path.join(tmpdir(), "skymount-pack-"));
    try {
        const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: REPO, encoding: "utf8" })
            .trim()
            .split("\n")
            .pop()!;
        const target = path.join(programDir, "node_modules", "skymount");
        rmSync(target, { recursive: true, force: true });
        mkdirSync(target, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(packDir, tarball), "-C", target, "--strip-components=1"]);
    } finally {
        rmSync(packDir, { recursive: true, force: true });
    }
}

/** Compiles src/ into dist/ (what `npm pack` ships), with the host scripts' shell files beside the code. */
export function buildSkymount(): void {
    execFileSync("npm", ["run", "--silent", "build"], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
}
