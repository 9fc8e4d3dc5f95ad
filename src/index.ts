// skymount: SkyPilot Storage and Skyward Volumes as Pulumi components.
export { SkyVolume, SkyVolumeArgs, VolumeArgs, GeesefsArgs } from "./volume/skyVolume";
export { VolumeHostArgs } from "./model/host";
export { StorageRef, StorageCredentials } from "./model/storageRef";
export { RemoteCommand, RemoteCommandArgs, SshConnectionInput } from "./remote";
export { SkyStorage, SkyStorageArgs, S3CompatibleArgs, AwsStorageArgs, GcpStorageArgs, AzureStorageArgs } from "./storage/skyStorage";
export { Storage, StorageOptions } from "./storage/client";
export { SkyCompute, SkyComputeArgs, SshComputeArgs, AwsComputeArgs, GcpComputeArgs, AzureComputeArgs } from "./compute/skyCompute";
