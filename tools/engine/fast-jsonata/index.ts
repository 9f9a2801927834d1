/**
 * The fast JSONata evaluator: an expression's AST compiled once into synchronous closures
 * (`compile.ts`) with jsonata 2.0.6's semantics, for the node types and functions our definitions
 * use. jsonata itself stays the reference: an expression the compiler does not support runs on
 * jsonata (decided at compile time), and an evaluation that throws is re-run on jsonata, so every
 * error a workflow sees carries jsonata's own code and message.
 */
import { loadFunctions, loadedFunctions } from "./builtins";
import { compileAst } from "./compile";
import { Frame } from "./runtime";
import { isFunction } from "./values";

/** An expression compiled for the fast evaluator: evaluates with the given bindings (`$states`, variables) against `{}`, as the engine calls jsonata. */
export type FastExpression = (bindings: Readonly<Record<string, unknown>>) => unknown;

/** Loads jsonata's function definitions (once per process); `compileFast` needs them. */
export async function prepareFastJsonata(): Promise<void> {
    if (!loadedFunctions()) await loadFunctions();
}

/** Compiles a jsonata AST, or returns undefined when jsonata must evaluate the expression (call `prepareFastJsonata` first). */
export function compileFast(ast: unknown): FastExpression | undefined {
    const functions = loadedFunctions();
    if (!functions) throw new Error("fast-jsonata: call prepareFastJsonata() first.");
    const { evaluator } = compileAst(ast);
    if (!evaluator) return undefined;
    return (bindings) => {
        const input = {};
        return evaluator(input, new Frame(undefined, { bindings, input, timestamp: Date.now(), functions }));
    };
}

/** Why `compileFast` refuses an AST (for tests and tools), or undefined when it compiles it. */
export function unsupportedReason(ast: unknown): string | undefined {
    return compileAst(ast).unsupported;
}

/** True for a value the engine must not take from the fast evaluator (a function: jsonata decides what it becomes). */
export function needsJsonata(result: unknown): boolean {
    return isFunction(result);
}
