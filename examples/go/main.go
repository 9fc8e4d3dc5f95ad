// The storage of a SkyPilot-shaped task, from Go: a dataset bucket on an S3-compatible store filled from
// ./data and mounted read-only on two hosts, and an output bucket mounted read-write under a run's prefix.
// The same program as examples/python and examples/yaml; the config keys are in README.md.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/skymount/skymount/sdk/go/skymount"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		or := func(key, fallback string) string {
			if v := cfg.Get(key); v != "" {
				return v
			}
			return fallback
		}
		endpoint := cfg.Require("endpoint")
		region := or("region", "us-east-1")
		accessKey := cfg.Require("accessKey")
		secretKey := cfg.RequireSecret("secretKey")
		datasetsBucket := cfg.Require("datasetsBucket")
		outputsBucket := cfg.Require("outputsBucket")

		// The provider process reads local paths: give them absolute.
		source, err := filepath.Abs("data")
		if err != nil {
			return err
		}
		s3Compatible := &skymount.S3CompatibleArgs{
			Endpoint:  pulumi.String(endpoint),
			Region:    pulumi.String(region),
			AccessKey: pulumi.String(accessKey),
			SecretKey: secretKey,
		}
		datasets, err := skymount.NewSkyStorage(ctx, "datasets", &skymount.SkyStorageArgs{
			Name:         pulumi.StringRef(datasetsBucket),
			Source:       pulumi.StringRef(source),
			S3Compatible: s3Compatible,
		})
		if err != nil {
			return err
		}
		outputs, err := skymount.NewSkyStorage(ctx, "outputs", &skymount.SkyStorageArgs{
			Name:         pulumi.StringRef(outputsBucket),
			S3Compatible: s3Compatible,
		})
		if err != nil {
			return err
		}

		privateKey, err := os.ReadFile(cfg.Require("privateKeyPath"))
		if err != nil {
			return err
		}
		port := cfg.GetInt("sshPort")
		if port == 0 {
			port = 22
		}
		var hosts []skymount.SshHostArgs
		for _, name := range []string{"node1", "node2"} {
			host := skymount.SshHostArgs{
				Name:       name,
				Host:       pulumi.String(cfg.Require(name + "Address")),
				Port:       pulumi.Int(port),
				User:       pulumi.String(or("sshUser", "root")),
				PrivateKey: pulumi.ToSecret(pulumi.String(string(privateKey))).(pulumi.StringOutput),
			}
			if hostKey := cfg.Get(name + "HostKey"); hostKey != "" {
				host.HostKey = pulumi.String(hostKey)
			}
			hosts = append(hosts, host)
		}

		var aptSource pulumi.StringPtrInput
		if line := cfg.Get("aptSource"); line != "" {
			aptSource = pulumi.String(line)
		}
		volumes, err := skymount.NewSkyVolume(ctx, "task", &skymount.SkyVolumeArgs{
			Hosts: hosts,
			Volumes: []skymount.VolumeArgs{
				// SkyStorage's `Ref` as it is: the mount waits until the dataset is uploaded (Ref.FilledBy).
				{Mount: pulumi.String(or("dataMount", "/data")), Storage: datasets.Ref},
				{
					Mount:    pulumi.String(or("outputMount", "/output")),
					Storage:  outputs.Ref,
					Prefix:   pulumi.String(or("runName", "run-1")),
					ReadOnly: pulumi.Bool(false),
				},
			},
			Geesefs: skymount.GeesefsArgs{
				Url:    pulumi.String(cfg.Require("geesefsUrl")),
				Sha256: pulumi.String(cfg.Require("geesefsSha256")),
			},
			AptSource: aptSource,
		})
		if err != nil {
			return fmt.Errorf("task volumes: %w", err)
		}

		ctx.Export("datasetSync", datasets.SyncSummaries)
		ctx.Export("mounted", volumes.Mounted)
		return nil
	})
}
