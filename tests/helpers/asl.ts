/**
 * Helpers for asserting on definitions: validation with `asl-validator` and the path a given
 * sequence of choices takes through a definition.
 */
import aslValidator = require("asl-validator");
import { State, StateMachineDefinition } from "../../asl/types";

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
