/**
 * A scratch copy of the repository for tests that change the code the way a contributor would
 * (`tests/recipes.test.ts`): the files a recipe needs, `node_modules` symlinked, and an edit recorder
 * that counts the files a change wrote.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** What the copy holds: what `pulumi up`, the local stacks, synth and the policy pack load (no tests, no docs). */
const COPIED = [/^deploy\//, /^tools\//, /^policy\//, /^\.github\//, /^Pulumi(\.[^/]+)?\.yaml$/, /^package\.json$/, /^tsconfig\.json$/];
/** Large data no recipe reads. */
const SKIPPED = [/^tools\/conformance\/data\//];

/** Copies the repository's files (tracked, and new ones not ignored) that `COPIED` names into a fresh temporary folder. */
export function scratchCopy(root: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sfn-scratch-"));
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" })
        .split("\0")
        .filter((f) => COPIED.some((r) => r.test(f)) && !SKIPPED.some((r) => r.test(f)));
    for (const file of new Set(files)) {
        const from = path.join(root, file);
        // A tracked file deleted in the working tree is not part of the code a recipe starts from.
        if (!fs.existsSync(from)) continue;
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(from, path.join(dir, file));
    }
    // Node resolves the symlink to the real folder, so the copy shares this process's @pulumi/pulumi (and its mocks).
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/** Records the files a recipe writes in a scratch copy: `files` is what the recipe's count is measured on. */
export class Edits {
    private readonly written = new Set<string>();

    constructor(private readonly root: string) {}

    /** Writes a new file (it must not exist yet). */
    create(file: string, content: string): void {
        const to = path.join(this.root, file);
        if (fs.existsSync(to)) throw new Error(`\`${file}\` exists already.`);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, content);
        this.written.add(file);
    }

    /**
     * Replaces the one occurrence of `anchor` in `file` by `replacement(anchor)`. An anchor that is gone
     * or ambiguous fails: the recipe then no longer matches the code, and this test says so.
     */
    edit(file: string, anchor: string, replacement: (anchor: string) => string): void {
        const at = path.join(this.root, file);
        const text = fs.readFileSync(at, "utf8");
        const count = text.split(anchor).length - 1;
        if (count !== 1) throw new Error(`\`${file}\` holds the recipe's anchor ${count} times, not once: ${JSON.stringify(anchor.slice(0, 80))}`);
        fs.writeFileSync(
            at,
            text.replace(anchor, () => replacement(anchor)),
        );
        this.written.add(file);
    }

    /** The files written, sorted. */
    get files(): string[] {
        return [...this.written].sort();
    }
}

/** The `N` of `<!-- recipe-count:<name> -->N files<!-- /recipe-count -->` in `readme`, and the recipe's section text. */
export function readmeRecipe(readme: string, name: string): { count: number; section: string } {
    const marker = new RegExp(`<!-- recipe-count:${name} -->(\\d+) files?<!-- /recipe-count -->`);
    const match = marker.exec(readme);
    if (!match) throw new Error(`README.md has no \`recipe-count:${name}\` marker.`);
    const start = readme.lastIndexOf("\n### ", match.index);
    return { count: Number(match[1]), section: readme.slice(start, match.index) };
}
