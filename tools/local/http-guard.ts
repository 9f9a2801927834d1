/**
 * What every local HTTP server here (the order intake and each sandbox API) does before a route sees
 * a request, so that no request can take one down: the request target is checked as text (never
 * handed to `new URL`, which throws on `//[`), the body is read within a size limit and an idle
 * timeout, headers and the whole request have deadlines, a route that throws answers 500, and a
 * busy port is a named error.
 */
import * as http from "http";
import { AddressInfo } from "net";

/** Limits of one server. Tests pass small ones; the defaults suit a developer's machine. */
export interface HttpLimits {
    /** A longer body is answered 413 as soon as it is known to be longer, and the connection closed. */
    readonly maxBodyBytes: number;
    /** Node's `server.headersTimeout`: all request headers within this (408 otherwise). */
    readonly headersTimeoutMs: number;
    /** Node's `server.requestTimeout`: the whole request within this (408 otherwise). */
    readonly requestTimeoutMs: number;
    /** A body that sends nothing for this long is answered 408 and the connection closed. */
    readonly bodyIdleMs: number;
}

/**
 * Node's defaults (60 s for headers, 300 s for a request) let one slow client hold a connection for
 * minutes; nothing local needs more than a few seconds. These are our choices, not AWS behaviour.
 */
export const LOCAL_HTTP_LIMITS: Omit<HttpLimits, "maxBodyBytes"> = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, bodyIdleMs: 5_000 };

/** A request target that passed the checks: the raw path (still percent-encoded) and query. */
export interface RequestTarget {
    readonly path: string;
    /** Without the `?`; "" when there was none. */
    readonly query: string;
}

/** A refusal the server writes itself: status, a short code and a sentence. */
export interface Refusal {
    readonly status: number;
    readonly code: string;
    readonly message: string;
}

