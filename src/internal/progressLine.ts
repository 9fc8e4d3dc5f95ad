// How a host script marks a line of its output as progress ("skymount-progress: copied 1,200/5,000
// files"): RemoteCommand shows such lines on its resource as they arrive (remote/outputLog.ts), and
// the scripts that run long (tools/install.ts, hostScripts/copyVolume.ts) print them. Here because both
// sides need it and neither may import the other. Pure.

export const PROGRESS_LINE_PREFIX = "skymount-progress: ";
