/**
 * Helpers for asserting on definitions: validation with `asl-validator` and the path a given
 * sequence of choices takes through a definition.
 */
import aslValidator = require("asl-validator");
import { State, StateMachineDefinition } from "../../deploy/asl/types";
import { StackSettings } from "../../deploy/stack-config/types";
import { collectDefinition } from "../../deploy/workflows/collect/definition";
import { orderModule } from "../../deploy/workflows/order";
import { OrderApiName, orderDefinition, OrderWorkflowTargets } from "../../deploy/workflows/order/definition";

/** A connection ARN for test definitions. */
export const testConnectionArn = (name: string) => `arn:aws:events:us-east-1:123456789012:connection/${name}/00000000-0000-0000-0000-000000000000`;

/** The test hosts and connection names of the saga's first APIs; any API added later gets `https://<api>.example.com` and its own name. */
const TEST_ORDER_APIS: Readonly<Record<string, { readonly baseUrl: string; readonly connection: string }>> = {
    payment: { baseUrl: "https://api.stripe.com/v1", connection: "pay" },
    inventory: { baseUrl: "https://inventory.example.com", connection: "inv" },
    shipping: { baseUrl: "https://ship.example.com", connection: "ship" },
};

/** `value(api, i)` for each API of the order module's `apis` (`deploy/workflows/order/index.ts`), by name. */
export function perOrderApi<T>(value: (api: OrderApiName, index: number) => T): Record<OrderApiName, T> {
    return Object.fromEntries(orderModule.apis.map((api, i) => [api, value(api, i)])) as Record<OrderApiName, T>;
}

/** A target for each API of the order module's `apis`, as the pure tests read the saga. */
export function testOrderTargets(): OrderWorkflowTargets["apis"] {
    return perOrderApi((api) => {
        const known = TEST_ORDER_APIS[api] ?? { baseUrl: `https://${api}.example.com`, connection: api };
        return { baseUrl: known.baseUrl, connectionArn: testConnectionArn(known.connection) };
    });
}

/** A target for each API of the order module's `apis`: the stack's base URL and the connection ARN `arnOf(api)` names. */
export function stackOrderTargets(settings: StackSettings, arnOf: (api: string) => string): OrderWorkflowTargets["apis"] {
    return perOrderApi((api) => ({ baseUrl: settings.apis[api].baseUrl, connectionArn: arnOf(api) }));
}

/** The order saga against Stripe and example hosts for the other APIs, as the pure tests read it. */
export const testOrderDefinition = (): StateMachineDefinition =>
    orderDefinition({ apis: testOrderTargets(), notificationTopicArn: "arn:aws:sns:us-east-1:123456789012:orders" });

/**
 * A stack's collection as synth builds it (mock bucket, the default bus, test connection ARNs), without
 * running the whole program; `collect` defaults to the stack's own collection settings.
 */
export function testCollectDefinition(settings: StackSettings, collect = settings.collect): StateMachineDefinition {
    if (!collect) throw new Error("The stack enables no collection.");
    return collectDefinition({
        bucket: "collect-pages-0e1cc10",
        eventBusName: "default",
        sources: collect.sources,
        apis: Object.fromEntries(
            Object.keys(collect.apiLimits).map((api) => [
                api,
                { baseUrl: settings.apis[api].baseUrl, connectionArn: testConnectionArn(api), limits: collect.apiLimits[api] },
            ]),
        ),
    });
}

/** `asl-validator`'s errors for `definition` (empty when valid). It mutates its input, so it gets a copy. */
export function aslErrors(definition: StateMachineDefinition): string[] {
    const result = aslValidator(structuredClone(definition));
    return result.isValid ? [] : result.errors.map((e) => e.Message ?? e.message ?? JSON.stringify(e));
}

/**
 * The states `name` can go to next, as AWS reads a definition: its `Next`; for a Choice every rule's
 * `Next` and its `Default`; for a Task, Parallel or Map every `Catch` entry's `Next`. Fail and Succeed
 * states (and `End: true`) go nowhere.
 */
export function transitionsFrom(definition: StateMachineDefinition, name: string): string[] {
    const state: State | undefined = definition.States[name];
    if (state === undefined) throw new Error(`No state \`${name}\` in the definition.`);
    if (state.Type === "Choice") return [...state.Choices.map((rule) => rule.Next), ...(state.Default === undefined ? [] : [state.Default])];
    if (state.Type === "Fail" || state.Type === "Succeed") return [];
    const catchers = "Catch" in state ? (state.Catch ?? []).map((c) => c.Next) : [];
    return [...(state.Next === undefined ? [] : [state.Next]), ...catchers];
}

/**
 * Fails unless `path` starts at `StartAt`, each step is a transition of the step before it
 * (`transitionsFrom`), and the last state ends the execution when `complete` (the default).
 * Without this a path assertion could pass over states the definition really enters.
 */
export function assertPath(definition: StateMachineDefinition, path: readonly string[], complete = true): void {
    if (path[0] !== definition.StartAt) throw new Error(`The path starts at \`${path[0]}\`, not at StartAt \`${definition.StartAt}\`.`);
    path.slice(1).forEach((to, i) => {
        const from = path[i];
        const next = transitionsFrom(definition, from);
        if (!next.includes(to)) throw new Error(`\`${from}\` cannot go to \`${to}\` (its transitions: ${next.join(", ") || "none"}).`);
    });
    const last = definition.States[path[path.length - 1]];
    const ends = last.Type === "Fail" || last.Type === "Succeed" || ("End" in last && last.End === true);
    if (complete && !ends) throw new Error(`The path stops at \`${path[path.length - 1]}\`, which does not end the execution.`);
}

/**
 * The states entered from `StartAt` when every Task succeeds and every Choice takes `choose(name)`
 * (its `Default` when that returns undefined), up to an end state. `choose` may only name one of the
 * Choice's rule targets or its `Default`: any other state throws, so a choice cannot skip states.
 */
export function pathThrough(definition: StateMachineDefinition, choose: (choiceState: string) => string | undefined = () => undefined): string[] {
    const entered: string[] = [];
    let name: string | undefined = definition.StartAt;
    while (name !== undefined) {
        // A loop on the happy path is a finding, not something to cut short silently.
        if (entered.length > Object.keys(definition.States).length) throw new Error(`The path loops: ${entered.join(" → ")} …`);
        entered.push(name);
        const state: State | undefined = definition.States[name];
        if (state === undefined) throw new Error(`No state \`${name}\` in the definition (after ${entered.slice(0, -1).join(" → ")}).`);
        if (state.Type === "Choice") {
            const chosen: string | undefined = choose(name);
            const targets: string[] = state.Choices.map((rule) => rule.Next);
            if (chosen !== undefined && !targets.includes(chosen) && chosen !== state.Default)
                throw new Error(
                    `Choice \`${name}\` has no rule or Default going to \`${chosen}\` (its targets: ${[...targets, state.Default ?? "no Default"].join(", ")}).`,
                );
            if (chosen === undefined && state.Default === undefined) throw new Error(`Choice \`${name}\` has no Default and no rule was chosen.`);
            name = chosen ?? state.Default;
        } else if (state.Type === "Fail" || state.Type === "Succeed") name = undefined;
        else name = state.Next;
    }
    assertPath(definition, entered);
    return entered;
}
