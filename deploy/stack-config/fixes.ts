/**
 * The way out of every config problem: the exact `pulumi config` command that fixes it, and a
 * "did you mean" for a misspelt key. Every message of the validation ends with one of these.
 */

/**
 * `text` quoted for a POSIX shell: kept as it is when only safe characters, else in single quotes
 * (a `'` inside written `'\''`), so a suggested command runs as printed.
 */
export function shellQuote(text: string): string {
    return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * A Pulumi property path from segments (`secrets`, `payment`, `invocationParameters`, `headers`,
 * `X-Key`): a segment with `.`, `[`, `]`, `"` or a space is written `["…"]`, as Pulumi's property
 * path grammar reads it (docs/aws-facts.md §22).
 */
export function pathOf(...segments: readonly (string | number)[]): string {
    return segments.map((s, i) => (typeof s === "number" ? `[${s}]` : /[.[\]"\s]/.test(s) ? `["${s.replace(/"/g, '\\"')}"]` : i === 0 ? s : `.${s}`)).join("");
}

/** `pulumi config set --secret --path '<key>' <value>`. */
export function setSecretCommand(key: string, value = "<value>"): string {
    return `pulumi config set --secret --path '${key.replace(/'/g, "'\\''")}' ${value}`;
}

/** `pulumi config set --path '<key>' <value>`. */
export function setCommand(key: string, value = "<value>"): string {
    return `pulumi config set --path '${key.replace(/'/g, "'\\''")}' ${value}`;
}

/** `pulumi config rm --path '<key>'`. */
export function rmCommand(key: string): string {
    return `pulumi config rm --path '${key.replace(/'/g, "'\\''")}'`;
}

/**
 * The value of `key` as the shell's command substitution of `pulumi config get --path '<key>'`: a
 * fix that moves a value (into `secrets`, or out of a misspelt namespace) never prints it.
 */
export function currentValueOf(key: string): string {
    return `"$(pulumi config get --path '${key.replace(/'/g, "'\\''")}')"`;
}

/** ": run `<command>`" (or several, joined), the end of a message. */
export function run(...commands: string[]): string {
    return `: run ${commands.map((c) => `\`${c}\``).join(", then ")}.`;
}

/** Levenshtein distance, case-insensitive (small strings only: config keys). */
export function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const kept = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
            previous = kept;
        }
    }
    return row[b.length];
}

/** The known key `word` most likely misspells, if any is close enough. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
    const scored = known.map((k) => ({ k, d: distance(word, k) })).sort((x, y) => x.d - y.d);
    const best = scored[0];
    return best !== undefined && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.k : undefined;
}

/** The sentence for an unknown key at `key` (full dotted path), with the fix. */
export function unknownKeyProblem(key: string, name: string, known: readonly string[], rmKey = key): string {
    const guess = didYouMean(name, known);
    const parent = key.slice(0, key.length - name.length);
    return guess
        ? `\`${key}\` is not a known setting; did you mean \`${parent}${guess}\`? Run ${[rmCommand(rmKey), setCommand(`${parent}${guess}`)].map((c) => `\`${c}\``).join(", then ")}.`
        : `\`${key}\` is not a known setting (known: ${known.map((k) => `\`${k}\``).join(", ")})${run(rmCommand(rmKey))}`;
}
