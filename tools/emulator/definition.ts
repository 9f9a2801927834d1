/**
 * Reads a definition the way the local runner needs it: every state, nested ones included
 * (Parallel branches, Map `ItemProcessor` and the older `Iterator`), and the HTTP Task checks
 * Step Functions makes when the state machine is created (docs/aws-facts.md checklist §11.1).
 */
import { baseUrlProblems, jsonataEndpointParts, jsonataExpression, NOT_HTTPS } from "../../deploy/asl/endpoint";
import { HTTP_INVOKE } from "../../deploy/asl/http-task";
import { HTTP_METHODS } from "./request";
import { isObject } from "../../deploy/asl/json";
import { isLoopbackHost } from "./routes";

/** A state found anywhere in a definition. */
export interface FoundState {
    readonly name: string;
    readonly state: Record<string, unknown>;
}

/** Every state of `definition`, depth first. */
export function statesOf(definition: unknown): FoundState[] {
    if (!isObject(definition) || !isObject(definition.States)) return [];
    const out: FoundState[] = [];
    for (const [name, state] of Object.entries(definition.States)) {
        if (!isObject(state)) continue;
        out.push({ name, state });
        const nested = [...(Array.isArray(state.Branches) ? state.Branches : []), state.ItemProcessor, state.Iterator];
        for (const machine of nested) out.push(...statesOf(machine));
    }
    return out;
}

/** `state` with `lower` applied to each nested state machine (Parallel branches, a Map's `ItemProcessor`). */
export function mapNestedMachines(state: unknown, lower: (machine: unknown) => unknown): unknown {
    if (!isObject(state)) return state;
    if (Array.isArray(state.Branches)) return { ...state, Branches: state.Branches.map(lower) };
    if (isObject(state.ItemProcessor)) return { ...state, ItemProcessor: lower(state.ItemProcessor) };
    return state;
}

/**
 * `baseUrlProblems` of deploy/ (https only, as AWS), except that a hand-written local definition may
 * call a loopback `http://` host: it never reaches AWS, and the sandbox serves plain HTTP.
 */
function endpointProblems(url: string): string[] {
    let loopbackHttp = false;
    try {
        const parsed = new URL(url);
        loopbackHttp = parsed.protocol === "http:" && isLoopbackHost(parsed.hostname);
    } catch {
        // Not a URL: baseUrlProblems names it.
    }
    const problems = baseUrlProblems(url);
    return loopbackHttp ? problems.filter((p) => p !== NOT_HTTPS) : problems;
}

function httpTaskProblems(name: string, state: Record<string, unknown>): string[] {
    const at = `State \`${name}\``;
    // JSONPath states give the request in `Parameters`, JSONata states in `Arguments` (whose values may be `{% %}` expressions).
    const p = isObject(state.Parameters) ? state.Parameters : isObject(state.Arguments) ? state.Arguments : undefined;
    if (!p) return [`${at}: an HTTP Task needs \`Parameters\` (JSONPath) or \`Arguments\` (JSONata)`];
    const expression = (value: unknown) => typeof value === "string" && /^\{%[\s\S]*%\}$/.test(value);
    const problems: string[] = [];
    if (typeof p.Method === "string" && !expression(p.Method) && !HTTP_METHODS.includes(p.Method))
        problems.push(`${at}: \`Method\` must be one of ${HTTP_METHODS.join(", ")}`);
    if (p.Method === undefined && p["Method.$"] === undefined) problems.push(`${at}: \`Method\` is required`);
    const holders = ["Authentication", "InvocationConfig"].filter((k) => p[k] !== undefined);
    if (holders.length !== 1) problems.push(`${at}: use exactly one of \`Authentication\` or \`InvocationConfig\``);
    else if (!isObject(p[holders[0]]) || typeof (p[holders[0]] as Record<string, unknown>).ConnectionArn !== "string")
        problems.push(`${at}: \`${holders[0]}.ConnectionArn\` must be a literal string`);
    // JSONata fields carry no `.$` keys: such a key is sent as it stands, never evaluated.
    if (p === state.Arguments)
        for (const key of Object.keys(p).filter((k) => k.endsWith(".$")))
            problems.push(`${at}: \`Arguments.${key}\`: JSONata fields take \`{% %}\`, not \`.$\``);
    const literalEndpoint = expression(p.ApiEndpoint) ? jsonataEndpointParts(jsonataExpression(p.ApiEndpoint)!) : undefined;
    if (literalEndpoint?.length === 1) {
        for (const problem of endpointProblems(literalEndpoint[0])) problems.push(`${at}: \`ApiEndpoint\` ${problem}`);
    } else if (typeof p.ApiEndpoint === "string" && !expression(p.ApiEndpoint)) {
        for (const problem of endpointProblems(p.ApiEndpoint)) problems.push(`${at}: \`ApiEndpoint\` ${problem}`);
    } else if (p.ApiEndpoint === undefined && p["ApiEndpoint.$"] === undefined) problems.push(`${at}: \`ApiEndpoint\` is required`);
    const transform = p.Transform;
    if (transform !== undefined) {
        const t = isObject(transform) ? transform : {};
        if (t.RequestBodyEncoding !== undefined && !["NONE", "URL_ENCODED"].includes(t.RequestBodyEncoding as string))
            problems.push(`${at}: \`Transform.RequestBodyEncoding\` must be \`NONE\` or \`URL_ENCODED\``);
        const format = isObject(t.RequestEncodingOptions) ? t.RequestEncodingOptions.ArrayFormat : undefined;
        if (format !== undefined && !["INDICES", "REPEAT", "COMMAS", "BRACKETS"].includes(format as string))
            problems.push(`${at}: \`ArrayFormat\` must be \`INDICES\`, \`REPEAT\`, \`COMMAS\` or \`BRACKETS\``);
    }
    return problems;
}

/**
 * Problems Step Functions would reject at `CreateStateMachine`, or that the local runner cannot run,
 * as sentences; empty when the definition is fine.
 */
export function definitionProblems(definition: unknown): string[] {
    if (!isObject(definition) || !isObject(definition.States)) return ["The definition must be an object with `StartAt` and `States`."];
    const problems: string[] = [];
    const resources = new Map<string, string>();
    for (const { name, state } of statesOf(definition)) {
        if (state.Type !== "Task") continue;
        const resource = String(state.Resource);
        // Task overrides are keyed by state name, so one name must mean one resource.
        if (resources.has(name) && resources.get(name) !== resource)
            problems.push(`State name \`${name}\` is used by two Task states with different resources; rename one`);
        resources.set(name, resource);
        // Only request-response exists for http:invoke (§1.1); `.sync`/`.waitForTaskToken` are refused.
        if (resource.startsWith(`${HTTP_INVOKE}.`))
            problems.push(`State \`${name}\`: \`${resource}\` is not supported; HTTP Tasks are request-response only (\`${HTTP_INVOKE}\`)`);
        if (resource === HTTP_INVOKE) problems.push(...httpTaskProblems(name, state));
    }
    return problems;
}
