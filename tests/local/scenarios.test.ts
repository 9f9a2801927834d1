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
    async function run(name: string, asOrderId?: string) {
        const scenario = byName(name);
        const order = asOrderId ? { ...(scenario.order as object), orderId: asOrderId } : scenario.order;
        const result = await local.runner.run(order);
        const orderId = (order as { orderId: string }).orderId;
        const ledger = local.sandbox.ledger.entries.filter((e) => e.orderId === orderId).map((e) => e.kind);
        const notes = local.outbox.messages.filter((m) => m.attributes.orderId === orderId).map((m) => m.attributes.event);
        return { result, ledger, notes };
    }

    it("signs with the dev stack's auth types: Stripe's bearer key (payment), Basic (inventory), OAuth (shipping)", () => {
        assert.deepEqual(
            Object.values(local.sandbox.connections).map((c) => c.AuthorizationType),
            ["API_KEY", "BASIC", "OAUTH_CLIENT_CREDENTIALS"],
        );
        assert.deepEqual(local.sandbox.connections.payment.AuthParameters.ApiKeyAuthParameters, {
            ApiKeyName: "Authorization",
            ApiKeyValue: "Bearer sk_test_local_sandbox",
        });
    });

    it("success: authorizes, reserves, ships, then captures the same intent once and notifies", async () => {
        const { result, ledger, notes } = await run("success");
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
        assert.deepEqual(notes, ["OrderConfirmed"]);
        const output = result.output as { payment: { intentId: string }; shipment: { trackingNumber: string }; authorization?: unknown };
        assert.match(output.payment.intentId, /^pi_[A-Za-z0-9]+$/);
        assert.equal(output.authorization, undefined, "the raw Stripe answer is dropped once read");
        assert.deepEqual(
            local.sandbox.ledger.of("capture", "ord-success").map((e) => e.id),
            [output.payment.intentId],
        );
        assert.match(output.shipment.trackingNumber, /^1ZLOCAL\d{10}$/);
    });

    it("card declined: one 402, PaymentDeclined with Stripe's reason, nothing reserved", async () => {
        const { result, ledger, notes } = await run("card declined");
        assert.deepEqual([result.status, result.error], ["FAILED", "PaymentDeclined"]);
        assert.equal(result.cause, "Stripe declined the payment (States.Http.StatusCode.402: Payment Required)");
        assert.deepEqual(ledger, ["decline"]);
        assert.deepEqual(notes, ["PaymentDeclined"]);
        assert.deepEqual(
            result.trace?.find((s) => s.state === "AuthorizePayment")?.http.map((c) => c.status),
            [402],
        );
    });

    it("card declined, where the error's cause carries Stripe's answer: the declined intent is cancelled and the reason is Stripe's", async () => {
        const withAnswers = await startLocalOrderStack({ statusCause: "result" });
        try {
            const result = await withAnswers.runner.run(byName("card declined").order);
            assert.deepEqual([result.status, result.error, result.cause], ["FAILED", "PaymentDeclined", "Stripe declined the payment: generic_decline"]);
            assert.deepEqual(
                withAnswers.sandbox.ledger.entries.map((e) => [e.kind, e.detail]),
                [
                    ["decline", "generic_decline"],
                    ["cancel", "requires_payment_method"],
                ],
            );
        } finally {
            await withAnswers.close();
        }
    });

    it("3-D Secure required: the requires_action intent is cancelled and the order declined with its status", async () => {
        const { result, ledger, notes } = await run("3-D Secure required");
        assert.deepEqual([result.status, result.error], ["FAILED", "PaymentDeclined"]);
        assert.equal(result.cause, "Stripe did not authorize the payment: the PaymentIntent is requires_action");
        assert.deepEqual(ledger, ["requires-action", "cancel"]);
        assert.deepEqual(notes, ["PaymentDeclined"]);
    });

    it("out of stock: 409 is not retried, the authorization is cancelled, OrderCancelled", async () => {
        const { result, ledger, notes } = await run("out of stock → intent cancelled");
        assert.deepEqual([result.status, result.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(ledger, ["authorization", "out-of-stock", "cancel"]);
        assert.equal(local.sandbox.ledger.of("cancel", "ord-sold-out")[0].detail, "requires_capture");
        assert.deepEqual(notes, ["OrderCancelled"]);
        assert.deepEqual(result.trace?.find((s) => s.state === "ReserveInventory")?.retries, []);
    });

    it("shipping outage: two 503s are retried and the order succeeds with one shipment", async () => {
        const { result, ledger } = await run("shipping outage retried");
        assert.equal(result.status, "SUCCEEDED");
        assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
        const ship = result.trace?.find((s) => s.state === "CreateShipment");
        assert.deepEqual(
            ship?.http.map((c) => c.status),
            [503, 503, 201],
        );
        assert.deepEqual(ship?.retries, ["States.Http.StatusCode.503", "States.Http.StatusCode.503"]);
    });

    it("shipping down: 4 attempts, then the reservation is released and the authorization cancelled", async () => {
        const { result, ledger, notes } = await run("shipping down → release + cancel");
        assert.deepEqual([result.status, result.error], ["FAILED", "OrderCancelled"]);
        assert.deepEqual(ledger, ["authorization", "reservation", "release", "cancel"]);
        assert.deepEqual(notes, ["OrderCancelled"]);
        assert.equal(result.trace?.find((s) => s.state === "CreateShipment")?.http.length, 4);
        assert.deepEqual(result.trace?.map((s) => s.state).slice(-9), [
            "CancelShipment",
            "ReleaseInventory",
            "ReadPaymentIntent",
            "ChooseUndo",
            "CancelPaymentIntent",
            "DecideOutcome",
            "NotifyOrderCancelled",
            "Conclude",
            "OrderCancelled",
        ]);
    });

    for (const name of ["invalid order", "hostile order id"]) {
        it(`${name}: InvalidOrder before any API call`, async () => {
            const { result, ledger, notes } = await run(name);
            assert.deepEqual([result.status, result.error], ["FAILED", "InvalidOrder"]);
            assert.deepEqual(
                result.trace?.map((s) => s.state),
                ["ValidateOrder", "InvalidOrder"],
            );
            assert.deepEqual(ledger, []);
            assert.deepEqual(notes, []);
        });
    }

    it("a captured order whose later step failed is refunded: capture answer lost, retries exhausted", async () => {
        // Capture happens, but every answer is a 500 after the effect: the saga must refund, not leave it charged.
        local.sandbox.faults.payment.set("POST /payment_intents/{id}/capture", { p500: 1, afterEffectShare: 1 });
        try {
            const { result, ledger } = await run("success", "ord-capture-lost");
            assert.deepEqual([result.status, result.error], ["FAILED", "OrderCancelled"]);
            assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture", "shipment-cancel", "release", "refund"]);
        } finally {
            local.sandbox.faults.payment.set("POST /payment_intents/{id}/capture", undefined);
        }
    });

    it("an authorization whose answer was lost is recovered by replaying the same request, then the order completes", async () => {
        local.sandbox.faults.payment.set("POST /payment_intents", { p500: 1, afterEffectShare: 1 });
        let seen = 0;
        const original = local.sandbox.faults.payment.decide.bind(local.sandbox.faults.payment);
        // The first four attempts (AuthorizePayment and its 3 retries) lose their answers; the recovery gets through.
        local.sandbox.faults.payment.decide = (endpoint: string) =>
            endpoint === "POST /payment_intents" && ++seen > 4 ? { kind: "none" } : original(endpoint);
        try {
            const { result, ledger } = await run("success", "ord-auth-lost");
            assert.equal(result.status, "SUCCEEDED");
            assert.deepEqual(ledger, ["authorization", "reservation", "shipment", "capture"]);
            assert.deepEqual(result.trace?.map((s) => s.state).slice(0, 5), [
                "ValidateOrder",
                "AuthorizePayment",
                "RecoverPaymentIntent",
                "CheckRecoveredAuthorization",
                "ReserveInventory",
            ]);
        } finally {
            local.sandbox.faults.payment.decide = original;
            local.sandbox.faults.payment.set("POST /payment_intents", undefined);
        }
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

    it("replays a repeated idempotency key instead of authorizing or capturing twice", async () => {
        const order = { ...(byName("success").order as object), orderId: "ord-twice" };
        await local.runner.run(order);
        const again = await local.runner.run(order);
        assert.equal(again.status, "SUCCEEDED");
        assert.equal(local.sandbox.ledger.of("authorization", "ord-twice").length, 1);
        assert.equal(local.sandbox.ledger.of("capture", "ord-twice").length, 1);
        assert.equal(local.sandbox.ledger.of("shipment", "ord-twice").length, 1);
    });
});
