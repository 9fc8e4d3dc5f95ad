// One definition, two registrations. Each skymount-managed resource (RemoteCommand, BucketSync, …) is
// defined once by its CRUD logic, a `pulumi.dynamic.ResourceProvider`, and registers:
//
// - in a TypeScript program (the default): as the dynamic resource it always was, type
//   `pulumi-nodejs:dynamic/skymount:<Name>`, with its serialized provider in state
//   (dynamicProvider.ts). Nothing to install.
// - inside skymount's own provider process (a component constructed for Python, Go, …): as a custom
//   resource `skymount:index:<Name>` that the engine sends back to this same provider, which runs the
//   CRUD in its own process (ownProvider.ts). A dynamic resource would not work there: its serialized
//   closure runs in a `pulumi-resource-pulumi-nodejs` process started in the consumer's directory,
//   where neither @pulumi/pulumi nor skymount's dependencies are (pulumi/pulumi#5455).
//
// A resource opts in with two lines: import `managedResource`, and extend
// `managedResource("<Name>", <crud>)` instead of `pulumi.dynamic.Resource`. The constructor keeps the
// dynamic resource's signature, so its `super(...)` call does not change.
import * as pulumi from "@pulumi/pulumi";
import { crudOfType, LOG_URN_INPUT, logsOnItself, ManagedCrud, PACKAGE_NAME, registerCrud, typeTokenOf } from "./crudRegistry";
import { dynamicProviderFor } from "./dynamicProvider";

/** Set once, by the provider entry (src/provider/main.ts), before any component is constructed. */
let servedByOwnProvider = false;

/** Make every managed resource constructed from now on a custom resource of skymount's own provider. */
export function serveFromOwnProvider(): void {
    servedByOwnProvider = true;
}

/**
 * The base class of a managed resource: registers `crud` as the logic of `skymount:index:<name>` and
 * returns the class to extend.
 */
export function managedResource(name: string, crud: ManagedCrud, options: { logs?: boolean } = {}): typeof ManagedResource {
    registerCrud(name, crud, options);
    return ManagedResource;
}

/**
 * The URN a dynamic resource will have: known before it registers, so it can be one of its inputs. A
 * Promise, not an Output of the parent's URN: an Output would make the resource depend on its parent
 * component, whose dependencies are its children, this one included.
 */
function dynamicUrnOf(name: string, module: string, type: string, parent: pulumi.Resource | undefined): Promise<string> {
    const urn = pulumi.createUrn(name, `pulumi-nodejs:dynamic/${module}:${type}`, parent);
    return new Promise((resolve) => urn.apply(resolve));
}

export class ManagedResource extends pulumi.CustomResource {
    /** Same arguments as `pulumi.dynamic.Resource`, so a resource moves here without touching its constructor. */
    constructor(
        crud: ManagedCrud,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
        module: string,
        type: string,
    ) {
        if (!servedByOwnProvider) {
            // The dynamic resource itself, built for the subclass (new.target), becomes `this`: a TypeScript
            // program gets the resource and type token it always had; one that logs has one input more.
            const provider = dynamicProviderFor(crud);
            if (!provider) throw new Error(`${module}:${type}: not registered with managedResource("${type}", …)`);
            const withUrn = logsOnItself(crud) ? { ...props, [LOG_URN_INPUT]: dynamicUrnOf(name, module, type, opts?.parent) } : props;
            return Reflect.construct(pulumi.dynamic.Resource, [provider, name, withUrn, opts, module, type], new.target);
        }
        if (module !== PACKAGE_NAME || crudOfType(typeTokenOf(type)) !== crud) {
            throw new Error(`${module}:${type}: not registered with managedResource("${type}", …)`);
        }
        super(typeTokenOf(type), name, props, opts);
    }
}