// RFC 3986 §3.3 `pchar` plus `/`. A malformed `%XX` is let through to the route, which reads it as an
// id nobody has (a route that decodes it and throws answers 400). The query is left to
// `URLSearchParams`, which never throws: WHATWG URLs send `[]` (Stripe's `expand[]`) unencoded there.
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const QUERY = /^[^#\s]*$/;
const ABSOLUTE = /^https?:\/\/([^/?#]*)(.*)$/i;

/**
 * The target of `rawUrl` as a server on `authority` (`127.0.0.1:<port>`) must read it: the
 * origin-form `/path?query` (RFC 9112 §3.2.1), or the absolute-form naming this server (§3.2.2: a
 * server MUST accept it). Another host in the absolute-form is 421 Misdirected Request (RFC 9110
 * §15.5.20); characters a path cannot hold, and paths with empty, `.` or `..` segments, are 400:
 * `/orders/../orders` is not silently read as `/orders`, and `//evil/orders` not as a host.
 */
export function parseTarget(rawUrl: string | undefined, authority: string): RequestTarget | Refusal {
    let target = rawUrl ?? "";
    const absolute = ABSOLUTE.exec(target);
    if (absolute) {
        const host = absolute[1].toLowerCase();
        const [, port] = authority.split(":");
        if (host !== authority && host !== `localhost:${port}`)
            return { status: 421, code: "misdirected_request", message: `This server is ${authority}, not \`${absolute[1]}\`: send the path only.` };
        target = absolute[2] === "" ? "/" : absolute[2];
    }
    const at = target.indexOf("?");
    const path = at < 0 ? target : target.slice(0, at);
    const query = at < 0 ? "" : target.slice(at + 1);
    if (!PATH.test(path) || !QUERY.test(query))
        return { status: 400, code: "bad_request", message: "The request target is not a valid path (RFC 3986): percent-encode it." };
    if (
        path
            .slice(1)
            .split("/")
            .some((segment, i, all) => segment === "." || segment === ".." || (segment === "" && i < all.length - 1))
    )
        return { status: 400, code: "bad_request", message: "The path has empty, `.` or `..` segments: send it normalised." };
    return { path, query };
}

/** What a route handler gets: the checked target and the whole body. */
export type GuardedHandler = (req: http.IncomingMessage, res: http.ServerResponse, target: RequestTarget, body: Buffer) => void;

/** Writes a refusal in the server's own error format. */
export type RefusalWriter = (res: http.ServerResponse, refusal: Refusal, headers?: http.OutgoingHttpHeaders) => void;

/**
 * An HTTP server that hands `handle` only requests with a valid target and a complete body within
 * `limits`, and refuses the others through `refuse` (then closes the connection, so an unread body
 * is never read to its end).
 */
export function createGuardedServer(limits: HttpLimits, refuse: RefusalWriter, handle: GuardedHandler): http.Server {
    // Node checks both timeouts on this interval (30 s by default), so a small limit needs a small interval.
    const connectionsCheckingInterval = Math.max(10, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
    const server = http.createServer({ connectionsCheckingInterval }, (req, res) => {
        const { port } = server.address() as AddressInfo;
        const close = (refusal: Refusal) => {
            refuse(res, refusal, { Connection: "close" });
            // Stop reading: whatever the client still sends is dropped with the connection.
            res.once("finish", () => req.socket.destroySoon());
            req.pause();
        };
        const target = parseTarget(req.url, `127.0.0.1:${port}`);
        if ("status" in target) return close(target);
        const declared = Number(req.headers["content-length"] ?? 0);
        const tooLarge: Refusal = { status: 413, code: "payload_too_large", message: `The body is over ${limits.maxBodyBytes} bytes.` };
        if (declared > limits.maxBodyBytes) return close(tooLarge);
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const idle = () => {
            done = true;
            close({ status: 408, code: "request_timeout", message: `No body bytes for ${limits.bodyIdleMs} ms.` });
        };
        let timer = setTimeout(idle, limits.bodyIdleMs);
        req.on("data", (chunk: Buffer) => {
            if (done) return;
            clearTimeout(timer);
            size += chunk.length;
            if (size > limits.maxBodyBytes) {
                done = true;
                return close(tooLarge);
            }
            chunks.push(chunk);
            timer = setTimeout(idle, limits.bodyIdleMs);
        });
        req.on("close", () => clearTimeout(timer));
        req.on("end", () => {
            clearTimeout(timer);
            if (done) return;
            done = true;
            try {
                handle(req, res, target, Buffer.concat(chunks));
            } catch (e) {
                // A route must not crash the server: a bad percent-encoding is the caller's, the rest ours.
                const malformed = e instanceof URIError;
                if (!res.headersSent)
                    refuse(res, {
                        status: malformed ? 400 : 500,
                        code: malformed ? "bad_request" : "internal_error",
                        message: malformed ? "The path holds a malformed percent-encoding." : "The server failed on this request.",
                    });
            }
        });
    });
    server.headersTimeout = limits.headersTimeoutMs;
    server.requestTimeout = limits.requestTimeoutMs;
    return server;
}

/** The port was taken: a one-line reason instead of Node's `EADDRINUSE`. */
export class PortInUseError extends Error {}

/** Listens on 127.0.0.1:`port` (0: any free port); resolves to the bound port. */
export async function listenLocal(server: http.Server, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
        server.once("error", (e: NodeJS.ErrnoException) =>
            reject(
                e.code === "EADDRINUSE"
                    ? new PortInUseError(
                          `Port ${port} on 127.0.0.1 is already in use: stop what listens there, or pick another with \`--port <n>\` (0: any free port).`,
                      )
                    : e,
            ),
        );
        server.listen(port, "127.0.0.1", () => resolve());
    });
    return (server.address() as AddressInfo).port;
}

/** Closes `server` and drops its open connections. */
export function closeServer(server: http.Server): Promise<void> {
    return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
    });
}

/**
 * The body as text, or why not: JSON is UTF-8 (RFC 8259 §8.1), so a `charset` other than UTF-8 is
 * 415, and bytes that are not UTF-8 are 400 rather than silently turned into U+FFFD.
 */
export function bodyText(body: Buffer, contentType: string | undefined): string | Refusal {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "")?.[1].toLowerCase();
    if (charset !== undefined && charset !== "utf-8" && charset !== "utf8")
        return { status: 415, code: "unsupported_media_type", message: `The charset \`${charset}\` is not supported: send UTF-8.` };
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
        return { status: 400, code: "bad_request", message: "The body is not valid UTF-8." };
    }
}
