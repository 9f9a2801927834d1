/**
 * A small unified diff of two texts, for the pull-request summary. Synth files are a few hundred
 * lines, so the quadratic longest-common-subsequence table is cheap and keeps the code obvious.
 */

/** One line of a diff: kept (` `), removed (`-`) or added (`+`). */
export interface DiffLine {
    readonly op: " " | "-" | "+";
    readonly text: string;
}

/** The line-by-line edit from `before` to `after` (longest common subsequence). */
export function lineDiff(before: readonly string[], after: readonly string[]): DiffLine[] {
    const n = before.length;
    const m = after.length;
    // common[i][j]: length of the LCS of before[i..] and after[j..].
    const common = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) common[i][j] = before[i] === after[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
    const lines: DiffLine[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && before[i] === after[j]) {
            lines.push({ op: " ", text: before[i++] });
            j++;
        } else if (i < n && (j === m || common[i + 1][j] >= common[i][j + 1])) {
            // Removals first, as `diff -u` prints them.
            lines.push({ op: "-", text: before[i++] });
        } else {
            lines.push({ op: "+", text: after[j++] });
        }
    }
    return lines;
}

/**
 * `before` → `after` as unified-diff hunks (`@@ -a,b +c,d @@`) with `context` unchanged lines around
 * each change; empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, context = 3): string {
    const lines = lineDiff(splitLines(before), splitLines(after));
    const changed = lines.map((l, k) => (l.op === " " ? -1 : k)).filter((k) => k >= 0);
    if (changed.length === 0) return "";
    // Group changes whose context windows touch into one hunk.
    const hunks: [number, number][] = [];
    for (const k of changed) {
        const start = Math.max(0, k - context);
        const end = Math.min(lines.length, k + context + 1);
        const last = hunks[hunks.length - 1];
        if (last && start <= last[1]) last[1] = end;
        else hunks.push([start, end]);
    }
    const out: string[] = [];
    for (const [start, end] of hunks) {
        const oldStart = lines.slice(0, start).filter((l) => l.op !== "+").length + 1;
        const newStart = lines.slice(0, start).filter((l) => l.op !== "-").length + 1;
        const body = lines.slice(start, end);
        out.push(`@@ -${oldStart},${body.filter((l) => l.op !== "+").length} +${newStart},${body.filter((l) => l.op !== "-").length} @@`);
        for (const l of body) out.push(`${l.op}${l.text}`);
    }
    return out.join("\n");
}

function splitLines(text: string): string[] {
    if (text === "") return [];
    return text.replace(/\n$/, "").split("\n");
}
