"""An S3 bucket and an AWS SkyCompute: skymount's plugin builds them with the @pulumi/aws it carries."""
import pulumi
import pulumi_skymount as skymount

config = pulumi.Config()
skymount.SkyStorage("data", name=config.require("bucket"), store=skymount.Store.S3, region="us-east-1")
skymount.SkyCompute(
    "train",
    provider=skymount.ComputeProvider.AWS,
    region="us-east-1",
    ssh_public_key=config.require("sshPublicKey"),
    ssh_private_key=config.require_secret("sshPrivateKey"),
)
