/**
 * The order saga's structure: the happy path, where every failure goes, what reaches a URL, and the
 * properties that make a redrive safe. Pure: no Pulumi, no HTTP (the local runner tests run it).
 */
import * as assert from "node:assert/strict";
import { HTTP_INVOKE } from "../../asl/http-task";
import { TaskState } from "../../asl/types";
import { allStates } from "../../asl/walk";
import { commentsDefinition } from "../../workflows/comments";
import { OrderErrors } from "../../workflows/order";
import { STRIPE_API_VERSION } from "../../workflows/payment/stripe";
import { aslErrors, pathThrough, testConnectionArn, testOrderDefinition } from "../helpers/asl";

const conn = testConnectionArn;
const definition = testOrderDefinition();
const task = (name: string) => definition.States[name] as TaskState;
const catchTargets = (name: string) => (task(name).Catch ?? []).map((c) => [c.ErrorEquals.join(","), c.Next]);
const tasks = allStates(definition).filter((s) => s.state.Type === "Task") as { name: string; state: TaskState }[];
const httpTasks = tasks.filter((s) => s.state.Resource === HTTP_INVOKE);
const paymentTasks = httpTasks.filter((s) => String(s.state.Parameters?.ApiEndpoint ?? s.state.Parameters?.["ApiEndpoint.$"]).includes("api.stripe.com"));
const happy = (choice: string) => ({ ValidateOrder: "AuthorizePayment", CheckAuthorization: "ReserveInventory" })[choice];

