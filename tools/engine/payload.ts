/**
 * The JSONPath data pipeline (AWS "Processing input and output in Step Functions"): InputPath →
 * Parameters → (task) → ResultSelector → ResultPath → OutputPath, and payload templates whose keys end
 * in `.$` (a path into the state data, `$$.` the context object, `$name` a variable, or an intrinsic
 * call). Values flow through unchanged where AWS semantics allow it: templates build new objects,
 * ResultPath copies only the objects on its path (copy-on-write), nothing is deep-copied.
 * Causes follow AWS's recorded wording (LocalStack `error_handling/test_states_errors` snapshots).
 */
import { evaluateIntrinsic, isIntrinsic } from "./intrinsics";
import { stateCause } from "./jsonata-eval";
import { EngineError, PathScope, plainSteps, tryReadPath } from "./scope";
import { Rec } from "./types";

/** The state a JSONPath field belongs to, for causes. */
export interface StateRef {
    readonly state: string;
    readonly enteredId: number;
}

/** A `States.Runtime` error of `ref`'s state. */
export function runtimeFailure(ref: StateRef, message: string): EngineError {
    return new EngineError("States.Runtime", stateCause(ref, message));
}

function json(value: unknown): string {
    return JSON.stringify(value) ?? "null";
}

/** AWS's message for a path that matches nothing (Jayway's wording: a missing middle step vs. a missing end). */
function noResults(path: string, value: unknown): string {
    const steps = plainSteps(path);
    if (!steps || path.startsWith("$$")) return `Invalid path '${path}' : No results for path: ${path}`;
    const bracket = (upTo: number) =>
        `$${steps
            .slice(0, upTo)
            .map((s) => (typeof s === "number" ? `[${s}]` : `['${s}']`))
            .join("")}`;
    let current = value;
    for (let i = 0; i < steps.length; i++) {
        const step = steps[i];
        const next = current !== null && typeof current === "object" ? (current as Rec)[step as string] : undefined;
        if (next === undefined && i < steps.length - 1) return `Invalid path '${path}' : Missing property in path ${bracket(i + 1)}`;
        current = next;
    }
    return `Invalid path '${path}' : No results for path: ${bracket(steps.length)}`;
}

/** InputPath / OutputPath / ItemsPath: `undefined` keeps `value`, `null` gives `{}`, a path selects (States.Runtime when it matches nothing). */
export function selectPath(path: unknown, value: unknown, scope: Omit<PathScope, "input">, ref: StateRef): unknown {
    if (path === undefined) return value;
    if (path === null) return {};
    const found = tryReadPath(String(path), { ...scope, input: value });
    if (found === undefined) throw runtimeFailure(ref, noResults(String(path), value));
    return found;
}

/** Resolves a payload template (Parameters, ResultSelector, ItemSelector, Assign) against `scope`. */
export function resolvePayload(template: unknown, scope: PathScope, ref: StateRef): unknown {
    if (Array.isArray(template)) return template.map((v) => resolvePayload(v, scope, ref));
    if (template === null || typeof template !== "object") return template;
    const out: Rec = {};
    for (const [key, value] of Object.entries(template)) {
        if (!key.endsWith(".$")) {
            out[key] = resolvePayload(value, scope, ref);
            continue;
        }
        const name = key.slice(0, -2);
        if (typeof value !== "string") throw runtimeFailure(ref, `The value of the field '${key}' must be a JSONPath or an intrinsic function.`);
        if (isIntrinsic(value)) {
            out[name] = evaluateIntrinsic(value, scope);
            continue;
        }
        const found = tryReadPath(value, scope);
        if (found === undefined) {
            const input = value.startsWith("$$") ? scope.context : scope.input;
            throw runtimeFailure(ref, `The JSONPath '${value}' specified for the field '${key}' could not be found in the input '${json(input)}'`);
        }
        out[name] = found;
    }
    return out;
}

/**
 * ResultPath: `undefined`/`$` → the result replaces the input, `null` → the input passes on, a path →
 * the input with the result set there, creating missing objects; only the objects along the path are copied.
 */
export function applyResultPath(path: unknown, input: unknown, result: unknown, ref: StateRef): unknown {
    if (path === undefined || path === "$") return result;
    if (path === null) return input;
    const steps = plainSteps(String(path));
    if (!steps || (!String(path).startsWith("$.") && !String(path).startsWith("$[")))
        throw runtimeFailure(ref, `Invalid path '${String(path)}': ResultPath must be a reference path to the state input.`);
    const set = (target: unknown, i: number): unknown => {
        if (i === steps.length) return result;
        const step = steps[i];
        if (typeof step === "number") {
            if (!Array.isArray(target) || step >= target.length) throw runtimeFailure(ref, `Invalid path '${String(path)}' : index ${step} is out of range`);
            const copy = target.slice();
            copy[step] = set(target[step], i + 1);
            return copy;
        }
        if (target === undefined) return { [step]: set(undefined, i + 1) };
        if (target === null || typeof target !== "object" || Array.isArray(target))
            throw runtimeFailure(
                ref,
                `Unable to apply ResultPath '${String(path)}' to input '${json(input)}': '${step}' cannot be set on a ${target === null ? "null" : Array.isArray(target) ? "list" : typeof target}.`,
            );
        return { ...(target as Rec), [step]: set((target as Rec)[step], i + 1) };
    };
    return set(input, 0);
}
