/**
 * What a collection run costs, read from the synthesized definition (`tools/cost/cost.ts` prices it): the
 * parent's Standard transitions, and for each Distributed Map its children, billed as Standard
 * transitions or as Express requests and GB-seconds, as the Map's `ExecutionType` says.
 *
 * A child's transitions are linear in what it did, with every coefficient read from its page loop:
 *
 *   children × (batch overhead) + ids × (before the first fetch + after the last page)
 *   + pages × (the fetch) + stored pages × (the rest of a stored page) + empty pages × (the rest of an empty one)
 *   + budgeted retries × (Choice, Wait, the fetch again)
 *
 * so the same model prices a run at its caps (`capShape`) and counts a measured run (`tests/`
 * compare it with the local engine's records).
 */
import { budgetWorstSeconds } from "../../deploy/workflows/collect/express";
import { cheapestPath, expressCost, expressGbSeconds, happyPath, maxRetries, standardCost } from "./cost";
import { MapState, StateMachineDefinition, TaskState } from "../../deploy/asl/types";
import { CollectSettings, SourceSettings } from "../../deploy/stack-config/types";

/** What one source did in a run (for a fan-out source, summed over its ids and children). */
export interface SourceShape {
    readonly pages: number;
    /** Pages with items (an empty page is not stored). */
    readonly stored: number;
    /** Fan-out only: ids paged and child executions. Paged sources: 1 and 1. */
    readonly ids: number;
    readonly children: number;
    /** Retries taken from the budget (Express) or by a Task's `Retry` (Standard). */
    readonly retries?: number;
}

/** The coefficients of one source's child, read from its definition. */
export interface LoopCoefficients {
    readonly executionType: "STANDARD" | "EXPRESS";
    readonly perChild: number;
    readonly perId: number;
    readonly perPage: number;
    readonly perStoredPage: number;
    readonly perEmptyPage: number;
    readonly perRetry: number;
    /** Most retries of one page (Standard: every `Retry`) or of one id (Express: the budget). */
    readonly maxRetries: number;
    /** Express: seconds the whole budget can add to one id. */
    readonly budgetSeconds: number;
}

/** Every Distributed Map of the parent with the machines it holds, Parallel branches included. */
function distributedMaps(machine: StateMachineDefinition): { name: string; map: MapState }[] {
    return Object.entries(machine.States).flatMap(([name, state]) => {
        if (state.Type === "Parallel") return state.Branches.flatMap(distributedMaps);
        if (state.Type === "Map" && state.ItemProcessor.ProcessorConfig?.Mode === "DISTRIBUTED") return [{ name, map: state }];
        return [];
    });
}

/** The Map whose child pages `source`, and the machine its page loop is in. */
function loopOf(parent: StateMachineDefinition, source: SourceSettings): { map: MapState; batch: StateMachineDefinition; loop: StateMachineDefinition } {
    for (const { map } of distributedMaps(parent)) {
        const child = map.ItemProcessor;
        if (child.States[`${source.name}: fetch page`]) return { map, batch: child, loop: child };
        for (const state of Object.values(child.States))
            if (state.Type === "Map" && state.ItemProcessor.States[`${source.name}: fetch page`]) return { map, batch: child, loop: state.ItemProcessor };
    }
    throw new Error(`No Distributed Map pages source \`${source.name}\`.`);
}

