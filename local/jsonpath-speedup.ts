/**
 * A speed-up for the engine, not a behaviour change. jsonpath-plus@10 returns a scalar result of
 * `JSONPath({ ..., wrap: false })` by constructing an `Error` and catching it (`NewError`), and
 * aws-local-stepfunctions evaluates every path that way: profiling the order saga showed 56% of
 * the engine's CPU time spent capturing those stack traces. This swaps the module's exported
 * `JSONPath` for one that evaluates without the throw and returns the same value; `new JSONPath()`
 * and every static member behave as before. Loaded by `runner.ts` before the engine is used.
 */
type JsonPathFn = ((opts: unknown, ...rest: unknown[]) => unknown) & { prototype: { evaluate(args: unknown): unknown } };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonpathPlus = require("jsonpath-plus") as { JSONPath: JsonPathFn & { __noThrow?: true } };
const original = jsonpathPlus.JSONPath;

type Instance = { evaluate(args: unknown): unknown };
const shared = new Map<unknown, Instance>();
const NO_WRAP = Symbol("no wrap option");

/**
 * The engine only ever passes `{ path, json, wrap }`; for that shape one instance per `wrap` value
 * is reused (`evaluate` is synchronous and reads only options fixed at construction).
 */
function instanceFor(o: Record<string, unknown>, rest: unknown[]): Instance {
    const simple = rest.length === 0 && Object.keys(o).every((k) => k === "path" || k === "json" || k === "wrap");
    if (!simple) return Reflect.construct(original, [{ ...o, autostart: false }, ...rest]) as Instance;
    const key = "wrap" in o ? o.wrap : NO_WRAP;
    let instance = shared.get(key);
    if (!instance) {
        instance = Reflect.construct(original, ["wrap" in o ? { wrap: o.wrap, autostart: false } : { autostart: false }]) as Instance;
        shared.set(key, instance);
    }
    return instance;
}

if (!original.__noThrow) {
    const noThrow = function JSONPath(this: unknown, opts: unknown, ...rest: unknown[]): unknown {
        if (new.target) return Reflect.construct(original, [opts, ...rest], new.target);
        if (opts === null || typeof opts !== "object" || (opts as { autostart?: unknown }).autostart === false) return original(opts, ...rest);
        const o = opts as Record<string, unknown>;
        // The same arguments the constructor would pass to `evaluate` (jsonpath-plus `JSONPath()`).
        const args: Record<string, unknown> = { path: o.path };
        if ("json" in o) args.json = o.json;
        return instanceFor(o, rest).evaluate(args);
    } as unknown as JsonPathFn & { __noThrow?: true };
    Object.setPrototypeOf(noThrow, original);
    noThrow.prototype = original.prototype;
    noThrow.__noThrow = true;
    jsonpathPlus.JSONPath = noThrow;
}

/** True once the engine uses the throw-free `JSONPath`. */
export const jsonPathSpeedup = jsonpathPlus.JSONPath !== original || original.__noThrow === true;
