// Which SSH dial failures retrying can fix. A VM that is still booting refuses connections or lets
// them time out, and retrying until the dial timeout is right; a refused key, a host presenting
// another host key or a key that does not parse stay so, and retrying them only delays the error by
// the whole timeout (300 s). Pure: the rules are tested on ssh2's error shapes without a network.

/** An error as ssh2 and node:net raise them: `level` from ssh2, `code` from the socket. */
export interface DialError {
    message: string;
    level?: string;
    code?: string;
}

export interface DialFailure {
    /** Retrying cannot help: fail now. */
    permanent: boolean;
    /** What went wrong, for the message that names the host. */
    reason: string;
}

export function classifyDialError(err: DialError): DialFailure {
    const message = err.message ?? String(err);
    if (err.level === "client-authentication")
        return { permanent: true, reason: `authentication failed (${message}): the host refused the private key for this user` };
    if (message.includes("Host denied (verification failed)"))
        return { permanent: true, reason: "host key mismatch: the host presented a key other than the given hostKey" };
    if (message.startsWith("Cannot parse privateKey"))
        return { permanent: true, reason: `the private key does not parse (${message.replace(/^Cannot parse privateKey: /, "")})` };
    // Connection refused, timed out, host or network unreachable, a reset, DNS not there yet, a
    // handshake that timed out: what a booting VM or a flapping link looks like.
    return { permanent: false, reason: message };
}
