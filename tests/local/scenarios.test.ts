/**
 * Every path of the order saga (`workflows/order.ts`, the definition `pulumi up` deploys), run by
 * the local runner against the sandbox APIs with the dev stack's auth types: the final status and
 * error, and what the sandbox ledger says each API actually did.
 */
import * as assert from "node:assert/strict";
import { LocalOrderStack, startLocalOrderStack } from "../../local/order-stack";
import { SCENARIOS } from "../../local/scenarios";

const byName = (name: string) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    assert.ok(scenario, name);
    return scenario;
};

describe("local order saga scenarios (sandbox APIs on 127.0.0.1)", () => {
    let local: LocalOrderStack;
    before(async () => {
        local = await startLocalOrderStack({ trace: true });
    });
    after(() => local.close());

    /** Runs a scenario and returns the ledger kinds of its order, in order, without fault entries. */
    async function run(name: string) {
        const scenario = byName(name);
        const result = await local.runner.run(scenario.order);
        const orderId = (scenario.order as { orderId: string }).orderId;
        const ledger = local.sandbox.ledger.entries.filter((e) => e.orderId === orderId).map((e) => e.kind);
        const notes = local.outbox.messages.filter((m) => m.attributes.orderId === orderId).map((m) => m.attributes.event);
        return { result, ledger, notes };
    }

    it("signs with the dev stack's auth types: API key (payment), Basic (inventory), OAuth (shipping)", () => {
        assert.deepEqual(
            Object.values(local.sandbox.connections).map((c) => c.AuthorizationType),
            ["API_KEY", "BASIC", "OAUTH_CLIENT_CREDENTIALS"],
        );
        assert.equal(local.sandbox.connections.payment.AuthParameters.ApiKeyAuthParameters?.ApiKeyName, "X-Api-Key");
    });

    it("success: charges, reserves, ships once and notifies", async () => {
        const { result, ledger, notes } = await run("success");
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(ledger, ["charge", "reservation", "shipment"]);
        assert.deepEqual(notes, ["OrderConfirmed"]);
        const output = result.output as { payment: { chargeId: string; status: string }; shipment: { trackingNumber: string } };
        assert.match(output.payment.chargeId, /^ch_\d+$/);
        assert.equal(output.payment.status, "succeeded");
        assert.match(output.shipment.trackingNumber, /^1ZLOCAL\d{10}$/);
    });

    it("card declined: fails with PaymentDeclined after one 402, nothing reserved", async () => {
        const { result, ledger, notes } = await run("card declined");
        assert.deepEqual([result.status, result.error], ["FAILED", "PaymentDeclined"]);
        assert.deepEqual(ledger, ["decline"]);
        assert.deepEqual(notes, ["PaymentDeclined"]);
        assert.deepEqual(
            result.trace?.find((s) => s.state === "ChargePayment")?.http.map((c) => c.status),
            [402],
        );
    });

    it("out of stock: 409 is not retried, the charge is refunded, OrderCancelled", async () => {
        const { result, ledger, notes } = await run("out of stock → refund");
        assert.deepEqual([result.status, result.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(ledger, ["charge", "out-of-stock", "refund"]);
        assert.deepEqual(notes, ["OrderCancelled"]);
        assert.deepEqual(result.trace?.find((s) => s.state === "ReserveInventory")?.retries, []);
    });

    it("shipping outage: two 503s are retried and the order succeeds with one shipment", async () => {
        const { result, ledger } = await run("shipping outage retried");
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(ledger, ["charge", "reservation", "shipment"]);
        const ship = result.trace?.find((s) => s.state === "CreateShipment");
        assert.deepEqual(
            ship?.http.map((c) => c.status),
            [503, 503, 201],
        );
        assert.deepEqual(ship?.retries, ["States.Http.StatusCode.503", "States.Http.StatusCode.503"]);
    });

    it("shipping down: 4 attempts, then the reservation is released and the charge refunded", async () => {
        const { result, ledger, notes } = await run("shipping down → release + refund");
        assert.deepEqual([result.status, result.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(ledger, ["charge", "reservation", "release", "refund"]);
        assert.deepEqual(notes, ["OrderCancelled"]);
        assert.equal(result.trace?.find((s) => s.state === "CreateShipment")?.http.length, 4);
        assert.deepEqual(result.trace?.map((s) => s.state).slice(-5), [
            "ReleaseInventory",
            "RefundPayment",
            "NotifyOrderCancelled",
            "CheckCompensations",
            "OrderCancelled",
        ]);
    });

    it("invalid order: InvalidOrder before any API call", async () => {
        const { result, ledger, notes } = await run("invalid order");
        assert.deepEqual([result.status, result.error], ["FAILED", "InvalidOrder"]);
        assert.deepEqual(ledger, []);
        assert.deepEqual(notes, []);
    });

    it("a revoked OAuth token fails one shipment call with 401, and the next call gets a fresh token", async () => {
        const tokensBefore = local.sandbox.ledger.of("token").length;
        local.sandbox.issuer.revokeAll();
        const first = await local.runner.run({ ...(byName("success").order as object), orderId: "ord-revoked" });
        assert.deepEqual([first.status, first.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(
            first.trace?.find((s) => s.state === "CreateShipment")?.http.map((c) => c.status),
            [401],
        );
        const second = await local.runner.run({ ...(byName("success").order as object), orderId: "ord-after-revoke" });
        assert.equal(second.status, "SUCCEEDED");
        assert.equal(local.sandbox.ledger.of("token").length, tokensBefore + 1);
    });

    it("replays a repeated idempotency key instead of charging twice", async () => {
        const order = { ...(byName("success").order as object), orderId: "ord-twice" };
        await local.runner.run(order);
        const again = await local.runner.run(order);
        assert.equal(again.status, "SUCCEEDED");
        assert.equal(local.sandbox.ledger.of("charge", "ord-twice").length, 1);
        assert.equal(local.sandbox.ledger.of("shipment", "ord-twice").length, 1);
    });
});
