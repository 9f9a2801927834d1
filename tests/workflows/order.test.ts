import * as assert from "node:assert/strict";
import { HTTP_INVOKE } from "../../asl/http-task";
import { TaskState } from "../../asl/types";
import { allStates } from "../../asl/walk";
import { commentsDefinition } from "../../workflows/comments";
import { OrderErrors, orderDefinition } from "../../workflows/order";
import { aslErrors, pathThrough } from "../helpers/asl";

const conn = (n: string) => `arn:aws:events:us-east-1:123456789012:connection/${n}/00000000-0000-0000-0000-000000000000`;
const definition = orderDefinition({
    payment: { baseUrl: "https://pay.example.com/v1", connectionArn: conn("pay") },
    inventory: { baseUrl: "https://inventory.example.com", connectionArn: conn("inv") },
    shipping: { baseUrl: "https://ship.example.com", connectionArn: conn("ship") },
    notificationTopicArn: "arn:aws:sns:us-east-1:123456789012:orders",
});
const task = (name: string) => definition.States[name] as TaskState;
const catchTargets = (name: string) => (task(name).Catch ?? []).map((c) => [c.ErrorEquals.join(","), c.Next]);

describe("order workflow definition", () => {
    it("passes asl-validator, as does the comments workflow", () => {
        assert.deepEqual(aslErrors(definition), []);
        assert.deepEqual(aslErrors(commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: conn("c") })), []);
    });

    it("takes 5 states on the happy path (at most 6 allowed), ending at the notification", () => {
        const happy = pathThrough(definition);
        assert.deepEqual(happy, ["ValidateOrder", "ChargePayment", "ReserveInventory", "CreateShipment", "NotifyCustomer"]);
        assert.equal(task("NotifyCustomer").End, true);
    });

    it("rejects an invalid order in the first state, before any HTTP Task", () => {
        const validate = definition.States.ValidateOrder;
        assert.equal(validate.Type, "Choice");
        assert.deepEqual(validate.Type === "Choice" && validate.Choices.map((c) => c.Next), ["InvalidOrder", "InvalidOrder", "InvalidOrder"]);
        assert.deepEqual(definition.States.InvalidOrder, {
            Type: "Fail",
            Error: OrderErrors.InvalidOrder,
            Cause: "An order needs a non-empty string orderId, customer.email or customer.phone, at least one item, a positive numeric amount and a currency.",
        });
    });

    it("routes a decline (HTTP 402) to the declined notification and other payment failures to a refund by order", () => {
        assert.deepEqual(catchTargets("ChargePayment"), [
            ["States.Http.StatusCode.402", "NotifyPaymentDeclined"],
            ["States.ALL", "RefundPayment"],
        ]);
        assert.deepEqual(pathThrough(definition, () => undefined).includes("PaymentDeclined"), false);
        assert.equal((definition.States.NotifyPaymentDeclined as TaskState).Next, "PaymentDeclined");
    });

    it("compensates: out of stock refunds, other inventory failures release then refund, shipment failures cancel, release and refund", () => {
        assert.deepEqual(catchTargets("ReserveInventory"), [
            ["States.Http.StatusCode.409", "RefundPayment"],
            ["States.ALL", "ReleaseInventory"],
        ]);
        assert.deepEqual(catchTargets("CreateShipment"), [["States.ALL", "CancelShipment"]]);
        assert.equal(task("CancelShipment").Next, "ReleaseInventory");
        assert.equal(task("ReleaseInventory").Next, "RefundPayment");
        assert.equal(task("RefundPayment").Next, "NotifyOrderCancelled");
        assert.deepEqual(pathThrough({ ...definition, StartAt: "NotifyOrderCancelled" }), ["NotifyOrderCancelled", "CheckCompensations", "OrderCancelled"]);
    });

    it("releases the reservation and cancels the shipment by the ids the saga chose, with DELETE on dynamic paths", () => {
        assert.deepEqual((task("ReserveInventory").Parameters?.RequestBody as Record<string, string>)["reservationId.$"], "States.Format('res-{}', $.orderId)");
        assert.deepEqual(
            task("ReleaseInventory").Parameters?.["ApiEndpoint.$"],
            "States.Format('https://inventory.example.com/reservations/res-{}', $.orderId)",
        );
        assert.equal(task("ReleaseInventory").Parameters?.Method, "DELETE");
        assert.deepEqual((task("CreateShipment").Parameters?.RequestBody as Record<string, string>)["shipmentId.$"], "States.Format('shp-{}', $.orderId)");
        assert.deepEqual(task("CancelShipment").Parameters?.["ApiEndpoint.$"], "States.Format('https://ship.example.com/shipments/shp-{}', $.orderId)");
        assert.deepEqual((task("RefundPayment").Parameters?.RequestBody as Record<string, string>)["orderId.$"], "$.orderId");
    });

    it("gives every HTTP call its own idempotency key from the order id", () => {
        const keys = allStates(definition)
            .filter((s) => s.state.Type === "Task" && s.state.Resource === HTTP_INVOKE)
            .map((s) => [s.name, ((s.state as TaskState).Parameters?.Headers as Record<string, string>)["Idempotency-Key.$"]]);
        assert.deepEqual(keys, [
            ["ChargePayment", "States.Format('charge-{}', $.orderId)"],
            ["ReserveInventory", "States.Format('reservation-{}', $.orderId)"],
            ["CreateShipment", "States.Format('shipment-{}', $.orderId)"],
            ["CancelShipment", "States.Format('cancel-shipment-{}', $.orderId)"],
            ["ReleaseInventory", "States.Format('release-{}', $.orderId)"],
            ["RefundPayment", "States.Format('refund-{}', $.orderId)"],
        ]);
    });

    it("retries compensations harder than forward steps", () => {
        assert.equal(task("ChargePayment").Retry?.[0].MaxAttempts, 3);
        for (const name of ["CancelShipment", "ReleaseInventory"]) assert.equal(task(name).Retry?.[0].MaxAttempts, 6, name);
        assert.equal(task("RefundPayment").Retry?.[0].MaxAttempts, 6);
    });

    it("reports a failed compensation as CompensationFailed", () => {
        const check = definition.States.CheckCompensations;
        assert.deepEqual(check.Type === "Choice" && [check.Choices[0].Next, check.Default], ["CompensationFailed", "OrderCancelled"]);
        for (const [name, next, failure] of [
            ["CancelShipment", "ReleaseInventory", "$.cancelShipmentFailure"],
            ["ReleaseInventory", "RefundPayment", "$.releaseFailure"],
            ["RefundPayment", "NotifyOrderCancelled", "$.refundFailure"],
        ]) {
            // 404: there was nothing to undo, which is not a failure.
            assert.deepEqual(
                task(name).Catch,
                [
                    { ErrorEquals: ["States.Http.StatusCode.404"], ResultPath: null, Next: next },
                    { ErrorEquals: ["States.ALL"], ResultPath: failure, Next: next },
                ],
                name,
            );
        }
        assert.deepEqual(check.Type === "Choice" && check.Choices[0].Or?.map((r) => r.Variable), [
            "$.cancelShipmentFailure",
            "$.releaseFailure",
            "$.refundFailure",
        ]);
    });

    it("names only connection ARNs in its tasks, no credentials", () => {
        const text = JSON.stringify(definition);
        for (const holder of ["Password", "ApiKeyValue", "ClientSecret", 'Authorization"']) assert.equal(text.includes(holder), false, holder);
        const arns = allStates(definition).flatMap((s) =>
            s.state.Type === "Task" && s.state.Resource === HTTP_INVOKE
                ? [(s.state.Parameters?.Authentication as { ConnectionArn: string }).ConnectionArn]
                : [],
        );
        assert.deepEqual([...new Set(arns)].sort(), [conn("inv"), conn("pay"), conn("ship")]);
    });
});
