/**
 * The small HTTP server every sandbox API runs on: 127.0.0.1, an ephemeral port, JSON or form
 * bodies in and JSON out, an auth check, seeded faults, and `Idempotency-Key` handling.
 */
import * as http from "http";
import * as qs from "qs";
import { bodyText, closeServer, createGuardedServer, HttpLimits, listenLocal, LOCAL_HTTP_LIMITS, RequestTarget } from "../local/http-guard";
import { FaultInjector } from "./faults";
import { Ledger } from "./ledger";
import { canonical, idempotencyError } from "./stripe/idempotency";

/** A parsed request as a route sees it. */
export interface SandboxRequest {
    readonly method: string;
    /** Path below the base path, e.g. `/reservations/rsv_1`. */
    readonly path: string;
    /** Capture groups of the route's pattern. */
    readonly params: string[];
    readonly headers: http.IncomingHttpHeaders;
    readonly query: URLSearchParams;
    /** Parsed JSON body, or a form body parsed by `qs` (`metadata[k]=v` nests); `undefined` when there was none. */
    readonly body: unknown;
}

/** A route's answer. */
export interface Reply {
    readonly status: number;
    readonly body?: unknown;
    /** Response headers of the route's own (e.g. `Link`, `Retry-After`). */
    readonly headers?: http.OutgoingHttpHeaders;
}

/**
 * How a route treats `Idempotency-Key`:
 * - `"required"`: the key is mandatory (400 without); a repeated key replays the stored answer,
 *   or answers 422 `idempotency_key_reused` when the request differs; 5xx answers are not stored.
 * - `"stripe"`: Stripe's semantics on POST: the key is optional; a repeated key with the same
 *   parameters replays the stored status and body (`Idempotent-Replayed: true`), with other
 *   parameters or another endpoint it answers 400 `idempotency_error`; only 2xx, 3xx and 402
 *   answers are stored.
 */
export type IdempotencyMode = "required" | "stripe";

/** One endpoint. `name` keys faults and stats, e.g. `"POST /charges"`. */
export interface Route {
    readonly method: string;
    readonly pattern: RegExp;
    readonly name: string;
    /** Same as `idempotency: "required"`. */
    readonly idempotent?: boolean;
    /** How `Idempotency-Key` is handled; wins over `idempotent`. @default none (the header is ignored) */
    readonly idempotency?: IdempotencyMode;
    handle(req: SandboxRequest): Reply;
}

/** One request and the answer it got, for observers (contract tests). */
export interface SandboxExchange {
    readonly api: string;
    readonly method: string;
    /** Path below the base path, e.g. `/reservations/res-ord-1`. */
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
    readonly headers: http.IncomingHttpHeaders;
    /** The raw request body ("" when there was none). */
    readonly rawBody: string;
    /** The parsed request body (`undefined` when there was none or it did not parse). */
    readonly body: unknown;
    readonly status: number;
    /** The parsed JSON answer (`undefined` when empty). */
    readonly responseBody: unknown;
    readonly responseHeaders: http.OutgoingHttpHeaders;
    /** True when the answer was injected by the fault plan rather than produced by a route. */
    readonly injectedFault: boolean;
}

/** Everything a sandbox server needs. */
export interface ServerOptions {
    readonly api: string;
    readonly basePath: string;
    readonly routes: readonly Route[];
    readonly faults: FaultInjector;
    readonly ledger: Ledger;
    /** `undefined` when the caller is allowed; otherwise the status and message to refuse with (and, for a 401, the challenge). */
    readonly checkAccess?: (req: http.IncomingMessage, query: URLSearchParams) => { status: number; message: string; challenge?: string } | undefined;
    /** The body of the server's own refusals (no route, no access, bad body, injected faults). @default `{ error: code, message }` */
    readonly errorBody?: (status: number, code: string, message: string) => unknown;
    /** Sees every request and its answer, after the answer is sent. */
    readonly onExchange?: (exchange: SandboxExchange) => void;
    /** Headers of every answer, the server's own refusals included (a route's headers win), e.g. Stripe's `Request-Id`. */
    readonly commonHeaders?: () => http.OutgoingHttpHeaders;
    /** Body size and timeouts. @default 1 MiB and `LOCAL_HTTP_LIMITS` */
    readonly limits?: Partial<HttpLimits>;
}

