// Pulumi components that create buckets, fill them, and mount them on machines with geesefs: SkyStorage, SkyVolume, SkyCompute.
package skymount
