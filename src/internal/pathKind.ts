// What a local path is, read from the disk where `pulumi up` runs. The one I/O the validators need,
// kept here at the edge: the components pass it in, unit tests pass a table.
import { statSync } from "node:fs";

export type PathKind = "directory" | "file" | "missing";

export function pathKind(p: string): PathKind {
    try {
        return statSync(p).isDirectory() ? "directory" : "file";
    } catch {
        return "missing";
    }
}
