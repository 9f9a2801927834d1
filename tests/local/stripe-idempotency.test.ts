/**
 * The sandbox's Stripe idempotency layer, `Request-Id` and `Stripe-Version`, driven through
 * Stripe's own SDK. Each behaviour is from Stripe's docs (api/idempotent_requests,
 * error-low-level#idempotency) or Stripe test mode as recorded by others (see
 * tools/sandbox/stripe/idempotency.ts); these tests cannot prove Stripe answers the same today.
 */
import * as assert from "node:assert/strict";
import Stripe from "stripe";
import { STRIPE_API_VERSION } from "../../deploy/workflows/order/payment/stripe";
import { API_KEY, AUTHORIZE, rejection, useStripeSandbox } from "./stripe-sandbox-setup";

const CREATE = "POST /payment_intents";
const DAY = 24 * 60 * 60;

describe("Stripe sandbox: idempotency as Stripe documents it", () => {
    const sandbox = useStripeSandbox();

    it("stores a 500 for its key and replays it to every retry, whether or not the work was done", async () => {
        const { stripe, faults, ledger } = sandbox();
        faults.set(CREATE, { pStored500: 1, afterEffectShare: 1 });
        const first = await rejection(stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-after" }));
        faults.set(CREATE, undefined);
        const again = await rejection(stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-after" }));
        assert.ok(first instanceof Stripe.errors.StripeAPIError && again instanceof Stripe.errors.StripeAPIError);
        assert.deepEqual([first.statusCode, again.statusCode, again.headers?.["idempotent-replayed"]], [500, 500, "true"]);
        // The authorization happened once although both answers were 500s: only search can find it.
        assert.equal(ledger.of("authorization", "ord-1").length, 1);

        faults.set(CREATE, { pStored500: 1, afterEffectShare: 0 });
        await rejection(stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-before" }));
        faults.set(CREATE, undefined);
        assert.equal((await rejection(stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-before" }))).statusCode, 500);
        assert.equal(ledger.of("authorization", "ord-1").length, 1);
        // A new key runs the request.
        assert.equal((await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-new" })).status, "requires_capture");
    });

    it("answers 409 idempotency_key_in_use while another request holds the key, and saves nothing", async () => {
        const { stripe, control, faults } = sandbox();
        const hold = control.holdKey("k-busy");
        const busy = await rejection(stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-busy" }));
        assert.deepEqual([busy.statusCode, busy.rawType, busy.code], [409, "idempotency_error", "idempotency_key_in_use"]);
        assert.match(busy.message, /^There is currently another in-progress request using this Idempotent Key/);
        hold.release();
        assert.equal((await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-busy" })).status, "requires_capture");

        faults.set(CREATE, { p409: 1 });
        assert.equal((await rejection(stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-other" }))).statusCode, 409);
    });

    it("prunes a key 24 hours after first use on the test clock: the same request then runs again", async () => {
        const { stripe, control, ledger } = sandbox();
        const first = await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-day" });
        control.clock.advance(DAY - 1);
        assert.equal((await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-day" })).id, first.id);
        control.clock.advance(1);
        const second = await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-day" });
        assert.notEqual(second.id, first.id);
        assert.equal(ledger.of("authorization", "ord-1").length, 2);
    });

    it("injects a pruned key and an idempotency_error as faults", async () => {
        const { stripe, faults } = sandbox();
        const first = await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-f" });
        faults.set(CREATE, { pKeyExpired: 1 });
        assert.notEqual((await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-f" })).id, first.id);
        faults.set(CREATE, { pIdempotencyError: 1 });
        const e = await rejection(stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-fresh" }));
        assert.ok(e instanceof Stripe.errors.StripeIdempotencyError);
        assert.deepEqual([e.statusCode, e.code, e.param], [400, undefined, undefined]);
    });

    it("puts a Request-Id on every answer, and on a replay the first request's id in Original-Request", async () => {
        const { stripe, exchanges, server } = sandbox();
        await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-id" });
        await stripe.paymentIntents.create(AUTHORIZE, { idempotencyKey: "k-id" });
        await rejection(stripe.paymentIntents.retrieve("pi_missing"));
        await fetch(`${server.baseUrl}/payment_intents`, { method: "POST" }); // no key: the server's own 401
        const ids = exchanges.map((e) => String(e.responseHeaders["Request-Id"]));
        assert.equal(ids.length, 4);
        ids.forEach((id) => assert.match(id, /^req_[A-Za-z0-9]{14}$/));
        assert.equal(new Set(ids).size, 4);
        assert.deepEqual(
            exchanges.slice(0, 2).map((e) => [e.responseHeaders["Original-Request"], e.responseHeaders["Idempotent-Replayed"]]),
            [
                [ids[0], undefined],
                [ids[0], "true"],
            ],
        );
        assert.equal(exchanges[3].status, 401);
    });
});

describe("Stripe sandbox: the pinned Stripe-Version", () => {
    const sandbox = useStripeSandbox();
    const post = (baseUrl: string, version: string | undefined) =>
        fetch(`${baseUrl}/payment_intents/pi_x/cancel`, {
            method: "POST",
            headers: { Authorization: `Bearer ${API_KEY}`, ...(version === undefined ? {} : { "Stripe-Version": version }) },
        }).then(async (r) => ({
            status: r.status,
            version: r.headers.get("stripe-version"),
            error: ((await r.json()) as { error: Record<string, unknown> }).error,
        }));

    it("answers at the pinned version and names it in Stripe-Version", async () => {
        const { server } = sandbox();
        const ok = await post(server.baseUrl, STRIPE_API_VERSION);
        assert.deepEqual([ok.status, ok.version, ok.error.code], [404, STRIPE_API_VERSION, "resource_missing"]);
    });

    it("refuses a malformed version as Stripe does, and a missing or other version, saying the sandbox speaks one", async () => {
        const { server } = sandbox();
        const bad = await post(server.baseUrl, "2019-2-19");
        assert.deepEqual([bad.status, bad.error], [400, { type: "invalid_request_error", message: "Invalid Stripe API version: 2019-2-19" }]);
        for (const version of [undefined, "2020-08-27"]) {
            const refused = await post(server.baseUrl, version);
            assert.equal(refused.status, 400);
            assert.match(String(refused.error.message), new RegExp(`^The sandbox answers only at Stripe-Version ${STRIPE_API_VERSION.replace(".", "\\.")}`));
        }
    });
});
