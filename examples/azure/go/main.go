// Two Azure VMs, from Go. The dataset container is filled from ../data; the VMs mount it read-only and the
// checkpoint container read-write. Each container gets a storage account of its own, so the account key
// geesefs mounts with reaches that container and nothing else; the VMs' managed identity holds Storage Blob
// Data Reader / Contributor on the same containers for the code running on them. The same program as
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
		location := "westeurope"
		sshCidr := cfg.Get("sshCidr")
		if sshCidr == "" {
			sshCidr = "0.0.0.0/0"
		}
		// The provider process reads local paths: give them absolute.
		data, err := filepath.Abs("../data")
		if err != nil {
			return err
		}

		// HTTPS and TLS 1.2 only, no public blob access, kept on `pulumi destroy`.
		datasets, err := skymount.NewSkyStorage(ctx, "datasets", &skymount.SkyStorageArgs{
			Name:   pulumi.StringRef("datasets"),
			Source: pulumi.StringRef(data),
			Region: pulumi.String(location),
			Azure:  &skymount.AzureStorageArgs{},
		})
		if err != nil {
			return err
		}
		checkpoints, err := skymount.NewSkyStorage(ctx, "checkpoints", &skymount.SkyStorageArgs{
			Name:   pulumi.StringRef("checkpoints"),
			Region: pulumi.String(location),
			Azure:  &skymount.AzureStorageArgs{},
		})
		if err != nil {
			return err
		}

		compute, err := skymount.NewSkyCompute(ctx, "train", &skymount.SkyComputeArgs{
			Provider:      skymount.ComputeProviderAzure,
			Nodes:         pulumi.Int(2),
			Region:        pulumi.String(location),
			InstanceType:  pulumi.String("Standard_D4s_v5"),
			SshPublicKey:  pulumi.String(cfg.Require("sshPublicKey")),
			SshPrivateKey: cfg.RequireSecret("sshPrivateKey"),
			Azure:         &skymount.AzureComputeArgs{SshCidr: pulumi.String(sshCidr)},
			Volumes: []skymount.VolumeArgs{
				// ReadOnlyRef: the mount is read-only (an account key cannot be narrowed; the mount can).
				{Storage: datasets.ReadOnlyRef, Mount: pulumi.String("/data")},
				{Storage: checkpoints.Ref, Mount: pulumi.String("/checkpoints"), ReadOnly: pulumi.Bool(false)},
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
