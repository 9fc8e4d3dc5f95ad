// The writer and reader agents on each writer host (writer.py, reader.py): installed fresh, started
// (again, after a reboot killed them) whenever the driver checks, stopped at the end by their stop
// files, and their logs fetched for the audit.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { quote } from "../../src/hostScripts/shell";
import type { TestbedHost } from "../testbed/info";
import { AGENT_DIR, READER_LOG, SOAK_VOLUMES, writerLog } from "./layout";
import { mustOnHost, onHost } from "./remote";

interface Agent {
    /** Its pid file's and its log's base name under AGENT_DIR. */
    log: string;
    /** Its command line, run in AGENT_DIR. */
    command: string;
}

function agentsOf(host: TestbedHost, seed: number): Agent[] {
    return [
        ...SOAK_VOLUMES.map((v) => ({ log: writerLog(v), command: `writer.py ${v.dir} ${writerLog(v)} ${host.name} ${seed}` })),
        { log: READER_LOG, command: `reader.py ${SOAK_VOLUMES.map((v) => v.dir).join(",")} ${READER_LOG} ${host.name} ${seed}` },
    ];
}

/** A shell test that the agent whose pid file is $1 runs (its pid's command line names its log $2). */
const ALIVE = `alive() { p=$(cat "$1" 2>/dev/null) && [ -n "$p" ] && tr '\\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$2"; }`;

/** Starts an agent ($3…) and writes its pid to $2. On a systemd host, as a transient service ($1) of its
 *  own, like a job a user starts: started from an SSH session it would stay in ssh.service, whose
 *  KillMode=process leaves it running at shutdown, holding the volume busy until the final kill. */
const START = [
    "start() {",
    "  unit=$1 pidfile=$2; shift 2",
    "  if [ -d /run/systemd/system ]; then",
    `    systemctl reset-failed "$unit" 2> /dev/null; systemd-run --quiet --collect --unit="$unit" --working-directory=${AGENT_DIR} -p StandardError=append:${AGENT_DIR}/agents.err /usr/bin/python3 "$@" && systemctl show -p MainPID --value "$unit" > "$pidfile"`,
    "  else",
    `    setsid /usr/bin/python3 "$@" < /dev/null >> ${AGENT_DIR}/agents.err 2>&1 & echo $! > "$pidfile"`,
    "  fi",
    "}",
].join("\n");

/** Removes what an earlier soak left on the host and puts the agents' scripts there. */
export async function installAgents(host: TestbedHost): Promise<void> {
    // Agents an interrupted soak left running go first.
    const leftovers = [
        ALIVE,
        `for f in ${AGENT_DIR}/*.pid; do alive "$f" ${AGENT_DIR}/ && kill -9 "$(cat "$f")"; done`,
        "[ ! -d /run/systemd/system ] || systemctl stop 'skymount-soak-*'",
        "true",
    ];
    await mustOnHost(host, [...leftovers, `rm -rf ${AGENT_DIR} && mkdir -p -m 0700 ${AGENT_DIR}`].join("\n"));
    for (const script of ["writer.py", "reader.py"]) {
        await mustOnHost(host, `cat > ${AGENT_DIR}/${script}`, { stdin: readFileSync(path.join(__dirname, script), "utf8") });
    }
}

/** Starts every agent of the host that does not run (none once stopped); returns how many it started,
 *  or undefined when the host did not answer. */
export async function ensureAgents(host: TestbedHost, seed: number): Promise<number | undefined> {
    const lines = agentsOf(host, seed).map(
        (a, i) =>
            `[ -e ${a.log}.stop ] || alive ${a.log}.pid ${quote(a.log)} || { start skymount-soak-${i} ${a.log}.pid ${a.command}; n=$((n + 1)); }`,
    );
    const result = await onHost(host, [`cd ${AGENT_DIR}`, ALIVE, START, "n=0", ...lines, "echo $n"].join("\n"));
    return result.ok ? Number(result.stdout.trim()) : undefined;
}

/** Asks every agent to stop after its current file and waits for them; returns the logs of those still
 *  running at the deadline (a write that never returned). */
export async function stopAgents(host: TestbedHost, seed: number, timeoutSeconds: number): Promise<string[]> {
    const agents = agentsOf(host, seed);
    const script = [
        `cd ${AGENT_DIR}`,
        ALIVE,
        ...agents.map((a) => `touch ${a.log}.stop`),
        `for _ in $(seq ${timeoutSeconds * 4}); do`,
        `  ${agents.map((a) => `! alive ${a.log}.pid ${quote(a.log)}`).join(" && ")} && break`,
        "  sleep 0.25",
        "done",
        ...agents.map((a) => `alive ${a.log}.pid ${quote(a.log)} && echo ${a.log}`),
        "true",
    ].join("\n");
    const out = await mustOnHost(host, script, { timeoutMs: (timeoutSeconds + 30) * 1000 });
    return out.split("\n").filter(Boolean);
}

/** The contents of an agent's log on the host. */
export function fetchLog(host: TestbedHost, log: string): Promise<string> {
    return mustOnHost(host, `cat ${log} 2>/dev/null || true`, { timeoutMs: 120_000 });
}

/** What the agents wrote to stderr (a crash of one of them), for the report. */
export async function agentErrors(host: TestbedHost): Promise<string> {
    return (await onHost(host, `cat ${AGENT_DIR}/agents.err 2>/dev/null`)).stdout.trim();
}
