/**
 * The typed HTTP Task builder (`arn:aws:states:::http:invoke`).
 *
 * Like aws-cdk-lib's `HttpInvoke`, but the permission is not attached here: `derivePolicy` reads
 * it back from the finished definition, so a task can never exist without its permission.
 */
import { assertBaseUrl, dynamicEndpointTemplate, joinUrl } from "./endpoint";
import { DynamicValue, isDynamic, Payload, PathValue, renderDynamic, renderPayload } from "./payload";
import { Catcher, HttpMethod, Json, PayloadTemplate, Retrier, TaskState, Transition } from "./types";

/** The Task `Resource` of an HTTP Task. */
export const HTTP_INVOKE = "arn:aws:states:::http:invoke";

/** A third-party API as the definition sees it: where it lives and which connection signs calls. */
export interface ApiTarget {
    /** Base URL, `https://`, no query or fragment. */
    readonly baseUrl: string;
    /** ARN of the EventBridge connection that authenticates calls to this API. */
    readonly connectionArn: string;
}

/** A path under the API's base URL whose `{}` placeholders are filled from the state input. */
export interface DynamicPath {
    readonly template: string;
    readonly args: readonly PathValue[];
}

/** `ArrayFormat` values for URL-encoded bodies (docs/aws-facts.md §1.9). */
export type ArrayFormat = "INDICES" | "REPEAT" | "COMMAS" | "BRACKETS";

/** Everything an HTTP Task needs. */
export interface HttpTaskProps {
    readonly api: ApiTarget;
    /** Path under the base URL: static text, or a `dynamicPath()` filled at run time. @default "" */
    readonly path?: string | DynamicPath;
    readonly method: HttpMethod;
    readonly headers?: Payload;
    /** Static parameters with dynamic values, or one path to a whole map built earlier (e.g. a next-page cursor). */
    readonly queryParameters?: Payload | DynamicValue;
    readonly requestBody?: Payload | DynamicValue;
    /** Send the body form-encoded instead of JSON; adds the content-type header AWS requires you to set. */
    readonly urlEncodedBody?: { readonly arrayFormat?: ArrayFormat };
    /** @default httpRetryPolicy() */
    readonly retry?: readonly Retrier[];
    readonly catch?: readonly Catcher[];
    readonly resultSelector?: Payload;
    readonly resultPath?: string | null;
    readonly comment?: string;
    readonly transition: Transition;
}

/** Status codes that are worth retrying: throttling and transient server errors, never other 4xx. */
export const RETRYABLE_STATUS_CODES: readonly number[] = [429, 500, 502, 503, 504];

/** Error name Step Functions raises for a non-2xx status (docs/aws-facts.md §5.1). */
export function httpStatusError(status: number): string {
    return `States.Http.StatusCode.${status}`;
}

/** Error name for a connection failure or the 60 s limit (docs/aws-facts.md §5.1, §5.3). */
export const HTTP_SOCKET_ERROR = "States.Http.Socket";

/**
 * HTTP-aware retry defaults: 429, 500, 502, 503, 504 and socket errors, exponential backoff with
 * full jitter. Other 4xx are never retried: they will not change, and a 401 on a Basic or API-key
 * connection can de-authorize it (docs/aws-facts.md §5.4, §7.3). Retrying a POST is safe only
 * with an idempotency key, which every task of the order saga sends.
 */
export function httpRetryPolicy(options: Partial<Omit<Retrier, "ErrorEquals">> = {}): Retrier[] {
    return [
        {
            ErrorEquals: [...RETRYABLE_STATUS_CODES.map(httpStatusError), HTTP_SOCKET_ERROR],
            IntervalSeconds: 1,
            MaxAttempts: 3,
            BackoffRate: 2,
            MaxDelaySeconds: 20,
            JitterStrategy: "FULL",
            ...options,
        },
    ];
}

/**
 * Request headers an HTTP Task may not set; using one fails the task with `States.Runtime`
 * (docs/aws-facts.md §3.2). Lower-case; prefixes end with `-`.
 */