describe("order workflow definition", () => {
    it("passes asl-validator, as does the comments workflow", () => {
        assert.deepEqual(aslErrors(definition), []);
        assert.deepEqual(aslErrors(commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: conn("c") })), []);
    });

    it("takes 7 states on the happy path: validate, authorize, check, reserve, ship, capture, notify", () => {
        assert.deepEqual(pathThrough(definition, happy), [
            "ValidateOrder",
            "AuthorizePayment",
            "CheckAuthorization",
            "ReserveInventory",
            "CreateShipment",
            "CapturePayment",
            "NotifyCustomer",
        ]);
        assert.equal(task("NotifyCustomer").End, true);
    });

    it("validates the order in its first state, a JSONata Choice, and fails InvalidOrder with every problem as the cause (JSONata)", () => {
        assert.equal(definition.StartAt, "ValidateOrder");
        const validate = definition.States.ValidateOrder;
        assert.ok(validate.Type === "Choice" && validate.QueryLanguage === "JSONata");
        assert.deepEqual([validate.Choices.map((c) => c.Next), validate.Default], [["AuthorizePayment"], "InvalidOrder"]);
        const invalid = definition.States.InvalidOrder;
        assert.ok(invalid.Type === "Fail" && invalid.QueryLanguage === "JSONata" && invalid.Error === OrderErrors.InvalidOrder);
        assert.match(invalid.Cause ?? "", /^\{% \$join\(.*, '; '\) %\}$/s);
    });

    it("authorizes with Stripe: form-encoded PaymentIntent, manual capture, server-side confirmation without redirects", () => {
        const p = task("AuthorizePayment").Parameters!;
        assert.equal(p.ApiEndpoint, "https://api.stripe.com/v1/payment_intents");
        assert.equal(p.Method, "POST");
        assert.deepEqual(p.Transform, { RequestBodyEncoding: "URL_ENCODED" });
        assert.deepEqual(p.Headers, {
            "Idempotency-Key.$": "States.Format('authorize-{}', $.orderId)",
            "Stripe-Version": STRIPE_API_VERSION,
            "Content-Type": "application/x-www-form-urlencoded",
        });
        assert.deepEqual(p.RequestBody, {
            "amount.$": "$.amount",
            "currency.$": "$.currency",
            "payment_method.$": "$.paymentMethod",
            confirm: true,
            capture_method: "manual",
            automatic_payment_methods: { enabled: true, allow_redirects: "never" },
            "description.$": "States.Format('Order {}', $.orderId)",
            metadata: { "order_id.$": "$.orderId" },
        });
    });

    it("pins the Stripe API version of the stripe SDK the sandbox is tested with", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.equal(STRIPE_API_VERSION, (require("stripe") as { API_VERSION: string }).API_VERSION);
    });

    it("recovers the intent with the identical request when the create call gave up, and reads declines", () => {
        assert.deepEqual(catchTargets("AuthorizePayment"), [
            ["States.Http.StatusCode.402,States.Http.StatusCode.400", "ReadDecline"],
            ["States.ALL", "RecoverPaymentIntent"],
        ]);
        assert.deepEqual(task("RecoverPaymentIntent").Parameters, task("AuthorizePayment").Parameters);
        assert.deepEqual(catchTargets("RecoverPaymentIntent"), [
            ["States.Http.StatusCode.402,States.Http.StatusCode.400", "ReadDecline"],
            ["States.ALL", "DecideOutcome"],
        ]);
        assert.equal(task("RecoverPaymentIntent").Catch?.[1].ResultPath, "$.paymentRecoveryFailure");
        const check = definition.States.CheckAuthorization;
        assert.ok(check.Type === "Choice");
        assert.deepEqual([check.Choices.map((c) => c.Next), check.Default], [["ReserveInventory", "ReadPaymentIntent"], "RecoverPaymentIntent"]);
    });

    it("captures only after the shipment exists, by the intent id, and undoes payment by reading the intent first", () => {
        assert.equal(task("CreateShipment").Next, "CapturePayment");
        assert.equal(
            task("CapturePayment").Parameters?.["ApiEndpoint.$"],
            "States.Format('https://api.stripe.com/v1/payment_intents/{}/capture', $.payment.intentId)",
        );
        assert.deepEqual(catchTargets("CapturePayment"), [["States.ALL", "CancelShipment"]]);
        assert.deepEqual(catchTargets("ReserveInventory"), [
            ["States.Http.StatusCode.409", "ReadPaymentIntent"],
            ["States.ALL", "ReleaseInventory"],
        ]);
        assert.deepEqual(catchTargets("CreateShipment"), [["States.ALL", "CancelShipment"]]);
        assert.equal(task("CancelShipment").Next, "ReleaseInventory");
        assert.equal(task("ReleaseInventory").Next, "ReadPaymentIntent");
        assert.equal(task("ReadPaymentIntent").Parameters?.Method, "GET");
        const undo = definition.States.ChooseUndo;
        assert.ok(undo.Type === "Choice");
        assert.deepEqual(
            undo.Choices.map((c) => c.Next),
            ["RefundPayment", "CancelPaymentIntent"],
        );
        assert.deepEqual(task("RefundPayment").Parameters?.RequestBody, { "payment_intent.$": "$.payment.intentId", metadata: { "order_id.$": "$.orderId" } });
        assert.deepEqual(task("CancelPaymentIntent").Parameters?.RequestBody, { cancellation_reason: "abandoned" });
    });

    it("puts only validated values into URLs: the order id (pattern-checked) and the intent id (checked pi_ id)", () => {
        const args = httpTasks.flatMap((s) => {
            const dynamic = s.state.Parameters?.["ApiEndpoint.$"];
            return typeof dynamic === "string" ? [...dynamic.matchAll(/, (\$[^,)]+)/g)].map((m) => m[1]) : [];
        });
        assert.deepEqual([...new Set(args)].sort(), ["$.orderId", "$.payment.intentId"]);
    });

    it("cannot fail an execution in a Task: every Task catches every catchable error, and no payment Task selects response fields", () => {
        for (const { name, state } of tasks)
            assert.ok(
                state.Catch?.some((c) => c.ErrorEquals.includes("States.ALL")),
                name,
            );
        assert.equal(paymentTasks.length, 6);
        for (const { name, state } of paymentTasks) assert.equal(state.ResultSelector, undefined, name);
    });

    it("gives every HTTP call that changes something its own idempotency key from the order id", () => {
        const keys = httpTasks
            .filter((s) => s.state.Parameters?.Method !== "GET")
            .map((s) => [s.name, (s.state.Parameters?.Headers as Record<string, string>)["Idempotency-Key.$"]]);
        assert.deepEqual(keys, [
            ["AuthorizePayment", "States.Format('authorize-{}', $.orderId)"],
            ["RecoverPaymentIntent", "States.Format('authorize-{}', $.orderId)"],
            ["CapturePayment", "States.Format('capture-{}', $.orderId)"],
            ["CancelPaymentIntent", "States.Format('cancel-{}', $.orderId)"],
            ["RefundPayment", "States.Format('refund-{}', $.orderId)"],
            ["ReserveInventory", "States.Format('reservation-{}', $.orderId)"],
            ["CreateShipment", "States.Format('shipment-{}', $.orderId)"],
            ["CancelShipment", "States.Format('cancel-shipment-{}', $.orderId)"],
            ["ReleaseInventory", "States.Format('release-{}', $.orderId)"],
        ]);
    });

    it("retries compensations harder than forward steps, and Stripe's 409 (same key in flight)", () => {
        assert.equal(task("AuthorizePayment").Retry?.[0].MaxAttempts, 3);
        assert.ok(task("AuthorizePayment").Retry?.[0].ErrorEquals.includes("States.Http.StatusCode.409"));
        for (const name of ["RecoverPaymentIntent", "ReadPaymentIntent", "CancelPaymentIntent", "RefundPayment", "CancelShipment", "ReleaseInventory"])
            assert.deepEqual([task(name).Retry?.[0].MaxAttempts, task(name).Retry?.[0].MaxDelaySeconds], [10, 60], name);
    });

    it("ends every failure in a named error: CompensationFailed before PaymentDeclined before OrderCancelled", () => {
        const conclude = definition.States.Conclude;
        assert.ok(conclude.Type === "Choice");
        assert.deepEqual(
            conclude.Choices[0].Or?.map((r) => r.Variable),
            ["$.cancelShipmentFailure", "$.releaseFailure", "$.paymentCompensationFailure", "$.paymentRecoveryFailure"],
        );
        assert.deepEqual([...conclude.Choices.map((c) => c.Next), conclude.Default], ["CompensationFailed", "PaymentDeclined", "OrderCancelled"]);
        assert.deepEqual(definition.States.PaymentDeclined, { Type: "Fail", Error: OrderErrors.PaymentDeclined, CausePath: "$.payment.reason" });
        const ends = Object.values(definition.States)
            .filter((s) => s.Type === "Fail")
            .map((s) => (s.Type === "Fail" ? s.Error : ""));
        assert.deepEqual(ends.sort(), Object.values(OrderErrors).sort());
    });

    it("names only connection ARNs in its tasks, no credentials", () => {
        const text = JSON.stringify(definition);
        for (const holder of ["Password", "ApiKeyValue", "ClientSecret", '"Authorization":', "sk_"]) assert.equal(text.includes(holder), false, holder);
        const arns = httpTasks.map((s) => (s.state.Parameters?.InvocationConfig as { ConnectionArn: string }).ConnectionArn);
        assert.deepEqual([...new Set(arns)].sort(), [conn("inv"), conn("pay"), conn("ship")]);
    });
});
