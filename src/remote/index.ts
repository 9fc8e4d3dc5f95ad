export { connectionOf, RemoteCommand, RemoteCommandArgs, SshConnectionInput } from "./remoteCommand";
export { SshConnection } from "./connection";
export { CommandLogging } from "./outputLog";
