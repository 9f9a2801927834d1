/**
 * What the compiler reads of a jsonata 2.0.6 AST (`jsonata(src).ast()`), and the check that sends a
 * node it does not know to jsonata: a node type or field outside `FIELDS` (tuples, focus `@`, index
 * `#`, `keepArray`, grouping on a path, order by, transforms, ...) is `Unsupported`.
 */

/** A jsonata AST node (the fields this compiler reads). */
export interface Node {
    readonly type: string;
    readonly value?: unknown;
    readonly [field: string]: unknown;
}

/** Thrown while compiling: the expression must run on jsonata (the message says why). */
export class Unsupported extends Error {}

const COMMON = ["type", "value", "position", "predicate", "stages"];
const FIELDS: Record<string, readonly string[]> = {
    path: ["steps"],
    binary: ["lhs", "rhs"],
    bind: ["lhs", "rhs"],
    block: ["expressions"],
    condition: ["condition", "then", "else"],
    function: ["arguments", "procedure", "name"],
    lambda: ["arguments", "body", "signature", "thunk"],
    unary: ["expressions", "expression", "lhs"],
    regex: [],
    name: [],
    variable: [],
    string: [],
    number: [],
    value: [],
};

/** Every function name jsonata 2.0.6 (and Step Functions) defines: a reference to one we do not support must go to jsonata. */
export const JSONATA_FUNCTIONS = new Set(
    (
        "sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad match contains replace " +
        "split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power random boolean not map zip filter " +
        "single reduce sift keys lookup append exists spread merge reverse each error assert type sort shuffle distinct base64encode base64decode " +
        "encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis partition range hash uuid parse"
    ).split(" "),
);

/** `value` read as a node. */
export function node(value: unknown): Node {
    return value as Node;
}

/** Throws `Unsupported` for a node type, field or stage the compiler does not know. */
export function check(n: Node): void {
    const fields = FIELDS[n.type];
    if (!fields) throw new Unsupported(`node type ${n.type}`);
    for (const key of Object.keys(n)) if (!COMMON.includes(key) && !fields.includes(key)) throw new Unsupported(`${n.type}.${key}`);
    for (const stage of [...((n.predicate as Node[]) ?? []), ...((n.stages as Node[]) ?? [])])
        if (stage.type !== "filter") throw new Unsupported(`stage ${stage.type}`);
}

/** Names an expression binds itself (`:=` targets, lambda parameters). */
export function localNames(root: unknown, names = new Set<string>()): Set<string> {
    if (Array.isArray(root)) root.forEach((v) => localNames(v, names));
    else if (root && typeof root === "object" && !(root instanceof RegExp)) {
        const n = root as Node;
        if (n.type === "bind") names.add(String(node(n.lhs).value));
        if (n.type === "lambda") for (const p of n.arguments as Node[]) names.add(String(p.value));
        Object.values(n).forEach((v) => localNames(v, names));
    }
    return names;
}
