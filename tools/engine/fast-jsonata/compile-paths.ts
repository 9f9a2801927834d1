/**
 * The compiler's paths and calls: jsonata 2.0.6's `evaluatePath` and `evaluateStep`, `evaluateFunction`
 * and `evaluateLambda` (`jsonata.js`, MIT) as closures over already compiled sub-expressions.
 * `compile.ts` hands each function its own `expr` (compile a node) and `filters` (compile a step's
 * stages), so these stay free of the compiler's state.
 */
import { SUPPORTED } from "./builtins";
import { Node, node, Unsupported } from "./ast";
import { apply, Evaluator, Frame, makeLambda, wrapFunctionArgument } from "./runtime";
import { createSequence, flattenStep, isSequence, Sequence } from "./values";

/** Compiles one node (with its predicates). */
export type CompileNode = (n: Node) => Evaluator;
/** Compiles a step's filter stages. */
export type CompileStages = (stages: Node[] | undefined) => ((input: unknown, env: Frame) => Sequence)[];

/** jsonata's `evaluatePath` and `evaluateStep`. */
export function compilePath(stepNodes: Node[], expr: CompileNode, filters: CompileStages): Evaluator {
    const steps = stepNodes.map((s) => ({ ev: expr(s), stages: filters(s.stages as Node[] | undefined) }));
    const absolute = stepNodes[0].type === "variable";
    return (input, env) => {
        let inputSequence: unknown[] = Array.isArray(input) && !absolute ? input : createSequence(input);
        let resultSequence: unknown[] | undefined;
        for (let i = 0; i < steps.length; i++) {
            const { ev, stages } = steps[i];
            const results = createSequence();
            for (const item of inputSequence) {
                let res = ev(item, env);
                for (const stage of stages) res = stage(res, env);
                if (res !== undefined) results.push(res);
            }
            resultSequence =
                i === steps.length - 1 && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0])
                    ? (results[0] as unknown[])
                    : flattenStep(results);
            if (resultSequence.length === 0) break;
            inputSequence = resultSequence;
        }
        return resultSequence;
    };
}

/** jsonata's `evaluateFunction`: a call of `$name(...)`; `locals` are the names the expression binds itself. */
export function compileCall(n: Node, expr: CompileNode, locals: ReadonlySet<string>): Evaluator {
    const procedure = node(n.procedure);
    if (procedure.type !== "variable") throw new Unsupported("call of a non-variable");
    const name = procedure.value as string;
    if (!SUPPORTED.has(name) && !locals.has(name)) throw new Unsupported(`$${name}()`);
    if (name === "sort" && (n.arguments as Node[]).length !== 1 && !locals.has(name)) throw new Unsupported("$sort with a comparator");
    const proc = expr(procedure);
    const args = (n.arguments as Node[]).map((a) => expr(a));
    return (input, env) => {
        const fn = proc(input, env);
        const evaluated = args.map((arg) => wrapFunctionArgument(arg(input, env), env));
        return apply(fn, evaluated, input, env);
    };
}

/** jsonata's `evaluateLambda`; a thunk is a tail call the trampoline in `apply` runs. */
export function compileLambda(n: Node, expr: CompileNode): Evaluator {
    if (n.signature !== undefined) throw new Unsupported("lambda signature");
    const params = n.arguments as { value: string }[];
    const bodyNode = node(n.body);
    const body = expr(bodyNode);
    if (n.thunk !== true) return (input, env) => makeLambda(input, env, params, body);
    if (bodyNode.type !== "function") throw new Unsupported("thunk body");
    const thunk = { procedure: expr(node(bodyNode.procedure)), arguments: (bodyNode.arguments as Node[]).map((a) => expr(a)) };
    return (input, env) => makeLambda(input, env, params, body, thunk);
}
