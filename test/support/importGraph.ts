// The import graph of a source tree and the rules it must keep: no cycles, imports only down the layer
// order, no Pulumi values in the pure files, every top-level folder placed in a layer. Imports are read
// from the syntax tree (TypeScript's parser), so commented-out imports and strings that look like one are
// not counted, and `import type` is told apart from an import that loads a module.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

/**
 * The layers under src/, lowest first (docs/ARCHITECTURE.md, "Layers"). A file may import its own
 * top-level folder (subfolders included) and any folder of a strictly lower rank. A file directly under
 * the root is its own "folder", named with its extension (index.ts).
 */
export const LAYERS: readonly (readonly string[])[] = [
    ["model", "internal"],
    ["clients", "resource"],
    ["hostScripts", "remote", "sync"],
    ["storeFamilies"],
    ["computeDrivers", "skyStorage", "skyVolume"],
    ["skyCompute"],
    ["index.ts"],
    ["provider"],
];

/**
 * Ranks inside a folder, lowest first, for the folders whose files form layers of their own. An entry
 * is a file directly in the folder or a subfolder (all of it). A file may import its own entry and
 * entries of a strictly lower rank; every entry of the folder must be placed.
 */
export const INNER_LAYERS: Readonly<Record<string, readonly (readonly string[])[]>> = {
    // The model every part shares (manifest, fingerprint, target, the streamed diff), the worker pools,
    // the data paths per protocol and the tree scan, the records, the transfer engine, the resources.
    sync: [["core"], ["pool"], ["protocols", "scan"], ["records"], ["engine"], ["resources"]],
    // The interface every family implements, each family's own resources (its subfolder), the S3-API
    // parts the S3 families share, the families, the registry on top.
    storeFamilies: [
        ["declared.ts", "goneAdopted.ts"],
        ["family.ts"],
        ["azure", "gcs", "s3", "s3compatible"],
        ["s3Api.ts"],
        ["azure.ts", "gcs.ts", "r2.ts", "s3.ts", "s3compatible.ts"],
        ["registry.ts"],
    ],
    // The driver interface and defaults, the rules the clouds share, each provider's pure half, the
    // table of those, each provider's declaring half, the registry.
    computeDrivers: [
        ["driver.ts", "defaults.ts"],
        ["cloudRules.ts", "machines.ts"],
        ["sshPlan.ts", "awsPlan.ts", "gcpPlan.ts", "azurePlan.ts"],
        ["planners.ts"],
        ["ssh.ts", "aws.ts", "gcp.ts", "azure.ts"],
        ["registry.ts"],
    ],
};

/**
 * Node modules a pure file may not load: they read or write files, start processes or threads, or
 * reach the network or the machine's own settings. Computation (path, crypto, zlib, util) is allowed.
 */
const IMPURE_NODE =
    /^(node:)?(fs|fs\/promises|child_process|worker_threads|os|net|http|https|http2|dgram|dns|tls|readline|cluster|process)$/;

/**
 * The pure files: planned and tested without a Pulumi engine, so they load no `@pulumi/*` module
 * (`import type` is erased at compile time and allowed). Paths are relative to the root.
 */
export const PURE = {
    /** These names in any folder. */
    names: ["spec.ts", "validate.ts", "plan.ts"],
    /** Every file under these top-level folders. */
    folders: ["hostScripts", "model"],
    /** Top-level folders whose pure files load only pure files (an import type aside): their purity holds all the way down. */
    closed: ["sync"],
    /** These files (architecture.test.ts checks that each still exists). */
    files: [
        "sync/core/diff.ts",
        "sync/core/fingerprint.ts",
        "sync/core/recordDiff.ts",
        "sync/pool/adaptiveWidth.ts",
        "sync/pool/pool.ts",
        "sync/pool/progress.ts",
        "sync/pool/transferWidths.ts",
        "remote/outputLog.ts",
        "internal/progressLine.ts",
        "internal/throttleSignal.ts",
        "skyStorage/resolve.ts",
        "skyStorage/bucketCopies.ts",
        "skyVolume/mountedPrefix.ts",
        "internal/uri.ts",
        "internal/limits.ts",
        "sync/core/target.ts",
        "sync/core/storeInterfaces.ts",
        "skyCompute/workdir.ts",
        "computeDrivers/driver.ts",
        "computeDrivers/planners.ts",
        "computeDrivers/defaults.ts",
        "computeDrivers/cloudRules.ts",
        "computeDrivers/sshPlan.ts",
        "computeDrivers/awsPlan.ts",
        "computeDrivers/gcpPlan.ts",
        "computeDrivers/azurePlan.ts",
        "remote/transport.ts",
        "remote/commandProvider.ts",
        "clients/azureBlobXml.ts",
        "internal/issues.ts",
        "internal/zodIssues.ts",
        "remote/commandDiff.ts",
        "remote/connection.ts",
        "remote/hostRules.ts",
        "remote/sshErrors.ts",
        "remote/sshKeys.ts",
        "internal/keyPrefix.ts",
        "internal/notKnown.ts",
        "provider/schema.ts",
        "internal/inputShape.ts",
    ],
};

