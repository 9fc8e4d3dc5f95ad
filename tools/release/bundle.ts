// The provider plugin as one JavaScript file (esbuild), the script of the standalone executable
// (sea.ts). Everything the provider loads is in it: @pulumi/pulumi, grpc, ssh2 (pure JavaScript: its
// optional native parts are absent), the AWS S3 client, and of the cloud SDKs only the modules
// skymount uses (cloudShims.ts). What is not JavaScript is not in the script but beside it, as assets
// of the executable that readPackageFile (src/internal/packageFile.ts) reads: sdk/schema.json,
// package.json, and every file under src/ that is not TypeScript (host scripts, for one).
import { build, Plugin } from "esbuild";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { SCAN_WORKER_SCRIPT } from "../../src/sync/records/scanRecord";
import { CLOUD_SDKS, cloudShim } from "./cloudShims";

const REPO = path.join(__dirname, "..", "..");

/** `@pulumi/aws` and the other cloud SDKs become their shims; their deep imports resolve as usual. */
const cloudShimsPlugin: Plugin = {
    name: "skymount-cloud-shims",
    setup(esbuild) {
        const filter = new RegExp(`^(${CLOUD_SDKS.map((sdk) => sdk.replace("/", "\\/")).join("|")})$`);
        esbuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: "skymount-cloud-shim" }));
        esbuild.onLoad({ filter: /.*/, namespace: "skymount-cloud-shim" }, (args) => ({
            contents: cloudShim(args.path as (typeof CLOUD_SDKS)[number]),
            resolveDir: REPO,
            loader: "js",
        }));
    },
};

/**
 * TypeScript is what Pulumi's schema inference (ComponentProvider's analyzer) loads; the plugin reads
 * the committed schema instead (src/provider/main.ts), so 9 MB of compiler stay out. The analyzer
 * module still loads with the provider: it gets a stand-in that fails only when used.
 */
const withoutTypeScriptPlugin: Plugin = {
    name: "skymount-without-typescript",
    setup(esbuild) {
        esbuild.onResolve({ filter: /^typescript$/ }, () => ({ path: "typescript", namespace: "skymount-without-typescript" }));
        esbuild.onLoad({ filter: /.*/, namespace: "skymount-without-typescript" }, () => ({
            contents: `module.exports = new Proxy({}, { get(_, name) { if (name === "__esModule" || typeof name !== "string") return undefined; throw new Error("skymount's standalone plugin infers no schema (SKYMOUNT_INFER_SCHEMA=1 needs a checkout): it reads sdk/schema.json"); } });`,
            loader: "js",
        }));
    },
};

/**
 * Compiled addons tie an executable to one platform and cannot load from inside it: ssh2 tries its
 * optional crypto binding and cpu-features in a try/catch and works without them (pure JavaScript),
 * so each addon, and cpu-features, becomes a module that throws as a missing one would.
 */
const withoutAddonsPlugin: Plugin = {
    name: "skymount-without-addons",
    setup(esbuild) {
        esbuild.onResolve({ filter: /(\.node|^cpu-features)$/ }, (args) => ({ path: args.path, namespace: "skymount-without-addons" }));
        esbuild.onLoad({ filter: /.*/, namespace: "skymount-without-addons" }, (args) => ({
            contents: `throw Object.assign(new Error(${JSON.stringify(`${args.path}: no compiled addons in skymount's standalone plugin`)}), { code: "MODULE_NOT_FOUND" });`,
            loader: "js",
        }));
    },
};

/** The files the script reads at run time, by their path in the package (the executable's assets), with the scan's worker. */
export function packageAssets(bundle: ProviderBundle): Record<string, string> {
    const under = (dir: string): string[] =>
        readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
            const rel = `${dir}/${entry.name}`;
            if (entry.isDirectory()) return rel === "src/provider/plugin" ? [] : under(rel);
            return /\.(ts|md)$/.test(entry.name) ? [] : [rel];
        });
    const files = ["package.json", "sdk/schema.json", ...under("src")].sort();
    return { ...Object.fromEntries(files.map((file) => [file, path.join(REPO, file)])), [SCAN_WORKER_SCRIPT]: bundle.scanWorker };
}

export interface ProviderBundle {
    /** The provider: the executable's main script. */
    main: string;
    /** The scan's worker (src/sync/records/scanRecord.ts bundled alone), an asset at SCAN_WORKER_SCRIPT. */
    scanWorker: string;
    /** esbuild's warnings, for the release log. */
    warnings: string[];
}

/** Bundles the provider and the scan's worker into `dir`. */
export async function bundleProvider(dir: string): Promise<ProviderBundle> {
    const bundle = async (entry: string, outfile: string) => {
        const result = await build({
            entryPoints: [path.join(REPO, entry)],
            outfile,
            bundle: true,
            platform: "node",
            format: "cjs",
            target: "node24",
            // Whitespace and syntax only: Pulumi and skymount read classes' names (component types).
            minifyWhitespace: true,
            minifySyntax: true,
            keepNames: true,
            legalComments: "eof",
            tsconfig: path.join(REPO, "tsconfig.json"),
            plugins: [cloudShimsPlugin, withoutTypeScriptPlugin, withoutAddonsPlugin],
            logLevel: "silent",
        });
        return result.warnings.map((w) => `${w.location?.file ?? ""}:${w.location?.line ?? ""}: ${w.text}`);
    };
    const main = path.join(dir, "provider.js");
    const scanWorker = path.join(dir, "scanRecord.js");
    const warnings = [...(await bundle("src/provider/main.ts", main)), ...(await bundle("src/sync/records/scanRecord.ts", scanWorker))];
    return { main, scanWorker, warnings };
}

if (require.main === module) {
    bundleProvider(process.argv[2] ?? path.join(REPO, "release", ".staging")).then(({ main, scanWorker, warnings }) => {
        for (const w of warnings) console.error(`warning: ${w}`);
        console.log(`${main}\n${scanWorker}`);
    });
}
