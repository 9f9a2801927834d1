/**
 * Inputs for the fast JSONata evaluator's differential test (`fast-jsonata.test.ts`): seeded mutations of
 * recorded bindings, and the keys that tell recorded and mutated bindings apart.
 */
type Rec = Record<string, unknown>;

/**
 * What tells two recorded bindings apart for this test: their JSON with the digits and UUIDs inside strings folded
 * (`order-12` and `order-13`, two timestamps, are one shape; a different amount, status, field or error is another),
 * so the samples kept are the different paths the runs took rather than many runs of the same path.
 */
export function shapeOf(bindings: Rec): string {
    return JSON.stringify(bindings, (_key, value: unknown) =>
        typeof value === "string" ? value.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "uuid").replace(/\d+/g, "0") : value,
    );
}

/** A JSON replacer that keeps `undefined` (an array item) apart from `null`, for telling inputs apart. */
export const keepUndefined = (_key: string, value: unknown) => (value === undefined ? "\u0000undefined" : value);

/** The values a mutation puts in place of another (`undefined` removes a field). */
export const EDGE_VALUES: unknown[] = [undefined, null, [], [{}], ["x"], [1], {}, "", "1", "x", 0, 1, -1, 1.5, 1e21, 2 ** 53 + 2, true, false];

/**
 * A copy of `bindings` with one value somewhere under `states` (or a variable) replaced by an edge value (undefined
 * removes it). The value is one `source` can read: a field the expression names (`.name`, `"name"`), or an array item;
 * a field it never names would only give both evaluators the same input again. Any field when none is named.
 */
export function mutate(bindings: Rec, random: () => number, source: string): Rec {
    const copy = structuredClone(bindings);
    const slots: [Rec | unknown[], string | number][] = [];
    const named: [Rec | unknown[], string | number][] = [];
    const visit = (value: unknown, depth: number) => {
        if (depth > 6 || value === null || typeof value !== "object") return;
        for (const [k, v] of Object.entries(value)) {
            const slot: [Rec | unknown[], string | number] = [value as Rec, Array.isArray(value) ? Number(k) : k];
            slots.push(slot);
            if (Array.isArray(value) || source.includes(`.${k}`) || source.includes(`"${k}"`) || source.includes(`'${k}'`)) named.push(slot);
            visit(v, depth + 1);
        }
    };
    visit(copy, 0);
    const candidates = named.length > 0 ? named : slots;
    if (candidates.length === 0) return copy;
    const [holder, key] = candidates[Math.floor(random() * candidates.length)];
    const edge = structuredClone(EDGE_VALUES[Math.floor(random() * EDGE_VALUES.length)]);
    if (edge === undefined && !Array.isArray(holder)) delete (holder as Rec)[key];
    else (holder as Rec)[key] = edge;
    return copy;
}