/** Module specifiers a pure file must not load. */
const PULUMI = /^@pulumi\//;

export interface Import {
    /** The specifier as written: "./plan", "@pulumi/pulumi". */
    specifier: string;
    /** True for `import type`, `export type`, `import { type A }` with only type names, and `typeof import("x")`. */
    typeOnly: boolean;
}

export type Rule = "cycle" | "layer" | "inner" | "pure" | "unplaced" | "unresolved";

export interface Violation {
    rule: Rule;
    /** The importing file (or a cycle's first file), shown as `<root's name>/<path>`: src/hostScripts/mount.ts. */
    file: string;
    message: string;
}

/** Every import of one file's text, in source order. */
export function importsOf(fileName: string, text: string): Import[] {
    const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const imports: Import[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            imports.push({ specifier: node.moduleSpecifier.text, typeOnly: importClauseIsTypeOnly(node.importClause) });
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
            const typeOnly = node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
            imports.push({ specifier: node.moduleSpecifier.text, typeOnly });
        } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
            const expression = node.moduleReference.expression;
            if (ts.isStringLiteral(expression)) imports.push({ specifier: expression.text, typeOnly: node.isTypeOnly });
        } else if (ts.isImportTypeNode(node)) {
            const argument = node.argument;
            if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) {
                imports.push({ specifier: argument.literal.text, typeOnly: true });
            }
        } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
            const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
            const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
            if (isDynamicImport || isRequire) imports.push({ specifier: node.arguments[0].text, typeOnly: false });
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return imports;
}

function importClauseIsTypeOnly(clause: ts.ImportClause | undefined): boolean {
    if (!clause) return false; // import "x": loaded for its side effects
    if (clause.isTypeOnly) return true;
    // import { type A, type B } from "x" is erased like import type; a default or namespace import is not.
    const bindings = clause.namedBindings;
    return (
        !clause.name &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((e) => e.isTypeOnly)
    );
}

/** Every .ts file under root, as paths relative to it with "/" separators, sorted. */
function sourceFiles(root: string, dir = ""): string[] {
    const files: string[] = [];
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const relative = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) files.push(...sourceFiles(root, relative));
        else if (entry.isFile() && entry.name.endsWith(".ts")) files.push(relative);
    }
    return files.sort();
}

/** A relative specifier's target among the files (x.ts, x/index.ts, x.js written for x.ts); undefined if none. */
function resolve(files: ReadonlySet<string>, from: string, specifier: string): string | undefined {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    const stem = base.replace(/\.js$/, "");
    return [base, `${stem}.ts`, `${stem}.d.ts`, `${base}/index.ts`].find((candidate) => files.has(candidate));
}

/** The top-level folder of a file ("skyStorage" for skyStorage/plan.ts); a file at the root is its own (index.ts). */
function folderOf(file: string): string {
    return file.split("/")[0];
}

function isPure(file: string): boolean {
    return PURE.names.includes(path.posix.basename(file)) || PURE.folders.includes(folderOf(file)) || PURE.files.includes(file);
}

