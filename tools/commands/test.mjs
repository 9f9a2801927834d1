// `npm test`: the type check and the mocha suite side by side, and the suite's files in parallel
// workers, so the whole run stays far inside CI's 90 s on two cores; exits non-zero when either the type
// check or the suite fails (mocha's arguments are passed through).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";

const require = createRequire(import.meta.url);
/** Runs a package's script; a positive `niceness` lowers its CPU priority (always allowed, so never fails). */
const run = (script, args, niceness = 0) =>
    new Promise((resolve) => {
        const child = spawn(process.execPath, [require.resolve(script), ...args], { stdio: "inherit" });
        if (niceness > 0 && child.pid !== undefined) os.setPriority(child.pid, niceness);
        child.on("error", () => resolve(1));
        child.on("close", (code) => resolve(code ?? 1));
    });

// The files that take longest (measured with a per-file timing reporter, docs/testing.md "Tests") start first,
// so that no worker is left with a long file at the end while the other idles. A file missing from
// the list just runs in name order after them; a listed file that no longer exists is skipped.
const SLOW_FIRST = [
    "tests/program.test.ts",
    "tests/policy/pack-server.test.ts",
    "tests/local/soak.test.ts",
    "tests/workflows/order-validation.test.ts",
    "tests/delivery/diff-synth.test.ts",
    "tests/local/test-state.test.ts",
    "tests/synth.test.ts",
    "tests/policy/program.test.ts",
    "tests/local/stacks.test.ts",
];

/** Every `*.test.ts` under tests/, the slow ones first. */
function testFiles() {
    const all = fs
        .readdirSync("tests", { recursive: true })
        .map((f) => path.join("tests", String(f)).split(path.sep).join("/"))
        .filter((f) => f.endsWith(".test.ts") && !f.startsWith("tests/conformance/data/"))
        .sort();
    return [...SLOW_FIRST.filter((f) => all.includes(f)), ...all.filter((f) => !SLOW_FIRST.includes(f))];
}

// The whole suite by default, in parallel workers (each loads .mocharc.json's `require`, so each has
// its own Pulumi mocks); `npm test -- tests/x.test.ts` runs one file, serially (.mocharc.json
// names no spec, so `npx mocha tests/x.test.ts` runs just that file too).
const args = process.argv.slice(2);
const whole = !args.some((a) => !a.startsWith("-"));
const jobs = String(Math.min(4, Math.max(2, os.availableParallelism())));
const mochaArgs = whole ? ["--parallel", "--jobs", jobs, ...testFiles(), ...args] : args;
// The type check yields the CPU to mocha's workers and fills the gaps they leave (measured: 41–46 s
// instead of 48 s on two cores); it still runs to the end and fails the run when it fails.
const [typecheck, mocha] = await Promise.all([run("typescript/bin/tsc", ["--noEmit"], 10), run("mocha/bin/mocha.js", mochaArgs)]);
if (typecheck !== 0) process.stderr.write("npm test: the type check failed (tsc --noEmit).\n");
process.exit(typecheck !== 0 ? typecheck : mocha);
