"""The storage of a SkyPilot-shaped task, from Python: a dataset bucket on an S3-compatible store filled
from ./data and mounted read-only on two hosts, and an output bucket mounted read-write under a run's
prefix. The same program as examples/go and examples/yaml; the config keys are in README.md."""
import os

import pulumi
import pulumi_skymount as skymount

config = pulumi.Config()
endpoint = config.require("endpoint")
region = config.get("region") or "us-east-1"
access_key = config.require("accessKey")
secret_key = config.require_secret("secretKey")

s3_compatible = skymount.S3CompatibleArgs(endpoint=endpoint, region=region, access_key=access_key, secret_key=secret_key)

datasets = skymount.SkyStorage(
    "datasets",
    name=config.require("datasetsBucket"),
    # The provider process reads local paths: give them absolute.
    source=os.path.abspath("data"),
    s3_compatible=s3_compatible,
)
outputs = skymount.SkyStorage("outputs", name=config.require("outputsBucket"), s3_compatible=s3_compatible)


private_key = pulumi.Output.secret(open(config.require("privateKeyPath")).read())
hosts = [
    skymount.SshHostArgs(
        name=name,
        host=config.require(f"{name}Address"),
        port=config.get_int("sshPort") or 22,
        user=config.get("sshUser") or "root",
        private_key=private_key,
        host_key=config.get(f"{name}HostKey"),
    )
    for name in ("node1", "node2")
]

volumes = skymount.SkyVolume(
    "task",
    hosts=hosts,
    volumes=[
        # SkyStorage's `ref` as it is: the mount waits until the dataset is uploaded (ref.filledBy).
        skymount.VolumeArgs(mount=config.get("dataMount") or "/data", storage=datasets.ref),
        skymount.VolumeArgs(
            mount=config.get("outputMount") or "/output",
            storage=outputs.ref,
            prefix=config.get("runName") or "run-1",
            read_only=False,
        ),
    ],
    geesefs=skymount.GeesefsArgs(url=config.require("geesefsUrl"), sha256=config.require("geesefsSha256")),
    apt_source=config.get("aptSource"),
)

pulumi.export("datasetSync", datasets.sync_summaries)
pulumi.export("mounted", volumes.mounted)
