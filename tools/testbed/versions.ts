// Reads tools/versions.env, the one file that pins the toolchain.
import { readFileSync } from "node:fs";
import * as path from "node:path";

export function readPinnedVersions(file = path.join(__dirname, "..", "versions.env")): Record<string, string> {
    const versions: Record<string, string> = {};
    for (const line of readFileSync(file, "utf8").split("\n")) {
        const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
        if (match) versions[match[1]] = match[2];
    }
    return versions;
}
