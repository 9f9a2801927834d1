/**
 * `ValidateOrder` (JSONata, evaluated with jsonata 2.0.6 as Step Functions does) and the order JSON
 * Schema (Ajv) must agree on every order: a table of good and hostile orders, then a seeded fuzz of
 * mutations. What this cannot prove: that AWS's JSONata evaluates regexes exactly like jsonata-js
 * (the patterns are plain ASCII classes for that reason).
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Engine } from "../../tools/engine/engine";
import { matchesOrderSchema } from "../../tools/local/order-schema";
import { seededRandom } from "../../tools/sandbox/faults";
import { sampleOrder } from "../../deploy/workflows/order/definition";
import { invalidOrderState, MAX_ORDER_CHARS, ORDER_SCHEMA, validateOrderState } from "../../deploy/workflows/order/validation";
import { currencyRulesSchema, currencySchema } from "../../deploy/workflows/order/payment/stripe-order-rules";
import { PAYMENT_INTENT_ID } from "../../deploy/workflows/order/payment/stripe";

/** `ValidateOrder` and `InvalidOrder` as the engine runs them; a valid order ends in the state for its way of paying. */
const engine = new Engine({
    StartAt: "ValidateOrder",
    States: {
        ValidateOrder: validateOrderState({ serverSide: "ServerSide", clientConfirmed: "ClientConfirmed" }, "InvalidOrder"),
        InvalidOrder: invalidOrderState("InvalidOrder"),
        ServerSide: { Type: "Succeed" },
        ClientConfirmed: { Type: "Succeed" },
    },
});

/** The ASL's verdict: valid orders pass through unchanged; others fail `InvalidOrder` with a cause. */
async function aslVerdict(order: unknown): Promise<{ valid: boolean; cause?: string; way?: string }> {
    // Step Functions receives JSON: a field set to `undefined` is absent.
    const json = order === undefined ? order : JSON.parse(JSON.stringify(order));
    const result = await engine.run(json);
    if (result.status === "SUCCEEDED") {
        assert.deepEqual(result.output, json);
        return { valid: true, way: result.events.filter((e) => e.type.endsWith("StateEntered")).map((e) => e.name)[1] };
    }
    assert.equal(result.error, "InvalidOrder");
    return { valid: false, cause: result.cause };
}

const o = sampleOrder;
const largest = {
    ...o,
    orderId: "o".repeat(64),
    paymentMethod: `pm_${"x".repeat(100)}`,
    customer: { name: "N".repeat(200), email: `${"e".repeat(240)}@example.com`, phone: "+141555501009999" },
    items: Array.from({ length: 100 }, (_, n) => ({ sku: `S${String(n).padStart(3, "0")}${"/".repeat(60)}`, quantity: 1000 })),
    amount: 99_999_999,
};

