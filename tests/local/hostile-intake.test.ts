/**
 * The local order intake against hostile and careless requests (issue 16): each used to crash the
 * process, start an order it should not, hold a connection for minutes or answer megabytes. Raw
 * sockets send what `fetch` would not; small limits stand in for the long ones, so no test waits.
 * What this cannot prove: how API Gateway itself answers the same bytes.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { PortInUseError } from "../../tools/local/http-guard";
import { IntakeServer, MAX_PROBLEMS, startIntakeServer } from "../../tools/local/intake";
import { LocalOrderStack, startLocalOrderStack } from "../../tools/local/order-stack";
import { serve } from "../../tools/commands/start";
import { UNSUPPORTED_MEDIA_TYPE } from "../../deploy/workflows/order/intake-openapi";
import { rawRequest } from "../helpers/raw-http";

const ORDER = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "tools", "examples", "order.json"), "utf8")) as Record<string, unknown>;
const portOf = (url: string) => Number(new URL(url).port);

describe("local order intake: hostile requests (issue 16)", () => {
    let local: LocalOrderStack;
    let intake: IntakeServer;
    let port: number;
    before(async () => {
        local = await startLocalOrderStack();
        intake = await startIntakeServer(local);
        port = portOf(intake.ordersUrl);
    });
    after(async () => {
        await intake.settled();
        await intake.close();
        await local.close();
    });

    const order = (orderId: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ...ORDER, orderId, ...extra });
    const postRaw = (target: string, body: string | Buffer, contentType = "application/json") =>
        rawRequest(
            port,
            `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close`,
            body,
        );
    const post = async (body: string | Buffer, contentType = "application/json") => {
        const res = await fetch(intake.ordersUrl, { method: "POST", headers: { "Content-Type": contentType }, body });
        return { status: res.status, text: await res.text() };
    };

    it("answers `//[` with 400 and keeps serving (it threw an uncaught `Invalid URL` and killed the process)", async () => {
        const answer = await postRaw("//[", order("ord-bracket"));
        assert.equal(answer.status, 400);
        assert.equal((await post(order("ord-after-bracket"))).status, 202);
        assert.equal(intake.executions.has("ord-bracket"), false);
    });

    for (const [target, status, said] of [
        ["/orders/../orders", 400, "started the order"],
        ["//evil/orders", 400, "read `evil` as a host and started the order"],
        ["http://evil.example/orders", 421, "started the order for another host"],
        ["/orders/", 404, "was not routed"],
        ["/Orders", 404, "was not routed"],
    ] as const)
        it(`refuses POST ${target} with ${status}, starting nothing (it ${said})`, async () => {
            const orderId = `ord-target-${status}-${target.length}`;
            const answer = await postRaw(target, order(orderId));
            assert.equal(answer.status, status, answer.body);
            assert.equal(intake.executions.has(orderId), false);
        });

    it("accepts the absolute-form naming this very server, as RFC 9112 §3.2.2 requires", async () => {
        const answer = await postRaw(`http://127.0.0.1:${port}/orders`, order("ord-absolute"));
        assert.equal(answer.status, 202, answer.body);
        assert.equal(intake.executions.has("ord-absolute"), true);
    });

    it("answers other methods 405 with `Allow` (PUT /orders and DELETE /orders/<id>)", async () => {
        const put = await rawRequest(port, `PUT /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close`);
        assert.equal(put.status, 405);
        assert.match(put.headers, /\r\nAllow: POST/i);
        const del = await rawRequest(port, `DELETE /orders/ord-2001 HTTP/1.1\r\nHost: x\r\nConnection: close`);
        assert.equal(del.status, 405);
        assert.match(del.headers, /\r\nAllow: GET/i);
    });

    it("answers a declared 200 MB body 413 and closes without reading it (it read all 200 MB first)", async () => {
        const head = `POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${200 * 1024 * 1024}`;
        const answer = await rawRequest(port, head, Buffer.alloc(64 * 1024, 0x20));
        assert.equal(answer.status, 413);
        assert.equal(JSON.parse(answer.body).error, "PayloadTooLarge");
        assert.ok(answer.written < 100 * 1024, `only ${answer.written} bytes had been sent`);
    });

    it("answers a chunked body 413 as soon as it passes 256 KiB, not when it ends (it waited for an end that never came)", async () => {
        const chunk = Buffer.alloc(300 * 1024, 0x20);
        const head = `POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n`;
        const answer = await rawRequest(port, head, chunk, true);
        assert.equal(answer.status, 413);
    });

    it("bounds the error of a 256 KiB order of `{}` items (it was 8.8 MB after 2 s) and says what it left out", async () => {
        const { items: _items, ...rest } = ORDER;
        const prefix = JSON.stringify({ ...rest, orderId: "ord-empty-items", items: [] }).replace(/\[\]\}$/, "[");
        const count = Math.floor((262_144 - prefix.length - 2) / 3);
        const body = `${prefix}${Array.from({ length: count }, () => "{}").join(",")}]}`;
        assert.ok(Buffer.byteLength(body) <= 262_144);
        const { status, text } = await post(body);
        assert.equal(status, 400);
        assert.ok(text.length < 4096, `the error is ${text.length} characters`);
        const message = JSON.parse(text).message as string;
        assert.equal(message.split("; ").length, MAX_PROBLEMS + 1);
        const notExamined = count - MAX_PROBLEMS;
        assert.match(
            message,
            new RegExp(
                `; and ${MAX_PROBLEMS} more problem\\(s\\) not shown \\(${notExamined} array element\\(s\\) past the first ${MAX_PROBLEMS} not examined\\)\\.$`,
            ),
        );
    });

    it("names the first problem of a long item list even when it lies past the items it examines", async () => {
        const items = Array.from({ length: 40 }, (_, n) => (n === 25 ? { sku: "SKU-RED-MUG" } : { sku: "SKU-RED-MUG", quantity: 1 }));
        const { status, text } = await post(order("ord-late-problem", { items }));
        assert.equal(status, 400);
        assert.equal(JSON.parse(text).message, "/items/25 must have required property 'quantity' (30 array element(s) past the first 10 not examined).");
    });

    it("refuses a latin-1 charset with 415 and invalid UTF-8 with 400 (both were read as U+FFFD and charged)", async () => {
        const latin1 = Buffer.from(order("ord-latin1", { customer: { name: "Grâce", email: "grace@example.com" } }), "latin1");
        const declared = await post(latin1, "application/json; charset=ISO-8859-1");
        assert.deepEqual([declared.status, JSON.parse(declared.text)], [415, UNSUPPORTED_MEDIA_TYPE]);
        const undeclared = await post(latin1);
        assert.equal(undeclared.status, 400);
        assert.match(JSON.parse(undeclared.text).message, /not valid UTF-8/);
        assert.equal(intake.executions.has("ord-latin1"), false);
        assert.equal(
            (await post(order("ord-utf8", { customer: { name: "Grâce", email: "grace@example.com" } }), "application/json; charset=UTF-8")).status,
            202,
        );
    });

    it("refuses duplicate keys before the saga, naming them (the last one won)", async () => {
        const body = order("ord-duplicate").replace('"amount":2599', '"amount":1,"amount":2599');
        assert.notEqual(body, order("ord-duplicate"));
        const { status, text } = await post(body);
        assert.equal(status, 400);
        assert.match(JSON.parse(text).message, /Duplicate key\(s\): `\/amount`/);
        assert.equal(intake.executions.has("ord-duplicate"), false);
    });

    it("refuses an integer field whose text rounds (`2599.9999999999999` was charged as 2600), and takes `2599.0`", async () => {
        const rounding = await post(order("ord-rounding").replace('"amount":2599', '"amount":2599.9999999999999'));
        assert.equal(rounding.status, 400);
        assert.match(JSON.parse(rounding.text).message, /`\/amount` is `2599\.9999999999999`, which is not an exact integer/);
        const quantity = await post(order("ord-rounding-qty").replace('"quantity":2', '"quantity":1.0000000000000001'));
        assert.match(JSON.parse(quantity.text).message, /`\/items\/0\/quantity`/);
        assert.equal(intake.executions.has("ord-rounding"), false);
        assert.equal((await post(order("ord-exact").replace('"amount":2599', '"amount":2599.0'))).status, 202);
    });

    it("refuses an 8 KB body nested 4,000 deep with a named error before parsing it", async () => {
        const deep = order("ord-deep").replace('"currency":"EUR"', `"currency":${"[".repeat(4000)}${"]".repeat(4000)}`);
        const { status, text } = await post(deep);
        assert.equal(status, 400);
        assert.deepEqual(JSON.parse(text), { error: "InvalidOrder", message: "The JSON nests deeper than 32 levels." });
    });
});

describe("local order intake: timeouts (issue 16)", () => {
    let local: LocalOrderStack;
    before(async () => {
        local = await startLocalOrderStack();
    });
    after(() => local.close());

    it("answers 408 and closes when the headers do not arrive in time (slow headers were held 90 s)", async () => {
        const intake = await startIntakeServer(local, 0, { headersTimeoutMs: 100, requestTimeoutMs: 200 });
        try {
            const answer = await rawRequest(portOf(intake.ordersUrl), "POST /orders HTTP/1.1\r\nHost: x\r\n", "", true);
            assert.equal(answer.status, 408);
        } finally {
            await intake.close();
        }
    });

    it("answers 408 and closes when a chunked body stops sending (it was held ~300 s)", async () => {
        const intake = await startIntakeServer(local, 0, { bodyIdleMs: 50 });
        try {
            const head = "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{ \r\n";
            const answer = await rawRequest(portOf(intake.ordersUrl), head, "", true);
            assert.equal(answer.status, 408);
            assert.equal(JSON.parse(answer.body).error, "RequestTimeout");
        } finally {
            await intake.close();
        }
    });
});

describe("npm start -- --serve on a busy port (issue 16)", () => {
    it("rejects with a one-line PortInUseError and closes every sandbox port it opened (it printed EADDRINUSE and never exited)", async () => {
        const blocker = net.createServer();
        await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
        const port = (blocker.address() as net.AddressInfo).port;
        let opened: LocalOrderStack | undefined;
        try {
            await assert.rejects(
                serve("dev", port, async (options) => (opened = await startLocalOrderStack(options))),
                (e: Error) =>
                    e instanceof PortInUseError &&
                    e.message ===
                        `Port ${port} on 127.0.0.1 is already in use: stop what listens there, or pick another with \`--port <n>\` (0: any free port).`,
            );
        } finally {
            blocker.close();
        }
        const urls = Object.values(opened!.sandbox.urls);
        assert.ok(urls.length >= 3);
        for (const url of urls) await assert.rejects(fetch(url), (e: Error & { cause?: { code?: string } }) => e.cause?.code === "ECONNREFUSED", url);
    });
});
