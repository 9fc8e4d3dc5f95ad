"""Two Azure VMs, from Python. The dataset container is filled from ../data; the VMs mount it read-only and
the checkpoint container read-write. Each container gets a storage account of its own, so the account key
geesefs mounts with reaches that container and nothing else; the VMs' managed identity holds Storage Blob
Data Reader / Contributor on the same containers for the code running on them. The same program as
../index.ts (TypeScript), ../go and ../yaml; the config keys are in ../README.md."""
import os

import pulumi
import pulumi_skymount as skymount

config = pulumi.Config()
location = "westeurope"

# HTTPS and TLS 1.2 only, no public blob access, kept on `pulumi destroy`.
# The provider process reads local paths: give them absolute.
datasets = skymount.SkyStorage(
    "datasets", name="datasets", source=os.path.abspath("../data"), region=location, azure=skymount.AzureStorageArgs()
)
checkpoints = skymount.SkyStorage("checkpoints", name="checkpoints", region=location, azure=skymount.AzureStorageArgs())

compute = skymount.SkyCompute(
    "train",
    provider=skymount.ComputeProvider.AZURE,
    nodes=2,
    region=location,
    instance_type="Standard_D4s_v5",
    ssh_public_key=config.require("sshPublicKey"),
    ssh_private_key=config.require_secret("sshPrivateKey"),
    azure=skymount.AzureComputeArgs(ssh_cidr=config.get("sshCidr") or "0.0.0.0/0"),
    volumes=[
        # read_only_ref: the mount is read-only (an account key cannot be narrowed; the mount can).
        skymount.VolumeArgs(storage=datasets.read_only_ref, mount="/data"),
        skymount.VolumeArgs(storage=checkpoints.ref, mount="/checkpoints", read_only=False),
    ],
    setup="python3 --version",
    # Detached, logging to /var/log/skymount/run.log.
    run="wc -l /data/sample.csv > /checkpoints/rows.txt",
    geesefs=skymount.GeesefsArgs(url=config.require("geesefsUrl"), sha256=config.require("geesefsSha256")),
)

pulumi.export("addresses", compute.addresses)
pulumi.export("sshUsers", compute.ssh_users)
pulumi.export("mounted", compute.mounted)
