// `npm run soak -- --minutes N [--seed S] [--gap MIN,MAX] [--report FILE] [--reuse]`: the chaos soak
// on a testbed of its own (SKYMOUNT_TESTBED, "soak" unless set), started fresh with 2 plain hosts and 1
// systemd host (--reuse: the one that is up). Volumes go on h1 and s1. Faults run for N minutes (and
// until each kind has come once), then
// the soak quiesces and counts; it prints the report, writes it as JSON (soak-report.json unless
// --report) and exits non-zero on a lost file, a write never answered, a wrong read of a stored file
// or a volume not serving at the end. The testbed is taken down after a pass and kept for a look after
// a failure.
import { writeFileSync } from "node:fs";

function flag(args: string[], name: string): string | undefined {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
}

function wholeNumber(name: string, value: string, min: number): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}: ${value}: must be a whole number >= ${min}`);
    return n;
}

async function main(args: string[]): Promise<number> {
    const minutesArg = flag(args, "--minutes");
    if (minutesArg === undefined)
        throw new Error("usage: npm run soak -- --minutes N [--seed S] [--gap MIN,MAX] [--report FILE] [--reuse]");
    const minutes = Number(minutesArg);
    if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error(`--minutes: ${minutesArg}: must be a number of minutes from 0 to 1440`);
    const seed = wholeNumber("--seed", flag(args, "--seed") ?? String(Date.now() % 1_000_000), 0);
    const gap = (flag(args, "--gap") ?? "10,40").split(",").map((s) => wholeNumber("--gap", s, 1));
    if (gap.length !== 2 || gap[0] > gap[1]) throw new Error(`--gap: ${flag(args, "--gap")}: must be MIN,MAX seconds with MIN <= MAX`);
    const reportFile = flag(args, "--report") ?? "soak-report.json";
    const reuse = args.includes("--reuse");

    // The testbed's modules read SKYMOUNT_TESTBED when they load.
    process.env.SKYMOUNT_TESTBED ??= "soak";
    const { loadTestbedInfo, instance } = await import("../testbed/info");
    const { down, up } = await import("../testbed/testbed");
    const { runSoak } = await import("./soak");
    const { reportLines } = await import("./report");

    const testbed = reuse ? loadTestbedInfo() : await up({ hosts: 2, systemdHosts: 1 });
    const hosts = [testbed.hosts[0], testbed.systemdHosts[0]];
    if (!hosts[0] || !hosts[1])
        throw new Error(`testbed ${instance.name}: the soak needs a plain host and a systemd host (up --hosts 1 --systemd-hosts 1)`);
    console.log(
        `soak: seed ${seed}, ${minutes} min of faults every ${gap[0]}-${gap[1]} s, on testbed "${instance.name}" (${hosts.map((h) => h.name).join(", ")})`,
    );
    const report = await runSoak({ testbed, hosts, seed, minutes, gapSeconds: [gap[0], gap[1]] });
    writeFileSync(reportFile, JSON.stringify(report, null, 2) + "\n");
    for (const line of reportLines(report)) console.log(line);
    console.log(`soak: report in ${reportFile}`);
    if (!reuse && report.passed) await down();
    else if (!report.passed)
        console.log(
            `soak: testbed "${instance.name}" kept for a look; \`SKYMOUNT_TESTBED=${instance.name} npm run testbed -- down\` removes it`,
        );
    return report.passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
        console.error(err.message);
        process.exit(1);
    },
);
