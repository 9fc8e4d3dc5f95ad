// How skymount reaches a host over SSH. Plain data: no Pulumi types, so the dynamic provider that
// runs commands can receive it as resolved inputs.

/** An SSH connection to a host. The whole object is stored as a secret. */
export interface SshConnection {
    /** The host's address or DNS name. */
    host: string;
    /** The SSH port. Defaults to 22. */
    port?: number;
    /** The login user. Defaults to "root". */
    user?: string;
    /** The private key (OpenSSH or PEM text), never a path: it must reach the provider process. */
    privateKey: string;
    /**
     * The host's public key ("ssh-ed25519 AAAA…"). When set, a host presenting another key is refused.
     * Optional. Defaults to accepting any host key, as cloud VMs' keys are unknown before first boot.
     */
    hostKey?: string;
    /**
     * How long to keep retrying to connect (a VM may still be booting). Defaults to the environment's
     * SKYMOUNT_DIAL_TIMEOUT_SECONDS, else 300 seconds.
     */
    dialTimeoutSeconds?: number;
}

export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_SSH_USER = "root";
export const DEFAULT_DIAL_TIMEOUT_SECONDS = 300;
/** The environment variable that sets the dial timeout of every connection that sets none (a
 *  deployer that would rather fail fast, or wait longer, than 300 s; the long-outage test). */
export const DIAL_TIMEOUT_VARIABLE = "SKYMOUNT_DIAL_TIMEOUT_SECONDS";

/** Where a command over this connection runs: host, port, user, key and the host key it expects. */
export function sshPlaceOf(connection: SshConnection): unknown[] {
    return [
        connection.host,
        connection.port ?? DEFAULT_SSH_PORT,
        connection.user ?? DEFAULT_SSH_USER,
        connection.privateKey,
        connection.hostKey ?? null,
    ];
}
