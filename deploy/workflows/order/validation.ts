/**
 * `ValidateOrder`: the order contract (`deploy/workflows/order/order.schema.json`) as one JSONata Choice state.
 *
 * JSONPath Choice rules cannot check a pattern, a string's length, every item of an array or the
 * size of the input, so the state uses JSONata (Step Functions evaluates it with jsonata 2.0.6; a
 * state may use JSONata while the rest of the definition stays JSONPath). Every limit and pattern
 * below is read from the schema, and Stripe's currency and amount rules come from the same tables as
 * the schema's (`payment/stripe-order-rules.ts`), so the two cannot drift; a table test runs both over
 * good and hostile orders. The expression never throws on any input (a JSONata error in a Choice state
 * would fail the execution with an unnamed error): every function call is guarded by a type test,
 * and `and`/`?:` short-circuit.
 */
import orderSchema from "./order.schema.json";
import { ChoiceBranch, ChoiceState, FailState } from "../../asl/types";
import { currencyRules } from "./payment/stripe-order-rules";

/** The order JSON Schema (draft 2020-12). */
export const ORDER_SCHEMA = orderSchema;

/**
 * Largest serialized order the saga accepts, in characters of `$string($states.input)` (at most 3
 * UTF-8 bytes each, so 48 KiB): far below the 256 KiB state limit, so results and error causes
 * added later cannot reach it (docs/aws-facts.md §4.3). Every schema-valid order is smaller; this
 * is defence in depth for the size, which a JSON Schema cannot express.
 */
export const MAX_ORDER_CHARS = 16_384;

const props = orderSchema.properties;
/** The payment fields, of which an order carries exactly one (the schema's `oneOf`). */
const PAYMENT_FIELDS = orderSchema.oneOf.map((o) => o.required[0]);
const customer = props.customer.properties;
const item = props.items.items.properties;

/** A JSONata regex literal for a schema pattern (`/` must be escaped inside it). */
function regex(pattern: string): string {
    return `/${pattern.replace(/\//g, "\\/")}/`;
}

const keyList = (keys: readonly string[]) => `[${keys.map((k) => `'${k}'`).join(", ")}]`;

/** `[]` when `ok`, otherwise `[message]`; messages name the field, as `InvalidOrder`'s cause does. */
const rule = (ok: string, message: string) => `(${ok} ? [] : ['${message}'])`;

/** JSONata lambdas shared by the rules; each is total (never throws). */
const HELPERS = [
    `$str := function($v, $re) { $type($v) = 'string' and $contains($v, $re) }`,
    `$int := function($v, $min, $max) { $type($v) = 'number' and $v = $floor($v) and $v >= $min and $v <= $max }`,
    `$obj := function($v, $allowed) { $type($v) = 'object' and $count($keys($v)[$not($ in $allowed)]) = 0 }`,
    `$len := function($v, $min, $max) { $type($v) = 'string' and $length($v) >= $min and $length($v) <= $max }`,
    `$item := function($i) { $obj($i, ${keyList(Object.keys(item))}) and $str($i.sku, ${regex(item.sku.pattern)}) and $int($i.quantity, ${item.quantity.minimum}, ${item.quantity.maximum}) }`,
];

function customerRules(): string[] {
    const c = "$o.customer";
    return [
        rule(
            `$obj(${c}, ${keyList(Object.keys(customer))}) and ($exists(${c}.email) or $exists(${c}.phone))`,
            "`customer` must be an object with `email` or `phone` (and optionally `name`), nothing else",
        ),
        rule(
            `$not($exists(${c}.name)) or ($len(${c}.name, ${customer.name.minLength}, ${customer.name.maxLength}) and $str(${c}.name, ${regex(customer.name.pattern)}))`,
            `\`customer.name\` must be 1 to ${customer.name.maxLength} characters without control characters`,
        ),
        rule(
            `$not($exists(${c}.email)) or ($len(${c}.email, 1, ${customer.email.maxLength}) and $str(${c}.email, ${regex(customer.email.pattern)}))`,
            "`customer.email` must be an email address",
        ),
        rule(
            `$not($exists(${c}.phone)) or $str(${c}.phone, ${regex(customer.phone.pattern)})`,
            "`customer.phone` must be an E.164 number such as +14155550100",
        ),
    ];
}

