/**
 * Turns the resolved request of an HTTP Task (its `Parameters`, or a JSONata Task's evaluated `Arguments`: the same fields) and its connection into the exact request Step
 * Functions sends (docs/aws-facts.md §1–3, checklist §11.2): validation, forbidden headers, the
 * connection-wins merge, body encoding and the headers Step Functions adds. Pure: no I/O; auth
 * headers are added by the caller because OAuth needs a token first.
 */
import * as qs from "qs";
import { isLoopbackHost } from "./routes";
import { isForbiddenHeader } from "../../deploy/asl/http-task";
import { ConnectionSpec, parameterPairs } from "./connections";
import { runtimeError } from "./errors";
import { isObject } from "../../deploy/asl/json";

/** A request ready to send. Header names keep their case; no two differ only by case. */
export interface HttpRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: Record<string, string>;
    readonly body?: string;
}

/** The seven methods, upper case only: lower-case acceptance is UNKNOWN, so it is refused (§1.4). */
export const HTTP_METHODS: readonly string[] = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
const FIELDS = new Set(["ApiEndpoint", "Method", "Authentication", "InvocationConfig", "Headers", "QueryParameters", "RequestBody", "Transform"]);
const ARRAY_FORMATS: Record<string, "indices" | "repeat" | "comma" | "brackets"> = {
    INDICES: "indices",
    REPEAT: "repeat",
    COMMAS: "comma",
    BRACKETS: "brackets",
};

/** The connection ARN of an HTTP Task: exactly one of `Authentication` / `InvocationConfig` (§1.2). */
export function connectionArnOf(params: Record<string, unknown>): string {
    const holders = ["Authentication", "InvocationConfig"].filter((k) => params[k] !== undefined);
    // Both or neither is UNKNOWN in AWS; refusing it keeps definitions portable.
    if (holders.length !== 1) throw runtimeError("An HTTP Task needs exactly one of `Authentication` or `InvocationConfig` with a `ConnectionArn`.");
    const holder = params[holders[0]];
    if (!isObject(holder) || typeof holder.ConnectionArn !== "string") throw runtimeError(`\`${holders[0]}.ConnectionArn\` must be a string.`);
    return holder.ConnectionArn;
}

/** Scalar to wire text; objects, arrays and null are refused where AWS's encoding is UNKNOWN (§1.6, §1.7). */
function scalar(value: unknown, where: string): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw runtimeError(`${where} must be a string, number or boolean; got ${JSON.stringify(value)}.`);
}

function pairsOf(value: unknown, field: string): [string, string][] {
    if (value === undefined) return [];
    // The doc also mentions string and array forms; only objects appear in examples (UNKNOWN, §1.6).
    if (!isObject(value)) throw runtimeError(`\`${field}\` must be a JSON object.`);
    return Object.entries(value).map(([k, v]) => [k, scalar(v, `\`${field}.${k}\``)]);
}

/** Adds or replaces (keeping position) `[key, value]`; header names match case-insensitively. */
function upsert(list: [string, string][], key: string, value: string, ignoreCase: boolean): void {
    const norm = (k: string) => (ignoreCase ? k.toLowerCase() : k);
    const at = list.findIndex(([k]) => norm(k) === norm(key));
    if (at >= 0) list[at] = [ignoreCase ? key : list[at][0], value];
    else list.push([key, value]);
}

function endpointUrl(endpoint: unknown): string {
    if (typeof endpoint !== "string") throw runtimeError("`ApiEndpoint` must be a string.");
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        throw runtimeError(`\`ApiEndpoint\` \`${endpoint}\` is not an absolute URL.`);
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
        throw runtimeError(`\`ApiEndpoint\` \`${endpoint}\` must use https:// (http:// only for loopback hosts).`);
    }
    // A query string in ApiEndpoint is UNKNOWN in AWS (§1.3): refuse it, point at QueryParameters.
    if (endpoint.includes("?") || endpoint.includes("#"))
        throw runtimeError(`\`ApiEndpoint\` \`${endpoint}\` must not contain a query or fragment; use \`QueryParameters\`.`);
    if (url.username !== "" || url.password !== "") throw runtimeError("`ApiEndpoint` must not contain credentials; use the connection.");
    return endpoint;
}

function mergedBody(params: Record<string, unknown>, connection: ConnectionSpec): unknown {
    const extra = parameterPairs(connection.AuthParameters.InvocationHttpParameters?.BodyParameters);
    const body = params.RequestBody;
    if (extra.length === 0) return body;
    // A string (or any non-object) body cannot take the connection's keys (§2 rule 6).
    if (body !== undefined && !isObject(body))
        throw runtimeError("`RequestBody` is not a JSON object, so the connection's body parameters cannot be merged into it.");
    const merged: Record<string, unknown> = { ...(body ?? {}) };
    for (const [k, v] of extra) merged[k] = v; // existing keys keep their position (§2)
    return merged;
}

