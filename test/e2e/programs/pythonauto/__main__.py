"""A bucket whose name another resource makes in the same `up` (as Pulumi auto-naming does), mounted
from Python through skymount's provider on the first `up`: a Python dynamic resource makes the bucket
with a random name on the testbed's MinIO (S3 requests signed here with SigV4: the venv has no AWS
SDK) and puts one file in it. Driven by test/e2e/releaseSameUp.test.ts from the release artifacts."""
import datetime
import hashlib
import hmac
import secrets
import urllib.parse
import urllib.request

import pulumi
import pulumi.dynamic
import pulumi_skymount as skymount


def s3_request(props, method, path, body=b""):
    """One path-style S3 request, signed with AWS Signature Version 4."""
    endpoint = props["endpoint"].rstrip("/")
    host = urllib.parse.urlparse(endpoint).netloc
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, date = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload = hashlib.sha256(body).hexdigest()
    signed = "host;x-amz-content-sha256;x-amz-date"
    headers = f"host:{host}\nx-amz-content-sha256:{payload}\nx-amz-date:{amz_date}\n"
    canonical = "\n".join([method, urllib.parse.quote(path), "", headers, signed, payload])
    scope = f"{date}/{props['region']}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + props["secretKey"]).encode()
    for part in (date, props["region"], "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        endpoint + path,
        data=body if method == "PUT" else None,
        method=method,
        headers={
            "x-amz-date": amz_date,
            "x-amz-content-sha256": payload,
            "Authorization": f"AWS4-HMAC-SHA256 Credential={props['accessKey']}/{scope}, SignedHeaders={signed}, Signature={signature}",
        },
    )
    with urllib.request.urlopen(request) as response:
        response.read()


class GeneratedBucketProvider(pulumi.dynamic.ResourceProvider):
    """Makes `<prefix>-<random>` with hello.txt in it; deletes both (it made them)."""

    def create(self, props):
        name = f"{props['prefix']}-{secrets.token_hex(4)}"
        s3_request(props, "PUT", f"/{name}")
        s3_request(props, "PUT", f"/{name}/hello.txt", props["text"].encode())
        return pulumi.dynamic.CreateResult(id_=name, outs={**props, "name": name})

    def delete(self, id, props):
        s3_request(props, "DELETE", f"/{id}/hello.txt")
        s3_request(props, "DELETE", f"/{id}")


class GeneratedBucket(pulumi.dynamic.Resource):
    name: pulumi.Output[str]

    def __init__(self, name, props):
        super().__init__(GeneratedBucketProvider(), name, {**props, "name": None}, pulumi.ResourceOptions(additional_secret_outputs=["secretKey"]))


config = pulumi.Config()
endpoint = config.require("endpoint")
region = config.require("region")
access_key = config.require("accessKey")
secret_key = config.require_secret("secretKey")

made = GeneratedBucket(
    "made",
    {
        "endpoint": endpoint,
        "region": region,
        "accessKey": access_key,
        "secretKey": secret_key,
        "prefix": config.require("prefix"),
        "text": "made in the same up from python\n",
    },
)

volume = skymount.SkyVolume(
    "auto",
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
                bucket=made.name,
                endpoint=endpoint,
                region=region,
                path_style=True,
                credentials=secret_key.apply(lambda key: skymount.StorageCredentialsArgs(access_key=access_key, secret_key=key)),
            ),
        )
    ],
    geesefs=skymount.GeesefsArgs(url=config.require("geesefsUrl"), sha256=config.require("geesefsSha256")),
    apt_source=config.require("aptSource"),
)

pulumi.export("bucketName", made.name)
pulumi.export("mounted", volume.mounted)
