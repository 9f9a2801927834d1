/**
 * The order saga's structure: the happy path, where every failure goes, what reaches a URL, and the
 * properties that make a redrive safe. Pure: no Pulumi, no HTTP (the local runner tests run it).
 */
import * as assert from "node:assert/strict";
import { HTTP_INVOKE } from "../../deploy/asl/http-task";
import { Catcher, TaskState } from "../../deploy/asl/types";
import { allStates } from "../../deploy/asl/walk";
import { commentsDefinition } from "../../deploy/workflows/comments/definition";
import { ORDER_INCIDENTS, OrderErrors } from "../../deploy/workflows/order/definition";
import { WORKFLOWS } from "../../deploy/workflows/catalogue";
import { STRIPE_API_VERSION } from "../../deploy/workflows/order/payment/stripe";
import { aslErrors, pathThrough, testConnectionArn, testOrderDefinition, testOrderTargets } from "../helpers/asl";

const conn = testConnectionArn;
const definition = testOrderDefinition();
const task = (name: string) => definition.States[name] as TaskState;
const catchTargets = (name: string) => (task(name).Catch ?? []).map((c) => [c.ErrorEquals.join(","), c.Next]);
const tasks = allStates(definition).filter((s) => s.state.Type === "Task") as { name: string; state: TaskState }[];
const httpTasks = tasks.filter((s) => s.state.Resource === HTTP_INVOKE);
const paymentTasks = httpTasks.filter((s) => String(s.state.Parameters?.ApiEndpoint ?? s.state.Parameters?.["ApiEndpoint.$"]).includes("api.stripe.com"));
const happy = (choice: string) =>
    ({ ValidateOrder: "SearchPaymentIntent", ReadSearchResult: "AuthorizePayment", CheckAuthorization: "ReserveInventory", CheckShipment: "CapturePayment" })[
        choice
    ];

/** Every state reachable from `start` by any transition, catch or choice. */
function reachable(start: string): Set<string> {
    const seen = new Set<string>();
    const todo = [start];
    while (todo.length > 0) {
        const name = todo.pop()!;
        if (seen.has(name)) continue;
        seen.add(name);
        const state = definition.States[name] as unknown as Record<string, unknown>;
        const nexts = [
            state.Next,
            state.Default,
            ...((state.Choices as { Next: string }[] | undefined) ?? []).map((c) => c.Next),
            ...((state.Catch as Catcher[] | undefined) ?? []).map((c) => c.Next),
        ];
        todo.push(...nexts.filter((n): n is string => typeof n === "string"));
    }
    return seen;
}

