// The package's own files that skymount reads at run time (sdk/schema.json, package.json, the
// non-TypeScript files under src/ such as host scripts), by their path in the package. In a checkout
// and in the npm package they are files two folders above this module (src/internal/ or
// dist/internal/). Inside the standalone provider plugin (a Node.js single executable application,
// tools/release/sea.ts) there is no package on disk: the release embeds each of these files as an
// asset of the executable under the same path, and they are read from there.
import { readFileSync } from "node:fs";
import * as path from "node:path";

const PACKAGE_ROOT = path.join(__dirname, "..", "..");

type SeaModule = { isSea(): boolean; getAsset(key: string, encoding: string): string };

/** node:sea when this process is the standalone plugin, else undefined (Node.js before 20.12 has no node:sea). */
function singleExecutable(): SeaModule | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sea = require("node:sea") as SeaModule;
        return sea.isSea() ? sea : undefined;
    } catch {
        return undefined;
    }
}

/** True inside the standalone provider plugin. */
export function inSingleExecutable(): boolean {
    return singleExecutable() !== undefined;
}

/** The text of the package's file at `relativePath` (forward slashes: "sdk/schema.json", "src/hostScripts/mount.sh"). */
export function readPackageFile(relativePath: string): string {
    const sea = singleExecutable();
    if (sea) return sea.getAsset(relativePath, "utf8");
    return readFileSync(path.join(PACKAGE_ROOT, ...relativePath.split("/")), "utf8");
}
