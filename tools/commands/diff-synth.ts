/**
 * `ts-node tools/commands/diff-synth.ts --base <dir> --head <dir> [--base-label <sha>] [--head-label <sha>]`
 * compares two synth trees (`<dir>/<stack>/…` as `npm run synth -- --out <dir>/<stack>` writes them)
 * and prints Markdown for the pull request's job summary: per stack, which state machine definitions
 * (`<wf>.asl.json`), role policies (`<wf>.policy.json`) and stack outputs (`outputs.json`) changed, with a unified diff of each, and
 * which resources were added, removed or given other inputs. Synth files hold no secret values.
 */
import * as fs from "fs";
import * as path from "path";
import { parseCommandLine, printUsage, runCommand, UsageError } from "./command-line";
import { unifiedDiff } from "../synth/line-diff";

/** Longer diffs are cut (GitHub caps a step summary at 1 MiB); the full files are in the artifact. */
export const MAX_DIFF_LINES = 300;

/** What happened to one file or resource between base and head. */
export type Change = "added" | "removed" | "changed" | "unchanged";

/** One compared ASL or policy file. */
export interface FileDiff {
    readonly file: string;
    readonly change: Change;
    /** Unified diff (all `+` for an added file, all `-` for a removed one); empty when unchanged. */
    readonly diff: string;
}

/** One stack's differences. */
export interface StackDiff {
    readonly stack: string;
    /** `added` (head only), `removed` (base only) or `unchanged` (in both, whatever its files say). */
    readonly change: Change;
    readonly files: readonly FileDiff[];
    /** `<type> <name>` of resources by change (unchanged ones are not listed). */
    readonly resources: { readonly added: string[]; readonly removed: string[]; readonly changed: string[] };
}

const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined);
const dirs = (root: string) => (fs.existsSync(root) ? fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory()) : []);
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();

function changeOf(before: string | undefined, after: string | undefined): Change {
    if (before === undefined) return "added";
    if (after === undefined) return "removed";
    return before === after ? "unchanged" : "changed";
}

function resourceChanges(before: string | undefined, after: string | undefined): StackDiff["resources"] {
    type Resource = { type: string; name: string; inputs: unknown };
    const index = (text: string | undefined) =>
        new Map(((text ? JSON.parse(text) : []) as Resource[]).map((r) => [`${r.type} ${r.name}`, JSON.stringify(r.inputs)]));
    const [base, head] = [index(before), index(after)];
    const keys = union([...base.keys()], [...head.keys()]);
    return {
        added: keys.filter((k) => !base.has(k)),
        removed: keys.filter((k) => !head.has(k)),
        changed: keys.filter((k) => base.has(k) && head.has(k) && base.get(k) !== head.get(k)),
    };
}

/** Compares every stack found in either tree. */
export function compareTrees(baseRoot: string, headRoot: string): StackDiff[] {
    return union(dirs(baseRoot), dirs(headRoot)).map((stack) => {
        const [base, head] = [path.join(baseRoot, stack), path.join(headRoot, stack)];
        const listed = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(asl|policy)\.json$|^outputs\.json$/.test(f)) : []);
        const files = union(listed(base), listed(head)).map((file): FileDiff => {
            const [before, after] = [read(path.join(base, file)), read(path.join(head, file))];
            const change = changeOf(before, after);
            return { file, change, diff: change === "unchanged" ? "" : unifiedDiff(before ?? "", after ?? "") };
        });
        const resources = resourceChanges(read(path.join(base, "resources.json")), read(path.join(head, "resources.json")));
        const change: Change = !fs.existsSync(base) ? "added" : !fs.existsSync(head) ? "removed" : "unchanged";
        return { stack, change, files, resources };
    });
}

function fenced(diff: string): string {
    const lines = diff.split("\n");
    const shown =
        lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines in the synth artifact`] : lines;
    return ["```diff", ...shown, "```"].join("\n");
}

function counts(diff: string): string {
    const lines = diff.split("\n");
    return `+${lines.filter((l) => /^\+/.test(l)).length} −${lines.filter((l) => /^-/.test(l)).length}`;
}

/** The job-summary Markdown for `diffs`. */
export function renderMarkdown(diffs: readonly StackDiff[], labels: { base: string; head: string }): string {
    const out = [`## Synth: state machines and IAM, \`${labels.base}\` → \`${labels.head}\``, ""];
    if (diffs.length === 0) out.push("No stacks were synthesized.", "");
    for (const d of diffs) {
        out.push(`### Stack \`${d.stack}\`${d.change === "added" ? " (new)" : d.change === "removed" ? " (removed)" : ""}`, "");
        const changed = d.files.filter((f) => f.change !== "unchanged");
        if (changed.length === 0 && d.resources.added.length + d.resources.removed.length + d.resources.changed.length === 0) {
            out.push("No change in state machines, role policies or resources.", "");
            continue;
        }
        out.push("| File | Change |", "| --- | --- |");
        for (const f of d.files) out.push(`| \`${f.file}\` | ${f.change === "unchanged" ? f.change : `${f.change} (${counts(f.diff)})`} |`);
        out.push("");
        for (const [what, list] of Object.entries(d.resources)) {
            if (list.length > 0) out.push(`Resources ${what}: ${list.map((r) => `\`${r}\``).join(", ")}`, "");
        }
        for (const f of changed) out.push(`<details><summary><code>${f.file}</code></summary>`, "", fenced(f.diff), "", "</details>", "");
    }
    return out.join("\n");
}

const USAGE = "usage: ts-node tools/commands/diff-synth.ts --base <dir> --head <dir> [--base-label <text>] [--head-label <text>]";

async function main(argv: readonly string[]): Promise<number> {
    const values = parseCommandLine(argv, {
        base: { type: "string" },
        head: { type: "string" },
        "base-label": { type: "string" },
        "head-label": { type: "string" },
    });
    if (values === "help") return printUsage(USAGE);
    if (!values.base || !values.head) throw new UsageError("`--base` and `--head` are required.");
    const labels = { base: values["base-label"] ?? "base", head: values["head-label"] ?? "head" };
    process.stdout.write(renderMarkdown(compareTrees(values.base, values.head), labels));
    return 0;
}

runCommand(main, USAGE, "diff-synth", module);
