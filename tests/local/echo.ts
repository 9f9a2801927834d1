/**
 * A loopback echo server for the emulator conformance tests: records every request exactly as it
 * arrived (raw header names and values, body bytes) and answers with the next scripted reply, or
 * 200 with the request echoed as JSON.
 */
import * as http from "http";
import { AddressInfo } from "net";

/** A request as the server saw it. */
export interface Received {
    readonly method: string;
    /** Path and query, as sent. */
    readonly url: string;
    /** `[name, value]` pairs in wire order, names as sent. */
    readonly rawHeaders: [string, string][];
    readonly body: string;
}

/** A scripted answer; `hang` never answers (for the deadline test). */
export interface Scripted {
    readonly status?: number;
    readonly statusText?: string;
    readonly headers?: Record<string, string | string[]>;
    readonly body?: string | Buffer;
    readonly hang?: boolean;
}

/** A running echo server. */
export interface Echo {
    readonly url: string;
    readonly received: Received[];
    /** Queues answers for the next requests. */
    reply(...answers: Scripted[]): void;
    /** The value of header `name` (any case) in request `i`, or undefined. */
    header(i: number, name: string): string | undefined;
    close(): Promise<void>;
}

/** Starts an echo server on 127.0.0.1 and an ephemeral port. */
export async function startEcho(): Promise<Echo> {
    const received: Received[] = [];
    const queue: Scripted[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const pairs: [string, string][] = [];
            for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
            const entry: Received = { method: req.method ?? "", url: req.url ?? "", rawHeaders: pairs, body: Buffer.concat(chunks).toString("utf8") };
            received.push(entry);
            const next = queue.shift();
            if (next?.hang) return;
            const body = next?.body ?? JSON.stringify({ echo: entry.method });
            res.writeHead(next?.status ?? 200, next?.statusText ?? "OK", { "Content-Type": "application/json", ...(next?.headers ?? {}) });
            res.end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        received,
        reply: (...answers) => queue.push(...answers),
        header: (i, name) => received[i]?.rawHeaders.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1],
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

/**
 * One echo server for the enclosing `describe`: started before its tests, emptied before each,
 * closed after. Returns a getter, as the server exists only once `before` has run.
 */
export function useEcho(): () => Echo {
    let echo: Echo | undefined;
    before(async () => {
        echo = await startEcho();
    });
    after(() => echo?.close());
    beforeEach(() => {
        if (echo) echo.received.length = 0;
    });
    return () => {
        if (!echo) throw new Error("The echo server is not started yet: use it inside a test.");
        return echo;
    };
}
