/**
 * `GET /v1/payment_intents/search` with Stripe's search query language (docs.stripe.com/search):
 * clauses `field:value` (exact), `field~"text"` (substring, 3+ characters), `field>n`, `<`, `>=`,
 * `<=`, a leading `-` to negate, joined by `AND` or by `OR` (not both); string values in single or
 * double quotes; `metadata['key']:'value'`. Fields for PaymentIntents: amount, created, currency,
 * customer, metadata, status. Search is eventually consistent ("don't use search for read-after-write
 * flows"; usually under a minute, longer in outages; Stripe test mode has taken over two minutes and
 * dropped an indexed PaymentIntent again, gburgyan/aat-stripe README): a new intent is found only
 * after the lag the test sets. Results come newest first (Stripe's order is UNKNOWN).
 */
import { Reply, SandboxRequest } from "../http-server";
import { FaultInjector } from "../faults";
import { invalid } from "./errors";
import { answer } from "./intents";
import { integerOf, paramsOf } from "./params";
import { PaymentIntent, StripeState } from "./state";

const FIELDS = ["amount", "created", "currency", "customer", "metadata", "status"];
const CLAUSE = /^(-?)(metadata\[(?:'([^']*)'|"([^"]*)")\]|[a-z_]+)(:|~|>=|<=|>|<)(?:'([^']*)'|"([^"]*)"|([^\s'"]+))$/;

type Clause = { negate: boolean; field: string; key?: string; op: string; value: string };

function parse(query: string): { clauses: Clause[]; any: boolean } {
    const text = query.trim();
    const hasAnd = / AND /.test(text);
    const hasOr = / OR /.test(text);
    // Stripe refuses a query that mixes AND and OR, and one it cannot parse, with a 400 (no code; wording UNKNOWN).
    if (hasAnd && hasOr) invalid("Search queries cannot mix `AND` and `OR`.", { param: "query" });
    const clauses = text.split(hasOr ? / OR / : / AND /).map((part): Clause => {
        const m = CLAUSE.exec(part.trim());
        if (!m) return invalid(`Invalid search query: ${part.trim()}`, { param: "query" });
        const field = m[2].startsWith("metadata[") ? "metadata" : m[2];
        if (!FIELDS.includes(field)) invalid(`Field \`${field}\` is an unsupported search field for resource \`payment_intents\`.`, { param: "query" });
        return { negate: m[1] === "-", field, key: m[3] ?? m[4], op: m[5], value: m[6] ?? m[7] ?? m[8] };
    });
    return { clauses, any: hasOr };
}

function matches(intent: PaymentIntent, c: Clause): boolean {
    const raw = c.field === "metadata" ? intent.metadata[c.key ?? ""] : (intent as Record<string, unknown>)[c.field];
    let result: boolean;
    if (c.op === ":") result = c.value === "null" ? raw === null || raw === undefined : String(raw ?? "") === c.value;
    else if (c.op === "~") result = String(raw ?? "").includes(c.value);
    else {
        const [a, b] = [Number(raw), Number(c.value)];
        result = { ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b }[c.op] ?? false;
    }
    return c.negate ? !result : result;
}

/**
 * The intents a search has to look at, in creation order. A query that requires one
 * `metadata['order_id']` (the saga's) needs only the intents indexed under it, unless `searchMisses`
 * is on: a search then counts a miss against every indexed intent, matching or not, so it walks them all.
 */
function candidates(state: StripeState, clauses: Clause[], any: boolean, misses: number): PaymentIntent[] {
    const byOrder = any && clauses.length > 1 ? undefined : clauses.find((c) => !c.negate && c.op === ":" && c.field === "metadata" && c.key === "order_id");
    // `:null` and `:''` also match intents without the key, which the index does not hold.
    if (misses > 0 || byOrder === undefined || byOrder.value === "null" || byOrder.value === "") return [...state.intents.values()];
    const list = state.byOrderId.get(byOrder.value) ?? [];
    // An intent whose order id changed sits in two lists; creation order is restored for the rare list that needs it.
    return list.length > 1 ? [...list].sort((a, b) => state.extra.get(a.id)!.seq - state.extra.get(b.id)!.seq) : list;
}

/** The search endpoint of one account. */
export function searchOperation(state: StripeState, lagSeconds: number, faults?: FaultInjector) {
    return (req: SandboxRequest): Reply => {
        const p = paramsOf(req, "GET /payment_intents/search");
        const { clauses, any } = parse(String(p.query));
        const spec = faults?.spec("GET /payment_intents/search");
        const lagMs = (spec?.searchLagSeconds ?? lagSeconds) * 1000;
        const misses = spec?.searchMisses ?? 0;
        const indexed = candidates(state, clauses, any, misses).filter((intent) => {
            const extra = state.extra.get(intent.id)!;
            if (state.clock.nowMs() - extra.createdMs < lagMs) return false;
            if (extra.searchMisses < misses) {
                extra.searchMisses++;
                return false;
            }
            return true;
        });
        const found = indexed.filter((i) => (any ? clauses.some((c) => matches(i, c)) : clauses.every((c) => matches(i, c)))).reverse();
        const limit = integerOf(p, "limit") ?? 10;
        if (limit < 1 || limit > 100) invalid("This value must be less than or equal to 100.", { code: "parameter_invalid_integer", param: "limit" });
        const start = typeof p.page === "string" && /^page_\d+$/.test(p.page) ? Number(p.page.slice(5)) : 0;
        const page = found.slice(start, start + limit);
        const more = start + limit < found.length;
        return {
            status: 200,
            body: {
                object: "search_result",
                data: page.map((i) => answer(i, p.expand, state).body),
                has_more: more,
                next_page: more ? `page_${start + limit}` : null,
                url: "/v1/payment_intents/search",
            },
        };
    };
}
