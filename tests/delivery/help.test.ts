/**
 * Every command's `--help`: the usage on stdout and exit 0; and an unknown option is bad usage,
 * exit 2 with the usage on stderr. The commands run in this process (`tests/helpers/command.ts`),
 * so the outcome does not depend on how busy the machine is; one spawned script proves that the
 * real entry point runs its command and sets the process exit code.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { runCli } from "../../tools/commands/local";
import { CommandRun, runScript } from "../helpers/command";

const ROOT = path.join(__dirname, "..", "..");

/** `npm run local` has its own in-process entry (`runCli`); the others go through `runCommand`. */
async function runLocal(...argv: string[]): Promise<CommandRun> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), colour: false });
    return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

const COMMANDS: [string, (...argv: string[]) => Promise<CommandRun>][] = [
    ["npm start", (...argv) => runScript("tools/commands/start.ts", ...argv)],
    ["npm run local", runLocal],
    ["npm run bench", (...argv) => runScript("tools/commands/bench.ts", ...argv)],
    ["npm run soak", (...argv) => runScript("tools/commands/soak.ts", ...argv)],
    ["npm run synth", (...argv) => runScript("tools/commands/synth.ts", ...argv)],
    ["npm run docs", (...argv) => runScript("tools/commands/docs.ts", ...argv)],
    ["npm run test-state", (...argv) => runScript("tools/commands/test-state.ts", ...argv)],
    ["diff-synth", (...argv) => runScript("tools/commands/diff-synth.ts", ...argv)],
];

describe("every command's --help and bad usage", () => {
    for (const [name, run] of COMMANDS) {
        it(`${name}: prints the usage on stdout and exits 0 for --help; exits 2 with the usage on stderr for an unknown option`, async () => {
            const help = await run("--help");
            assert.deepEqual([help.code, help.stderr], [0, ""], help.stderr);
            assert.match(help.stdout, /^usage: /);
            const bad = await run("--no-such-option");
            assert.equal(bad.code, 2, bad.stdout);
            assert.equal(bad.stdout, "");
            assert.match(bad.stderr, /Unknown option '--no-such-option'[\s\S]*\nusage: /);
        });
    }

    it("runs the command of the script started as a process, and sets its exit code (one spawn, a budget for a busy machine)", () => {
        // One ts-node start costs 2–3 s of CPU; 100 s (inside mocha's 120 s) holds with both cores busy elsewhere.
        const child = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools", "commands", "docs.ts"), "--no-such-option"],
            {
                cwd: ROOT,
                encoding: "utf8",
                timeout: 100_000,
            },
        );
        assert.equal(child.status, 2, child.stderr);
        assert.equal(child.stdout, "");
        assert.match(child.stderr, /^Unknown option '--no-such-option'[\s\S]*\nusage: npm run docs/);
    });
});
