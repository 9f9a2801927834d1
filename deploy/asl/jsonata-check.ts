/**
 * Static checks of a definition's JSONata that AWS would not catch at `CreateStateMachine` but that
 * change what an execution does on AWS:
 *
 * - A JSONata Choice whose rules lack an `Output` while the state has one: on AWS the state-level
 *   `Output` applies only when `Default` is taken, and a matching rule without `Output` passes the
 *   state input on (docs/aws-facts.md §14). Such a state means something else on AWS than it reads.
 * - An unbound `$name`: Step Functions reads `$name` as a workflow-variable reference
 *   (docs/aws-facts.md §15), so "nothing" must be written `()`, not as a name never assigned.
 *
 * Both are checked on every definition the synth writes.
 */
import jsonata from "jsonata";
import { isObject } from "./json";

type Rec = Record<string, unknown>;

/** Functions Step Functions adds to JSONata (docs/aws-facts.md §15). */
const STEP_FUNCTIONS_FUNCTIONS = ["partition", "range", "hash", "random", "uuid", "parse", "base64encode", "base64decode"];
/** The binding Step Functions provides to every expression. */
const RESERVED = ["states"];

const TEMPLATE = /^\{%([\s\S]*)%\}$/;

/**
 * JSONata 2.0's own functions (docs.jsonata.org, "Function library"); a test checks each against the
 * `jsonata` package, which offers no synchronous way to ask.
 */
export const JSONATA_FUNCTIONS: readonly string[] = [
    ..."sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad match contains".split(" "),
    ..."replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power random boolean not".split(" "),
    ..."map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert type sort shuffle distinct".split(" "),
    ..."base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis now millis".split(" "),
];

/** True when `$name` is one of JSONata's own functions. */
function isBuiltin(name: string): boolean {
    return JSONATA_FUNCTIONS.includes(name);
}

/** The names an expression's AST refers to (`$name`) and the ones it binds (`:=`, function parameters). */
function namesOf(node: unknown, used: Set<string>, bound: Set<string>): void {
    if (Array.isArray(node)) {
        for (const child of node) namesOf(child, used, bound);
        return;
    }
    if (!isObject(node)) return;
    if (node.type === "variable" && typeof node.value === "string" && node.value !== "" && node.value !== "$") used.add(node.value);
    if (node.type === "bind" && isObject(node.lhs) && typeof node.lhs.value === "string") bound.add(node.lhs.value);
    if (node.type === "lambda" && Array.isArray(node.arguments))
        for (const arg of node.arguments) if (isObject(arg) && typeof arg.value === "string") bound.add(arg.value);
    for (const [key, child] of Object.entries(node)) if (key !== "lhs" || node.type !== "bind") namesOf(child, used, bound);
}

/** Every `{% %}` expression in a JSON value, with where it is. */
function expressionsIn(value: unknown, at: string, out: { at: string; source: string }[]): void {
    if (typeof value === "string") {
        const source = TEMPLATE.exec(value)?.[1];
        if (source !== undefined) out.push({ at, source });
    } else if (Array.isArray(value)) value.forEach((v, i) => expressionsIn(v, `${at}[${i}]`, out));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) expressionsIn(v, `${at}.${k}`, out);
}

/** Every state of a definition (nested machines included), with its path of names. */
function statesOf(definition: unknown, prefix = ""): { name: string; state: Rec }[] {
    if (!isObject(definition) || !isObject(definition.States)) return [];
    const out: { name: string; state: Rec }[] = [];
    for (const [name, state] of Object.entries(definition.States)) {
        if (!isObject(state)) continue;
        const full = `${prefix}${name}`;
        out.push({ name: full, state });
        const nested = [...(Array.isArray(state.Branches) ? state.Branches : []), state.ItemProcessor, state.Iterator];
        for (const machine of nested) out.push(...statesOf(machine, `${full} › `));
    }
    return out;
}

/** Workflow variables the definition assigns anywhere (a conservative scope: any `Assign` key). */
function assignedVariables(states: { state: Rec }[]): Set<string> {
    const names = new Set<string>();
    const collect = (assign: unknown) => {
        if (isObject(assign)) for (const key of Object.keys(assign)) names.add(key.replace(/\.\$$/, ""));
    };
    for (const { state } of states) {
        collect(state.Assign);
        for (const list of [state.Choices, state.Catch]) if (Array.isArray(list)) for (const entry of list) if (isObject(entry)) collect(entry.Assign);
    }
    return names;
}

/** Problems of `definition`'s JSONata as sentences; empty when there are none. */
export function jsonataProblems(definition: unknown): string[] {
    const states = statesOf(definition);
    const variables = assignedVariables(states);
    const problems: string[] = [];
    for (const { name, state } of states) {
        if (state.Type === "Choice" && state.Output !== undefined && Array.isArray(state.Choices)) {
            const bare = state.Choices.filter((rule) => isObject(rule) && rule.Output === undefined).length;
            if (bare > 0)
                problems.push(
                    `State \`${name}\`: ${bare} Choice rule(s) have no \`Output\`, so on AWS they pass the state input on; the state-level \`Output\` applies only when \`Default\` is taken. Put the \`Output\` on each rule.`,
                );
        }
        const expressions: { at: string; source: string }[] = [];
        const { Branches: _b, ItemProcessor: _p, Iterator: _i, ...own } = state;
        expressionsIn(own, "", expressions);
        for (const { at, source } of expressions) {
            let ast: unknown;
            try {
                ast = jsonata(source).ast();
            } catch (e) {
                problems.push(`State \`${name}\`${at}: invalid JSONata: ${(e as Error).message}`);
                continue;
            }
            const used = new Set<string>();
            const bound = new Set<string>();
            namesOf(ast, used, bound);
            const unbound = [...used].filter(
                (n) => !bound.has(n) && !variables.has(n) && !RESERVED.includes(n) && !STEP_FUNCTIONS_FUNCTIONS.includes(n) && !isBuiltin(n),
            );
            if (unbound.length > 0)
                problems.push(
                    `State \`${name}\`${at}: \`${unbound.map((n) => `$${n}`).join("`, `")}\` is never bound; Step Functions would read it as a workflow variable. Use \`()\` for nothing.`,
                );
        }
    }
    return problems;
}
