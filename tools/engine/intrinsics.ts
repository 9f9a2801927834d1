/**
 * JSONPath intrinsic functions (`States.Format(...)` and the rest) for the local engine: a parser for
 * AWS's call syntax and the evaluation of the parsed call against a {@link PathScope}. The functions
 * themselves live in `intrinsic-functions.ts`. Behaviour follows AWS's "Intrinsic functions for
 * JSONPath states" page (docs/aws-facts.md §10.1) and the executions LocalStack recorded on AWS
 * (tests/aws/services/stepfunctions/v2/intrinsic_functions/*.snapshot.json).
 *
 * Grammar: `States.Name(arg, ...)` where an argument is a nested call, a path (`$.a`, `$$.Execution.Id`,
 * `$var.x`), a string literal in single quotes (escapes `\'`, `\{`, `\}`, `\\`), a number, `true`,
 * `false` or `null`.
 */
import { readPath, type PathScope } from "./scope";
import { INTRINSICS, intrinsicFailure, type StringArg } from "./intrinsic-functions";

/** A parsed argument. */
type Node =
    | { readonly kind: "call"; readonly name: string; readonly args: readonly Node[] }
    | { readonly kind: "path"; readonly path: string }
    | { readonly kind: "string"; readonly literal: StringArg }
    | { readonly kind: "value"; readonly value: number | boolean | null };

/** AWS: "You can nest up to 10 intrinsic functions within a field" (docs/aws-facts.md §10.1). */
const MAX_CALLS = 10;
const CALL_START = /^States\.[A-Za-z0-9]+\(/;
const NAME = /States\.([A-Za-z0-9]+)\(/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const KEYWORD = /(?:true|false|null)(?=\s*[,)])/y;

/** True when `value` (the value of a `.$` field) is an intrinsic call rather than a path. */
export function isIntrinsic(value: string): boolean {
    return CALL_START.test(value);
}

class Parser {
    private pos = 0;
    calls = 0;

    constructor(private readonly source: string) {}

    parseAll(): Node {
        const call = this.call();
        this.skipSpace();
        if (this.pos !== this.source.length) this.fail(`unexpected \`${this.source.slice(this.pos)}\` after the call`);
        return call;
    }

    private fail(reason: string): never {
        throw intrinsicFailure(`The intrinsic function \`${this.source}\` is invalid: ${reason}.`);
    }

    private skipSpace(): void {
        while (/\s/.test(this.source[this.pos] ?? "")) this.pos++;
    }

    private call(): Node {
        NAME.lastIndex = this.pos;
        const m = NAME.exec(this.source);
        if (!m) this.fail(`expected \`States.<Name>(\` at offset ${this.pos}`);
        this.pos = NAME.lastIndex;
        if (++this.calls > MAX_CALLS) this.fail(`more than ${MAX_CALLS} nested intrinsic functions`);
        const args: Node[] = [];
        this.skipSpace();
        if (this.source[this.pos] === ")") {
            this.pos++;
            return { kind: "call", name: m[1], args };
        }
        for (;;) {
            this.skipSpace();
            args.push(this.arg());
            this.skipSpace();
            const c = this.source[this.pos++];
            if (c === ")") return { kind: "call", name: m[1], args };
            if (c !== ",") this.fail(`expected \`,\` or \`)\` at offset ${this.pos - 1}`);
        }
    }

    private arg(): Node {
        const c = this.source[this.pos];
        if (this.source.startsWith("States.", this.pos)) return this.call();
        if (c === "'") return { kind: "string", literal: this.string() };
        if (c === "$") return { kind: "path", path: this.path() };
        for (const re of [NUMBER, KEYWORD]) {
            re.lastIndex = this.pos;
            const m = re.exec(this.source);
            if (m) {
                this.pos = re.lastIndex;
                return { kind: "value", value: re === NUMBER ? Number(m[0]) : (JSON.parse(m[0]) as boolean | null) };
            }
        }
        return this.fail(`unexpected argument at offset ${this.pos}`);
    }

    /** A path runs to the next `,` or `)` outside brackets and quotes (`$.a['b, c']` is one path). */
    private path(): string {
        const start = this.pos;
        let depth = 0;
        let quote: string | undefined;
        for (; this.pos < this.source.length; this.pos++) {
            const c = this.source[this.pos];
            if (quote) {
                if (c === quote) quote = undefined;
            } else if (c === "'" || c === '"') quote = c;
            else if (c === "[" || c === "(") depth++;
            else if ((c === "]" || c === ")") && depth > 0) depth--;
            else if (depth === 0 && (c === "," || c === ")")) break;
        }
        return this.source.slice(start, this.pos).trimEnd();
    }

    /** A quoted literal; `placeholders` are the offsets of unescaped `{}` (what States.Format fills). */
    private string(): StringArg {
        let value = "";
        const placeholders: number[] = [];
        this.pos++;
        for (;;) {
            const c = this.source[this.pos];
            if (c === undefined) this.fail("unterminated string literal");
            if (c === "'") {
                this.pos++;
                return { value, placeholders };
            }
            if (c === "\\") {
                const next = this.source[this.pos + 1];
                // AWS documents only these four escapes; anything else (a dangling `\` included) is refused.
                if (next === undefined || !"'{}\\".includes(next)) this.fail(`invalid escape \`\\${next ?? ""}\` in a string literal`);
                value += next;
                this.pos += 2;
            } else if (c === "{" && this.source[this.pos + 1] === "}") {
                placeholders.push(value.length);
                value += "{}";
                this.pos += 2;
            } else {
                value += c;
                this.pos++;
            }
        }
    }
}

const parsed = new Map<string, Node>();

function parseCached(expression: string): Node {
    let node = parsed.get(expression);
    if (!node) {
        node = new Parser(expression.trim()).parseAll();
        parsed.set(expression, node);
    }
    return node;
}

/** Why `expression` is not a well-formed intrinsic call (for definition validation), or undefined when it is. */
export function intrinsicProblem(expression: string): string | undefined {
    try {
        parseCached(expression);
        return undefined;
    } catch (e) {
        return (e as Error).message;
    }
}

function evaluate(node: Node, scope: PathScope): unknown {
    switch (node.kind) {
        case "value":
            return node.value;
        case "string":
            return node.literal.value;
        case "path":
            return readPath(node.path, scope);
        case "call": {
            const fn = INTRINSICS[node.name];
            if (!fn) throw intrinsicFailure(`The intrinsic function \`States.${node.name}\` does not exist.`);
            // States.Format needs to know which `{}` of a literal template were escaped.
            const args = node.args.map((a) => (a.kind === "string" ? a.literal : { value: evaluate(a, scope) }));
            return fn(args);
        }
    }
}

/**
 * Evaluates an intrinsic call such as `States.Format('Hello {}', $.name)` against `scope`. Throws
 * EngineError `States.IntrinsicFailure` for a malformed call or invalid arguments, and the
 * `States.Runtime` of {@link readPath} when a path argument matches nothing.
 */
export function evaluateIntrinsic(expression: string, scope: PathScope): unknown {
    return evaluate(parseCached(expression), scope);
}
