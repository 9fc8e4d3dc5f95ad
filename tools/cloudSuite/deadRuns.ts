// The stacks of runs that died before their `finally` (a killed CI job, a lost machine): each run
// directory under .cloud-runs/ keeps its program and run.json, and the local backend its state, so
// the sweep destroys them with Pulumi itself, which knows every resource, IAM included.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";

interface RunFile {
    runId: string;
    cloud: string;
    language: string;
    programDir: string;
}

export async function destroyDeadRuns(runsDir: string, log: (line: string) => void): Promise<void> {
    if (!existsSync(runsDir)) return;
    for (const entry of readdirSync(runsDir)) {
        const runFile = path.join(runsDir, entry, "run.json");
        if (!existsSync(runFile)) continue;
        const run = JSON.parse(readFileSync(runFile, "utf8")) as RunFile;
        const envVars = {
            PULUMI_HOME: path.join(runsDir, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(runsDir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: run.runId,
        };
        const workspace = await LocalWorkspace.create({ workDir: run.programDir, envVars });
        const stacks = (await workspace.listStacks()).map((s) => s.name);
        const stackName = `r${run.runId}`;
        if (stacks.includes(stackName)) {
            log(`sweep: destroying ${run.cloud} ${run.language} stack ${stackName}`);
            const stack = await LocalWorkspace.selectStack({ stackName, workDir: run.programDir }, { envVars });
            await stack.destroy({ onOutput: (line) => log(`  ${line.trimEnd()}`) });
            await workspace.removeStack(stackName);
        }
        rmSync(path.join(runsDir, entry), { recursive: true, force: true });
    }
}
