/**
 * Contract checks with openapi-backend: reads an API's OpenAPI document from `deploy/apis/<api>/`, validates it,
 * and lists everything one sandbox exchange (the request and its answer) does against it.
 */
import * as fs from "fs";
import * as path from "path";
import addFormats from "ajv-formats";
import { Document, OpenAPIBackend, Operation, SetMatchType } from "openapi-backend";
import { parse } from "yaml";
import { SandboxExchange } from "../../tools/sandbox/http-server";

/** The parts of an exchange that a contract speaks about. */
export type ContractExchange = Pick<SandboxExchange, "method" | "path" | "query" | "headers" | "rawBody" | "status" | "responseBody" | "responseHeaders">;

/** The outcome of checking one exchange: the operation it matched and every problem found. */
export interface ContractCheck {
    readonly operationId?: string;
    readonly problems: string[];
}

type Schemes = Record<string, { type: string; scheme?: string; in?: string; name?: string }>;
type Response = { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> };

/** Parses an API's published contract, `deploy/apis/<api>/openapi.yaml`; every call returns a fresh object. */
export function readContract(api: string): Document {
    return parse(fs.readFileSync(path.join(__dirname, "..", "..", "deploy", "apis", api, "openapi.yaml"), "utf8")) as Document;
}

/** Validates `document` as OpenAPI 3.0 and resolves its `$ref`s; rejects an invalid document. */
export async function loadContract(document: Document): Promise<OpenAPIBackend> {
    const api = new OpenAPIBackend({ definition: document, strict: true, validate: true, customizeAjv: (ajv) => addFormats(ajv) });
    return api.init();
}

const mediaType = (value: unknown) =>
    String(value ?? "")
        .split(";")[0]
        .trim()
        .toLowerCase();
const explain = (where: string, errors: { instancePath: string; message?: string }[] | null | undefined) =>
    (errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? "is invalid"}`);

/** True when the request carries the credential `scheme` asks for (its presence and form, not its value). */
function presents(scheme: Schemes[string] | undefined, exchange: ContractExchange): boolean {
    const authorization = String(exchange.headers.authorization ?? "");
    if (scheme?.type === "http" && scheme.scheme === "basic") return /^Basic [A-Za-z0-9+/]+=*$/.test(authorization);
    if (scheme?.type === "oauth2" || (scheme?.type === "http" && scheme.scheme === "bearer")) return /^Bearer \S+$/.test(authorization);
    if (scheme?.type === "apiKey" && scheme.in === "header") return Boolean(exchange.headers[String(scheme.name).toLowerCase()]);
    if (scheme?.type === "apiKey" && scheme.in === "query") return Boolean(exchange.query[String(scheme.name)]);
    return false;
}

function requestProblems(api: OpenAPIBackend, operation: Operation, exchange: ContractExchange): string[] {
    const body = exchange.rawBody === "" ? undefined : exchange.rawBody;
    const result = api.validateRequest(
        { method: exchange.method, path: exchange.path, query: exchange.query, headers: exchange.headers as never, body },
        operation,
    );
    const problems = explain("request", result.errors);
    const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content;
    if (body !== undefined && !content) problems.push("request has a body, but the operation takes none");
    if (body !== undefined && content && !(mediaType(exchange.headers["content-type"]) in content))
        problems.push(`request Content-Type ${String(exchange.headers["content-type"])} is not one of ${Object.keys(content).join(", ")}`);
    const requirements = operation.security ?? api.document.security ?? [];
    const schemes = (api.document.components?.securitySchemes ?? {}) as Schemes;
    if (requirements.length > 0 && !requirements.some((r) => Object.keys(r).every((name) => presents(schemes[name], exchange))))
        problems.push(`request carries none of the credentials of ${JSON.stringify(requirements)}`);
    return problems;
}

function responseProblems(api: OpenAPIBackend, operation: Operation, exchange: ContractExchange): string[] {
    const responses = operation.responses as Record<string, Response>;
    const status = exchange.status;
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    // openapi-backend validates nothing for a status the operation does not list.
    if (!response) return [`status ${status} is not documented`];
    const problems = explain("response body", api.validateResponse(exchange.responseBody, operation, status).errors);
    const type = mediaType(Object.entries(exchange.responseHeaders).find(([k]) => k.toLowerCase() === "content-type")?.[1]);
    if (response.content && !(type in response.content))
        problems.push(`response Content-Type ${type || "(none)"} is not one of ${Object.keys(response.content).join(", ")}`);
    if (response.content && exchange.responseBody === undefined) problems.push("response has no body");
    const headers = Object.fromEntries(Object.entries(exchange.responseHeaders).map(([k, v]) => [k.toLowerCase(), v]));
    const headerResult = api.validateResponseHeaders(headers, operation, { statusCode: status, setMatchType: SetMatchType.Any });
    problems.push(...explain("response headers", headerResult.errors));
    // openapi-backend ignores `required: true` on response headers, so presence is checked here.
    for (const [name, header] of Object.entries(response.headers ?? {}))
        if (header.required && headers[name.toLowerCase()] === undefined) problems.push(`response misses the required header ${name}`);
    return problems;
}

/** Matches `exchange` to an operation of `api` and lists how its request and answer break the contract. */
export function checkExchange(api: OpenAPIBackend, exchange: ContractExchange): ContractCheck {
    const operation = api.matchOperation({ method: exchange.method, path: exchange.path, headers: {}, query: exchange.query });
    if (!operation) return { problems: [`no operation for ${exchange.method} ${exchange.path}`] };
    return { operationId: operation.operationId, problems: [...requestProblems(api, operation, exchange), ...responseProblems(api, operation, exchange)] };
}
