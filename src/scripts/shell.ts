// Quoting for the shell scripts skymount renders. Every value that reaches a script goes through
// `quote`, so bucket names, prefixes and paths stay data whatever characters they hold.

/** Single-quotes a value for POSIX sh: the only character needing care inside '' is ' itself. */
export function quote(value: string | number): string {
    return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/** A bash script that stops at the first failing command, unset variable or failing pipe stage. */
export function bashScript(description: string, body: string[]): string {
    // The description is a comment: control characters (a newline would end it) are dropped.
    const comment = description.replace(/[\x00-\x1f\x7f]/g, " ");
    return ["#!/usr/bin/env bash", `# skymount: ${comment}`, "set -euo pipefail", ...body, ""].join("\n");
}

/** The command that runs a rendered script on a host: bash reading the script from a here-doc would
 *  take stdin away from the script, so the script travels as one quoted argument instead. */
export function runScriptCommand(script: string): string {
    return `bash -c ${quote(script)}`;
}
