/**
 * The local order intake (`npm start -- --serve`): the deployed API's contract on 127.0.0.1, driven
 * over HTTP: 202 with the execution ARN, 409 for an order id already started (and no second charge),
 * 400 with the schema's reasons, and the execution read back.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { IntakeServer, startIntakeServer } from "../../tools/local/intake";
import { LocalOrderStack, startLocalOrderStack } from "../../tools/local/order-stack";
import { UNSUPPORTED_MEDIA_TYPE } from "../../deploy/workflows/order/intake-openapi";

const ORDER = fs.readFileSync(path.join(__dirname, "..", "..", "tools", "examples", "order.json"), "utf8");

describe("local order intake (npm start -- --serve)", () => {
    let local: LocalOrderStack;
    let intake: IntakeServer;
    before(async () => {
        local = await startLocalOrderStack();
        intake = await startIntakeServer(local);
    });
    after(async () => {
        await intake.settled();
        await intake.close();
        await local.close();
    });

    const post = async (body: string, url = intake.ordersUrl) => {
        const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it("starts the order saga for a valid order, named by its order id: 202 with the execution ARN", async () => {
        const { status, body } = await post(ORDER);
        assert.equal(status, 202);
        assert.equal(body.executionArn, "arn:aws:states:eu-west-1:123456789012:execution:sfn-http-workflows-dev-order:ord-2001");
        assert.equal(typeof body.startDate, "number");
        assert.ok(Math.abs((body.startDate as number) - Date.now() / 1000) < 60);
        await intake.settled();
        const read = await fetch(`${intake.ordersUrl}/ord-2001`);
        const execution = (await read.json()) as { status: string; output: { payment: { intentId: string } } };
        assert.equal(execution.status, "SUCCEEDED");
        assert.match(execution.output.payment.intentId, /^pi_/);
    });

    it("starts the same order once: 409 for a second post, and Stripe authorized it once", async () => {
        const { status, body } = await post(ORDER);
        assert.deepEqual([status, body.error], [409, "ExecutionAlreadyExists"]);
        await intake.settled();
        assert.equal(local.sandbox.ledger.of("authorization", "ord-2001").length, 1);
    });

    it("refuses a bad order with the schema's reasons before starting anything: 400", async () => {
        const before = local.sandbox.ledger.entries.length;
        const bad = await post(JSON.stringify({ ...JSON.parse(ORDER), orderId: "x/../../admin", items: [{ sku: "A", quantity: -1 }] }));
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error, "InvalidOrder");
        assert.match(String(bad.body.message), /\/orderId must match pattern/);
        assert.match(String(bad.body.message), /\/items\/0\/quantity must be >= 1/);
        const notJson = await post("{oops");
        assert.deepEqual([notJson.status, notJson.body.error], [400, "InvalidOrder"]);
        const huge = await post(JSON.stringify({ ...JSON.parse(ORDER), orderId: "ord-huge", notes: "x".repeat(300_000) }));
        assert.deepEqual([huge.status, huge.body.error], [413, "PayloadTooLarge"]);
        assert.equal(intake.executions.has("x/../../admin"), false);
        assert.equal(local.sandbox.ledger.entries.length, before);
    });

    it("starts an order with no items or too many, as API Gateway does (it ignores minItems/maxItems), and the saga ends it InvalidOrder before any call", async () => {
        const before = local.sandbox.ledger.entries.length;
        const base = JSON.parse(ORDER) as { items: unknown[] };
        const tooMany = Array.from({ length: 101 }, () => base.items[0]);
        for (const [orderId, items] of [
            ["ord-no-items", []],
            ["ord-101-items", tooMany],
        ] as const) {
            const { status } = await post(JSON.stringify({ ...base, orderId, items }));
            assert.equal(status, 202, orderId);
        }
        await intake.settled();
        for (const orderId of ["ord-no-items", "ord-101-items"]) {
            const result = intake.executions.get(orderId)?.result;
            assert.deepEqual([result?.status, result?.error], ["FAILED", "InvalidOrder"], orderId);
            assert.match(String(result?.cause), /`items` must hold 1 to 100 items/);
        }
        assert.equal(local.sandbox.ledger.entries.length, before);
    });

    it("refuses an order not sent as JSON with 415, as API Gateway does with passthroughBehavior never", async () => {
        const order = JSON.stringify({ ...JSON.parse(ORDER), orderId: "ord-as-text" });
        const res = await fetch(intake.ordersUrl, { method: "POST", headers: { "Content-Type": "text/plain" }, body: order });
        assert.deepEqual([res.status, await res.json()], [415, UNSUPPORTED_MEDIA_TYPE]);
        assert.equal(intake.executions.has("ord-as-text"), false);
        const withCharset = await fetch(intake.ordersUrl, { method: "POST", headers: { "Content-Type": "application/json; charset=utf-8" }, body: order });
        assert.equal(withCharset.status, 202);
        await intake.settled();
    });

    it("answers 404 for an order never started (even a malformed id) and other routes, 405 for other methods", async () => {
        assert.equal((await fetch(`${intake.ordersUrl}/ord-none`)).status, 404);
        assert.equal((await fetch(`${intake.ordersUrl}/%E0%A4%A`)).status, 404);
        assert.equal((await fetch(intake.ordersUrl.replace("/orders", "/other"))).status, 404);
        const get = await fetch(intake.ordersUrl);
        assert.deepEqual([get.status, ((await get.json()) as { error: string }).error], [405, "MethodNotAllowed"]);
    });
});