export const FORBIDDEN_HEADERS: readonly string[] = [
    "a-im",
    "accept-charset",
    "accept-datetime",
    "accept-encoding",
    "authorization",
    "cache-control",
    "connection",
    "content-encoding",
    "content-md5",
    "date",
    "expect",
    "forwarded",
    "from",
    "host",
    "http2-settings",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "max-forwards",
    "origin",
    "pragma",
    "proxy-authorization",
    "referer",
    "server",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "warning",
];
/** Header-name prefixes an HTTP Task may not use (docs/aws-facts.md §3.2). */
export const FORBIDDEN_HEADER_PREFIXES: readonly string[] = ["x-forwarded-", "x-amz-", "x-amzn-"];

/** True when Step Functions rejects `name` in a task's `Headers` (case-insensitive). */
export function isForbiddenHeader(name: string): boolean {
    const lower = name.toLowerCase();
    return FORBIDDEN_HEADERS.includes(lower) || FORBIDDEN_HEADER_PREFIXES.some((p) => lower.startsWith(p));
}

/** A path whose `{}` placeholders are filled from the state input, e.g. `/reservations/{}`. */
export function dynamicPath(template: string, ...args: PathValue[]): DynamicPath {
    const placeholders = template.split("{}").length - 1;
    if (placeholders === 0 || placeholders !== args.length) {
        throw new Error(`Dynamic path \`${template}\` has ${placeholders} \`{}\` but ${args.length} arguments.`);
    }
    return { template, args };
}

function endpointParameters(api: ApiTarget, urlPath: string | DynamicPath | undefined): PayloadTemplate {
    if (urlPath === undefined || typeof urlPath === "string") {
        return { ApiEndpoint: joinUrl(api.baseUrl, urlPath ?? "") };
    }
    const template = dynamicEndpointTemplate(api.baseUrl, urlPath.template);
    return { "ApiEndpoint.$": `States.Format(${["'" + template + "'", ...urlPath.args.map((a) => a.path)].join(", ")})` };
}

function renderBody(body: Payload | DynamicValue): PayloadTemplate {
    return isDynamic(body) ? { "RequestBody.$": renderDynamic(body) } : { RequestBody: renderPayload(body) };
}

/** Builds an HTTP Task state. Throws on a bad base URL or a header Step Functions forbids. */
export function httpTask(props: HttpTaskProps): TaskState {
    assertBaseUrl(props.api.baseUrl);
    const headers: { [key: string]: Payload[string] } = { ...(props.headers ?? {}) };
    for (const name of Object.keys(headers)) {
        if (isForbiddenHeader(name))
            throw new Error(
                `Header \`${name}\` is forbidden in an HTTP Task (Step Functions fails it with \`States.Runtime\`); put credentials in the connection.`,
            );
    }
    if (props.urlEncodedBody && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
        // AWS does not set it for URL_ENCODED bodies (docs/aws-facts.md §1.9).
        headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
    const parameters: { [key: string]: Json } = {
        ...endpointParameters(props.api, props.path),
        Method: props.method,
        // AWS recommends `InvocationConfig` over the older `Authentication` for public and private
        // APIs alike (docs/aws-facts.md §1.2; "Call HTTPS APIs in Step Functions workflows").
        InvocationConfig: { ConnectionArn: props.api.connectionArn },
    };
    if (Object.keys(headers).length > 0) parameters.Headers = renderPayload(headers);
    if (props.queryParameters) {
        if (isDynamic(props.queryParameters)) parameters["QueryParameters.$"] = renderDynamic(props.queryParameters);
        else parameters.QueryParameters = renderPayload(props.queryParameters);
    }
    if (props.requestBody) Object.assign(parameters, renderBody(props.requestBody));
    if (props.urlEncodedBody) {
        parameters.Transform = {
            RequestBodyEncoding: "URL_ENCODED",
            ...(props.urlEncodedBody.arrayFormat ? { RequestEncodingOptions: { ArrayFormat: props.urlEncodedBody.arrayFormat } } : {}),
        };
    }
    return {
        Type: "Task",
        Resource: HTTP_INVOKE,
        ...(props.comment ? { Comment: props.comment } : {}),
        Parameters: parameters,
        ...(props.resultSelector ? { ResultSelector: renderPayload(props.resultSelector) } : {}),
        ...(props.resultPath !== undefined ? { ResultPath: props.resultPath } : {}),
        Retry: props.retry ?? httpRetryPolicy(),
        ...(props.catch ? { Catch: props.catch } : {}),
        ...props.transition,
    } as TaskState;
}
