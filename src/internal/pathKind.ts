// What a local path is, read from the disk where `pulumi up` runs, and what a missing one is said as.
// The I/O the validators need, kept here at the edge: the components pass the reader in, unit tests a table.
import { statSync } from "node:fs";
import * as path from "node:path";

export type PathKind = "directory" | "file" | "missing";

export function pathKind(p: string): PathKind {
    try {
        return statSync(p).isDirectory() ? "directory" : "file";
    } catch {
        return "missing";
    }
}

/**
 * A missing local path's rule. A relative path is resolved against the working directory, which is
 * the Pulumi program's directory (a TypeScript program's, and skymount's provider, which the engine
 * starts in the program's directory); the message names it, so a path meant for elsewhere is plain.
 */
export function missingPathRule(p: string): string {
    return path.isAbsolute(p) ? "local path does not exist" : `local path does not exist (resolved against ${process.cwd()})`;
}
