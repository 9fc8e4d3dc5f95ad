"""A bucket on the testbed's MinIO filled from a local directory, mounted read-only on one host:
skymount used from Python through the generated SDK (sdk/python), driven by
test/e2e/crossLanguage.test.ts. Every component is constructed by skymount's own provider."""
import pulumi
import pulumi_skymount as skymount

config = pulumi.Config()
bucket = config.require("bucket")
endpoint = config.require("endpoint")
region = config.require("region")
access_key = config.require("accessKey")
secret_key = config.require_secret("secretKey")

storage = skymount.SkyStorage(
    "data",
    name=bucket,
    # A relative local path is resolved against this program's directory, where the engine starts
    # skymount's provider.
    source=config.require("source"),
    persistent=False,
    s3_compatible=skymount.S3CompatibleArgs(endpoint=endpoint, region=region, access_key=access_key, secret_key=secret_key),
)

# SkyVolume needs the bucket and endpoint at preview, so the ref is built from the same known values
# (SkyStorage's `ref` output is only known once the storage is constructed); depends_on orders the
# mount after the bucket is filled.
volume = skymount.SkyVolume(
    "vol",
    hosts=[
        skymount.SshHostArgs(
            name="h1",
            host=config.require("host"),
            port=config.require_int("port"),
            user=config.require("user"),
            private_key=pulumi.Output.secret(open(config.require("privateKeyPath")).read()),
            host_key=config.require("hostKey"),
        )
    ],
    volumes=[
        skymount.VolumeArgs(
            mount=config.require("mount"),
            storage=skymount.StorageRefArgs(
                bucket=bucket,
                endpoint=endpoint,
                region=region,
                path_style=True,
                # The schema's credentials fields are plain strings, so the secret goes in as a whole Output.
                credentials=secret_key.apply(lambda key: skymount.StorageCredentialsArgs(access_key=access_key, secret_key=key)),
            ),
        )
    ],
    geesefs=skymount.GeesefsArgs(url=config.require("geesefsUrl"), sha256=config.require("geesefsSha256")),
    apt_source=config.require("aptSource"),
    opts=pulumi.ResourceOptions(depends_on=[storage]),
)

pulumi.export("bucket", storage.bucket)
pulumi.export("syncSummaries", storage.sync_summaries)
pulumi.export("mounted", volume.mounted)