function encodeBody(body: unknown, transform: unknown): string | undefined {
    if (transform !== undefined && !isObject(transform)) throw runtimeError("`Transform` must be an object.");
    const encoding = transform?.RequestBodyEncoding ?? "NONE";
    if (encoding !== "NONE" && encoding !== "URL_ENCODED") throw runtimeError("`Transform.RequestBodyEncoding` must be `NONE` or `URL_ENCODED`.");
    const options = transform?.RequestEncodingOptions;
    const format = isObject(options) && options.ArrayFormat !== undefined ? options.ArrayFormat : "INDICES";
    if (typeof format !== "string" || !(format in ARRAY_FORMATS)) throw runtimeError("`ArrayFormat` must be `INDICES`, `REPEAT`, `COMMAS` or `BRACKETS`.");
    if (body === undefined) return undefined;
    if (encoding === "NONE") return JSON.stringify(body);
    // URL-encoding a string body is UNKNOWN (§1.9): refused.
    if (!isObject(body)) throw runtimeError("`URL_ENCODED` needs a JSON object `RequestBody`.");
    // Spaces as %20 and brackets as %5B/%5D, as in AWS's Stripe example (§1.9).
    return qs.stringify(body, { arrayFormat: ARRAY_FORMATS[format], format: "RFC3986" });
}

/**
 * Builds the request for resolved `params` and its `connection`, in the order of the checklist
 * (§11.2). Throws `States.Runtime` for anything AWS rejects or that this emulator refuses because
 * AWS's behaviour is UNKNOWN.
 */
export function buildRequest(params: Record<string, unknown>, connection: ConnectionSpec, region: string): HttpRequest {
    const unknown = Object.keys(params).filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) throw runtimeError(`Unknown HTTP Task field(s): ${unknown.map((k) => `\`${k}\``).join(", ")}.`);
    const method = params.Method;
    if (typeof method !== "string" || !HTTP_METHODS.includes(method))
        throw runtimeError(`\`Method\` must be one of ${HTTP_METHODS.join(", ")}; got ${JSON.stringify(method)}.`);
    const endpoint = endpointUrl(params.ApiEndpoint);

    const headers = pairsOf(params.Headers, "Headers");
    const forbidden = headers.find(([name]) => isForbiddenHeader(name));
    if (forbidden) throw runtimeError(`The Headers field contains an unsupported header: ${forbidden[0]}.`);
    const invocation = connection.AuthParameters.InvocationHttpParameters;
    for (const [k, v] of parameterPairs(invocation?.HeaderParameters)) {
        // Whether connection headers face the same list is UNKNOWN (§3.2): refused too.
        if (isForbiddenHeader(k)) throw runtimeError(`The connection's HeaderParameters contain an unsupported header: ${k}.`);
        upsert(headers, k, v, true);
    }
    const query = pairsOf(params.QueryParameters, "QueryParameters");
    for (const [k, v] of parameterPairs(invocation?.QueryStringParameters)) upsert(query, k, v, false);

    const body = encodeBody(mergedBody(params, connection), params.Transform);
    const jsonBody = body !== undefined && (params.Transform as { RequestBodyEncoding?: string } | undefined)?.RequestBodyEncoding !== "URL_ENCODED";
    if (jsonBody && !headers.some(([k]) => k.toLowerCase() === "content-type")) headers.push(["Content-Type", "application/json; charset=UTF-8"]);
    // Step Functions' own values win over any supplied (UNKNOWN whether AWS keeps a task's, §3.1).
    upsert(headers, "User-Agent", `Amazon|StepFunctions|HttpInvoke|${region}`, true);
    upsert(headers, "Range", "bytes=0-262144", true);

    const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
    return {
        method,
        url: search === "" ? endpoint : `${endpoint}?${search}`,
        headers: Object.fromEntries(headers),
        ...(body !== undefined ? { body } : {}),
    };
}

/** Returns `request` with one more header, replacing any header of the same name (any case). */
export function withHeader(request: HttpRequest, name: string, value: string): HttpRequest {
    const headers = Object.entries(request.headers);
    upsert(headers, name, value, true);
    return { ...request, headers: Object.fromEntries(headers) };
}

/**
 * The header that carries a connection's credential: Basic credentials, the API key, or for OAuth
 * `Bearer <oauthToken>` (the caller fetches the token). The emulator adds it last; the benches'
 * direct calls sign the same way.
 */
export function credentialHeader(connection: ConnectionSpec, oauthToken?: string): [string, string] {
    const auth = connection.AuthParameters;
    if (auth.BasicAuthParameters) {
        const { Username, Password } = auth.BasicAuthParameters;
        return ["Authorization", `Basic ${Buffer.from(`${Username}:${Password}`).toString("base64")}`];
    }
    if (auth.ApiKeyAuthParameters) return [auth.ApiKeyAuthParameters.ApiKeyName, auth.ApiKeyAuthParameters.ApiKeyValue];
    if (oauthToken === undefined) throw new Error("An OAuth connection signs with a token: fetch it first.");
    return ["Authorization", `Bearer ${oauthToken}`];
}
