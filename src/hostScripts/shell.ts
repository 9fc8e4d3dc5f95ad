// Quoting for the shell scripts skymount renders. Every value that reaches a script goes through
// `quote`, so bucket names, prefixes and paths stay data whatever characters they hold.

/** Single-quotes a value for POSIX sh: the only character needing care inside '' is ' itself. */
export function quote(value: string | number): string {
    return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/** Text made safe for a one-line shell comment: control characters (a newline would end it) become spaces. */
export function commentText(text: string): string {
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    return text.replace(/[\x00-\x1f\x7f]/g, " ");
}

/** The command that runs a rendered script on a host, as root: directly when logged in as root,
 *  else through passwordless sudo (cloud images log in as "ubuntu" and the like). bash reading the
 *  script from a here-doc would take stdin away from the script, so it travels as one argument. */
export function runScriptCommand(script: string): string {
    return `$([ "$(id -u)" = 0 ] || echo sudo -n) bash -c ${quote(script)}`;
}
