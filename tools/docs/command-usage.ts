/**
 * The `command-usage` section: every npm script of package.json with the usage its command prints for `--help`,
 * read from the command itself (the usage `runCommand` registered, or the module's exported `USAGE`), so the page
 * cannot drift from what `--help` says. Commands with no npm script (diff-synth) are listed after them.
 */
import * as fs from "fs";
import * as path from "path";
import { commands } from "../commands/command-line";

const ROOT = path.join(__dirname, "..", "..");
const COMMANDS_DIR = "tools/commands";

/** One command line a person runs, and its usage text when the command prints one for `--help`. */
export interface CommandUsage {
    /** How it is run, e.g. `npm run synth` or `npx ts-node --transpile-only tools/commands/diff-synth.ts`. */
    readonly run: string;
    /** What package.json runs for it (the script's command line), or the file. */
    readonly runs: string;
    /** The usage `--help` prints; `undefined` for a script that has no `--help` (a tool's own options apply). */
    readonly usage?: string;
}

/** The usage a command module prints for `--help`: the one it registered with `runCommand`, else its exported `USAGE`. */
export function usageOf(file: string): string | undefined {
    const resolved = require.resolve(path.join(ROOT, file));
    // Loading a command module registers its command and runs nothing (`runCommand` runs only the process's entry point).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(resolved) as { USAGE?: unknown };
    return commands.get(resolved)?.usage ?? (typeof loaded.USAGE === "string" ? loaded.USAGE : undefined);
}

/** Every npm script, then every command of tools/commands/ that no script runs, with its `--help` usage. */
export function commandUsages(root: string = ROOT): CommandUsage[] {
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const viaScripts = new Set<string>();
    const rows = Object.entries(scripts).map(([name, line]): CommandUsage => {
        const file = new RegExp(`${COMMANDS_DIR}/[\\w-]+\\.ts`).exec(line)?.[0];
        if (file) viaScripts.add(file);
        return { run: name === "start" || name === "test" ? `npm ${name}` : `npm run ${name}`, runs: line, usage: file ? usageOf(file) : undefined };
    });
    const others = fs
        .readdirSync(path.join(root, COMMANDS_DIR))
        .filter((f) => f.endsWith(".ts"))
        .sort()
        .map((f) => `${COMMANDS_DIR}/${f}`)
        // A command module ends with its `runCommand(main, USAGE, what, module)` call (command-line.ts only defines it).
        .filter((f) => !viaScripts.has(f) && /^runCommand\(/m.test(fs.readFileSync(path.join(root, f), "utf8")));
    return [...rows, ...others.map((f) => ({ run: `npx ts-node --transpile-only ${f}`, runs: f, usage: usageOf(f) }))];
}

/** The section: one entry per command, its usage in a text block (usages hold `|` and `<…>`, which a table would mangle). */
export function commandUsageMarkdown(rows: readonly CommandUsage[] = commandUsages()): string {
    return rows
        .map((r) =>
            r.usage === undefined
                ? `- \`${r.run}\`: runs \`${r.runs}\`; no usage of its own (\`--help\` is not handled; arguments after \`--\` go to the tool).`
                : `- \`${r.run}\` (\`${r.runs}\`):\n\n  \`\`\`text\n${r.usage
                      .split("\n")
                      .map((l) => `  ${l}`)
                      .join("\n")}\n  \`\`\``,
        )
        .join("\n");
}
