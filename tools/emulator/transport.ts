/**
 * Sends one request over node:http(s) under the HTTP Task's hard deadline and turns the answer
 * into the task result `{ Headers, ResponseBody, StatusCode, StatusText }` (docs/aws-facts.md §4).
 * Status codes are not judged here: the caller decides (OAuth refresh, `States.Http.StatusCode.*`).
 */
import * as http from "http";
import * as https from "https";
import { HttpRequest } from "./request";
import { runtimeError, socketError, TaskError } from "./errors";

/** The task result of an HTTP Task, before `ResultSelector` (§4.1). */
export interface HttpResult {
    readonly Headers: Record<string, string[]>;
    readonly ResponseBody: unknown;
    readonly StatusCode: number;
    readonly StatusText: string;
}

/** The HTTP exchange limit: 60 s whatever `TimeoutSeconds` says (§5.3). */
export const HTTP_TASK_TIMEOUT_MS = 60_000;
/** The payload quota, 256 KiB as UTF-8 (§4.3, §9.3). */
export const PAYLOAD_LIMIT_BYTES = 262_144;

// Keep-alive pools: the sandbox and bench make thousands of calls; idle sockets are unref'd by Node.
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

const UNSUPPORTED_TYPES = /^(application\/octet-stream|image\/|video\/|audio\/)/i;

/** `application/json` with any parameters parses; other types (even `+json`) stay text: the exact rule is UNKNOWN (§4.1). */
function responseBody(text: string, contentType: string | undefined): unknown {
    const media = (contentType ?? "").split(";")[0].trim().toLowerCase();
    if (media !== "application/json" || text === "") return text;
    try {
        return JSON.parse(text);
    } catch {
        return text; // invalid JSON under application/json: UNKNOWN in AWS; kept as the raw string
    }
}

/** Response headers as arrays, names as the server sent them (§4.1). */
function headerArrays(raw: string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const names = new Map<string, string>();
    for (let i = 0; i < raw.length; i += 2) {
        const name = names.get(raw[i].toLowerCase()) ?? raw[i];
        names.set(name.toLowerCase(), name);
        (out[name] ??= []).push(raw[i + 1]);
    }
    return out;
}

/** Sends `request`; connection failures and the deadline become `States.Http.Socket`. */
export function send(request: HttpRequest, timeoutMs: number = HTTP_TASK_TIMEOUT_MS): Promise<HttpResult> {
    return new Promise<HttpResult>((resolve, reject) => {
        const url = new URL(request.url);
        const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
        const headers = body === undefined ? request.headers : { ...request.headers, "Content-Length": String(body.length) };
        const transport = url.protocol === "https:" ? https : http;
        let settled = false;
        const finish = (error: TaskError | undefined, result?: HttpResult) => {
            if (settled) return;
            settled = true;
            clearTimeout(deadline);
            if (error) {
                req.destroy();
                reject(error);
            } else resolve(result!);
        };
        const deadline = setTimeout(
            () => finish(socketError(`The HTTP exchange with ${url.origin} did not complete within ${timeoutMs / 1000} seconds.`)),
            timeoutMs,
        );
        let req: http.ClientRequest;
        try {
            req = transport.request(url, { method: request.method, headers, agent: agents[url.protocol as "http:" | "https:"] }, onResponse);
        } catch (e) {
            // Node refuses header names or values it cannot put on the wire (e.g. CR/LF).
            clearTimeout(deadline);
            reject(runtimeError(`The request cannot be sent: ${(e as Error).message}`));
            return;
        }
        req.on("error", (e) => finish(socketError(`Connecting to ${url.origin} failed: ${e.message}`)));
        req.end(body);

        function onResponse(res: http.IncomingMessage): void {
            const contentType = res.headers["content-type"];
            if (contentType && UNSUPPORTED_TYPES.test(contentType)) {
                finish(runtimeError(`The response has an unsupported content type: ${contentType}.`));
                return;
            }
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (chunk: Buffer) => {
                size += chunk.length;
                if (size > PAYLOAD_LIMIT_BYTES + 1)
                    finish(new TaskError("States.DataLimitExceeded", `The response body exceeds ${PAYLOAD_LIMIT_BYTES} bytes.`));
                else chunks.push(chunk);
            });
            res.on("error", (e) => finish(socketError(`Reading the response from ${url.origin} failed: ${e.message}`)));
            res.on("end", () => {
                let text: string;
                try {
                    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
                } catch {
                    finish(runtimeError("The response body is not a valid UTF-8 string."));
                    return;
                }
                const result: HttpResult = {
                    Headers: headerArrays(res.rawHeaders),
                    ResponseBody: responseBody(text, contentType),
                    StatusCode: res.statusCode ?? 0,
                    StatusText: res.statusMessage ?? "",
                };
                // Truncation vs failure for big bodies is UNKNOWN (§4.3): fail, as the quota does.
                if (Buffer.byteLength(JSON.stringify(result)) > PAYLOAD_LIMIT_BYTES)
                    finish(new TaskError("States.DataLimitExceeded", `The task result exceeds ${PAYLOAD_LIMIT_BYTES} bytes.`));
                else finish(undefined, result);
            });
        }
    });
}
