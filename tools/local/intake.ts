/**
 * The order intake, locally: `POST /orders` on 127.0.0.1 with the deployed API's contract
 * (`deploy/workflows/order/intake-openapi.ts`): the body is checked against the order schema, and the order saga
 * is started with the execution named by the order id, so the same order posted twice starts once.
 * `GET /orders/<orderId>` reads an execution back (what `DescribeExecution` tells in AWS).
 */
import Ajv2020 from "ajv/dist/2020";
import * as http from "http";
import { PROJECT } from "../../deploy/stack-config/types";
import { UNSUPPORTED_MEDIA_TYPE } from "../../deploy/workflows/order/intake-openapi";
import { ORDER_SCHEMA } from "../../deploy/workflows/order/validation";
import { bodyText, closeServer, createGuardedServer, HttpLimits, listenLocal, LOCAL_HTTP_LIMITS, Refusal } from "./http-guard";
import { matchesIntakeModel } from "./order-schema";
import { inexactIntegers, JsonDepthError, scanJson } from "./strict-json";
import { LOCAL_ACCOUNT } from "./local-connections";
import { LocalOrderStack } from "./order-stack";
import { ExecutionResult } from "./runner";

/** StartExecution's input limit (docs/aws-facts.md §9.3). */
const MAX_BODY_BYTES = 262_144;
/** The order schema nests 3 deep; anything much deeper is refused before it is parsed or walked. */
const MAX_DEPTH = 32;
/** An error body names at most this many problems, then how many it left out. */
export const MAX_PROBLEMS = 10;

/** One started execution, as `GET /orders/<orderId>` reports it. */
export interface IntakeExecution {
    readonly executionArn: string;
    /** Epoch seconds, as Step Functions' JSON protocol returns it (and the deployed intake passes on). */
    readonly startDate: number;
    status: "RUNNING" | "SUCCEEDED" | "FAILED";
    result?: ExecutionResult;
}

/** A running intake server. */
export interface IntakeServer {
    /** `http://127.0.0.1:<port>/orders` */
    readonly ordersUrl: string;
    /** Executions by order id (the execution name). */
    readonly executions: ReadonlyMap<string, IntakeExecution>;
    /** Resolves when every started execution has ended. */
    settled(): Promise<void>;
    close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: http.OutgoingHttpHeaders };

const invalid = (message: string): Answer => ({ status: 400, body: { error: "InvalidOrder", message } });

/** `problems` joined, at most `MAX_PROBLEMS` of them, saying how many were left out. */
export function boundedProblems(problems: readonly string[]): string {
    const shown = problems.slice(0, MAX_PROBLEMS).join("; ");
    return problems.length > MAX_PROBLEMS ? `${shown}; and ${problems.length - MAX_PROBLEMS} more problem(s) not shown.` : shown;
}

/**
 * The order in `raw`, or the 400 that refuses it before the saga: too deep, duplicate keys, not JSON,
 * an integer field whose text is not an exact integer, or the intake model's reasons.
 */
