/**
 * The child execution of an API's paged sources (one source per child, routed by its name), and
 * the child type its Distributed Map runs: Express when every source's page loop, built for
 * Express, is proven by `collect-express.ts` to end within 5 minutes; else Standard, with the
 * reason (naming the source that does not fit) in the Map's `Comment`.
 */
import { State, StateMachineDefinition } from "../../asl/types";
import { SourceSettings } from "../../stack-config/types";
import { budgetWorstSeconds, ChildPlan, EXPRESS_MAX_SECONDS, pageWorstSeconds, planChildren } from "./express";
import { pageTasksOf, SourceContext, sourceStates } from "./source";

/** The prefix of an API's own states: capitalised, so no source's state (`<source>: …`, lower case) can have its name. */
export const apiStatePrefix = (api: string) => `API ${api}: `;

/** The child of an API's paged sources: its first state routes the source name to that source's page loop. */
export function processorOf(api: string, paged: readonly SourceSettings[], ctx: SourceContext, express: boolean): StateMachineDefinition {
    const at = apiStatePrefix(api);
    const built = paged.map((source) => ({ source, ...sourceStates(source, ctx, express) }));
    const processor: Record<string, State> = {
        [`${at}source`]: {
            Type: "Pass",
            Parameters: { "source.$": "$.Items[0]", "run.$": "$.BatchInput.run" },
            Next: `${at}route`,
        },
        [`${at}route`]: {
            Type: "Choice",
            Choices: built.map(({ source, start }) => ({ Variable: "$.source", StringEquals: source.name, Next: start })),
            Default: `${at}unknown source`,
        },
        [`${at}unknown source`]: { Type: "Fail", Error: "UnknownSource", Cause: `No states for this source under ${api}.` },
    };
    for (const { states } of built) Object.assign(processor, states);
    return { StartAt: `${at}source`, States: processor };
}

/** One source's worst case in a child built by `child(express)`: its pages and its share of the budget (one source per child, so all of it). */
function sourceWorst(source: SourceSettings, child: StateMachineDefinition): { page: number; budget: number; total: number } {
    const page = pageWorstSeconds(child, pageTasksOf(source));
    const budgetStates = Object.fromEntries(Object.entries(child.States).filter(([name]) => name.startsWith(`${source.name}: `)));
    const budget = budgetWorstSeconds({ StartAt: child.StartAt, States: budgetStates }).seconds;
    return { page, budget, total: source.maxPages * page + budget };
}

/** The child type of an API's paged sources, proven from the Express child as built; Standard (as built for Standard) when a source does not fit. */
export function planPagedSources(paged: readonly SourceSettings[], child: (express: boolean) => StateMachineDefinition): ChildPlan {
    const express = child(true);
    const worst = paged.map((source) => ({ source, ...sourceWorst(source, express) })).sort((a, b) => b.total - a.total)[0];
    if (worst.total <= EXPRESS_MAX_SECONDS)
        return planChildren(`its sources (one per child), the slowest being ${worst.source.name},`, worst.source.maxPages, worst.page, worst.budget);
    const standard = child(false);
    const slowest = paged.map((source) => ({ source, ...sourceWorst(source, standard) })).sort((a, b) => b.total - a.total)[0];
    const plan = planChildren(`its sources (one per child), the slowest being ${slowest.source.name},`, slowest.source.maxPages, slowest.page);
    const why = `As an Express child, ${worst.source.name} (${worst.source.maxPages} page(s) of up to ${Math.ceil(worst.page)} s plus ${Math.ceil(worst.budget)} s of budgeted retries) could take ${Math.ceil(worst.total)} s, more than Express's ${EXPRESS_MAX_SECONDS} s; `;
    return { ...plan, executionType: "STANDARD", reason: `${why}${plan.reason}` };
}
