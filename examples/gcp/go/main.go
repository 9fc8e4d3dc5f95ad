// Two GCE instances with a service account of their own, from Go. The dataset bucket is filled from
// ../data; the machines reach it read-only and the checkpoint bucket read-write, through bucket IAM bindings
// and an HMAC key of their service account (geesefs speaks GCS's S3-compatible API). The same program as
// ../index.ts (TypeScript), ../python and ../yaml; the config keys are in ../README.md.
package main

import (
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/skymount/skymount/sdk/go/skymount"
)

// withoutKeys is the bucket without the storage's own HMAC keys, so that the machines' service account is
// bound to it instead.
func withoutKeys(ref skymount.StorageRefOutput) skymount.StorageRefOutput {
	return ref.ApplyT(func(r skymount.StorageRef) skymount.StorageRef {
		r.Credentials = nil
		return r
	}).(skymount.StorageRefOutput)
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		// The provider process reads local paths: give them absolute.
		data, err := filepath.Abs("../data")
		if err != nil {
			return err
		}

		// Uniform bucket-level access, public access prevented, kept on `pulumi destroy`.
		datasets, err := skymount.NewSkyStorage(ctx, "datasets", &skymount.SkyStorageArgs{
			Name:   pulumi.StringRef("skymount-" + ctx.Stack() + "-datasets"),
			Source: pulumi.StringRef(data),
			Region: pulumi.String("europe-west4"),
			Gcp:    &skymount.GcpStorageArgs{},
		})
		if err != nil {
			return err
		}
		checkpoints, err := skymount.NewSkyStorage(ctx, "checkpoints", &skymount.SkyStorageArgs{
			Name:   pulumi.StringRef("skymount-" + ctx.Stack() + "-checkpoints"),
			Region: pulumi.String("europe-west4"),
			Gcp:    &skymount.GcpStorageArgs{},
		})
		if err != nil {
			return err
		}

		compute, err := skymount.NewSkyCompute(ctx, "train", &skymount.SkyComputeArgs{
			Provider:      skymount.ComputeProviderGcp,
			Nodes:         pulumi.Int(2),
			Zone:          pulumi.String("europe-west4-a"),
			InstanceType:  pulumi.String("e2-standard-4"),
			SshPublicKey:  pulumi.String(cfg.Require("sshPublicKey")),
			SshPrivateKey: cfg.RequireSecret("sshPrivateKey"),
			Volumes: []skymount.VolumeArgs{
				{Storage: withoutKeys(datasets.Ref), Mount: pulumi.String("/data")},
				{Storage: withoutKeys(checkpoints.Ref), Mount: pulumi.String("/checkpoints"), ReadOnly: pulumi.Bool(false)},
			},
			Setup: pulumi.String("python3 --version"),
			// Detached, logging to /var/log/skymount/run.log.
			Run: pulumi.String("wc -l /data/sample.csv > /checkpoints/rows.txt"),
			Geesefs: &skymount.GeesefsArgs{
				Url:    pulumi.String(cfg.Require("geesefsUrl")),
				Sha256: pulumi.String(cfg.Require("geesefsSha256")),
			},
		})
		if err != nil {
			return err
		}

		ctx.Export("addresses", compute.Addresses)
		ctx.Export("sshUsers", compute.SshUsers)
		ctx.Export("mounted", compute.Mounted)
		return nil
	})
}
