/**
 * A client that sends exactly the bytes it is given, for requests `fetch` will not send (a target
 * like `//[`, a body it never finishes), and reads the answer until the server closes.
 */
import * as net from "net";

/** What the server answered, and how much of the request it had been sent. */
export interface RawAnswer {
    /** 0 when the server closed without an answer. */
    readonly status: number;
    readonly headers: string;
    readonly body: string;
    /** Request bytes written before the answer came. */
    readonly written: number;
}

/**
 * Writes `head` (request line and headers, `\r\n`-separated, without the blank line when
 * `openHeaders`) and `body` to 127.0.0.1:`port`, never ends the request, and resolves once the
 * server has closed the connection. The request should say `Connection: close` when the server is
 * meant to answer and close.
 */
export function rawRequest(port: number, head: string, body: Buffer | string = "", openHeaders = false): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1");
        const chunks: Buffer[] = [];
        let written = 0;
        socket.on("data", (c: Buffer) => chunks.push(c));
        // The server may drop the connection while our request is still being written.
        socket.on("error", (e: NodeJS.ErrnoException) => (e.code === "ECONNRESET" || e.code === "EPIPE" ? undefined : reject(e)));
        socket.on("close", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const at = text.indexOf("\r\n\r\n");
            resolve({
                status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
                headers: at < 0 ? text : text.slice(0, at),
                body: at < 0 ? "" : text.slice(at + 4),
                written,
            });
        });
        const bytes = Buffer.concat([Buffer.from(openHeaders ? head : `${head}\r\n\r\n`, "latin1"), typeof body === "string" ? Buffer.from(body) : body]);
        written = bytes.length;
        socket.write(bytes);
    });
}
