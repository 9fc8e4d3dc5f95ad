// The cloud SDKs are optional peer dependencies of skymount (package.json peerDependenciesMeta): a
// program installs only the one it uses, and the engine then wants only that one's provider plugin.
// They are loaded on first use, and a missing one fails with what to install instead of Node's
// "Cannot find module". The provider plugin, for every other language, carries them all.

/** The optional peer dependencies and the versions skymount supports (package.json's peerDependencies). */
export const OPTIONAL_PEERS = {
    "@pulumi/aws": "^7.48.0",
    "@pulumi/azure-native": "^3.28.0",
    "@pulumi/gcp": "^9.37.0",
} as const;

export type OptionalPeer = keyof typeof OPTIONAL_PEERS;

/**
 * Each peer required by its literal name, never through a variable: so a bundler finds it. The
 * released plugin is bundled (tools/release/bundle.ts) and its `require` knows only Node's built-ins.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const REQUIRE_PEER: Record<OptionalPeer, () => unknown> = {
    "@pulumi/aws": () => require("@pulumi/aws"),
    "@pulumi/azure-native": () => require("@pulumi/azure-native"),
    "@pulumi/gcp": () => require("@pulumi/gcp"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** True when `err` is Node's failure to find exactly `name` (not a module `name` itself failed to find). */
function isMissing(err: unknown, name: string): boolean {
    const { code, message } = (err ?? {}) as { code?: string; message?: string };
    return code === "MODULE_NOT_FOUND" && typeof message === "string" && message.startsWith(`Cannot find module '${name}'`);
}

/**
 * Set by the provider plugin's entry (src/provider/main.ts): its user writes Python, Go or YAML and has
 * no npm project to install a peer into. The released plugin carries every cloud SDK (it is bundled
 * with them, tools/release/bundle.ts), so only a plugin run from an npm package can miss one.
 */
let inPluginProcess = false;

export function markPluginProcess(): void {
    inPluginProcess = true;
}

/** What the user can do about a missing `name`: in a TypeScript program, install it; in the plugin, use the released plugin. */
function remedyFor(name: OptionalPeer): string {
    if (inPluginProcess)
        return "which this copy of skymount's provider plugin does not carry: install the released plugin (pulumi plugin install resource skymount), which carries every cloud SDK";
    return `which is not installed: npm install ${name}@"${OPTIONAL_PEERS[name]}"`;
}

/**
 * Loads the optional peer `name` for the argument that needs it, `field` (`store: "s3"`, `provider: "gcp"`):
 * when it is not installed, throws `<field>: needs <name>, which is not installed: npm install <name>@<range>`
 * (in the provider plugin, where npm means nothing to the user, what to install instead).
 * `load` is Node's `require` of the name in production; tests pass their own.
 */
export function loadOptional<T>(
    name: OptionalPeer,
    field: string,
    load: (name: OptionalPeer) => unknown = (peer) => REQUIRE_PEER[peer](),
): T {
    try {
        return load(name) as T;
    } catch (err) {
        if (!isMissing(err, name)) throw err;
        throw new Error(`${field}: needs ${name}, ${remedyFor(name)}`, { cause: err });
    }
}