function readOrder(raw: string): { order: unknown } | Answer {
    let scan;
    try {
        scan = scanJson(raw, MAX_DEPTH);
    } catch (e) {
        if (e instanceof JsonDepthError) return invalid(e.message);
        throw e;
    }
    let order: unknown;
    try {
        order = JSON.parse(raw);
    } catch {
        return invalid("The body is not valid JSON.");
    }
    if (scan.duplicateKeys.length > 0) return invalid(`Duplicate key(s): ${boundedProblems(scan.duplicateKeys.map((p) => `\`${p}\``))}`);
    const inexact = inexactIntegers(scan, ORDER_SCHEMA);
    if (inexact.length > 0) return invalid(boundedProblems(inexact));
    // Only what API Gateway enforces: an out-of-range item count is started and ends `InvalidOrder`, as on AWS.
    return passesIntakeModel(order) ? { order } : invalid(modelProblems(order));
}

// Stops at the first problem: the verdict of `matchesIntakeModel` without building an error per
// item (every problem of 87,000 empty items took 0.5 s and 8.8 MB to name).
const passesIntakeModel = new Ajv2020({ strict: true, strictRequired: false }).compile(matchesIntakeModel.schema as object);

/** Every array of `value` cut to its first `MAX_PROBLEMS` elements; `cut` counts the elements left out. */
function firstElements(value: unknown, cut: { n: number }): unknown {
    if (Array.isArray(value)) {
        cut.n += Math.max(0, value.length - MAX_PROBLEMS);
        return value.slice(0, MAX_PROBLEMS).map((v) => firstElements(v, cut));
    }
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, firstElements(v, cut)]));
}

/** The intake model's reasons to refuse `order`, named for the first elements of each array only. */
function modelProblems(order: unknown): string {
    const cut = { n: 0 };
    const problems = matchesIntakeModel(firstElements(order, cut))
        ? [`${passesIntakeModel.errors?.[0]?.instancePath || "/"} ${passesIntakeModel.errors?.[0]?.message}`]
        : (matchesIntakeModel.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
    const named = boundedProblems(problems);
    return cut.n === 0 ? named : `${named.replace(/\.$/, "")} (${cut.n} array element(s) past the first ${MAX_PROBLEMS} not examined).`;
}

/**
 * Starts the intake for `local`'s order saga on 127.0.0.1 (`port` 0: any free port). Throws
 * `PortInUseError` when the port is taken.
 */
export async function startIntakeServer(local: LocalOrderStack, port = 0, limits: Partial<HttpLimits> = {}): Promise<IntakeServer> {
    const executions = new Map<string, IntakeExecution>();
    const running = new Set<Promise<unknown>>();
    const machine = `arn:aws:states:${local.region}:${LOCAL_ACCOUNT}:execution:${PROJECT}-${local.stack}-order`;

    const start = (raw: string): Answer => {
        const read = readOrder(raw);
        if ("status" in read) return read;
        const order = read.order;
        const orderId = (order as { orderId: string }).orderId;
        if (executions.has(orderId))
            return { status: 409, body: { error: "ExecutionAlreadyExists", message: "An order with this orderId was already started." } };
        const execution: IntakeExecution = { executionArn: `${machine}:${orderId}`, startDate: Date.now() / 1000, status: "RUNNING" };
        executions.set(orderId, execution);
        const run = local.runner.run(order).then((result) => {
            execution.status = result.status;
            execution.result = result;
        });
        running.add(run);
        void run.finally(() => running.delete(run));
        return { status: 202, body: { executionArn: execution.executionArn, startDate: execution.startDate } };
    };

    const describe = (orderId: string): Answer => {
        const e = executions.get(orderId);
        if (!e) return { status: 404, body: { error: "ExecutionDoesNotExist", message: `No order ${orderId} was started.` } };
        const r = e.result;
        return {
            status: 200,
            body: {
                executionArn: e.executionArn,
                startDate: e.startDate,
                status: e.status,
                ...(r ? { output: r.output ?? null, error: r.error ?? null, cause: r.cause ?? null } : {}),
            },
        };
    };

    const send = (res: http.ServerResponse, answer: Answer) => {
        const text = JSON.stringify(answer.body);
        res.writeHead(answer.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...answer.headers }).end(text);
    };
    const refuse = (res: http.ServerResponse, r: Refusal, headers?: http.OutgoingHttpHeaders) =>
        send(res, {
            status: r.status,
            body: r.status === 415 ? UNSUPPORTED_MEDIA_TYPE : { error: ERROR_NAMES[r.status] ?? "BadRequest", message: r.message },
            headers,
        });
    const route = (req: http.IncomingMessage, path: string, body: Buffer): Answer => {
        // Exactly `/orders` or `/orders/<one segment>`: the target was checked as text, never resolved.
        const id = /^\/orders\/([^/]+)$/.exec(path)?.[1];
        if (path === "/orders") {
            if (req.method !== "POST")
                return {
                    status: 405,
                    headers: { Allow: "POST" },
                    body: { error: "MethodNotAllowed", message: `${req.method} is not allowed on /orders: POST an order.` },
                };
            if (!isJsonMediaType(req.headers["content-type"])) return { status: 415, body: UNSUPPORTED_MEDIA_TYPE };
            const text = bodyText(body, req.headers["content-type"]);
            if (typeof text !== "string") return text.status === 415 ? { status: 415, body: UNSUPPORTED_MEDIA_TYPE } : invalid(text.message);
            return start(text);
        }
        if (id !== undefined) {
            if (req.method !== "GET")
                return {
                    status: 405,
                    headers: { Allow: "GET" },
                    body: { error: "MethodNotAllowed", message: `${req.method} is not allowed on /orders/<orderId>: GET it.` },
                };
            return describe(safeDecode(id));
        }
        return { status: 404, body: { error: "NotFound", message: "No such route: POST /orders or GET /orders/<orderId>." } };
    };
    const server = createGuardedServer({ maxBodyBytes: MAX_BODY_BYTES, ...LOCAL_HTTP_LIMITS, ...limits }, refuse, (req, res, target, body) =>
        send(res, route(req, target.path, body)),
    );
    const bound = await listenLocal(server, port);
    return {
        ordersUrl: `http://127.0.0.1:${bound}/orders`,
        executions,
        settled: async () => {
            while (running.size > 0) await Promise.all([...running]);
        },
        close: () => closeServer(server),
    };
}

/** The error names of the refusals the server writes before a route runs. */
const ERROR_NAMES: Record<number, string> = {
    400: "BadRequest",
    408: "RequestTimeout",
    413: "PayloadTooLarge",
    421: "MisdirectedRequest",
    500: "InternalError",
};

/**
 * API Gateway maps a request without `Content-Type` as `application/json` and, with
 * `passthroughBehavior: never`, answers any other media type 415 (deploy/workflows/order/intake-openapi.ts).
 */
function isJsonMediaType(contentType: string | undefined): boolean {
    return contentType === undefined || contentType.split(";")[0].trim().toLowerCase() === "application/json";
}

/** A malformed percent-encoding is just an id no order has (not a crash of the server). */
function safeDecode(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}
