// Two EC2 instances (IMDSv2 required) whose instance role reaches exactly their volumes, from Go: the
// dataset bucket, filled from ../data, read-only under its prefix, the checkpoint bucket read-write. No keys
// are written on the machines: geesefs takes the role through the AWS SDK's chain. The same program as
// ../index.ts (TypeScript), ../python and ../yaml; the config keys are in ../README.md.
package main

import (
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/skymount/skymount/sdk/go/skymount"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		region := config.New(ctx, "aws").Require("region")
		sshCidr := cfg.Get("sshCidr")
		if sshCidr == "" {
			sshCidr = "0.0.0.0/0"
		}
		setup := cfg.Get("setup")
		if setup == "" {
			setup = "sudo apt-get install -y python3-numpy"
		}
		// The provider process reads local paths: give them absolute.
		data, err := filepath.Abs("../data")
		if err != nil {
			return err
		}
		app, err := filepath.Abs("../app")
		if err != nil {
			return err
		}

		// Private, encrypted, kept on `pulumi destroy`; ../data is uploaded under "iris/".
		datasets, err := skymount.NewSkyStorage(ctx, "datasets", &skymount.SkyStorageArgs{
			Name:   pulumi.StringRef("skymount-" + ctx.Stack() + "-datasets"),
			Source: pulumi.StringRef(data),
			Prefix: pulumi.String("iris"),
			Region: pulumi.String(region),
		})
		if err != nil {
			return err
		}
		checkpoints, err := skymount.NewSkyStorage(ctx, "checkpoints", &skymount.SkyStorageArgs{
			Name:   pulumi.StringRef("skymount-" + ctx.Stack() + "-checkpoints"),
			Region: pulumi.String(region),
		})
		if err != nil {
			return err
		}

		compute, err := skymount.NewSkyCompute(ctx, "train", &skymount.SkyComputeArgs{
			Provider:      skymount.ComputeProviderAws,
			Nodes:         pulumi.Int(2),
			InstanceType:  pulumi.String("t3.large"),
			Region:        pulumi.String(region),
			SshPublicKey:  pulumi.String(cfg.Require("sshPublicKey")),
			SshPrivateKey: cfg.RequireSecret("sshPrivateKey"),
			Aws:           &skymount.AwsComputeArgs{SshCidr: pulumi.String(sshCidr)},
			Volumes: []skymount.VolumeArgs{
				{Storage: datasets.ReadOnlyRef, Mount: pulumi.String("/data"), Prefix: pulumi.String("iris")},
				{Storage: checkpoints.Ref, Mount: pulumi.String("/checkpoints"), ReadOnly: pulumi.Bool(false)},
			},
			Workdir: pulumi.StringPtr(app),
			Setup:   pulumi.String(setup),
			Run:     pulumi.String("python3 train.py"),
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
