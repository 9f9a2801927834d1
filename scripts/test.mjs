// `npm test`: the type check and the mocha suite side by side, so on two cores the type check costs
// no wall time; exits non-zero when either fails (mocha's arguments are passed through).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import process from "node:process";

const require = createRequire(import.meta.url);
const run = (script, args) =>
    new Promise((resolve) => {
        const child = spawn(process.execPath, [require.resolve(script), ...args], { stdio: "inherit" });
        child.on("error", () => resolve(1));
        child.on("close", (code) => resolve(code ?? 1));
    });

// The whole suite by default; `npm test -- tests/x.test.ts` runs one file (.mocharc.json names no spec, so
// `npx mocha tests/x.test.ts` runs just that file too).
const args = process.argv.slice(2);
const files = args.some((a) => !a.startsWith("-")) ? [] : ["tests/**/*.test.ts"];
const [typecheck, mocha] = await Promise.all([run("typescript/bin/tsc", ["--noEmit"]), run("mocha/bin/mocha.js", [...files, ...args])]);
if (typecheck !== 0) process.stderr.write("npm test: the type check failed (tsc --noEmit).\n");
process.exit(typecheck !== 0 ? typecheck : mocha);
