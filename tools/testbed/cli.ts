// `npm run testbed -- up [--hosts N] [--init none|systemd] [--systemd-hosts N] | down | status`, on the
// default testbed; `--name NAME` (or
// SKYMOUNT_TESTBED=NAME) works on another instance with its own prefix, subnet and .testbed-NAME/.
const DEFAULT_HOSTS = 2;

function flagValue(args: string[], flag: string): string | undefined {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
    const [command, ...rest] = argv;
    const name = flagValue(rest, "--name");
    // Read when info.ts loads: set before the testbed's modules are imported.
    if (name !== undefined) process.env.SKYMOUNT_TESTBED = name;
    const { down, status, up } = await import("./testbed");
    switch (command) {
        case "up": {
            const hosts = flagValue(rest, "--hosts");
            const systemdHosts = flagValue(rest, "--systemd-hosts");
            const init = flagValue(rest, "--init") ?? "none";
            if (init !== "none" && init !== "systemd") throw new Error(`--init: ${init}: must be none or systemd`);
            await up({
                hosts: hosts !== undefined ? Number(hosts) : DEFAULT_HOSTS,
                systemdHosts: systemdHosts !== undefined ? Number(systemdHosts) : 0,
                init,
            });
            return 0;
        }
        case "down":
            await down();
            return 0;
        case "status": {
            const result = await status();
            for (const line of result.lines) console.log(line);
            return result.healthy ? 0 : 1;
        }
        default:
            console.error(
                "usage: npm run testbed -- up [--hosts N] [--init none|systemd] [--systemd-hosts N] [--name NAME] | down [--name NAME] | status [--name NAME]",
            );
            return 2;
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
        console.error(err.message);
        process.exit(1);
    },
);