const table: [string, unknown, boolean][] = [
    ["the sample order", o, true],
    ["a phone instead of an email", { ...o, customer: { phone: "+14155550100" } }, true],
    ["a lower-case currency", { ...o, currency: "eur" }, true],
    [
        "a storefront-confirmed PaymentIntent instead of a payment method",
        { ...o, paymentMethod: undefined, paymentIntentId: "pi_3MtwBwLkdIwHu7ix28a3tqPa" },
        true,
    ],
    ["both a payment method and a PaymentIntent", { ...o, paymentIntentId: "pi_3MtwBwLkdIwHu7ix28a3tqPa" }, false],
    ["a PaymentIntent id with a path", { ...o, paymentMethod: undefined, paymentIntentId: "pi_1/../../refunds" }, false],
    ["a charge id as the PaymentIntent", { ...o, paymentMethod: undefined, paymentIntentId: "ch_3MtwBwLkdIwHu7ix28a3tqPa" }, false],
    ["a currency Stripe does not support", { ...o, currency: "XYZ" }, false],
    ["a mixed-case currency", { ...o, currency: "Eur" }, false],
    ["below Stripe's minimum charge (EUR 0.49)", { ...o, amount: 49 }, false],
    ["Stripe's minimum charge (EUR 0.50)", { ...o, amount: 50 }, true],
    ["a yen amount (zero-decimal: 50 is ¥50, the minimum)", { ...o, currency: "JPY", amount: 50 }, true],
    ["a yen amount below the minimum", { ...o, currency: "jpy", amount: 49 }, false],
    ["a three-decimal amount ending in 0 (KWD 1.230)", { ...o, currency: "KWD", amount: 1230 }, true],
    ["a three-decimal amount not ending in 0 (KWD 1.234)", { ...o, currency: "kwd", amount: 1234 }, false],
    ["ISK in whole krónur", { ...o, currency: "isk", amount: 10_000 }, true],
    ["ISK with aurar", { ...o, currency: "ISK", amount: 10_050 }, false],
    ["a currency without a known minimum, amount 1", { ...o, currency: "XOF", amount: 1 }, true],
    ["the largest order the contract allows", largest, true],
    ["a name with non-ASCII letters", { ...o, customer: { ...o.customer, name: "Zoë Ångström 李" } }, true],
    ["quantity -1", { ...o, items: [{ sku: "A", quantity: -1 }] }, false],
    ["quantity 0", { ...o, items: [{ sku: "A", quantity: 0 }] }, false],
    ["quantity 1.5", { ...o, items: [{ sku: "A", quantity: 1.5 }] }, false],
    ["quantity as a string", { ...o, items: [{ sku: "A", quantity: "1" }] }, false],
    ["an empty item", { ...o, items: [{}] }, false],
    ["an item without sku", { ...o, items: [{ quantity: 1 }] }, false],
    ["an empty sku", { ...o, items: [{ sku: "", quantity: 1 }] }, false],
    ["an item with an extra field", { ...o, items: [{ sku: "A", quantity: 1, price: 5 }] }, false],
    ["no items", { ...o, items: [] }, false],
    ["101 items", { ...o, items: Array.from({ length: 101 }, () => ({ sku: "A", quantity: 1 })) }, false],
    ["items as an object", { ...o, items: { sku: "A", quantity: 1 } }, false],
    ["an item nested in an array", { ...o, items: [[{ sku: "A", quantity: 1 }]] }, false],
    ["a customer nested in an array", { ...o, customer: [{ email: "ada@example.com" }] }, false],
    ["amount 25.5", { ...o, amount: 25.5 }, false],
    ["amount 0", { ...o, amount: 0 }, false],
    ["amount above Stripe's maximum", { ...o, amount: 100_000_000 }, false],
    ["amount as a string", { ...o, amount: "2599" }, false],
    ["currency EURO", { ...o, currency: "EURO" }, false],
    ["currency with a digit", { ...o, currency: "EU1" }, false],
    ["an empty email", { ...o, customer: { name: "Ada", email: "" } }, false],
    ["an email without a domain", { ...o, customer: { email: "ada@" } }, false],
    ["a customer with neither email nor phone", { ...o, customer: { name: "Ada" } }, false],
    ["a phone without +", { ...o, customer: { phone: "4155550100" } }, false],
    ["a name with a control character", { ...o, customer: { ...o.customer, name: "Ada\nLovelace" } }, false],
    ["a 201-character name", { ...o, customer: { ...o.customer, name: "N".repeat(201) } }, false],
    ["an unknown customer field", { ...o, customer: { ...o.customer, address: "1 Main St" } }, false],
    ["no paymentMethod nor paymentIntentId", { ...o, paymentMethod: undefined }, false],
    ["a card number as paymentMethod", { ...o, paymentMethod: "4242424242424242" }, false],
    ["a path-like order id", { ...o, orderId: "x/../../admin" }, false],
    ["an order id with ?", { ...o, orderId: "a?b" }, false],
    ["an order id with #", { ...o, orderId: "a#b" }, false],
    ["an order id with a space", { ...o, orderId: "a b" }, false],
    ["an empty order id", { ...o, orderId: "" }, false],
    ["a 65-character order id", { ...o, orderId: "o".repeat(65) }, false],
    ["a numeric order id", { ...o, orderId: 1001 }, false],
    ["an unknown top-level field", { ...o, notes: "leave at the door" }, false],
    ["a near-256-KiB order", { ...o, padding: "x".repeat(250_000) }, false],
    ["null", null, false],
    ["an array", [o], false],
    ["a string", "order", false],
    ["an empty object", {}, false],
];

