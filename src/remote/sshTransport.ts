// The SSH transport: a RemoteCommand's target is an SshConnection, reached with ssh2 (sshExec.ts:
// dial retries while a VM boots, host-key check, bounded output).
import { SshConnection, sshPlaceOf } from "./connection";
import { describeTarget, execOverSsh } from "./sshExec";
import { HostTransport } from "./transport";

export const sshTransport: HostTransport<SshConnection> = {
    describe: describeTarget,
    exec: execOverSsh,
    placeOf: sshPlaceOf,
};