/**
 * A request body limit for the sandbox: an HTTP Task sends at most the 256 KiB a state may hold
 * (docs/aws-facts.md §9.3), and its form encoding can be larger; Stripe's own limit is UNKNOWN.
 */
const MAX_BODY_BYTES = 1_048_576;

/** A started server. */
export interface RunningServer {
    /** `http://127.0.0.1:<port><basePath>` */
    readonly baseUrl: string;
    /** Stops listening and drops keep-alive connections. */
    close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): unknown {
    if (raw === "") return undefined;
    if ((contentType ?? "").startsWith("application/x-www-form-urlencoded")) return qs.parse(raw);
    return JSON.parse(raw);
}

const defaultErrorBody = (_status: number, code: string, message: string) => ({ error: code, message });

/** Starts a sandbox server on 127.0.0.1 and an ephemeral port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
    const stored = new Map<string, { method: string; path: string; fingerprint: string; reply: Reply }>();
    const base = options.basePath.replace(/\/+$/, "");

    const handle = (req: http.IncomingMessage, target: RequestTarget, bytes: Buffer, res: http.ServerResponse) => {
        const url = { pathname: target.path, searchParams: new URLSearchParams(target.query) };
        const text = bodyText(bytes, req.headers["content-type"]);
        const raw = typeof text === "string" ? text : "";
        const local = url.pathname === base || url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) || "/" : undefined;
        let body: unknown;
        const respond = (reply: Reply, replayed = false, injectedFault = false, extraHeaders: http.OutgoingHttpHeaders = {}) => {
            const text = reply.body === undefined ? "" : JSON.stringify(reply.body);
            const headers: http.OutgoingHttpHeaders = {
                ...options.commonHeaders?.(),
                "Content-Type": "application/json",
                "Content-Length": Buffer.byteLength(text),
                ...reply.headers,
                ...extraHeaders,
            };
            if (replayed) headers["Idempotent-Replayed"] = "true";
            if ((reply.status === 429 || reply.status === 503) && headers["Retry-After"] === undefined) headers["Retry-After"] = "1";
            res.writeHead(reply.status, headers).end(text);
            options.onExchange?.({
                api: options.api,
                method: req.method ?? "GET",
                path: local ?? url.pathname,
                query: Object.fromEntries(url.searchParams),
                headers: req.headers,
                rawBody: raw,
                body,
                status: reply.status,
                responseBody: reply.body,
                responseHeaders: headers,
                injectedFault,
            });
        };
        const refuse = (status: number, code: string, message: string, headers?: http.OutgoingHttpHeaders, injected = false) =>
            respond({ status, body: (options.errorBody ?? defaultErrorBody)(status, code, message) }, false, injected, headers);
        const route = local === undefined ? undefined : options.routes.find((r) => r.method === req.method && r.pattern.test(local));
        if (typeof text !== "string") return refuse(text.status, text.status === 415 ? "unsupported_media_type" : "bad_request", text.message);
        if (!route || local === undefined) return refuse(404, "not_found", `No route for ${req.method} ${url.pathname}`);
        const denied = options.checkAccess?.(req, url.searchParams);
        if (denied)
            return refuse(
                denied.status,
                denied.status === 401 ? "unauthorized" : "bad_request",
                denied.message,
                denied.challenge ? { "WWW-Authenticate": denied.challenge } : {},
            );
        try {
            body = parseBody(raw, req.headers["content-type"]);
        } catch {
            return refuse(400, "bad_request", "The body is not valid JSON.");
        }
        const request: SandboxRequest = {
            method: req.method ?? "GET",
            path: local,
            params: route.pattern.exec(local)!.slice(1),
            headers: req.headers,
            query: url.searchParams,
            body,
        };
        const decision = options.faults.decide(route.name);
        const fault = (status: number, afterEffect: boolean) => {
            options.ledger.record({ api: options.api, kind: "fault", detail: `${route.name} ${status}${afterEffect ? " after effect" : ""}` });
            refuse(status, "injected_fault", `Injected ${status}`, {}, true);
        };
        if (decision.kind === "status" && !decision.afterEffect) return fault(decision.status, false);
        const reply = execute(route, request);
        if (decision.kind === "status") return fault(decision.status, true);
        if (decision.kind === "slow") setTimeout(() => respond(reply.reply, reply.replayed, false, reply.headers), decision.delayMs);
        else respond(reply.reply, reply.replayed, false, reply.headers);
    };

    type Executed = { reply: Reply; replayed: boolean; headers?: http.OutgoingHttpHeaders };
    const execute = (route: Route, request: SandboxRequest): Executed => {
        const mode = route.idempotency ?? (route.idempotent ? "required" : undefined);
        const header = request.headers["idempotency-key"];
        const key = typeof header === "string" && header !== "" ? header : undefined;
        // Stripe ignores keys on GET and DELETE (idempotent by definition) and does not require one.
        if (mode === undefined || (mode === "stripe" && (request.method !== "POST" || key === undefined)))
            return { reply: route.handle(request), replayed: false };
        if (key === undefined)
            return { reply: { status: 400, body: { error: "bad_request", message: "`Idempotency-Key` header is required." } }, replayed: false };
        const headers = mode === "stripe" ? { "Idempotency-Key": key } : undefined;
        const path = `${base}${request.path}`;
        const fingerprint = canonical(request.body ?? {});
        const previous = stored.get(key);
        const sameEndpoint = previous?.method === request.method && previous.path === path;
        if (sameEndpoint && previous?.fingerprint === fingerprint) return { reply: previous.reply, replayed: true, headers };
        if (previous && mode === "required") {
            return {
                reply: { status: 422, body: { error: "idempotency_key_reused", message: `Key ${key} was used with a different request.` } },
                replayed: false,
            };
        }
        if (previous) {
            const reason = sameEndpoint
                ? "Keys for idempotent requests can only be used with the same parameters they were first used with."
                : `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${previous.path}' vs '${path}').`;
            return { reply: idempotencyError(reason, key), replayed: false, headers };
        }
        const reply = route.handle(request);
        // 5xx answers are never stored, so a retry with the same key runs again. Stripe also saves a
        // result only once the endpoint began executing, not for failed validation (400, 404); a
        // 402 decline is a result and is replayed.
        // Our services' contract stores results too, but not refusals a corrected request may fix (400, 401, 422, 429).
        const keep = mode === "required" ? reply.status < 500 && ![400, 401, 422, 429].includes(reply.status) : reply.status < 400 || reply.status === 402;
        if (keep) stored.set(key, { method: request.method, path, fingerprint, reply });
        return { reply, replayed: false, headers };
    };

    const errorBody = options.errorBody ?? defaultErrorBody;
    const server = createGuardedServer(
        { maxBodyBytes: MAX_BODY_BYTES, ...LOCAL_HTTP_LIMITS, ...options.limits },
        (res, r, headers) => {
            const text = JSON.stringify(errorBody(r.status, r.code, r.message));
            res.writeHead(r.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers }).end(text);
        },
        (req, res, target, body) => handle(req, target, body, res),
    );
    server.keepAliveTimeout = 30_000;
    const port = await listenLocal(server, 0);
    return {
        baseUrl: `http://127.0.0.1:${port}${base}`,
        close: () => closeServer(server),
    };
}
