/**
 * The structural checks Step Functions makes at CreateStateMachine (Amazon States Language
 * specification: "Top-level fields", "States", "Transitions", "Choice Rules", "Retrying after an
 * error"): StartAt names a state, every Next/Default/Catch Next names a state of the same machine,
 * a non-terminal state has Next xor End, Choice has Choices and no End, Succeed/Fail have neither,
 * `States.ALL` stands alone and last, nested machines (Parallel branches, Map ItemProcessor/Iterator)
 * follow the same rules. Checks happen once per definition; a bad definition throws with every problem.
 * Two checks AWS makes at CreateStateMachine, recorded on AWS (LocalStack scenarios `test_wait_timestamp_invalid`,
 * `test_illegal_escapes`, each an `InvalidDefinition` "SCHEMA_VALIDATION_FAILED"): a JSONPath Wait's `Timestamp`
 * must be an RFC 3339 timestamp (a `{% %}` string is not), and a `.$` field's intrinsic call must parse.
 */
import { intrinsicProblem, isIntrinsic } from "./intrinsics";
import { QueryLanguage, Rec } from "./types";

/** RFC 3339 date-time: a `T`, seconds, an optional fraction, and `Z` or an offset (AWS refuses "2016-12-05 21:29:29Z" and "2016-12-05T21:29:29"). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** The JSONPath fields whose `.$` keys hold paths or intrinsic calls. */
const TEMPLATE_FIELDS = ["Parameters", "ResultSelector", "ItemSelector", "Assign"];

/** The `.$` keys of a payload template whose intrinsic call does not parse, as AWS words it. */
function templateProblems(at: string, field: string, template: unknown, pointer: string): string[] {
    if (Array.isArray(template)) return template.flatMap((v) => templateProblems(at, field, v, pointer));
    if (!isRec(template)) return [];
    return Object.entries(template).flatMap(([key, value]) =>
        key.endsWith(".$") && typeof value === "string" && isIntrinsic(value) && intrinsicProblem(value) !== undefined
            ? [`${at}: the value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call at ${pointer}/${field}`]
            : templateProblems(at, field, value, pointer),
    );
}

const TYPES = new Set(["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]);

function isRec(value: unknown): value is Rec {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function handlerProblems(at: string, field: "Retry" | "Catch", list: unknown, names: ReadonlySet<string>): string[] {
    if (list === undefined) return [];
    if (!Array.isArray(list)) return [`${at}: \`${field}\` must be an array`];
    const problems: string[] = [];
    list.forEach((h, i) => {
        const errors = isRec(h) ? h.ErrorEquals : undefined;
        if (!Array.isArray(errors) || errors.length === 0) problems.push(`${at}: \`${field}[${i}].ErrorEquals\` must be a non-empty array`);
        else if (errors.includes("States.ALL") && (errors.length > 1 || i !== list.length - 1))
            problems.push(`${at}: \`States.ALL\` must appear alone in the last ${field === "Retry" ? "retrier" : "catcher"}`);
        if (field === "Catch" && (!isRec(h) || typeof h.Next !== "string" || !names.has(h.Next)))
            problems.push(`${at}: \`Catch[${i}].Next\` must name a state of this machine`);
    });
    return problems;
}

function stateProblems(name: string, state: Rec, names: ReadonlySet<string>, path: string, inherited: QueryLanguage): string[] {
    const at = `State \`${path}${name}\``;
    const type = state.Type as string;
    if (!TYPES.has(type)) return [`${at}: unknown \`Type\` ${JSON.stringify(state.Type)}`];
    const problems: string[] = [];
    const ql = (state.QueryLanguage as QueryLanguage | undefined) ?? inherited;
    if (ql === "JSONPath") {
        const pointer = `/States/${name}`;
        for (const field of TEMPLATE_FIELDS) problems.push(...templateProblems(at, field, state[field], pointer));
        const timestamp = state.Timestamp;
        if (type === "Wait" && timestamp !== undefined && (typeof timestamp !== "string" || !RFC3339.test(timestamp) || Number.isNaN(Date.parse(timestamp))))
            problems.push(`${at}: \`Timestamp\` ${JSON.stringify(timestamp)} does not match RFC3339 timestamp at ${pointer}/Timestamp`);
    }
    const next = (target: unknown, field: string) => {
        if (typeof target !== "string" || !names.has(target)) problems.push(`${at}: \`${field}\` ${JSON.stringify(target)} is not a state of this machine`);
    };
    if (type === "Choice") {
        if (!Array.isArray(state.Choices) || state.Choices.length === 0) problems.push(`${at}: a Choice state needs a non-empty \`Choices\``);
        else state.Choices.forEach((rule, i) => next(isRec(rule) ? rule.Next : undefined, `Choices[${i}].Next`));
        if (state.Default !== undefined) next(state.Default, "Default");
        if (state.End !== undefined || state.Next !== undefined) problems.push(`${at}: a Choice state has neither \`Next\` nor \`End\``);
    } else if (type === "Succeed" || type === "Fail") {
        if (state.End !== undefined || state.Next !== undefined) problems.push(`${at}: a ${type} state has neither \`Next\` nor \`End\``);
    } else if ((state.End === true) === (state.Next !== undefined)) problems.push(`${at}: needs exactly one of \`Next\` or \`End: true\``);
    else if (state.Next !== undefined) next(state.Next, "Next");
    if (type === "Task" && state.Resource === undefined) problems.push(`${at}: a Task state needs \`Resource\``);
    problems.push(...handlerProblems(at, "Retry", state.Retry, names), ...handlerProblems(at, "Catch", state.Catch, names));
    if (type === "Parallel") {
        if (!Array.isArray(state.Branches) || state.Branches.length === 0) problems.push(`${at}: a Parallel state needs a non-empty \`Branches\``);
        else state.Branches.forEach((b, i) => problems.push(...machineProblems(b, `${path}${name}.Branches[${i}].`, inherited)));
    }
    if (type === "Map") {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (processor === undefined) problems.push(`${at}: a Map state needs \`ItemProcessor\``);
        else problems.push(...machineProblems(processor, `${path}${name}.`, inherited));
    }
    return problems;
}

/** Every problem of `machine` (a definition, a branch or an item processor), as sentences; nested machines inherit the definition's QueryLanguage. */
export function machineProblems(machine: unknown, path = "", inherited?: QueryLanguage): string[] {
    if (!isRec(machine) || !isRec(machine.States)) return [`${path || "The definition"}: needs \`StartAt\` and \`States\``];
    const names = new Set(Object.keys(machine.States));
    const problems: string[] = [];
    if (typeof machine.StartAt !== "string" || !names.has(machine.StartAt))
        problems.push(`${path || "The definition"}: \`StartAt\` ${JSON.stringify(machine.StartAt)} is not a state`);
    if (machine.QueryLanguage !== undefined && machine.QueryLanguage !== "JSONPath" && machine.QueryLanguage !== "JSONata")
        problems.push(`${path || "The definition"}: \`QueryLanguage\` must be \`JSONPath\` or \`JSONata\``);
    const ql = inherited ?? ((machine.QueryLanguage as QueryLanguage | undefined) === "JSONata" ? "JSONata" : "JSONPath");
    for (const [name, state] of Object.entries(machine.States)) {
        if (!isRec(state)) problems.push(`State \`${path}${name}\`: must be an object`);
        else problems.push(...stateProblems(name, state, names, path, ql));
    }
    return problems;
}