/** The coefficients of `source`'s child in the synthesized collection `parent`. */
export function loopCoefficients(parent: StateMachineDefinition, source: SourceSettings): LoopCoefficients {
    const { map, batch, loop } = loopOf(parent, source);
    const s = (step: string) => `${source.name}: ${step}`;
    const fetch = loop.States[s("fetch page")] as TaskState;
    const store = loop.States[s("store page")] as TaskState;
    const fanOut = batch !== loop;
    const budgeted = loop.States[s("retry fetch?")] !== undefined;
    const config = map.ItemProcessor.ProcessorConfig;
    return {
        executionType: config?.Mode === "DISTRIBUTED" && config.ExecutionType === "EXPRESS" ? "EXPRESS" : "STANDARD",
        // A fan-out batch: the inline Map and the batch summary; a paged source's child has none beyond its id.
        perChild: fanOut ? happyPath(batch).states.length : 0,
        perId: cheapestPath(loop, loop.StartAt, s("fetch page")).transitions - 1 + cheapestPath(loop, s("more pages?"), s("done")).transitions - 1,
        perPage: 1,
        // After the fetch (whose JSONata `Output` reshapes the page, so no Pass follows it): through the
        // store, or (the cheapest way skips it: an empty page is not stored) straight to `more pages?`.
        perStoredPage:
            cheapestPath(loop, s("fetch page"), s("store page")).transitions - 1 + cheapestPath(loop, s("store page"), s("more pages?")).transitions - 1,
        perEmptyPage: cheapestPath(loop, s("fetch page"), s("more pages?"), new Set([s("store page")])).transitions - 1,
        perRetry: budgeted ? cheapestPath(loop, s("retry fetch?"), s("fetch page")).transitions : 1,
        maxRetries: budgeted
            ? budgetWorstSeconds({ StartAt: loop.StartAt, States: { [s("retry fetch?")]: loop.States[s("retry fetch?")] } }).budget
            : maxRetries(fetch.Retry) + maxRetries(store.Retry),
        budgetSeconds: budgeted
            ? budgetWorstSeconds({ StartAt: loop.StartAt, States: Object.fromEntries(Object.entries(loop.States).filter(([n]) => n.startsWith(s("")))) })
                  .seconds
            : 0,
    };
}

/** Transitions of a source's children for what they did. */
export function childTransitions(c: LoopCoefficients, shape: SourceShape): number {
    return (
        shape.children * c.perChild +
        shape.ids * c.perId +
        shape.pages * c.perPage +
        shape.stored * c.perStoredPage +
        (shape.pages - shape.stored) * c.perEmptyPage +
        (shape.retries ?? 0) * c.perRetry
    );
}

/** A run at the caps: every source fetches `maxPages` stored pages, every fan-out `maxItems` ids in batches as the Map has them. */
export function capShape(parent: StateMachineDefinition, source: SourceSettings): SourceShape {
    if (!source.fanOut) return { pages: source.maxPages, stored: source.maxPages, ids: 1, children: 1 };
    const batch = loopOf(parent, source).map.ItemBatcher?.MaxItemsPerBatch ?? 1;
    const ids = source.fanOut.maxItems;
    return { pages: ids * source.maxPages, stored: ids * source.maxPages, ids, children: Math.ceil(ids / batch) };
}

/** A run's cost, split so both billing models show. */
export interface RunCost {
    readonly pages: number;
    readonly parentTransitions: number;
    readonly standardChildTransitions: number;
    readonly expressRequests: number;
    readonly expressGbSeconds: number;
    readonly usd: number;
}

/**
 * The cost of one run of the collection `parent` whose sources did `shapes`. Express children are
 * billed for `pageSeconds` per page (an assumption, docs/aws-facts.md §23) plus, `withRetries`, the
 * whole budget at its worst; Standard children for their transitions, plus every retry `withRetries`.
 */
export function runCost(
    parent: StateMachineDefinition,
    collect: CollectSettings,
    shapes: Record<string, SourceShape>,
    pageSeconds: number,
    withRetries = false,
): RunCost {
    const parentTransitions = happyPath(parent).transitions;
    let standardChildTransitions = 0;
    let expressRequests = 0;
    let gbSeconds = 0;
    let pages = 0;
    for (const source of collect.sources) {
        const shape = shapes[source.name];
        const c = loopCoefficients(parent, source);
        pages += shape.pages;
        const retries = withRetries ? (c.executionType === "EXPRESS" ? c.maxRetries * shape.ids : c.maxRetries * shape.pages) : (shape.retries ?? 0);
        if (c.executionType === "STANDARD") standardChildTransitions += childTransitions(c, { ...shape, retries });
        else {
            expressRequests += shape.children;
            // Spread evenly over the children; each child's duration is billed rounded up on its own.
            const perChildMs = ((shape.pages * pageSeconds + (withRetries ? shape.ids * c.budgetSeconds : 0)) * 1000) / shape.children;
            gbSeconds += shape.children * expressGbSeconds(perChildMs);
        }
    }
    const usd = standardCost(parentTransitions + standardChildTransitions) + expressCost(expressRequests, gbSeconds);
    return { pages, parentTransitions, standardChildTransitions, expressRequests, expressGbSeconds: gbSeconds, usd };
}

/** Standard transitions per stored page of the page loop as a Standard child would bill it (fetch + the rest of a stored page). */
export function standardTransitionsPerPage(parent: StateMachineDefinition, source: SourceSettings): number {
    const c = loopCoefficients(parent, source);
    return c.perPage + c.perStoredPage;
}
