/**
 * Compiles a jsonata 2.0.6 AST (`jsonata(src).ast()`) into synchronous JS closures with jsonata's
 * semantics (its `evaluate`, `evaluatePath`, `evaluateStep`, `evaluateFunction`, ... in `jsonata.js`,
 * MIT). Only the node types our definitions are built from are compiled; any other node, any AST
 * field this file does not know (tuples, focus `@`, index `#`, `keepArray`, grouping on a path, order
 * by, transforms, partial application, `~>`), a lambda with a signature, `$sort` with a comparator, or
 * a call of a function `builtins.ts` does not support makes `compileAst` return undefined, and the
 * whole expression runs on jsonata: the choice is made once, at compile time. Paths, calls and lambdas
 * are compiled in `compile-paths.ts`; what the compiler reads of the AST is in `ast.ts`.
 */
import { check, JSONATA_FUNCTIONS, localNames, Node, node, Unsupported } from "./ast";
import { SUPPORTED } from "./builtins";
import { compileCall, compileLambda, compilePath } from "./compile-paths";
import { append, binary, filter, group, lookup, regexValue, toBoolean } from "./operators";
import { Evaluator, Frame } from "./runtime";
import { isNumeric, isSequence, Sequence } from "./values";

/** Node types whose value is never a sequence. */
const NEVER_SEQUENCE = new Set(["string", "number", "value", "regex", "lambda"]);

/** The end of jsonata's `evaluate`: a sequence of no item is nothing, of one item (unless kept as a singleton) that item. */
function unwrap(result: unknown): unknown {
    if (result && isSequence(result) && !(result as Sequence).tupleStream) {
        const sequence = result as Sequence;
        if (sequence.length === 0) return undefined;
        if (sequence.length === 1) return sequence.keepSingleton ? sequence : sequence[0];
    }
    return result;
}

class Compiler {
    constructor(private readonly locals: ReadonlySet<string>) {}

    /** jsonata's `evaluate`: the node, then its predicates, then a sequence of 0 or 1 items unwrapped. */
    readonly expr = (n: Node): Evaluator => {
        check(n);
        const core = this.core(n);
        const predicates = this.filters(n.predicate as Node[] | undefined);
        if (predicates.length === 0) {
            // A literal or a lambda is never a sequence: nothing to unwrap.
            if (NEVER_SEQUENCE.has(n.type)) return core;
            return (input, env) => unwrap(core(input, env));
        }
        return (input, env) => {
            let result = core(input, env);
            for (const p of predicates) result = p(result, env);
            return unwrap(result);
        };
    };

    private readonly filters = (stages: Node[] | undefined): ((input: unknown, env: Frame) => Sequence)[] => {
        return (stages ?? []).map((stage) => {
            const p = node(stage.expr);
            const index = p.type === "number" ? (p.value as number) : undefined;
            const ev = index === undefined ? this.expr(p) : () => undefined;
            return (input: unknown, env: Frame) => filter(ev, index, input, env);
        });
    };

    private core(n: Node): Evaluator {
        switch (n.type) {
            case "path":
                return compilePath(n.steps as Node[], this.expr, this.filters);
            case "name": {
                const key = n.value as string;
                return (input) => lookup(input, key);
            }
            case "string":
            case "number":
            case "value": {
                const value = n.value;
                return () => value;
            }
            case "variable": {
                const name = n.value as string;
                if (JSONATA_FUNCTIONS.has(name) && !SUPPORTED.has(name) && !this.locals.has(name)) throw new Unsupported(`$${name}`);
                if (name === "") return (input) => (input && (input as Sequence).outerWrapper ? (input as Sequence)[0] : input);
                return (_input, env) => env.lookup(name);
            }
            case "regex": {
                const pattern = n.value as RegExp;
                return () => regexValue(pattern);
            }
            case "condition": {
                const [cond, then] = [this.expr(node(n.condition)), this.expr(node(n.then))];
                const otherwise = n.else === undefined ? undefined : this.expr(node(n.else));
                return (input, env) => (toBoolean(cond(input, env)) ? then(input, env) : otherwise?.(input, env));
            }
            case "block": {
                const steps = (n.expressions as Node[]).map((e) => this.expr(e));
                return (input, env) => {
                    const frame = new Frame(env, env.root);
                    let result: unknown;
                    for (const step of steps) result = step(input, frame);
                    return result;
                };
            }
            case "bind": {
                const [name, rhs] = [String(node(n.lhs).value), this.expr(node(n.rhs))];
                return (input, env) => {
                    const value = rhs(input, env);
                    env.bind(name, value);
                    return value;
                };
            }
            case "binary": {
                const ev = binary(n.value as string, this.expr(node(n.lhs)), this.expr(node(n.rhs)));
                if (!ev) throw new Unsupported(`operator ${String(n.value)}`);
                return ev;
            }
            case "unary":
                return this.unary(n);
            case "function":
                return compileCall(n, this.expr, this.locals);
            case "lambda":
                return compileLambda(n, this.expr);
        }
        throw new Unsupported(n.type);
    }

    private unary(n: Node): Evaluator {
        if (n.value === "-") {
            const operand = this.expr(node(n.expression));
            return (input, env) => {
                const value = operand(input, env);
                if (value === undefined) return undefined;
                if (isNumeric(value)) return -value;
                throw { code: "D1002", value };
            };
        }
        if (n.value === "[") {
            const items = (n.expressions as Node[]).map((item) => [this.expr(item), item.value === "["] as const);
            return (input, env) => {
                let result: unknown = [];
                for (const [ev, nested] of items) {
                    const value = ev(input, env);
                    if (value !== undefined) result = nested ? ((result as unknown[]).push(value), result) : append(result, value);
                }
                return result;
            };
        }
        if (n.value === "{") {
            const pairs = (n.lhs as Node[][]).map(([k, v]) => [this.expr(k), this.expr(v)] as const);
            return (input, env) => group(pairs, input, env);
        }
        throw new Unsupported(`unary ${String(n.value)}`);
    }
}

/** Compiles `ast`, or returns undefined (with the reason) when jsonata must evaluate it. */
export function compileAst(ast: unknown): { evaluator?: Evaluator; unsupported?: string } {
    try {
        return { evaluator: new Compiler(localNames(ast)).expr(node(ast)) };
    } catch (e) {
        if (e instanceof Unsupported) return { unsupported: e.message };
        throw e;
    }
}
