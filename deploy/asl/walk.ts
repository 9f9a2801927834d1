/**
 * Walks every state of a definition, including the branches of Parallel states and the item
 * processors of Map states, so that analyses (IAM derivation, diagrams, the local runner) never
 * miss a nested task.
 */
import { State, StateMachineDefinition } from "./types";

/** A state with its name and the chain of parent state names that contain it. */
export interface VisitedState {
    readonly name: string;
    readonly state: State;
    readonly parents: readonly string[];
}

/** Every state of `definition`, depth first, in definition order. */
export function allStates(definition: StateMachineDefinition, parents: readonly string[] = []): VisitedState[] {
    const out: VisitedState[] = [];
    for (const [name, state] of Object.entries(definition.States)) {
        out.push({ name, state, parents });
        if (state.Type === "Parallel") {
            for (const branch of state.Branches) out.push(...allStates(branch, [...parents, name]));
        } else if (state.Type === "Map") {
            out.push(...allStates(state.ItemProcessor, [...parents, name]));
        }
    }
    return out;
}
