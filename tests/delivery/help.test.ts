/**
 * Every command's `--help`: the usage on stdout and exit 0; and an unknown option is bad usage,
 * exit 2 with the usage on stderr. Spawns the real scripts (in parallel, to keep the suite fast).
 */
import * as assert from "node:assert/strict";
import { execFile } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const TS_NODE = path.join(ROOT, "node_modules", ".bin", "ts-node");
const COMMANDS: [string, string][] = [
    ["npm start", "local/start.ts"],
    ["npm run local", "local/cli.ts"],
    ["npm run bench", "local/bench.ts"],
    ["npm run soak", "local/soak.ts"],
    ["npm run synth", "scripts/synth.ts"],
    ["npm run docs", "scripts/docs.ts"],
    ["diff-synth", "scripts/diff-synth.ts"],
];

function run(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(TS_NODE, ["--transpile-only", path.join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 }, (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
    });
}

describe("every command's --help and bad usage", () => {
    it("prints the usage on stdout and exits 0 for --help", async () => {
        const results = await Promise.all(COMMANDS.map(([, script]) => run(script, "--help")));
        COMMANDS.forEach(([name], i) => {
            assert.equal(results[i].code, 0, `${name}: ${results[i].stderr}`);
            assert.match(results[i].stdout, /^usage: /, name);
            assert.equal(results[i].stderr, "", name);
        });
    });

    it("exits 2 with the usage on stderr for an unknown option", async () => {
        const results = await Promise.all(COMMANDS.map(([, script]) => run(script, "--no-such-option")));
        COMMANDS.forEach(([name], i) => {
            assert.equal(results[i].code, 2, `${name}: ${results[i].stdout}`);
            assert.match(results[i].stderr, /Unknown option '--no-such-option'[\s\S]*\nusage: /, name);
        });
    });
});
