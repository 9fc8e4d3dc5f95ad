// Where a serialized dynamic provider finds skymount's code again when it runs.
//
// Pulumi keeps a dynamic resource's serialized provider in its state, inputs and outputs, and runs it
// in the dynamic provider host (`pulumi-resource-pulumi-nodejs`), which compiles the text with the
// working directory of the program (the project's directory) and a `require` that resolves from there.
// Pulumi's serializer writes a module as a `require` only when its path holds `node_modules`; skymount
// reached through a checkout, a `file:` dependency or a workspace link (require.cache holds real paths,
// outside any node_modules) was serialized by value: the whole CRUD logic, 186 KB per sync. So the
// provider refers to skymount's modules itself, by a specifier that works from the program's directory
// on any machine with the same project layout: the package's name where it resolves from there to the
// same file (installed, `file:`, workspace), else the path relative to that directory (a path import).
import { createRequire } from "node:module";
import * as path from "node:path";
import { PACKAGE_NAME } from "./crudRegistry";

/** skymount's root, a real path: the checkout, or the installed package (…/node_modules/skymount). */
const SKYMOUNT_ROOT = path.join(__dirname, "..", "..");

/** A module of skymount's own, as the program's directory requires it. */
export interface ModuleReference {
    specifier: string;
    /** TypeScript source (a path import of src/): the host needs a loader before it requires it. */
    typescript: boolean;
}

function isSkymountFile(filename: string): boolean {
    const inside = path.relative(SKYMOUNT_ROOT, filename);
    return !inside.startsWith("..") && !path.isAbsolute(inside) && inside.split(path.sep)[0] !== "node_modules";
}

/** The module of skymount's own that exports `value`, and the export's name. */
export function exportOf(value: unknown): { filename: string; name: string } | undefined {
    for (const loaded of Object.values(require.cache)) {
        // Only skymount's own modules: reading another package's exports may load it (lazy getters).
        if (!loaded || !isSkymountFile(loaded.filename)) continue;
        const exports = loaded.exports as Record<string, unknown> | undefined;
        if (exports === null || typeof exports !== "object") continue;
        const name = Object.keys(exports).find((key) => exports[key] === value);
        if (name) return { filename: loaded.filename, name };
    }
    return undefined;
}

/** How a program whose directory is `from` requires skymount's module `filename`. */
export function referenceTo(filename: string, from = process.cwd()): ModuleReference {
    const typescript = /\.[cm]?ts$/.test(filename);
    const byName = `${PACKAGE_NAME}/${path.relative(SKYMOUNT_ROOT, filename).split(path.sep).join("/")}`;
    try {
        // Resolved as from a file of the program's directory: `require.resolve` from here would also
        // find the name by self-reference (this file is in the package), which the host's require cannot.
        if (createRequire(path.join(from, "program.js")).resolve(byName) === filename) return { specifier: byName, typescript };
    } catch {
        // Not resolvable by name from there (package.json exports only dist/): a path import.
    }
    const relative = path.relative(from, filename).split(path.sep).join("/");
    return { specifier: relative.startsWith("../") ? relative : `./${relative}`, typescript };
}