/** Checks the tree under root against the rules; returns every violation, sorted by file (empty: the tree is clean). */
export function checkImportGraph(
    root: string,
    layers: readonly (readonly string[])[] = LAYERS,
    innerLayers: Readonly<Record<string, readonly (readonly string[])[]>> = INNER_LAYERS,
): Violation[] {
    const shown = (file: string): string => `${path.basename(root)}/${file}`;
    const rank = new Map<string, number>();
    layers.forEach((folders, r) => folders.forEach((folder) => rank.set(folder, r)));

    const files = sourceFiles(root);
    const known = new Set(files);
    const edges = new Map<string, Set<string>>(files.map((file) => [file, new Set<string>()]));
    const violations: Violation[] = [];
    const unplaced = new Set<string>();

    for (const file of files) {
        const folder = folderOf(file);
        const from = rank.get(folder);
        if (from === undefined && !unplaced.has(folder)) {
            unplaced.add(folder);
            violations.push({
                rule: "unplaced",
                file: shown(file),
                message: `${shown(file)}: ${folder} is in no layer; place it in the layer table (test/support/importGraph.ts and docs/ARCHITECTURE.md)`,
            });
        }
        for (const { specifier, typeOnly } of importsOf(file, readFileSync(path.join(root, file), "utf8"))) {
            if (PULUMI.test(specifier) && !typeOnly && isPure(file)) {
                violations.push({
                    rule: "pure",
                    file: shown(file),
                    message: `${shown(file)} imports ${specifier}: a pure file loads no @pulumi/* module (\`import type\` is allowed)`,
                });
            }
            if (IMPURE_NODE.test(specifier) && !typeOnly && isPure(file)) {
                violations.push({
                    rule: "pure",
                    file: shown(file),
                    message: `${shown(file)} imports ${specifier}: a pure file does no I/O, starts no process or thread (name the file as what it does and keep it at the edge)`,
                });
            }
            if (!specifier.startsWith(".")) continue;
            const target = resolve(known, file, specifier);
            if (target === undefined) {
                // Outside the root (package.json from provider/) is not part of the layering; inside, it is a mistake.
                if (!path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).startsWith("../")) {
                    violations.push({
                        rule: "unresolved",
                        file: shown(file),
                        message: `${shown(file)} imports ${specifier}: no such .ts file or folder with index.ts under ${path.basename(root)}/`,
                    });
                }
                continue;
            }
            edges.get(file)!.add(target);
            if (!typeOnly && isPure(file) && !isPure(target) && PURE.closed.includes(folderOf(file))) {
                violations.push({
                    rule: "pure",
                    file: shown(file),
                    message: `${shown(file)} imports ${shown(target)}: a pure file loads only pure files (\`import type\` is allowed); make the target pure or list it in PURE`,
                });
            }
            const targetFolder = folderOf(target);
            const inner = innerViolation(file, target, shown, innerLayers);
            if (inner) violations.push(inner);
            const to = rank.get(targetFolder);
            if (targetFolder === folder || from === undefined || to === undefined || to < from) continue;
            const why = to === from ? "same rank, another folder" : "a higher rank";
            violations.push({
                rule: "layer",
                file: shown(file),
                message: `${shown(file)} imports ${shown(target)}: ${folder} (rank ${from}) must not import ${targetFolder} (rank ${to}): ${why}`,
            });
        }
    }

    for (const component of stronglyConnected(files, edges)) {
        const cyclic = component.length > 1 || edges.get(component[0])!.has(component[0]);
        if (!cyclic) continue;
        const cycle = shortestCycle(component[0], new Set(component), edges);
        const others =
            component.length > cycle.length - 1 ? ` (${component.length} files import each other: ${component.map(shown).join(", ")})` : "";
        violations.push({
            rule: "cycle",
            file: shown(component[0]),
            message: `cycle: ${cycle.map(shown).join(" → ")}${others}`,
        });
    }
    return violations.sort((a, b) => a.file.localeCompare(b.file) || a.message.localeCompare(b.message));
}

/** The entry of a file inside its top-level folder: its subfolder, or the file itself. */
function entryOf(file: string): string {
    return file.split("/")[1];
}

/** An import inside a folder with inner layers that goes sideways, upward, or from or to an unplaced entry. */
function innerViolation(
    file: string,
    target: string,
    shown: (file: string) => string,
    innerLayers: Readonly<Record<string, readonly (readonly string[])[]>>,
): Violation | undefined {
    const folder = folderOf(file);
    const layers = innerLayers[folder];
    if (!layers || folderOf(target) !== folder || entryOf(file) === entryOf(target)) return undefined;
    const rankOf = (entry: string) => layers.findIndex((entries) => entries.includes(entry));
    const [from, to] = [rankOf(entryOf(file)), rankOf(entryOf(target))];
    const unplaced = from < 0 ? entryOf(file) : to < 0 ? entryOf(target) : undefined;
    if (unplaced !== undefined)
        return {
            rule: "inner",
            file: shown(file),
            message: `${shown(file)} imports ${shown(target)}: ${folder}/${unplaced} is in none of ${folder}'s inner layers (test/support/importGraph.ts)`,
        };
    if (to < from) return undefined;
    const why = to === from ? "same rank, another entry" : "a higher rank";
    return {
        rule: "inner",
        file: shown(file),
        message: `${shown(file)} imports ${shown(target)}: inside ${folder}, ${entryOf(file)} (rank ${from}) must not import ${entryOf(target)} (rank ${to}): ${why}`,
    };
}

/** Tarjan's strongly connected components; each component's files sorted. */
function stronglyConnected(files: string[], edges: Map<string, Set<string>>): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const components: string[][] = [];
    const connect = (file: string): void => {
        index.set(file, index.size);
        low.set(file, index.get(file)!);
        stack.push(file);
        onStack.add(file);
        for (const next of edges.get(file)!) {
            if (!index.has(next)) {
                connect(next);
                low.set(file, Math.min(low.get(file)!, low.get(next)!));
            } else if (onStack.has(next)) {
                low.set(file, Math.min(low.get(file)!, index.get(next)!));
            }
        }
        if (low.get(file) === index.get(file)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop()!;
                onStack.delete(member);
                component.push(member);
            } while (member !== file);
            components.push(component.sort());
        }
    };
    for (const file of files) if (!index.has(file)) connect(file);
    return components;
}

/** The shortest path start → … → start inside the component (breadth first), both ends included. */
function shortestCycle(start: string, component: Set<string>, edges: Map<string, Set<string>>): string[] {
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const file = queue.shift()!;
        for (const next of [...edges.get(file)!].sort()) {
            if (!component.has(next)) continue;
            if (next === start) {
                const path = [file];
                while (path[0] !== start) path.unshift(previous.get(path[0])!);
                return [...path, start];
            }
            if (!previous.has(next)) {
                previous.set(next, file);
                queue.push(next);
            }
        }
    }
    return [start, start];
}
