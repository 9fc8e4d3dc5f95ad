"""Two GCE instances with a service account of their own, from Python. The dataset bucket is filled from
../data; the machines reach it read-only and the checkpoint bucket read-write, through bucket IAM bindings
and an HMAC key of their service account (geesefs speaks GCS's S3-compatible API). The same program as
../index.ts (TypeScript), ../go and ../yaml; the config keys are in ../README.md."""
import os

import pulumi
import pulumi_skymount as skymount

config = pulumi.Config()
stack = pulumi.get_stack()


def without_keys(ref: pulumi.Output) -> skymount.StorageRefArgs:
    """The bucket without the storage's own HMAC keys, so that the machines' service account is bound to it.
    Field by field: each lifted field is known at preview on its own, where an apply over the whole ref
    would wait for the keys (a new HMAC key is known only once created)."""
    return skymount.StorageRefArgs(
        bucket=ref.bucket,
        endpoint=ref.endpoint,
        store=ref.store,
        region=ref.region,
        path_style=ref.path_style,
        read_only=ref.read_only,
        filled_by=ref.filled_by,
    )


# Uniform bucket-level access, public access prevented, kept on `pulumi destroy`.
# The provider process reads local paths: give them absolute.
datasets = skymount.SkyStorage(
    "datasets",
    name=f"skymount-{stack}-datasets",
    source=os.path.abspath("../data"),
    region="europe-west4",
    gcp=skymount.GcpStorageArgs(),
)
checkpoints = skymount.SkyStorage(
    "checkpoints", name=f"skymount-{stack}-checkpoints", region="europe-west4", gcp=skymount.GcpStorageArgs()
)

compute = skymount.SkyCompute(
    "train",
    provider=skymount.ComputeProvider.GCP,
    nodes=2,
    zone="europe-west4-a",
    instance_type="e2-standard-4",
    ssh_public_key=config.require("sshPublicKey"),
    ssh_private_key=config.require_secret("sshPrivateKey"),
    volumes=[
        skymount.VolumeArgs(storage=without_keys(datasets.ref), mount="/data"),
        skymount.VolumeArgs(storage=without_keys(checkpoints.ref), mount="/checkpoints", read_only=False),
    ],
    setup="python3 --version",
    # Detached, logging to /var/log/skymount/run.log.
    run="wc -l /data/sample.csv > /checkpoints/rows.txt",
    geesefs=skymount.GeesefsArgs(url=config.require("geesefsUrl"), sha256=config.require("geesefsSha256")),
)

pulumi.export("addresses", compute.addresses)
pulumi.export("sshUsers", compute.ssh_users)
pulumi.export("mounted", compute.mounted)
