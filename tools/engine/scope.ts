/**
 * JSONPath reads for JSONPath states: the state data (`$`), the context object (`$$`) and workflow
 * variables (`$name`), as AWS describes them on "Paths in JSONPath states" and "Passing data between
 * states with variables" (docs/aws-facts.md §13). Plain paths (`$.a.b`, `$.a[0]`, `$$.Execution.Id`,
 * `$var.field`) are walked directly because they are almost every path a workflow writes; anything
 * else (filters, wildcards, slices, `..`) goes to jsonpath-plus, which AWS's docs name as the syntax
 * reference ("JsonPath" by Jayway). Each path is parsed once and cached.
 */
import { JSONPath } from "jsonpath-plus";

/** What a JSONPath path can reach: the state data (`$`), the context object (`$$`) and workflow variables (`$name`). */
export interface PathScope {
    readonly input: unknown;
    readonly context: unknown;
    readonly variables: Readonly<Record<string, unknown>>;
}

/** An error a state raises: Step Functions error name + cause. */
export class EngineError extends Error {
    constructor(name: string, cause: string) {
        super(cause);
        this.name = name;
    }
}

/** Where a path starts and how to walk it. */
interface ParsedPath {
    /** `input`, `context`, or the variable name. */
    readonly root: "input" | "context" | { readonly variable: string };
    /** Plain steps (keys and indexes), or undefined when jsonpath-plus must evaluate `rest`. */
    readonly steps?: readonly (string | number)[];
    /** The path to hand jsonpath-plus, rooted at `$`. */
    readonly rest: string;
}

const PLAIN_STEP = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^'\\]*)'\]|\["([^"\\]*)"\]/y;
const ROOT = /^(\$\$|\$[A-Za-z_][\w]*|\$)/;
/** Wildcards, deep scan, filters, unions and slices make a path indefinite (a list). */
const INDEFINITE = /\*|\.\.|\?\(|\[[^\]]*[,:][^\]]*\]/;
const cache = new Map<string, ParsedPath>();

function parse(path: string): ParsedPath {
    let parsed = cache.get(path);
    if (parsed) return parsed;
    const head = ROOT.exec(path)?.[1];
    if (head === undefined) throw new EngineError("States.Runtime", `Invalid JSONPath \`${path}\`: a path starts with \`$\`.`);
    const root = head === "$" ? "input" : head === "$$" ? "context" : { variable: head.slice(1) };
    const rest = `$${path.slice(head.length)}`;
    const steps: (string | number)[] = [];
    PLAIN_STEP.lastIndex = head.length;
    let plain = true;
    while (PLAIN_STEP.lastIndex < path.length) {
        const m = PLAIN_STEP.exec(path);
        if (!m) {
            plain = false;
            break;
        }
        steps.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4]));
    }
    parsed = plain ? { root, steps, rest } : { root, rest };
    cache.set(path, parsed);
    return parsed;
}

function rootValue(parsed: ParsedPath, path: string, scope: PathScope): unknown {
    if (parsed.root === "input") return scope.input;
    if (parsed.root === "context") return scope.context;
    const name = parsed.root.variable;
    if (!Object.prototype.hasOwnProperty.call(scope.variables, name))
        throw new EngineError("States.Runtime", `The JSONPath \`${path}\` refers to the variable \`$${name}\`, which is not assigned.`);
    return scope.variables[name];
}

const MISSING = Symbol("missing");

/** Walks plain steps; MISSING when a step does not exist. */
function walk(value: unknown, steps: readonly (string | number)[]): unknown {
    let current = value;
    for (const step of steps) {
        if (typeof step === "number") {
            if (!Array.isArray(current) || step >= current.length) return MISSING;
            current = current[step];
        } else {
            if (current === null || typeof current !== "object" || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, step))
                return MISSING;
            current = (current as Record<string, unknown>)[step];
        }
    }
    return current;
}

/**
 * The value at `path` in `scope`, or `undefined` when nothing matches (no throw). A path with
 * wildcards or filters yields the array of matches, as AWS does.
 */
export function tryReadPath(path: string, scope: PathScope): unknown {
    const parsed = parse(path);
    const root = rootValue(parsed, path, scope);
    if (parsed.steps) {
        const value = walk(root, parsed.steps);
        return value === MISSING ? undefined : value;
    }
    if (root === null || typeof root !== "object") return undefined;
    const found = JSONPath({ path: parsed.rest, json: root as object, wrap: true }) as unknown[];
    // Jayway (AWS's JSONPath) returns a list for an indefinite path, even an empty one, and the value for a definite one.
    return INDEFINITE.test(parsed.rest) ? found : found[0];
}

/** Evaluates a Step Functions JSONPath (`$.a`, `$$.Execution.Id`, `$var.field`, `$`) ; throws EngineError("States.Runtime", ...) when the path matches nothing. */
export function readPath(path: string, scope: PathScope): unknown {
    const value = tryReadPath(path, scope);
    if (value === undefined)
        throw new EngineError(
            "States.Runtime",
            `The JSONPath \`${path}\` could not be found in the input \`${preview(path.startsWith("$$") ? scope.context : scope.input)}\``,
        );
    return value;
}

/** The keys and indexes of a plain path after its root (`$.a[0]` → `["a", 0]`), or undefined for other paths. */
export function plainSteps(path: string): readonly (string | number)[] | undefined {
    return parse(path).steps;
}

/** A short JSON preview for causes (never the whole of a large payload). */
export function preview(value: unknown): string {
    let text: string;
    try {
        text = JSON.stringify(value) ?? "null";
    } catch {
        text = String(value);
    }
    return text.length > 256 ? `${text.slice(0, 256)}…` : text;
}
