// How a command reaches a host, kept apart from what a RemoteCommand is (commandProvider.ts: create,
// update and delete scripts, stdin, triggers, output in state). SSH is the one transport today
// (sshTransport.ts); a provider whose machines are not SSH hosts (Kubernetes pods, reached through
// the API server's exec) brings its own, and the command contract stays as it is. Pure types.

/** What one command left behind. Output is bounded: it lands in state. */
export interface ExecResult {
    stdout: string;
    stderr: string;
    exitCode: number;
}

/** The host could not be reached (or refused us) before any command ran: a delete may treat it as gone. */
export class HostUnreachableError extends Error {
    /** Retrying cannot fix it (a refused key, another host key, a key that does not parse). */
    public readonly permanent: boolean;

    constructor(message: string, permanent = false) {
        super(message);
        this.name = "HostUnreachableError";
        this.permanent = permanent;
    }
}

/** Output as it arrives, one chunk of one stream at a time (a chunk may end mid-line). */
export type OutputListener = (stream: "stdout" | "stderr", chunk: string) => void;

export interface HostTransport<Target> {
    /** The target in messages: "user@host:port" for SSH. Never shows a secret. */
    describe(target: Target): string;
    /**
     * Runs `command` with `stdin` (written, then closed) and resolves with its exit code, whatever it
     * is. Rejects with HostUnreachableError when the host cannot be reached within `reachTimeoutSeconds`
     * (the target's own timeout when not given). `onOutput`, if given, sees the output as it arrives.
     */
    exec(target: Target, command: string, stdin?: string, reachTimeoutSeconds?: number, onOutput?: OutputListener): Promise<ExecResult>;
    /** Where a command runs: a change of these values reruns it; a target's other fields (timeouts) do not. */
    placeOf(target: Target): unknown[];
}
