/**
 * Helpers for asserting on definitions: validation with `asl-validator` and the path a given
 * sequence of choices takes through a definition.
 */
import aslValidator = require("asl-validator");
import { State, StateMachineDefinition } from "../../asl/types";
import { orderDefinition } from "../../workflows/order";

/** A connection ARN for test definitions. */
export const testConnectionArn = (name: string) => `arn:aws:events:us-east-1:123456789012:connection/${name}/00000000-0000-0000-0000-000000000000`;

/** The order saga against Stripe and example inventory and shipping hosts, as the pure tests read it. */
export const testOrderDefinition = (): StateMachineDefinition =>
    orderDefinition({
        payment: { baseUrl: "https://api.stripe.com/v1", connectionArn: testConnectionArn("pay") },
        inventory: { baseUrl: "https://inventory.example.com", connectionArn: testConnectionArn("inv") },
        shipping: { baseUrl: "https://ship.example.com", connectionArn: testConnectionArn("ship") },
        notificationTopicArn: "arn:aws:sns:us-east-1:123456789012:orders",
    });

/** `asl-validator`'s errors for `definition` (empty when valid). It mutates its input, so it gets a copy. */
export function aslErrors(definition: StateMachineDefinition): string[] {
    const result = aslValidator(structuredClone(definition));
    return result.isValid ? [] : result.errors.map((e) => e.Message ?? e.message ?? JSON.stringify(e));
}

/**
 * The states entered from `StartAt` when every Task succeeds and every Choice takes `choose(name)`
 * (its `Default` when that returns undefined), up to an end state.
 */
export function pathThrough(definition: StateMachineDefinition, choose: (choiceState: string) => string | undefined = () => undefined): string[] {
    const entered: string[] = [];
    let name: string | undefined = definition.StartAt;
    while (name !== undefined && entered.length <= Object.keys(definition.States).length) {
        entered.push(name);
        const state: State = definition.States[name];
        if (state.Type === "Choice") name = choose(name) ?? state.Default;
        else if (state.Type === "Fail" || state.Type === "Succeed") name = undefined;
        else name = "Next" in state ? state.Next : undefined;
    }
    return entered;
}
