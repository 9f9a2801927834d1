/**
 * What `JSON.parse` lets through silently and a caller should hear about, found by a scan of the raw
 * text before any work starts: nesting deeper than a limit (refused before anything recursive walks
 * the value), duplicate object keys (RFC 8259 §4: names SHOULD be unique, and receivers disagree on
 * which one wins; `JSON.parse` keeps the last), and numbers whose text is not the exact integer they
 * parse to (`2599.9999999999999` parses to 2600: RFC 8259 §6 warns that numbers beyond IEEE 754
 * double precision are approximated). The scan is iterative, so no input can exhaust the stack.
 */

/** A number token: where it is and its text exactly as sent. */
export interface NumberToken {
    readonly path: readonly (string | number)[];
    readonly text: string;
}

/** What the scan found. */
export interface JsonScan {
    /** The deepest nesting of objects and arrays (a scalar document is 0). */
    readonly depth: number;
    /** JSON Pointers of keys that occur twice in the same object. */
    readonly duplicateKeys: string[];
    readonly numbers: NumberToken[];
}

/** A JSON text nested deeper than its limit. */
export class JsonDepthError extends Error {}

/** The RFC 6901 JSON Pointer of `path`. */
export function pointer(path: readonly (string | number)[]): string {
    return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

const NUMBER_CHARS = new Set("-+.eE0123456789");

type Frame = { array: true; index: number } | { array: false; key: string; keys?: Set<string>; expectKey: boolean };

/**
 * Scans `text` (meant to be JSON; what is not is left for `JSON.parse` to refuse). Throws
 * `JsonDepthError` as soon as the nesting goes past `maxDepth`.
 */
export function scanJson(text: string, maxDepth: number): JsonScan {
    const stack: Frame[] = [];
    const duplicateKeys: string[] = [];
    const numbers: NumberToken[] = [];
    let depth = 0;
    const path = () => stack.map((f) => (f.array ? f.index : f.key));
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        const top = stack[stack.length - 1];
        if (c === "{" || c === "[") {
            stack.push(c === "[" ? { array: true, index: 0 } : { array: false, key: "", expectKey: true });
            depth = Math.max(depth, stack.length);
            if (stack.length > maxDepth) throw new JsonDepthError(`The JSON nests deeper than ${maxDepth} levels.`);
        } else if (c === "}" || c === "]") stack.pop();
        else if (c === ",") {
            if (top?.array) top.index++;
            else if (top) top.expectKey = true;
        } else if (c === ":" && top && !top.array) top.expectKey = false;
        else if (c === '"') {
            let end = i + 1;
            while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
            if (top && !top.array && top.expectKey) {
                let key: string;
                try {
                    key = JSON.parse(text.slice(i, end + 1)) as string;
                } catch {
                    key = text.slice(i + 1, end);
                }
                top.key = key;
                top.keys ??= new Set();
                if (top.keys.has(key)) duplicateKeys.push(pointer(path()));
                top.keys.add(key);
            }
            i = end;
        } else if (c === "-" || (c >= "0" && c <= "9")) {
            let end = i;
            while (end < text.length && NUMBER_CHARS.has(text[end])) end++;
            numbers.push({ path: path(), text: text.slice(i, end) });
            i = end - 1;
        }
    }
    return { depth, duplicateKeys, numbers };
}

/** True when the decimal `text` denotes an integer exactly, and one a double holds without rounding. */
export function isExactInteger(text: string): boolean {
    const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!m) return false;
    const fraction = m[2] ?? "";
    const digits = (m[1] + fraction).replace(/^0+/, "");
    if (digits === "") return true;
    const trailingZeros = digits.length - digits.replace(/0+$/, "").length;
    const exponent = Number(m[3] ?? 0) - fraction.length;
    return exponent + trailingZeros >= 0 && Number.isSafeInteger(Number(text));
}

type Schema = { type?: unknown; properties?: Record<string, Schema>; items?: Schema };

/** The subschema of `schema` at `path`, following `properties` and `items` only. */
function schemaAt(schema: Schema, path: readonly (string | number)[]): Schema | undefined {
    let at: Schema | undefined = schema;
    for (const p of path) at = typeof p === "number" ? at?.items : at?.properties?.[p];
    return at;
}

/** A sentence per number of `scan` that `schema` wants an integer and whose text is not one exactly. */
export function inexactIntegers(scan: JsonScan, schema: object): string[] {
    return scan.numbers
        .filter((n) => schemaAt(schema as Schema, n.path)?.type === "integer" && !isExactInteger(n.text))
        .map((n) => `\`${pointer(n.path)}\` is \`${n.text}\`, which is not an exact integer (it would be read as ${Number(n.text)})`);
}