/** The JSONata expression (without `{% %}`) that lists every problem of `$states.input`; empty when the order is valid. */
export function orderProblemsExpression(): string {
    const rules = [
        rule(
            `$obj($o, ${keyList(Object.keys(props))}) and $count($keys($o)[$ in ${keyList(orderSchema.required)}]) = ${orderSchema.required.length}`,
            `the order must have the fields ${orderSchema.required.join(", ")} and no others than ${Object.keys(props).join(", ")}`,
        ),
        rule(
            // Counted by value, not by key: a field set to nothing (possible in a local run's input) is no payment.
            `$count(${keyList(PAYMENT_FIELDS)}[$exists($lookup($o, $))]) = 1`,
            "the order must have exactly one of `paymentMethod` (confirmed by the saga) or `paymentIntentId` (confirmed by the storefront)",
        ),
        rule(`$length($string($o)) <= ${MAX_ORDER_CHARS}`, `the order must be at most ${MAX_ORDER_CHARS} characters of JSON`),
        rule(`$str($o.orderId, ${regex(props.orderId.pattern)})`, "`orderId` must be 1 to 64 letters, digits, _ or -"),
        ...customerRules(),
        rule(
            `$not($exists($o.paymentMethod)) or $str($o.paymentMethod, ${regex(props.paymentMethod.pattern)})`,
            "`paymentMethod` must be a Stripe PaymentMethod id (pm_...)",
        ),
        rule(
            `$not($exists($o.paymentIntentId)) or $str($o.paymentIntentId, ${regex(props.paymentIntentId.pattern)})`,
            "`paymentIntentId` must be a Stripe PaymentIntent id (pi_...)",
        ),
        rule(
            `$type($o.items) = 'array' and $count($o.items) >= ${props.items.minItems} and $count($o.items) <= ${props.items.maxItems} and $count($filter($o.items, function($i) { $not($item($i)) })) = 0`,
            `\`items\` must hold 1 to ${props.items.maxItems} items, each a \`sku\` and a positive integer \`quantity\` (at most ${item.quantity.maximum})`,
        ),
        rule(
            `$int($o.amount, ${props.amount.minimum}, ${props.amount.maximum})`,
            `\`amount\` must be a positive integer in minor units, at most ${props.amount.maximum}`,
        ),
        ...currencyRules(rule),
    ];
    // A non-object input has no fields to check: one problem, and no function sees a wrong type.
    return `( $o := $states.input; ${HELPERS.join("; ")}; $type($o) = 'object' ? [${rules.join(", ")}] : ['the order must be a JSON object'] )`;
}

/** Where a valid order goes, by how it pays. */
export interface ValidOrderTargets {
    /** An order with `paymentMethod`: the saga confirms the payment. */
    readonly serverSide: string;
    /** An order with `paymentIntentId`: the storefront confirmed the payment with Stripe.js. */
    readonly clientConfirmed: string;
}

/**
 * The `ValidateOrder` state: valid orders go on unchanged (no rule and no state carries an `Output`,
 * so every path passes the input on: docs/aws-facts.md §14); any other input goes to `invalid`.
 */
export function validateOrderState(next: ValidOrderTargets, invalid: string): ChoiceState {
    const valid = `$count(${orderProblemsExpression()}) = 0`;
    const choices: ChoiceBranch[] = [
        // `and` short-circuits, so a server-side order pays for the rules once.
        { Condition: `{% $exists($states.input.paymentIntentId) and ${valid} %}`, Next: next.clientConfirmed },
        { Condition: `{% ${valid} %}`, Next: next.serverSide },
    ];
    return {
        Type: "Choice",
        QueryLanguage: "JSONata",
        Comment: "The order contract (deploy/workflows/order/order.schema.json), checked before any third-party API is called.",
        Choices: choices,
        Default: invalid,
    };
}

/**
 * The `InvalidOrder` Fail state: every problem of the order as the cause, computed only for a bad
 * order (so a valid one pays for the rules once). It never echoes the hostile input itself.
 */
export function invalidOrderState(error: string): FailState {
    return { Type: "Fail", QueryLanguage: "JSONata", Error: error, Cause: `{% $join(${orderProblemsExpression()}, '; ') %}` };
}
