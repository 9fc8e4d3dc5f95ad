// AzureBlobContainer: a container in a storage account given by name and key (no Azure Resource
// Manager access: SkyStorage's `azure.accountKey`), created and deleted through the Blob API, with
// S3CompatibleBucket's rules: a container that already exists and answers to the key is adopted
// and never deleted; with `persistent` (the default) destroy leaves the container and its blobs;
// without it, destroy deletes a container this stack created, blobs included.
import * as pulumi from "@pulumi/pulumi";
import { managedResource } from "../../resource/managedResource";
import { BlobClient } from "../../clients/azureBlobClient";
import type { CredentialValues } from "../../model/storageRef";
import { goneAdoptedMessage } from "../goneAdopted";

interface ContainerState {
    /** The blob service endpoint, without a trailing slash. */
    endpoint: string;
    /** accessKey: the storage account name; secretKey: an account key. */
    credentials: CredentialValues;
    container: string;
    persistent: boolean;
}

interface ContainerOutputs extends ContainerState {
    /** True when the container existed before this stack: it is then never deleted. */
    adopted: boolean;
}

function clientFor(state: ContainerState): BlobClient {
    return new BlobClient({ endpoint: state.endpoint, account: state.credentials.accessKey, key: state.credentials.secretKey });
}

export const containerProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: ContainerOutputs, news: ContainerState): Promise<pulumi.dynamic.DiffResult> {
        const replaces = ["container", "endpoint"].filter((k) => olds[k as keyof ContainerState] !== news[k as keyof ContainerState]);
        if (olds.credentials.accessKey !== news.credentials.accessKey) replaces.push("credentials");
        const changes =
            replaces.length > 0 || olds.persistent !== news.persistent || olds.credentials.secretKey !== news.credentials.secretKey;
        return { changes, replaces };
    },

    async create(inputs: ContainerState): Promise<pulumi.dynamic.CreateResult> {
        const client = clientFor(inputs);
        try {
            const adopted = await client.containerExists(inputs.container);
            if (!adopted) await client.createContainer(inputs.container);
            return { id: `${inputs.credentials.accessKey}/${inputs.container}`, outs: { ...inputs, adopted } };
        } catch (err) {
            throw new Error(`container ${inputs.container} at ${inputs.endpoint}: ${(err as Error).message}`, { cause: err });
        } finally {
            client.destroy();
        }
    },

    /**
     * `pulumi refresh`, as S3CompatibleBucket's: a container this stack created that is gone is
     * reported gone, and the next up recreates and refills it; an adopted one fails, naming it.
     */
    async read(id: string, props: ContainerOutputs): Promise<pulumi.dynamic.ReadResult> {
        const client = clientFor(props);
        try {
            if (await client.containerExists(props.container)) return { id, props };
        } catch (err) {
            throw new Error(`container ${props.container} at ${props.endpoint}: ${(err as Error).message}`, { cause: err });
        } finally {
            client.destroy();
        }
        if (props.adopted) throw new Error(goneAdoptedMessage("container", props.container, props.endpoint));
        return {};
    },

    async update(_id: string, olds: ContainerOutputs, news: ContainerState): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: { ...news, adopted: olds.adopted } };
    },

    async delete(_id: string, props: ContainerOutputs): Promise<void> {
        if (props.persistent || props.adopted) return;
        const client = clientFor(props);
        try {
            // Deleting a container deletes its blobs: Azure has no "only when empty".
            await client.deleteContainer(props.container);
        } finally {
            client.destroy();
        }
    },
};

export interface AzureBlobContainerArgs {
    /** The blob service endpoint, without a trailing slash: https://<account>.blob.core.windows.net. */
    endpoint: string;
    /** accessKey: the storage account name; secretKey: an account key. Kept secret. */
    credentials: pulumi.Input<CredentialValues>;
    /** The container's name: 3-63 lowercase letters, digits and single hyphens. */
    container: string;
    /** Keep the container and its blobs on destroy. */
    persistent: boolean;
}

export class AzureBlobContainer extends managedResource("AzureBlobContainer", containerProvider) {
    /** Whether the container existed before this stack (then it is never deleted). */
    public readonly adopted!: pulumi.Output<boolean>;
    public readonly container!: pulumi.Output<string>;

    constructor(name: string, args: AzureBlobContainerArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            containerProvider,
            name,
            { ...args, credentials: pulumi.secret(args.credentials), adopted: undefined },
            { ...opts, additionalSecretOutputs: ["credentials"] },
            "skymount",
            "AzureBlobContainer",
        );
    }
}
