/**
 * The fast JSONata evaluator against jsonata 2.0.6 (the reference Step Functions runs): every
 * expression of the dev and prod definitions and of the AWS-recorded conformance data, over the
 * bindings the engine really evaluated them with (conformance cases, order saga runs with faults,
 * a collection run, ValidateOrder over seeded order mutations) and over seeded mutations of those
 * bindings, one or two at a time (a field removed, null, an empty array, an array of one, a string for a number, a huge
 * number, ...). Both must give deep-equal results (sequence flags included) or the same error code.
 * What this cannot prove: agreement on inputs none of these reach.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import jsonata from "jsonata";
import { commentsDefinition } from "../../deploy/workflows/comments/definition";
import { orderDefinition, sampleOrder } from "../../deploy/workflows/order/definition";
import { compileFast, needsJsonata, prepareFastJsonata, unsupportedReason } from "../../tools/engine/fast-jsonata";
import { registerStepFunctionsFunctions } from "../../tools/engine/jsonata-functions";
import { observeJsonata } from "../../tools/engine/jsonata-eval";
import { startLocalCollectStack } from "../../tools/local/collect-stack";
import { startLocalOrderStack } from "../../tools/local/order-stack";
import { seededRandom, uniformFaults } from "../../tools/sandbox/faults";
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { families, runCase } from "../conformance/cases";
import { stackOrderTargets, testCollectDefinition, testConnectionArn } from "../helpers/asl";
import { keepUndefined, mutate, shapeOf } from "./differential-inputs";

type Rec = Record<string, unknown>;
const ROOT = path.join(__dirname, "..", "..");
/** Expressions whose results are random by design ($uuid, unseeded $random): compared only for not failing differently. */
const RANDOM = /\$(uuid|random)\(\s*\)/;

function expressionsIn(value: unknown, into: Set<string>): Set<string> {
    if (typeof value === "string") {
        const m = /^\{%([\s\S]*)%\}$/.exec(value);
        if (m) into.add(m[1]);
    } else if (Array.isArray(value)) value.forEach((v) => expressionsIn(v, into));
    else if (value && typeof value === "object") Object.values(value).forEach((v) => expressionsIn(v, into));
    return into;
}

/** Every expression of the order, collection and comments definitions of each stack, as synth builds them. */
function definitionExpressions(): Set<string> {
    const found = new Set<string>();
    for (const stack of ["dev", "prod"]) {
        const settings = stackSettings(readStackFile(stack, ROOT));
        const topic = "arn:aws:sns:us-east-1:123456789012:orders";
        expressionsIn(
            orderDefinition({ apis: stackOrderTargets(settings, testConnectionArn), paymentProvider: settings.paymentProvider, notificationTopicArn: topic }),
            found,
        );
        if (settings.collect) expressionsIn(testCollectDefinition(settings), found);
    }
    expressionsIn(commentsDefinition({ baseUrl: "https://jsonplaceholder.typicode.com", connectionArn: testConnectionArn("c") }), found);
    return found;
}

type Outcome = { value: unknown } | { code: string } | { fallback: true };

function outcomeOf(run: () => unknown): Outcome {
    try {
        const value = run();
        return needsJsonata(value) ? { fallback: true } : { value };
    } catch (e) {
        const err = e as { code?: string; message?: string };
        return { code: err.code ?? `no code: ${err.message}` };
    }
}

async function jsonataOutcome(expression: jsonata.Expression, bindings: Rec): Promise<Outcome> {
    try {
        return { value: await expression.evaluate({}, bindings) };
    } catch (e) {
        const err = e as { code?: string; message?: string };
        return { code: err.code ?? `no code: ${err.message}` };
    }
}

/**
 * The budget (CI runs the whole suite in 90 s): at most this many distinct recorded bindings per expression, about
 * this many inputs per expression in all (its samples and seeded mutations of them, at least two per sample; each
 * sample's last mutation replaces two values, the others one), and this many saga runs with faults. Every mutation kind stays: a value removed, `null`, `[]`, `[{}]`, `["x"]`, `[1]`, `{}`, `""`, a numeric
 * string, a word, 0, ±1, a fraction, a huge number, a number past 2^53, `true`, `false` (`differential-inputs.ts`). A
 * deliberate break of an operator, a built-in or sequence handling in `fast-jsonata/` still fails this test.
 */
const MAX_SAMPLES = 6;
const INPUTS_PER_EXPRESSION = 12;
const FAULTY_ORDERS = 6;
/** Bindings lent to each expression no run reached (a neighbour's: they mostly check that both sides agree on absent fields). */
const DONORS = 4;

