/**
 * The order intake, locally: `POST /orders` on 127.0.0.1 with the deployed API's contract
 * (`workflows/intake-openapi.ts`): the body is checked against the order schema, and the order saga
 * is started with the execution named by the order id, so the same order posted twice starts once.
 * `GET /orders/<orderId>` reads an execution back (what `DescribeExecution` tells in AWS).
 */
import * as http from "http";
import { AddressInfo } from "net";
import { PROJECT } from "../stack-config/types";
import { UNSUPPORTED_MEDIA_TYPE } from "../workflows/intake-openapi";
import { matchesIntakeModel } from "./order-schema";
import { LOCAL_ACCOUNT } from "./local-connections";
import { LocalOrderStack } from "./order-stack";
import { ExecutionResult } from "./runner";

/** StartExecution's input limit (docs/aws-facts.md §9.3). */
const MAX_BODY_BYTES = 262_144;

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

type Answer = { status: number; body: unknown };

/** Starts the intake for `local`'s order saga on 127.0.0.1 (`port` 0: any free port). */
export async function startIntakeServer(local: LocalOrderStack, port = 0): Promise<IntakeServer> {
    const executions = new Map<string, IntakeExecution>();
    const running = new Set<Promise<unknown>>();
    const machine = `arn:aws:states:${local.region}:${LOCAL_ACCOUNT}:execution:${PROJECT}-${local.stack}-order`;

    const start = (raw: string): Answer => {
        let order: unknown;
        try {
            order = JSON.parse(raw);
        } catch {
            return { status: 400, body: { error: "InvalidOrder", message: "The body is not valid JSON." } };
        }
        // Only what API Gateway enforces: an out-of-range item count is started and ends `InvalidOrder`, as on AWS.
        if (!matchesIntakeModel(order)) {
            const message = (matchesIntakeModel.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
            return { status: 400, body: { error: "InvalidOrder", message } };
        }
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

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size <= MAX_BODY_BYTES) chunks.push(c);
        });
        req.on("end", () => {
            const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
            const id = /^\/orders\/([^/]+)$/.exec(path)?.[1];
            let answer: Answer;
            if (path === "/orders" && req.method === "POST")
                answer =
                    size > MAX_BODY_BYTES
                        ? { status: 413, body: { error: "PayloadTooLarge", message: `The order is over ${MAX_BODY_BYTES} bytes.` } }
                        : !isJsonMediaType(req.headers["content-type"])
                          ? { status: 415, body: UNSUPPORTED_MEDIA_TYPE }
                          : start(Buffer.concat(chunks).toString("utf8"));
            else if (id !== undefined && req.method === "GET") answer = describe(safeDecode(id));
            else if (path === "/orders")
                answer = { status: 405, body: { error: "MethodNotAllowed", message: `${req.method} is not allowed on /orders: POST an order.` } };
            else answer = { status: 404, body: { error: "NotFound", message: "No such route: POST /orders or GET /orders/<orderId>." } };
            const text = JSON.stringify(answer.body);
            res.writeHead(answer.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) }).end(text);
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
    });
    const { port: bound } = server.address() as AddressInfo;
    return {
        ordersUrl: `http://127.0.0.1:${bound}/orders`,
        executions,
        settled: async () => {
            while (running.size > 0) await Promise.all([...running]);
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

/**
 * API Gateway maps a request without `Content-Type` as `application/json` and, with
 * `passthroughBehavior: never`, answers any other media type 415 (workflows/intake-openapi.ts).
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
