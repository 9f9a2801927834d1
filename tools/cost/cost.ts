/**
 * What an execution costs, from its definition alone. Standard workflows are billed per state
 * transition, "including retries"; Express workflows per request and per GB-second of duration,
 * "rounded up to the nearest 100ms", with memory "billed in 64-MB chunks" (docs/aws-facts.md §23).
 *
 * A transition is counted each time a state is entered (what the local engine's execution records
 * count too, so the model can be checked against runs). The happy path is the cheapest way from
 * `StartAt` to an end that is not a `Fail`, following `Next`, Choice rules and `Default` (never a
 * `Catch`), and `costliestPath` is the other bound; a Parallel state costs itself plus each branch's happy path, an inline Map itself plus
 * one iteration per item, a Distributed Map only itself (its children are executions of their own).
 */
import { Retrier, State, StateMachineDefinition } from "../../deploy/asl/types";

/** List prices, us-east-1, as data: where they come from and when they were read. */
export const PRICES = {
    source: "https://aws.amazon.com/step-functions/pricing/",
    read: "2026-12-02",
    region: "us-east-1",
    /** Standard: $0.025 per 1,000 state transitions. */
    standardPerTransition: 0.025 / 1000,
    /** Express: $1.00 per million requests. */
    expressPerRequest: 1.0 / 1_000_000,
    /** Express: $0.00001667 per GB-second (first tier, the first 1,000 hours of GB-seconds a month). */
    expressPerGbSecond: 0.00001667,
    expressMemoryChunkMb: 64,
    expressDurationStepMs: 100,
} as const;

/** The billed GB-seconds of one Express execution of `durationMs` using `memoryMb`. */
export function expressGbSeconds(durationMs: number, memoryMb: number = PRICES.expressMemoryChunkMb): number {
    const billedMs = Math.ceil(durationMs / PRICES.expressDurationStepMs) * PRICES.expressDurationStepMs;
    const billedMb = Math.max(1, Math.ceil(memoryMb / PRICES.expressMemoryChunkMb)) * PRICES.expressMemoryChunkMb;
    return (billedMb / 1024) * (billedMs / 1000);
}

/** The price of `requests` Express executions that use `gbSeconds` in all. */
export function expressCost(requests: number, gbSeconds: number): number {
    return requests * PRICES.expressPerRequest + gbSeconds * PRICES.expressPerGbSecond;
}

/** The price of `transitions` Standard state transitions. */
export function standardCost(transitions: number): number {
    return transitions * PRICES.standardPerTransition;
}

/** The states a state can go to next without an error. */
export function successors(state: State): string[] {
    if (state.Type === "Choice") return [...state.Choices.map((c) => c.Next), ...(state.Default ? [state.Default] : [])];
    return "Next" in state && typeof state.Next === "string" ? [state.Next] : [];
}

/** True for a state that ends the machine without failing it. */
const endsWell = (state: State) => state.Type === "Succeed" || ("End" in state && state.End === true);

/** Transitions of entering `state` once: itself, plus what runs inside it (`items`: iterations of an inline Map). */
export function stateWeight(state: State, items = 1): number {
    if (state.Type === "Parallel") return 1 + state.Branches.reduce((n, b) => n + happyPath(b).transitions, 0);
    if (state.Type === "Map" && state.ItemProcessor.ProcessorConfig?.Mode !== "DISTRIBUTED") return 1 + items * happyPath(state.ItemProcessor).transitions;
    return 1;
}

/**
 * The cheapest transitions from `from` to `to` (both counted; `to` an end when omitted), Dijkstra
 * over the error-free edges. Infinity when there is no such path.
 */
export function cheapestPath(
    machine: StateMachineDefinition,
    from: string,
    to?: string,
    avoid: ReadonlySet<string> = new Set(),
): { transitions: number; states: string[] } {
    const cost = new Map<string, number>([[from, stateWeight(machine.States[from])]]);
    const via = new Map<string, string>();
    const done = new Set<string>();
    for (;;) {
        let current: string | undefined;
        for (const [name, c] of cost) if (!done.has(name) && (current === undefined || c < (cost.get(current) as number))) current = name;
        if (current === undefined) return { transitions: Infinity, states: [] };
        const state = machine.States[current];
        if (current === to || (to === undefined && endsWell(state))) {
            const states = [current];
            while (via.has(states[0])) states.unshift(via.get(states[0]) as string);
            return { transitions: cost.get(current) as number, states };
        }
        done.add(current);
        for (const next of successors(state)) {
            const target = machine.States[next];
            if (!target || avoid.has(next) || target.Type === "Fail") continue;
            const c = (cost.get(current) as number) + stateWeight(target);
            if (c < (cost.get(next) ?? Infinity) && !done.has(next)) {
                cost.set(next, c);
                via.set(next, current);
            }
        }
    }
}

/**
 * The happy path of a machine: its states and transitions, the cheapest way from `StartAt` to an end that
 * is not a `Fail`. With `through`, the cheapest such way that passes that state: an order's happy path goes
 * through its capture, where a shorter successful path (a re-run that finds the order already paid)
 * would otherwise be taken for it.
 */
export function happyPath(machine: StateMachineDefinition, through?: string): { transitions: number; states: string[] } {
    if (through === undefined) return cheapestPath(machine, machine.StartAt);
    const head = cheapestPath(machine, machine.StartAt, through);
    const tail = cheapestPath(machine, through);
    return { transitions: head.transitions + tail.transitions - stateWeight(machine.States[through]), states: [...head.states, ...tail.states.slice(1)] };
}

/**
 * The costliest way from `StartAt` to an end that is not a `Fail`, visiting no state twice (a loop
 * such as "wait, then search again" is counted once): the other bound of a happy execution.
 * Depth first over simple paths; definitions here have tens of states and few branches.
 */
export function costliestPath(machine: StateMachineDefinition): { transitions: number; states: string[] } {
    let best = { transitions: -Infinity, states: [] as string[] };
    const onPath = new Set<string>();
    const visit = (name: string, states: string[], transitions: number) => {
        const state = machine.States[name];
        if (!state || state.Type === "Fail" || onPath.has(name)) return;
        const total = transitions + stateWeight(state);
        if (endsWell(state)) {
            if (total > best.transitions) best = { transitions: total, states: [...states, name] };
            return;
        }
        onPath.add(name);
        for (const next of new Set(successors(state))) visit(next, [...states, name], total);
        onPath.delete(name);
    };
    visit(machine.StartAt, [], 0);
    return Number.isFinite(best.transitions) ? best : { transitions: Infinity, states: [] };
}

/** The most retries a state's `Retry` allows, every retrier to its `MaxAttempts` (default 3). */
export function maxRetries(retriers: readonly Retrier[] = []): number {
    return retriers.reduce((n, r) => n + (r.MaxAttempts ?? 3), 0);
}

/** A path (the happy one by default) with every Task on it retried as often as its `Retry` allows (each retry is one more transition). */
export function withConfiguredRetries(machine: StateMachineDefinition, path = happyPath(machine)): number {
    return path.states.reduce((n, name) => {
        const state = machine.States[name];
        return n + (state.Type === "Task" ? maxRetries(state.Retry) : 0);
    }, path.transitions);
}
