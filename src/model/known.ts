// The plain view of an args type: what validation and planning read once every Input is settled. Derived
// from the args interfaces, so a field is declared once (with its doc comment and its schema tags) and
// the plain view follows it: every Input unwrapped, at any depth, and a closed set's value widened to a
// string, because another language's program may send any string and validation says which it must be.
import type * as pulumi from "@pulumi/pulumi";

/** `T` with an Output or a Promise of it unwrapped: `Input<T>` → `T`. */
type Settled<T> = T extends pulumi.OutputInstance<infer U> ? U : T extends Promise<infer U> ? U : T;

/** One settled value: strings (closed sets included) as string, lists and objects known all through. */
type KnownValue<T> = T extends string
    ? string
    : T extends number
      ? number
      : T extends boolean
        ? boolean
        : T extends readonly (infer Item)[]
          ? KnownValue<Settled<Item>>[]
          : T extends object
            ? Known<T>
            : T;

/** The args type `T` as validation reads it: each field settled (optional ones stay optional). */
export type Known<T> = { [K in keyof T]: KnownValue<Settled<T[K]>> };
