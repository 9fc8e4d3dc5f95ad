// An S3 bucket and an AWS SkyCompute: skymount's plugin builds them with the @pulumi/aws it carries.
// The test runs it with examples/go's go.mod and go.sum (the same imports).
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/skymount/skymount/sdk/go/skymount"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		if _, err := skymount.NewSkyStorage(ctx, "data", &skymount.SkyStorageArgs{
			Name:   pulumi.StringRef(cfg.Require("bucket")),
			Store:  skymount.StoreS3,
			Region: pulumi.String("us-east-1"),
		}); err != nil {
			return err
		}
		_, err := skymount.NewSkyCompute(ctx, "train", &skymount.SkyComputeArgs{
			Provider:      skymount.ComputeProviderAws,
			Region:        pulumi.String("us-east-1"),
			SshPublicKey:  pulumi.String(cfg.Require("sshPublicKey")),
			SshPrivateKey: cfg.RequireSecret("sshPrivateKey"),
		})
		return err
	})
}
