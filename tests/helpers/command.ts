/**
 * Runs a command-line script in this process, as `npm run <x>` would run it in its own: its
 * `runCommand` main with the arguments, stdout and stderr captured, and the exit code the process
 * would have set. A ts-node process costs 2–3 s of CPU; this costs the call.
 */
import * as path from "path";
import { format } from "util";
import { commands, executeCommand } from "../../tools/commands/command-line";

const ROOT = path.join(__dirname, "..", "..");

/** What a command printed and the exit code it would have set. */
export interface CommandRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs `script` (a path from the repository root, e.g. `tools/commands/synth.ts`) with `argv` in-process.
 * Everything written through `console` or `process.stdout`/`process.stderr` meanwhile is captured,
 * so no two runs may overlap (mocha runs one test at a time).
 */
export async function runScript(script: string, ...argv: string[]): Promise<CommandRun> {
    const file = require.resolve(path.join(ROOT, script));
    // Loading the module registers its command; `runCommand` runs nothing outside its own process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
    const command = commands.get(file);
    if (command === undefined) throw new Error(`\`${script}\` registers no command: does it end with \`runCommand(main, USAGE, what, module)\`?`);
    const captured = { stdout: "", stderr: "" };
    const saved = { log: console.log, error: console.error, warn: console.warn, out: process.stdout.write, err: process.stderr.write };
    const to =
        (stream: "stdout" | "stderr") =>
        (...args: unknown[]) => {
            captured[stream] += `${format(...args)}\n`;
        };
    const write = (stream: "stdout" | "stderr") =>
        ((chunk: string | Uint8Array) => {
            captured[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
            return true;
        }) as typeof process.stdout.write;
    console.log = to("stdout");
    console.error = to("stderr");
    console.warn = to("stderr");
    process.stdout.write = write("stdout");
    process.stderr.write = write("stderr");
    try {
        const code = await executeCommand(command, argv);
        return { code, ...captured };
    } finally {
        Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
        process.stdout.write = saved.out;
        process.stderr.write = saved.err;
    }
}
