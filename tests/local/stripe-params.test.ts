/**
 * Parameters accepted or refused as Stripe's API definition says: the committed allow-list is what
 * `tools/commands/stripe-params.ts` derives from stripe-node's types today, and the sandbox refuses what
 * the definition lacks and accepts the real parameters the saga may send. The definition is
 * stripe-node's; whether Stripe's servers enforce every enum exactly as typed is not provable here.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import Stripe from "stripe";
import { buildParams, PARAMS_FILE } from "../../tools/commands/stripe-params";
import { AUTHORIZE, rejection, useStripeSandbox } from "./stripe-sandbox-setup";

describe("Stripe sandbox: parameters from Stripe's API definition", () => {
    const sandbox = useStripeSandbox();

    it("keeps api-params.json equal to what the script derives from the installed stripe types", () => {
        const committed = JSON.parse(fs.readFileSync(PARAMS_FILE, "utf8")) as unknown;
        const built = buildParams();
        assert.deepEqual(committed, built, "run `npx ts-node --transpile-only tools/commands/stripe-params.ts`");
        assert.equal(built.apiVersion, "2026-10-28.endive");
        assert.ok(!("payment_method_types" in built.endpoints["POST /payment_intents"]));
    });

    it("accepts the real parameters customer, off_session, error_on_requires_action, receipt_email and statement_descriptor_suffix", async () => {
        const { stripe } = sandbox();
        const intent = await stripe.paymentIntents.create({
            ...AUTHORIZE,
            customer: "cus_local",
            off_session: true,
            error_on_requires_action: true,
            receipt_email: "buyer@example.com",
            statement_descriptor_suffix: "ORD 1",
        });
        assert.deepEqual(
            [intent.status, intent.customer, intent.receipt_email, intent.statement_descriptor_suffix],
            ["requires_capture", "cus_local", "buyer@example.com", "ORD 1"],
        );
    });

    it("refuses payment_method_types (absent at the pinned version), unknown nested names and bad enums with Stripe's error", async () => {
        const { stripe } = sandbox();
        const withTypes = { ...AUTHORIZE, payment_method_types: ["card"] } as unknown as Stripe.PaymentIntentCreateParams;
        const unknown = await rejection(stripe.paymentIntents.create(withTypes));
        assert.ok(unknown instanceof Stripe.errors.StripeInvalidRequestError);
        assert.deepEqual(
            [unknown.statusCode, unknown.code, unknown.param, unknown.message],
            [400, "parameter_unknown", "payment_method_types", "Received unknown parameter: payment_method_types"],
        );
        const nested = { ...AUTHORIZE, automatic_payment_methods: { enabled: true, foo: "x" } } as unknown as Stripe.PaymentIntentCreateParams;
        assert.equal((await rejection(stripe.paymentIntents.create(nested))).param, "automatic_payment_methods[foo]");
        const badEnum = { ...AUTHORIZE, capture_method: "later" } as unknown as Stripe.PaymentIntentCreateParams;
        assert.deepEqual([(await rejection(stripe.paymentIntents.create(badEnum))).param], ["capture_method"]);
        const badBool = { ...AUTHORIZE, confirm: "yes" } as unknown as Stripe.PaymentIntentCreateParams;
        assert.equal((await rejection(stripe.paymentIntents.create(badBool))).param, "confirm");
        const intent = await stripe.paymentIntents.create(AUTHORIZE);
        const badCancel = await rejection(
            stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "automatic" } as unknown as Stripe.PaymentIntentCancelParams),
        );
        assert.equal(badCancel.param, "cancellation_reason");
        const badRefund = await rejection(stripe.refunds.create({ payment_intent: intent.id, orderId: "x" } as unknown as Stripe.RefundCreateParams));
        assert.deepEqual([badRefund.code, badRefund.param], ["parameter_unknown", "orderId"]);
    });
});
