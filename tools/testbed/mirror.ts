// The release mirror: what a test host would download from the internet (geesefs's release, Debian's
// packages), served over plain HTTP on the bridge address.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { TestbedInfo } from "./info";
import { binDir, cacheDir, GATEWAY } from "./network";
import { requireTool } from "./processes";

export const MIRROR_PORT = 8088;

function sha256File(file: string): string {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
}

export function prepareMirror(dir: string, geesefsVersion: string): TestbedInfo["mirror"] {
    const baseUrl = `http://${GATEWAY}:${MIRROR_PORT}`;
    const releaseDir = path.join(dir, "geesefs", `v${geesefsVersion}`);
    mkdirSync(releaseDir, { recursive: true });
    const binary = path.join(releaseDir, "geesefs-linux-amd64");
    copyFileSync(requireTool(path.join(binDir, "geesefs"), "run `npm run setup`"), binary);
    const sha256 = sha256File(binary);
    writeFileSync(`${binary}.sha256`, `${sha256}  geesefs-linux-amd64\n`);
    const aptDir = path.join(dir, "apt");
    mkdirSync(aptDir, { recursive: true });
    const aptCache = requireTool(path.join(cacheDir, "apt-mirror"), "run `npm run setup`");
    for (const file of readdirSync(aptCache)) copyFileSync(path.join(aptCache, file), path.join(aptDir, file));
    return {
        baseUrl,
        geesefs: { version: geesefsVersion, url: `${baseUrl}/geesefs/v${geesefsVersion}/geesefs-linux-amd64`, sha256 },
        aptSource: `deb [trusted=yes] ${baseUrl}/apt ./`,
    };
}
