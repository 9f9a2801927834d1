/**
 * The `stack-outputs` section: every stack output the dev stack exports, with the JSDoc written where the output is
 * declared (`deploy/index.ts`, and the per-workflow outputs in `deploy/components/workflows.ts`), whether it is a
 * secret, and for a map the keys dev gives it. Values are never shown (they are the mocks' anyway).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");

/** Where outputs are declared: the program's `export =` and the workflow table's `outputs`. */
export const OUTPUT_SOURCES = ["deploy/index.ts", "deploy/components/workflows.ts"] as const;

/** One output as the section shows it. */
export interface StackOutputRow {
    readonly name: string;
    readonly what: string;
    readonly secret: boolean;
    /** The keys of a map output (by workflow, by API), as dev has them. */
    readonly keys?: readonly string[];
}

/** The text of the last `/** … *\/` comment right before `node`, on one line. */
function jsDocBefore(node: ts.Node, text: string): string | undefined {
    const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
    const doc = ranges.filter((r) => text.startsWith("/**", r.pos)).pop();
    if (!doc) return undefined;
    return text
        .slice(doc.pos + 3, doc.end - 2)
        .split("\n")
        .map((l) => l.replace(/^\s*\*\s?/, "").trim())
        .join(" ")
        .trim();
}

/**
 * The description of every property declared with a JSDoc in `files`, by name; a property without its own takes the
 * JSDoc of the spread it is in (`...(operations ? { operationsTopicArn, dashboardUrls } : {})` is documented once).
 */
export function declaredOutputDocs(files: readonly string[] = OUTPUT_SOURCES, root: string = ROOT): Map<string, string> {
    const docs = new Map<string, string>();
    for (const file of files) {
        const text = fs.readFileSync(path.join(root, file), "utf8");
        const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        const visit = (node: ts.Node, inherited: string | undefined) => {
            const own =
                ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isSpreadAssignment(node) ? jsDocBefore(node, text) : undefined;
            if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isIdentifier(node.name)) {
                const doc = own ?? inherited;
                if (doc !== undefined && !docs.has(node.name.text)) docs.set(node.name.text, doc);
            }
            // A spread's JSDoc reaches the properties inside it (through the conditional and parentheses); a property's stops at it.
            const passed = ts.isSpreadAssignment(node) ? (own ?? inherited) : ts.isPropertyAssignment(node) ? undefined : inherited;
            ts.forEachChild(node, (child) => visit(child, passed));
        };
        visit(source, undefined);
    }
    return docs;
}

/** The rows of `outputs` (the program's exports, unresolved): throws for an output declared without a JSDoc. */
export async function stackOutputRows(outputs: Record<string, unknown>, resolved: Record<string, unknown>): Promise<StackOutputRow[]> {
    const docs = declaredOutputDocs();
    const rows: StackOutputRow[] = [];
    for (const name of Object.keys(resolved)) {
        const what = docs.get(name);
        if (what === undefined) throw new Error(`The stack output \`${name}\` has no JSDoc where it is declared (${OUTPUT_SOURCES.join(", ")}).`);
        const value = resolved[name];
        const keys = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value) : undefined;
        rows.push({ name, what, secret: await pulumi.isSecret(pulumi.output(outputs[name])), ...(keys ? { keys } : {}) });
    }
    return rows;
}

/** The section's table. */
export function stackOutputsMarkdown(rows: readonly StackOutputRow[]): string {
    return [
        "| Output | What | Keys in dev | Secret |",
        "| --- | --- | --- | --- |",
        ...rows.map(
            (r) =>
                `| \`${r.name}\` | ${r.what.replace(/\|/g, "\\|")} | ${r.keys ? r.keys.map((k) => `\`${k}\``).join(", ") : "-"} | ${r.secret ? "secret" : "no"} |`,
        ),
    ].join("\n");
}
