// skymount: SkyPilot Storage and Skyward Volumes as Pulumi components.
export { SkyVolume, SkyVolumeArgs, VolumeArgs, VolumeHostArgs, GeesefsArgs } from "./volume/skyVolume";
export { StorageRef, StorageCredentials } from "./storage/ref";
export { RemoteCommand, RemoteCommandArgs, SshConnectionInput } from "./remote";
