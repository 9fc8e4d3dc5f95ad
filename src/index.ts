// skymount: SkyPilot Storage and Skyward Volumes as Pulumi components.
export { SkyVolume, SkyVolumeArgs, Volume, Geesefs } from "./skyVolume/skyVolume";
export { SshHost } from "./model/host";
export { StorageRef, StorageCredentials } from "./model/storageRef";
export { VolumeMode, ShareWith, Store, ComputeProvider, S3CompatiblePreset } from "./model/enums";
export { RemoteCommand, RemoteCommandArgs, SshConnectionInput } from "./remote";
export { SkyStorage, SkyStorageArgs, S3Compatible, AwsStorage, GcpStorage, AzureStorage } from "./skyStorage/skyStorage";
export { Storage, StorageOptions } from "./skyStorage/client";
export { SkyCompute, SkyComputeArgs, SshCompute, AwsCompute, GcpCompute, AzureCompute } from "./skyCompute/skyCompute";
