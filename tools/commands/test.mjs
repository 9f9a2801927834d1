// `npm test`: the mocha suite, its files in parallel workers, so the whole run stays far inside CI's 90 s on two
// cores; exits with mocha's code (mocha's arguments are passed through). The type check is in `npm run lint`
// (tools/commands/lint.mjs), where ESLint shares its TypeScript program; `npm run typecheck` runs it alone.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";

const require = createRequire(import.meta.url);
/** Runs a package's script; resolves to its exit code. */
const run = (script, args) =>
    new Promise((resolve) => {
        const child = spawn(process.execPath, [require.resolve(script), ...args], { stdio: "inherit" });
        child.on("error", () => resolve(1));
        child.on("close", (code) => resolve(code ?? 1));
    });

// The files that take longest (measured with a per-file timing reporter, docs/testing.md "Tests") start first,
// so that no worker is left with a long file at the end while the other idles. A file missing from
// the list just runs in name order after them; a listed file that no longer exists is skipped.
const SLOW_FIRST = [
    "tests/local/soak.test.ts",
    "tests/local/collect.test.ts",
    "tests/workflows/order-validation.test.ts",
    "tests/program.test.ts",
    "tests/delivery/help.test.ts",
    "tests/readme.test.ts",
    "tests/synth.test.ts",
    "tests/local/scenarios.test.ts",
    "tests/workflows/collect.test.ts",
    "tests/delivery/workflows.test.ts",
    "tests/components/order-workflow.test.ts",
    "tests/workflows/stripe-choices.test.ts",
    "tests/policy/program.test.ts",
    "tests/local/stacks.test.ts",
    "tests/policy/pack-server.test.ts",
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
process.exit(await run("mocha/bin/mocha.js", mochaArgs));
