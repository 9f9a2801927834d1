/**
 * Scopes and function application of jsonata 2.0.6 (`createFrame`, `apply`, `applyInner`,
 * `applyProcedure` and `evaluateLambda` in its `jsonata.js`, MIT), made synchronous: every function
 * this evaluator can call is synchronous (`builtins.ts`), so nothing is awaited. Tail calls run on
 * the same trampoline as jsonata's, so the context a native function sees on a tail call is the one
 * jsonata gives it.
 */
import { fault, functionArity, isFunction } from "./values";

/** A compiled expression: evaluates against the context value `input` in scope `env`. */
export type Evaluator = (input: unknown, env: Frame) => unknown;

/** What every scope of one evaluation shares: the bindings (`$states`, variables), the root input (`$$`), the time (`$millis`) and the functions. */
export interface Root {
    readonly bindings: Readonly<Record<string, unknown>>;
    readonly input: unknown;
    readonly timestamp: number;
    readonly functions: ReadonlyMap<string, unknown>;
}

/**
 * A scope (jsonata's frame): a block or a lambda call opens one; `:=` binds in the innermost. A
 * name not bound in any frame is looked up as jsonata does: the evaluation's bindings, then `$`,
 * then the functions (Step Functions' additions over jsonata's built-ins).
 */
export class Frame {
    private vars?: Map<string, unknown>;
    constructor(
        readonly parent: Frame | undefined,
        readonly root: Root,
    ) {}

    /** jsonata reads `environment.timestamp` in `$millis`. */
    get timestamp(): number {
        return this.root.timestamp;
    }

    bind(name: string, value: unknown): void {
        (this.vars ??= new Map()).set(name, value);
    }

    lookup(name: string): unknown {
        // One `get` per frame; `has` only to tell a name bound to undefined (`$x := ()`) from an unbound one.
        const own = this.vars;
        if (own !== undefined) {
            const value = own.get(name);
            if (value !== undefined || own.has(name)) return value;
        }
        for (let frame = this.parent; frame; frame = frame.parent) {
            const vars = frame.vars;
            if (vars === undefined) continue;
            const value = vars.get(name);
            if (value !== undefined || vars.has(name)) return value;
        }
        const root = this.root;
        // exec_env binds `$` after the bindings, so `$` wins over a binding of that name.
        if (name === "$") return root.input;
        if (Object.prototype.hasOwnProperty.call(root.bindings, name)) return root.bindings[name];
        return root.functions.get(name);
    }
}

/** A native function as jsonata defines it (`defineFunction`): its implementation and parsed signature. */
export interface NativeFunction {
    readonly _jsonata_function: true;
    readonly implementation: (this: Focus, ...args: unknown[]) => unknown;
    readonly signature?: { validate(args: unknown[], context: unknown): unknown[] };
}

/** The `this` jsonata gives a native function. */
export interface Focus {
    readonly environment: Frame;
    readonly input: unknown;
}

/** A lambda (`function($x) { ... }`), shaped like jsonata's procedure so jsonata's built-ins treat it as one. */
export interface Lambda {
    readonly _jsonata_lambda: true;
    readonly input: unknown;
    readonly environment: Frame;
    readonly arguments: readonly { readonly value: string }[];
    readonly body: Evaluator;
    /** A tail call (the parser's thunk): its procedure and arguments, run on `apply`'s trampoline. */
    readonly thunk?: { readonly procedure: Evaluator; readonly arguments: readonly Evaluator[] };
    apply(self: Focus | undefined, args: unknown[]): unknown;
}

function isLambda(value: unknown): value is Lambda {
    return !!value && (value as Lambda)._jsonata_lambda === true;
}

/** jsonata's `evaluateLambda`. */
export function makeLambda(input: unknown, environment: Frame, params: readonly { value: string }[], body: Evaluator, thunk?: Lambda["thunk"]): Lambda {
    const lambda: Lambda = {
        _jsonata_lambda: true,
        input,
        environment,
        arguments: params,
        body,
        thunk,
        apply: (self, args) => apply(lambda, args, input, self ? self.environment : environment),
    };
    return lambda;
}

/** jsonata's `apply`: applies `proc`, then runs tail calls until a value comes back. */
export function apply(proc: unknown, args: unknown[], input: unknown, env: Frame): unknown {
    let result = applyInner(proc, args, input, env);
    while (isLambda(result) && result.thunk) {
        const tail: Lambda = result;
        const next = tail.thunk!.procedure(tail.input, tail.environment);
        const evaluated = tail.thunk!.arguments.map((arg) => arg(tail.input, tail.environment));
        result = applyInner(next, evaluated, input, env);
    }
    return result;
}

function applyInner(proc: unknown, args: unknown[], input: unknown, env: Frame): unknown {
    const signature = proc ? (proc as NativeFunction).signature : undefined;
    const validated = signature ? signature.validate(args, input) : args;
    if (isLambda(proc)) {
        const frame = new Frame(proc.environment, proc.environment.root);
        proc.arguments.forEach((param, i) => frame.bind(param.value, validated[i]));
        return proc.body(proc.input, frame);
    }
    let result: unknown;
    if (proc && (proc as NativeFunction)._jsonata_function === true)
        result = (proc as NativeFunction).implementation.apply({ environment: env, input }, validated);
    else if (typeof proc === "function") result = (proc as (...a: unknown[]) => unknown).apply(input, validated);
    else fault("T1006");
    // Every function this evaluator admits is synchronous; a promise means one is not, and jsonata must answer.
    if (result instanceof Promise) throw new Error("fast-jsonata: an asynchronous function was called.");
    return result;
}

/**
 * A function value passed as an argument, wrapped as jsonata's `evaluateFunction` wraps it (a
 * closure of the call's scope, with the function's arity, that the built-ins call with `.apply`).
 */
export function wrapFunctionArgument(arg: unknown, env: Frame): unknown {
    if (!isFunction(arg)) return arg;
    const closure = (...params: unknown[]) => apply(arg, params, null, env);
    return Object.assign(closure, { arity: functionArity(arg) });
}
