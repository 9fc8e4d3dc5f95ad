// The cloud SDKs as the standalone plugin bundles them (bundle.ts). `@pulumi/aws`'s index, like
// @pulumi/gcp's and @pulumi/azure-native's, reaches every namespace and every resource module (its
// lazy loading is a runtime matter: a bundler follows each `require`), so bundling the package whole
// would carry 300 MB of SDKs for a few dozen classes. Instead the bundle maps `@pulumi/<cloud>` to a
// shim written here: for each namespace member skymount uses, a getter that requires the one module
// defining it (`@pulumi/aws/s3/bucket`). The members are found where skymount loads the SDKs, in
// src/storeFamilies/ and src/computeDrivers/ (`aws.s3.Bucket`, `az.storage.SkuName.Standard`), and
// looked up in each namespace's index.js; a member the search missed fails loudly, naming itself.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import * as path from "node:path";
import { OPTIONAL_PEERS, OptionalPeer } from "../../src/internal/optionalModule";

const REPO = path.join(__dirname, "..", "..");
/** Where skymount loads cloud SDKs (loadOptional): the only places their namespaces are used. */
const USER_DIRS = ["src/storeFamilies", "src/computeDrivers"];

export const CLOUD_SDKS = Object.keys(OPTIONAL_PEERS) as OptionalPeer[];

function sourcesUnder(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourcesUnder(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/**
 * The module of `sdk` (a path under the package, without .js) that exports `member` of namespace `ns`:
 * a lazily loaded resource or function (`utilities.lazyLoad(exports, ["Bucket"], () => require("./bucket"))`)
 * or an enum re-exported whole (`__exportStar(require("../types/enums/storage"), exports)`).
 */
function definingModule(sdkDir: string, ns: string, member: string): string | undefined {
    const index = readFileSync(path.join(sdkDir, ns, "index.js"), "utf8");
    for (const match of index.matchAll(/lazyLoad\(exports, \[([^\]]*)\], \(\) => require\("\.\/([^"]+)"\)\)/g)) {
        if (match[1].split(",").some((name) => name.trim() === JSON.stringify(member))) return path.posix.join(ns, match[2]);
    }
    for (const match of index.matchAll(/__exportStar\(require\("([^"]+)"\), exports\)/g)) {
        const module = path.posix.join(ns, match[1]);
        const file = [`${module}.js`, `${module}/index.js`].map((f) => path.join(sdkDir, f)).find(existsSync);
        if (file && new RegExp(`exports\\.${member} = `).test(readFileSync(file, "utf8"))) return module;
    }
    return undefined;
}

/** Every `<namespace>.<Member>` of `sdk` that skymount's sources use, each with the module that defines it. */
export function usedMembers(sdk: OptionalPeer, repo = REPO): Map<string, Map<string, string>> {
    const sdkDir = path.join(repo, "node_modules", sdk);
    const byNamespace = new Map<string, Map<string, string>>();
    // Every file, not only those that import the SDK's types: a module may use an SDK another one loaded.
    for (const file of USER_DIRS.flatMap((dir) => sourcesUnder(path.join(repo, dir)))) {
        // `x.ns.Member`, also across lines: ns a namespace of this SDK, Member one of its exports
        // (anything else is not this SDK; a member of another SDK's same-named namespace costs a module).
        const uses = readFileSync(file, "utf8").matchAll(/\b[A-Za-z_]\w*\s*\.\s*([a-z][A-Za-z0-9]*)\s*\.\s*([A-Za-z_]\w*)/g);
        for (const [, ns, member] of uses) {
            if (!existsSync(path.join(sdkDir, ns, "index.js"))) continue;
            const module = definingModule(sdkDir, ns, member);
            if (!module) continue;
            if (!byNamespace.has(ns)) byNamespace.set(ns, new Map());
            byNamespace.get(ns)!.set(member, `${sdk}/${module}`);
        }
    }
    return byNamespace;
}

/** The shim's source (CommonJS): one object per namespace, one getter per member. */
export function cloudShim(sdk: OptionalPeer, repo = REPO): string {
    const lines = [
        `"use strict";`,
        `// ${sdk} as skymount's standalone plugin carries it: written by tools/release/cloudShims.ts.`,
        `const missing = (ns) => ({ get: (target, member) => member in target || typeof member !== "string" ? target[member] :`,
        `    (() => { throw new Error(\`skymount's plugin does not carry ${sdk}'s \${ns}.\${member}: tools/release/cloudShims.ts found no use of it\`); })() });`,
    ];
    for (const [ns, members] of [...usedMembers(sdk, repo)].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const getters = [...members]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([member, module]) => `    get ${member}() { return require(${JSON.stringify(module)}).${member}; },`);
        lines.push(`exports.${ns} = new Proxy({`, ...getters, `}, missing(${JSON.stringify(ns)}));`);
    }
    return `${lines.join("\n")}\n`;
}

if (require.main === module) for (const sdk of CLOUD_SDKS) console.log(cloudShim(sdk));