describe("fast JSONata evaluator (differential against jsonata 2.0.6)", function () {
    this.timeout(60_000);
    const recorded = new Map<string, Rec[]>();
    /** The shapes (`shapeOf`) of each expression's recorded bindings, so one path is compared once. */
    const seen = new Map<string, Set<string>>();
    let definitions: Set<string>;
    const parsed = new Map<string, jsonata.Expression>();
    /** jsonata's expression for `source` with Step Functions' functions, parsed once for both tests. */
    const parse = (source: string): jsonata.Expression => {
        let expression = parsed.get(source);
        if (!expression) {
            expression = jsonata(source);
            registerStepFunctionsFunctions(expression);
            parsed.set(source, expression);
        }
        return expression;
    };

    before(async () => {
        await prepareFastJsonata();
        definitions = definitionExpressions();
        observeJsonata((expression, bindings) => {
            const list = recorded.get(expression) ?? [];
            const keys = seen.get(expression) ?? new Set<string>();
            const key = shapeOf(bindings);
            if (list.length < MAX_SAMPLES && !keys.has(key)) {
                keys.add(key);
                list.push(structuredClone(bindings));
            }
            recorded.set(expression, list);
            seen.set(expression, keys);
        });
        try {
            // Only the cases that evaluate JSONata record anything; the JSONPath ones would only cost time.
            for (const family of families())
                for (const c of family.cases) if (JSON.stringify(c.definition).includes("JSONata")) await runCase(c.definition, c.input);
            const order = await startLocalOrderStack({ seed: 7, waitMs: () => 0 });
            try {
                const orders = [sampleOrder, { ...sampleOrder, currency: "kwd", amount: 1005 }, { ...sampleOrder, items: [] }, { nope: 1 }, "text"];
                for (const o of orders) await order.runner.run(o);
                order.sandbox.setFaults(uniformFaults(0.35));
                for (let i = 0; i < FAULTY_ORDERS; i++) await order.runner.run({ ...sampleOrder, orderId: `diff-${i}` });
            } finally {
                await order.close();
            }
            const collect = await startLocalCollectStack({ data: { devices: 3, readingsPerDevice: 12, posts: 12, mentions: 6 }, waitMs: () => 0 });
            try {
                await collect.runner.run({});
            } finally {
                await collect.close();
            }
        } finally {
            observeJsonata(undefined);
        }
    });

    it("compiles every expression of the dev and prod definitions (none falls back to jsonata)", () => {
        assert.ok(definitions.size >= 50, String(definitions.size));
        const refused = [...definitions].map((e) => [e.slice(0, 80), unsupportedReason(parse(e).ast())]).filter(([, why]) => why);
        assert.deepEqual(refused, []);
    });

    it("gives jsonata's result or error code for every recorded evaluation and seeded mutations of it", async () => {
        const random = seededRandom(18);
        const mismatches: string[] = [];
        let compared = 0;
        const unseen = [...definitions].filter((e) => !recorded.has(e));
        // Expressions no run reached are still compared, over mutations of a neighbour's bindings.
        const donors = [...recorded.values()].flat();
        for (const e of unseen) recorded.set(e, donors.slice(0, DONORS));
        for (const [source, samples] of recorded) {
            const reference = parse(source);
            const fast = compileFast(reference.ast());
            if (!fast) continue;
            // The same number of inputs for every expression: a rarely reached expression gets more mutations of its few samples.
            const perSample = Math.max(2, Math.ceil(INPUTS_PER_EXPRESSION / samples.length) - 1);
            const mutated = samples.flatMap((b) =>
                Array.from({ length: perSample }, (_, i) =>
                    i < perSample - 1 ? mutate(b, random, source) : mutate(mutate(b, random, source), random, source),
                ),
            );
            // A mutation that hit a slot the expression never reads often yields a sample again: compared once.
            const inputs = [...new Map([...samples, ...mutated].map((b) => [JSON.stringify(b, keepUndefined), b])).values()];
            for (const bindings of inputs) {
                const mine = outcomeOf(() => fast(structuredClone(bindings)));
                const theirs = await jsonataOutcome(reference, structuredClone(bindings));
                compared++;
                if ("fallback" in mine) continue;
                if (RANDOM.test(source) && "value" in mine && "value" in theirs) continue;
                try {
                    assert.deepStrictEqual(mine, theirs);
                } catch {
                    if (mismatches.length < 5)
                        mismatches.push(`${source.trim().slice(0, 120)}\n  fast ${JSON.stringify(mine)}\n  jsonata ${JSON.stringify(theirs)}`);
                    else mismatches.push("");
                }
            }
        }
        assert.equal(mismatches.length, 0, `${mismatches.length} of ${compared} differ:\n${mismatches.filter(Boolean).join("\n")}`);
        assert.ok(recorded.size >= 90 && compared > 900, `${recorded.size} expressions, ${compared} comparisons`);
    });
});