describe("order workflow definition", () => {
    it("passes asl-validator, as does the comments workflow", () => {
        assert.deepEqual(aslErrors(definition), []);
        assert.deepEqual(aslErrors(commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: conn("c") })), []);
    });

    it("takes 10 states on the happy path: validate, find any earlier intent, authorize, check, reserve, ship, check, capture, notify", () => {
        assert.deepEqual(pathThrough(definition, happy), [
            "ValidateOrder",
            "SearchPaymentIntent",
            "ReadSearchResult",
            "AuthorizePayment",
            "CheckAuthorization",
            "ReserveInventory",
            "CreateShipment",
            "CheckShipment",
            "CapturePayment",
            "NotifyCustomer",
        ]);
        assert.equal(task("NotifyCustomer").End, true);
    });

    it("takes 8 states for an order the storefront confirmed (3-D Secure done with Stripe.js): no search, no create", () => {
        const client = (choice: string) => (choice === "ValidateOrder" ? "RetrievePaymentIntent" : happy(choice));
        assert.deepEqual(pathThrough(definition, client), [
            "ValidateOrder",
            "RetrievePaymentIntent",
            "CheckAuthorization",
            "ReserveInventory",
            "CreateShipment",
            "CheckShipment",
            "CapturePayment",
            "NotifyCustomer",
        ]);
        assert.equal(
            task("RetrievePaymentIntent").Parameters?.["ApiEndpoint.$"],
            "States.Format('https://api.stripe.com/v1/payment_intents/{}', $.paymentIntentId)",
        );
    });

    it("validates the order in its first state, a JSONata Choice, and fails InvalidOrder with every problem as the cause (JSONata)", () => {
        assert.equal(definition.StartAt, "ValidateOrder");
        const validate = definition.States.ValidateOrder;
        assert.ok(validate.Type === "Choice" && validate.QueryLanguage === "JSONata");
        assert.deepEqual([validate.Choices.map((c) => c.Next), validate.Default], [["RetrievePaymentIntent", "SearchPaymentIntent"], "InvalidOrder"]);
        const invalid = definition.States.InvalidOrder;
        assert.ok(invalid.Type === "Fail" && invalid.QueryLanguage === "JSONata" && invalid.Error === OrderErrors.InvalidOrder);
        assert.match(invalid.Cause ?? "", /^\{% \$join\(.*, '; '\) %\}$/s);
    });

    it("authorizes with Stripe: form-encoded PaymentIntent, manual capture, server-side confirmation that refuses to wait for authentication", () => {
        const p = task("AuthorizePayment").Parameters!;
        assert.equal(p.ApiEndpoint, "https://api.stripe.com/v1/payment_intents");
        assert.equal(p.Method, "POST");
        assert.deepEqual(p.Transform, { RequestBodyEncoding: "URL_ENCODED" });
        assert.deepEqual(p.Headers, {
            "Idempotency-Key.$": "$.stripeRequest.idempotencyKey",
            "Stripe-Version": STRIPE_API_VERSION,
            "Content-Type": "application/x-www-form-urlencoded",
        });
        assert.deepEqual(p.RequestBody, {
            "amount.$": "$.amount",
            "currency.$": "$.stripeRequest.currency",
            "payment_method.$": "$.paymentMethod",
            confirm: true,
            capture_method: "manual",
            error_on_requires_action: true,
            automatic_payment_methods: { enabled: true, allow_redirects: "never" },
            "description.$": "States.Format('Order {}', $.orderId)",
            metadata: { "order_id.$": "$.orderId" },
        });
    });

    it("pins the Stripe API version of the stripe SDK the sandbox is tested with", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        assert.equal(STRIPE_API_VERSION, (require("stripe") as { API_VERSION: string }).API_VERSION);
    });

    it("never sends the create call twice for an order: it searches first, and every failure of the create call is read, not retried with a new key", () => {
        const creates = httpTasks.filter((s) => s.state.Parameters?.ApiEndpoint === "https://api.stripe.com/v1/payment_intents");
        assert.deepEqual(
            creates.map((s) => s.name),
            ["AuthorizePayment"],
        );
        assert.deepEqual(catchTargets("AuthorizePayment"), [["States.ALL", "ReadRefusal"]]);
        assert.deepEqual(task("SearchPaymentIntent").Parameters?.QueryParameters, {
            "query.$": "States.Format('metadata[\\'order_id\\']:\\'{}\\'', $.orderId)",
        });
        // The only way into AuthorizePayment is ReadSearchResult's "nothing found, before creating".
        const into = Object.entries(definition.States).filter(([, s]) => JSON.stringify(s).includes('"AuthorizePayment"'));
        assert.deepEqual(
            into.map(([n]) => n),
            ["ReadSearchResult"],
        );
        const check = definition.States.ReadRefusal;
        assert.ok(check.Type === "Choice");
        assert.deepEqual(
            [...check.Choices.map((c) => c.Next), check.Default],
            ["ReadPaymentIntent", "WaitForPaymentIntent", "ReadPaymentIntent", "DecideOutcome", "ReadPaymentIntent", "WaitForPaymentIntent"],
        );
        assert.deepEqual(definition.States.WaitForPaymentIntent, { Type: "Wait", SecondsPath: "$.lookup.wait", Next: "SearchPaymentIntent" });
    });

    it("never compensates once the goods ship: no capture failure can reach a cancellation, a release or a refund", () => {
        const after = reachable("CapturePayment");
        for (const compensation of ["CancelShipment", "ReleaseInventory", "ReadPaymentIntent", "CancelPaymentIntent", "RefundPayment", "OrderCancelled"])
            assert.equal(after.has(compensation), false, compensation);
        assert.deepEqual(catchTargets("CapturePayment"), [["States.ALL", "ReadCapture"]]);
        assert.deepEqual(task("ReadCapture").Parameters?.QueryParameters, { "expand[]": "latest_charge" });
        assert.deepEqual(definition.States.WaitToCapture, { Type: "Wait", Seconds: 3600, Next: "CapturePayment" });
        assert.equal(task("ReportCaptureDelayed").Parameters?.TopicArn, "arn:aws:sns:us-east-1:123456789012:orders");
    });

    it("captures only after the shipment exists with a tracking number, by the intent id, and undoes payment by reading the intent first", () => {
        assert.equal(task("CreateShipment").Next, "CheckShipment");
        const check = definition.States.CheckShipment;
        assert.ok(check.Type === "Choice");
        assert.deepEqual([check.Choices.map((c) => c.Next), check.Default], [["CapturePayment"], "CancelShipment"]);
        assert.equal(
            task("CapturePayment").Parameters?.["ApiEndpoint.$"],
            "States.Format('https://api.stripe.com/v1/payment_intents/{}/capture', $.payment.intentId)",
        );
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
            [...undo.Choices.map((c) => c.Next), undo.Default],
            ["RefundPayment", "CancelPaymentIntent", "DecideOutcome", "DecideOutcome", "DecideOutcome"],
        );
        assert.equal(task("RefundPayment").Next, "CheckRefund");
        assert.deepEqual(task("RefundPayment").Parameters?.RequestBody, { "payment_intent.$": "$.payment.intentId", metadata: { "order_id.$": "$.orderId" } });
        assert.deepEqual(task("CancelPaymentIntent").Parameters?.RequestBody, { cancellation_reason: "abandoned" });
    });

    it("puts only validated values into URLs: the order id (pattern-checked) and the intent id (checked pi_ id)", () => {
        const args = httpTasks.flatMap((s) => {
            const dynamic = s.state.Parameters?.["ApiEndpoint.$"];
            return typeof dynamic === "string" ? [...dynamic.matchAll(/, (\$[^,)]+)/g)].map((m) => m[1]) : [];
        });
        assert.deepEqual([...new Set(args)].sort(), ["$.authorization.ResponseBody.id", "$.orderId", "$.payment.intentId", "$.paymentIntentId"]);
        // `$.authorization.ResponseBody.id` reaches a URL only in ReadFoundPaymentIntent, entered only from ReadSearchResult, which puts there
        // only an intent whose id passed the pi_ pattern (`$intent`; tests/workflows/stripe-choices.test.ts feeds it malformed ids).
        const users = httpTasks.filter((s) => String(s.state.Parameters?.["ApiEndpoint.$"]).includes("$.authorization.ResponseBody.id")).map((s) => s.name);
        assert.deepEqual(users, ["ReadFoundPaymentIntent"]);
        const into = Object.entries(definition.States).filter(([, s]) => JSON.stringify(s).includes('"ReadFoundPaymentIntent"'));
        assert.deepEqual(
            into.map(([n]) => n),
            ["ReadSearchResult"],
        );
    });

    it("cannot fail an execution in a Task: every Task catches every catchable error, and no Task selects response fields", () => {
        for (const { name, state } of tasks)
            assert.ok(
                state.Catch?.some((c) => c.ErrorEquals.includes("States.ALL")),
                name,
            );
        assert.equal(paymentTasks.length, 9);
        // A ResultSelector on an answer without the field would be an uncatchable States.Runtime (CreateShipment's trackingNumber included).
        for (const { name, state } of tasks) assert.equal(state.ResultSelector, undefined, name);
    });

    it("gives every HTTP call that changes something its own idempotency key: the order id, or the intent it acts on (and the capture round)", () => {
        const keys = httpTasks
            .filter((s) => s.state.Parameters?.Method !== "GET")
            .map((s) => [s.name, (s.state.Parameters?.Headers as Record<string, string>)["Idempotency-Key.$"]]);
        assert.deepEqual(keys, [
            ["AuthorizePayment", "$.stripeRequest.idempotencyKey"],
            ["CapturePayment", "States.Format('capture-{}-{}', $.payment.intentId, $.payment.attempt)"],
            ["CancelPaymentIntent", "States.Format('cancel-{}', $.payment.intentId)"],
            ["RefundPayment", "States.Format('refund-{}', $.payment.intentId)"],
            ["ReserveInventory", "States.Format('reservation-{}', $.orderId)"],
            ["CreateShipment", "States.Format('shipment-{}', $.orderId)"],
            ["CancelShipment", "States.Format('cancel-shipment-{}', $.orderId)"],
            ["ReleaseInventory", "States.Format('release-{}', $.orderId)"],
        ]);
    });

    it("retries compensations harder than forward steps, and Stripe's 409 (same key in flight)", () => {
        assert.equal(task("AuthorizePayment").Retry?.[0].MaxAttempts, 3);
        assert.ok(task("AuthorizePayment").Retry?.[0].ErrorEquals.includes("States.Http.StatusCode.409"));
        for (const name of ["ReadCapture", "ReadPaymentIntent", "CancelPaymentIntent", "RefundPayment", "CancelShipment", "ReleaseInventory"])
            assert.deepEqual([task(name).Retry?.[0].MaxAttempts, task(name).Retry?.[0].MaxDelaySeconds], [10, 60], name);
    });

    it("ends every failure in a named error: CompensationFailed before the payment's outcome before OrderCancelled", () => {
        const conclude = definition.States.Conclude;
        assert.ok(conclude.Type === "Choice");
        assert.deepEqual(
            conclude.Choices[0].Or?.map((r) => r.Variable),
            ["$.cancelShipmentFailure", "$.releaseFailure", "$.paymentCompensationFailure"],
        );
        assert.deepEqual(
            [...conclude.Choices.map((c) => c.Next), conclude.Default],
            [
                "CompensationFailed",
                "PaymentDeclined",
                "PaymentAuthenticationRequired",
                "PaymentRequestFailed",
                "PaymentUnavailable",
                "PaymentStateUnknown",
                "PaymentMismatch",
                "OrderCancelled",
            ],
        );
        assert.deepEqual(definition.States.PaymentDeclined, { Type: "Fail", Error: OrderErrors.PaymentDeclined, CausePath: "$.payment.reason" });
        const ends = Object.values(definition.States)
            .filter((s) => s.Type === "Fail")
            .map((s) => (s.Type === "Fail" ? s.Error : ""));
        assert.deepEqual(ends.sort(), Object.values(OrderErrors).sort());
    });

    it("tells the customer only after every compensation has finished: each customer message is entered from DecideOutcome alone", () => {
        const messages = Object.keys(definition.States).filter((n) => n.startsWith("Notify") && n !== "NotifyCustomer");
        assert.equal(messages.length, 5);
        for (const message of messages) {
            const from = Object.entries(definition.States).filter(([, s]) => JSON.stringify(s).includes(`"${message}"`));
            assert.deepEqual(
                from.map(([n]) => n),
                ["DecideOutcome"],
                message,
            );
        }
        for (const compensation of ["CancelShipment", "ReleaseInventory", "ReadPaymentIntent", "CancelPaymentIntent", "RefundPayment"])
            assert.equal(reachable("DecideOutcome").has(compensation), false, compensation);
    });

    it("lists every paging outcome as an incident of the order workflow, and the others as business outcomes, in the monitoring catalogue", () => {
        assert.deepEqual([...WORKFLOWS.order.incidents].sort(), [...ORDER_INCIDENTS].sort());
        assert.deepEqual([...WORKFLOWS.order.outcomes, ...WORKFLOWS.order.incidents].sort(), Object.values(OrderErrors).sort());
    });

    it("names only connection ARNs in its tasks, no credentials", () => {
        const text = JSON.stringify(definition);
        for (const holder of ["Password", "ApiKeyValue", "ClientSecret", '"Authorization":', "sk_"]) assert.equal(text.includes(holder), false, holder);
        const arns = httpTasks.map((s) => (s.state.Parameters?.InvocationConfig as { ConnectionArn: string }).ConnectionArn);
        assert.deepEqual(
            [...new Set(arns)].sort(),
            Object.values(testOrderTargets())
                .map((t) => t.connectionArn)
                .sort(),
        );
    });
});
