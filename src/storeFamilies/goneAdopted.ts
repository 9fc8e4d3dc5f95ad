// What `pulumi refresh` says when a bucket or container the stack adopted (it existed before the
// stack) is gone: skymount created neither, so it does not recreate either on its own. Pure.

export function goneAdoptedMessage(kind: "bucket" | "container", name: string, endpoint: string): string {
    return (
        `${kind} ${name} at ${endpoint} no longer exists. It existed before this stack (adopted), so skymount does not ` +
        `recreate it on its own: create it again (the next up then refills it), or remove it from this stack's state ` +
        `(pulumi state delete <its URN>) so that the next up creates it as the stack's own`
    );
}
