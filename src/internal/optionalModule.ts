// The cloud SDKs are optional peer dependencies of skymount (package.json peerDependenciesMeta): a
// program installs only the one it uses, and the engine then wants only that one's provider plugin.
// They are loaded on first use, and a missing one fails with what to install instead of Node's
// "Cannot find module".

/** The optional peer dependencies and the versions skymount supports (package.json's peerDependencies). */
export const OPTIONAL_PEERS = {
    "@pulumi/aws": "^7.48.0",
    "@pulumi/azure-native": "^3.28.0",
    "@pulumi/gcp": "^9.37.0",
} as const;

export type OptionalPeer = keyof typeof OPTIONAL_PEERS;

/** True when `err` is Node's failure to find exactly `name` (not a module `name` itself failed to find). */
function isMissing(err: unknown, name: string): boolean {
    const { code, message } = (err ?? {}) as { code?: string; message?: string };
    return code === "MODULE_NOT_FOUND" && typeof message === "string" && message.startsWith(`Cannot find module '${name}'`);
}

/**
 * Loads the optional peer `name` for the argument that needs it, `field` (`store: "s3"`, `provider: "gcp"`):
 * when it is not installed, throws `<field>: needs <name>, which is not installed: npm install <name>@<range>`.
 * `load` is `require` in production; tests pass their own.
 */
export function loadOptional<T>(name: OptionalPeer, field: string, load: (name: string) => unknown = require): T {
    try {
        return load(name) as T;
    } catch (err) {
        if (!isMissing(err, name)) throw err;
        throw new Error(`${field}: needs ${name}, which is not installed: npm install ${name}@"${OPTIONAL_PEERS[name]}"`, { cause: err });
    }
}
