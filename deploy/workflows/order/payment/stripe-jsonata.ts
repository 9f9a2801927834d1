/**
 * The JSONata the Stripe states share: total helper functions (they never throw, whatever Stripe or
 * a broken proxy answers) and the routed Choice every decision is written as.
 *
 * "Nothing" is `()`, JSONata's empty sequence: an unbound `$name` would be read by Step Functions as
 * a workflow-variable reference (docs/aws-facts.md §15). No expression here calls `$parse` or
 * `$eval`, which throw on malformed text: Stripe's error fields are read from a cause with
 * `$match`, which cannot.
 */
import { ChoiceState } from "../../../asl/types";

/** A PaymentIntent id as Stripe issues them; anything else never reaches a URL. */
export const PAYMENT_INTENT_ID = "^pi_[A-Za-z0-9]{1,200}$";

/** Intent statuses that `POST /v1/payment_intents/{id}/cancel` accepts (Stripe's cancel endpoint). */
export const CANCELLABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];

/** A JSONata list literal of strings. */
export const jsonataList = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(", ")}]`;

/** Helpers every Stripe decision may use; `$o` is the state input (the order and what the saga added). */
const PRELUDE = [
    `$o := $states.input`,
    // The object if it is a PaymentIntent with a well-formed id, else nothing.
    `$intent := function($b) { ($type($b) = 'object' and $type($b.id) = 'string' and $contains($b.id, /${PAYMENT_INTENT_ID}/)) ? $b : () }`,
    // A short printable version of a value from Stripe, for a reason text.
    `$text := function($v) { $type($v) = 'string' ? $substring($v, 0, 200) : $type($v) = 'number' ? $string($v) : () }`,
    // The order's currency as Stripe writes it (ValidateOrder proved it is a string).
    `$cur := $type($o.currency) = 'string' ? $lowercase($o.currency) : ''`,
    // True when the intent was made for this order, amount and currency (what the saga would have created).
    `$ours := function($i) { $i.metadata.order_id = $o.orderId and $i.amount = $o.amount and $i.currency = $cur }`,
];

/**
 * The input without `fields` (raw HTTP results and handled failures are dropped as soon as they are
 * read) and without the create call's prepared parameters, which only `AuthorizePayment` reads.
 */
export const without = (...fields: string[]) => `$sift($o, function($v, $k) { $not($k in ${jsonataList([...fields, "stripeRequest"])}) })`;

/** `base` with `fields` merged into its `payment` object. */
export const withPayment = (base: string, fields: string) =>
    `$merge([${base}, { 'payment': $merge([$type($o.payment) = 'object' ? $o.payment : {}, ${fields}]) }])`;

/** One way out of a routed Choice: the next state and the output on that way. */
export interface Route {
    readonly next: string;
    readonly output: string;
}

/**
 * A JSONata Choice that computes `$route` once (in `lets`, after the shared helpers) and takes the
 * way of that name; `fallback` is taken when `$route` names none of `routes`.
 *
 * On AWS a matching rule applies only its own `Output` (a rule without one passes the state input
 * on) and the state-level `Output` applies only when `Default` is taken (docs/aws-facts.md §14), so
 * the same `Output`, which switches on `$route`, is written on each rule and at state level: the
 * state means the same under either reading.
 */
export function routedChoice(comment: string, lets: readonly string[], routes: Readonly<Record<string, Route>>, fallback: Route): ChoiceState {
    const prelude = [...PRELUDE, ...lets].join("; ");
    const switched = Object.entries(routes).reduceRight((rest, [name, route]) => `$route = '${name}' ? (${route.output}) : ${rest}`, `(${fallback.output})`);
    const Output = `{% (${prelude}; ${switched}) %}`;
    return {
        Type: "Choice",
        QueryLanguage: "JSONata",
        Comment: comment,
        Choices: Object.entries(routes).map(([name, route]) => ({ Condition: `{% (${prelude}; $route = '${name}') %}`, Output, Next: route.next })),
        Default: fallback.next,
        Output,
    };
}

/**
 * Reads one of Stripe's string fields (`"name": "value"`) from a task failure's `Cause`, which on
 * AWS may be the status text or the answer as JSON (docs/aws-facts.md §5.2: UNKNOWN): a regex never
 * throws, where `$parse` would on a truncated or malformed cause.
 */
export const causeField = (cause: string, name: string, valuePattern: string) =>
    `($type(${cause}) = 'string' ? $match(${cause}, /"${name}"\\s*:\\s*"(${valuePattern})"/)[0].groups[0] : ())`;
