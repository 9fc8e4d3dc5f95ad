// `npm run test:cloud [-- --clouds aws,gcp] [--languages typescript,python] [--require aws] [--sweep]`
//
// Runs examples/aws, gcp and azure against real accounts, one ephemeral stack per cloud and language,
// each destroyed in a `finally` and its leftovers deleted by tag. A cloud without credentials is
// skipped and said so; a skip is never a pass: the summary counts it apart, and `--require` turns it
// into a failure (for CI jobs that hold the secrets). `--sweep` destroys the stacks of runs that died
// and deletes whatever carries a run tag. docs/CLOUD-TESTING.md says what each account needs.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { Account, accounts, Cloud, CLOUDS, Ready } from "./accounts";
import { Language, leftoversOf, runExample, RUNS_DIR } from "./exampleRun";
import { destroyDeadRuns } from "./deadRuns";
import { removeLeftovers } from "./leftovers";

const LANGUAGES: readonly Language[] = ["typescript", "python"];

function listFlag<T extends string>(flag: string, allowed: readonly T[], fallback: readonly T[]): T[] {
    const i = process.argv.indexOf(flag);
    if (i < 0) return [...fallback];
    const values = (process.argv[i + 1] ?? "").split(",").filter(Boolean);
    for (const value of values)
        if (!allowed.includes(value as T)) throw new Error(`${flag}: ${value}: must be one of ${allowed.join(", ")}`);
    return values as T[];
}

async function main(): Promise<number> {
    const clouds = listFlag<Cloud>("--clouds", CLOUDS, CLOUDS);
    const languages = listFlag<Language>("--languages", LANGUAGES, LANGUAGES);
    const required = listFlag<Cloud>("--require", CLOUDS, []);
    const found: Account[] = accounts(clouds, { env: process.env, home: homedir(), exists: existsSync });
    for (const account of found)
        console.log(account.ready ? `${account.cloud}: credentials from ${account.source}` : `${account.cloud}: skipped: ${account.why}`);
    const ready = found.filter((a): a is Ready => a.ready);

    if (process.argv.includes("--sweep")) {
        await destroyDeadRuns(RUNS_DIR, console.log);
        const remaining = ready.flatMap((account) => removeLeftovers(leftoversOf(account, undefined), console.log));
        console.log(`sweep: ${remaining.length} leftovers remain`);
        return remaining.length === 0 ? 0 : 1;
    }

    const runId = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
    const results: string[] = [];
    let failed = 0;
    for (const account of ready) {
        for (const language of languages) {
            const started = Date.now();
            try {
                await runExample({ account, language, runId, log: (line) => console.log(`  ${line}`) });
                results.push(`passed  ${account.cloud} ${language} (${Math.round((Date.now() - started) / 1000)} s)`);
            } catch (err) {
                failed++;
                results.push(`FAILED  ${account.cloud} ${language}: ${(err as Error).message}`);
            }
        }
    }
    const skipped = found.filter((a) => !a.ready);
    const missingRequired = skipped.filter((a) => required.includes(a.cloud));
    console.log(`\ntest:cloud run ${runId}`);
    for (const line of results) console.log(line);
    for (const account of skipped)
        console.log(`skipped ${account.cloud} (not a pass)${required.includes(account.cloud) ? ": required" : ""}`);
    console.log(`${results.length - failed} passed, ${failed} failed, ${skipped.length} clouds skipped`);
    if (ready.length === 0) console.log("no real cloud account was reached");
    return failed > 0 || missingRequired.length > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (err: Error) => {
        console.error(`test:cloud: ${err.message}`);
        process.exit(2);
    },
);