describe("order validation: ValidateOrder (JSONata) agrees with deploy/workflows/order/order.schema.json", () => {
    for (const [what, order, valid] of table) {
        it(`${valid ? "accepts" : "rejects"} ${what}`, async () => {
            const schema = matchesOrderSchema(order);
            const asl = await aslVerdict(order);
            assert.equal(schema, valid, `schema: ${JSON.stringify(matchesOrderSchema.errors)}`);
            assert.equal(asl.valid, valid, `ASL: ${asl.cause}`);
            if (!valid) assert.ok(asl.cause && asl.cause.length > 0 && asl.cause.length < 2000, asl.cause);
        });
    }

    it("names the broken field in the cause", async () => {
        assert.equal((await aslVerdict({ ...o, amount: 25.5 })).cause, "`amount` must be a positive integer in minor units, at most 99999999");
        assert.match(
            (await aslVerdict({ ...o, orderId: "x/../../admin", currency: "EURO" })).cause ?? "",
            /^`orderId` .*; `currency` must be a currency Stripe supports/,
        );
        assert.match((await aslVerdict({ ...o, amount: 49 })).cause ?? "", /^`amount` is below the minimum charge Stripe allows/);
        assert.match((await aslVerdict({ ...o, paymentIntentId: "pi_1" })).cause ?? "", /exactly one of `paymentMethod` .* or `paymentIntentId`/);
    });

    it("sends an order by its way of paying: a payment method to the server-side confirmation, a PaymentIntent to the storefront's", async () => {
        assert.equal((await aslVerdict(o)).way, "ServerSide");
        assert.equal((await aslVerdict({ ...o, paymentMethod: undefined, paymentIntentId: "pi_1" })).way, "ClientConfirmed");
    });

    it("states Stripe's currency rules in the contract exactly as stripe-currencies.ts has them, in draft-4 keywords API Gateway knows", () => {
        const file = JSON.parse(fs.readFileSync(path.join(__dirname, "../../deploy/workflows/order/order.schema.json"), "utf8"));
        assert.deepEqual(file.allOf, currencyRulesSchema());
        assert.deepEqual(file.properties.currency, currencySchema());
        assert.equal(ORDER_SCHEMA.properties.paymentIntentId.pattern, PAYMENT_INTENT_ID);
        const keywords = new Set<string>();
        const walk = (v: unknown): void => {
            if (Array.isArray(v)) v.forEach(walk);
            else if (typeof v === "object" && v !== null)
                for (const [k, child] of Object.entries(v)) {
                    keywords.add(k);
                    if (k !== "properties") walk(child);
                    else Object.values(child as object).forEach(walk);
                }
        };
        walk(file.allOf);
        assert.deepEqual([...keywords].sort(), ["anyOf", "enum", "minimum", "multipleOf", "not", "properties", "type"]);
    });

    it("keeps every schema-valid order below the size limit, so the size rule only ever rejects what the schema rejects", () => {
        assert.ok(matchesOrderSchema(largest));
        assert.ok(JSON.stringify(largest).length < MAX_ORDER_CHARS, String(JSON.stringify(largest).length));
    });

    it("agrees with the schema on 600 seeded mutations of a valid order, and never throws", async () => {
        const random = seededRandom(20261125);
        const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
        const values: unknown[] = [
            null,
            true,
            0,
            -1,
            1.5,
            1e9,
            "",
            " ",
            "x",
            "../",
            "a?b",
            "pm_card_visa",
            "pi_3MtwBwLkdIwHu7ix28a3tqPa",
            "eur",
            "JPY",
            "kwd",
            49,
            1235,
            "+14155550100",
            "a@b.co",
            [],
            [{}],
            {},
            { sku: "A", quantity: 1 },
        ];
        const fields = ["orderId", "customer", "paymentMethod", "paymentIntentId", "items", "amount", "currency", "extra"];
        let agreed = 0;
        let invalid = 0;
        for (let i = 0; i < 600; i++) {
            const order: Record<string, unknown> = structuredClone({ ...o, items: [...o.items, { sku: "SKU-2", quantity: 3 }] }) as Record<string, unknown>;
            for (let m = 0; m < 1 + Math.floor(random() * 2); m++) {
                const roll = random();
                if (roll < 0.3) order[pick(fields)] = pick(values);
                else if (roll < 0.45) delete order[pick(fields)];
                else if (roll < 0.7) order.items = [{ sku: pick(values), quantity: pick(values) }, ...o.items];
                else if (roll < 0.85) order.customer = { [pick(["name", "email", "phone", "fax"])]: pick(values) };
                else order.amount = Math.floor(random() * 2e8) - 1e7;
            }
            const schema = matchesOrderSchema(order);
            const asl = await aslVerdict(order);
            assert.equal(asl.valid, schema, `${JSON.stringify(order)}: schema ${schema}, ASL ${asl.cause}`);
            agreed++;
            if (!schema) invalid++;
        }
        assert.equal(agreed, 600);
        assert.ok(invalid > 180 && invalid < 597, `mutations produce both verdicts (${invalid} invalid)`);
    });
});
