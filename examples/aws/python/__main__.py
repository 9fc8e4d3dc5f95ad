"""Two EC2 instances (IMDSv2 required) whose instance role reaches exactly their volumes, from Python: the
dataset bucket, filled from ../data, read-only under its prefix, the checkpoint bucket read-write. No keys
are written on the machines: geesefs takes the role through the AWS SDK's chain. The same program as
../index.ts (TypeScript), ../go and ../yaml; the config keys are in ../README.md."""
import os

import pulumi
import pulumi_skymount as skymount

config = pulumi.Config()
region = pulumi.Config("aws").require("region")
stack = pulumi.get_stack()

# Private, encrypted, kept on `pulumi destroy`; ../data is uploaded under "iris/".
# The provider process reads local paths: give them absolute.
datasets = skymount.SkyStorage(
    "datasets",
    name=f"skymount-{stack}-datasets",
    source=os.path.abspath("../data"),
    prefix="iris",
    region=region,
)
checkpoints = skymount.SkyStorage("checkpoints", name=f"skymount-{stack}-checkpoints", region=region)

compute = skymount.SkyCompute(
    "train",
    provider=skymount.ComputeProvider.AWS,
    nodes=2,
    instance_type="t3.large",
    region=region,
    ssh_public_key=config.require("sshPublicKey"),
    ssh_private_key=config.require_secret("sshPrivateKey"),
    aws=skymount.AwsComputeArgs(ssh_cidr=config.get("sshCidr") or "0.0.0.0/0"),
    volumes=[
        skymount.VolumeArgs(storage=datasets.read_only_ref, mount="/data", prefix="iris"),
        skymount.VolumeArgs(storage=checkpoints.ref, mount="/checkpoints", read_only=False),
    ],
    workdir=os.path.abspath("../app"),
    setup=config.get("setup") or "sudo apt-get install -y python3-numpy",
    run="python3 train.py",
    geesefs=skymount.GeesefsArgs(url=config.require("geesefsUrl"), sha256=config.require("geesefsSha256")),
)

pulumi.export("addresses", compute.addresses)
pulumi.export("sshUsers", compute.ssh_users)
pulumi.export("mounted", compute.mounted)
