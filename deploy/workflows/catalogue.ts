/**
 * The registry of workflows, built from each workflow's module (`deploy/workflows/<name>/index.ts`),
 * and of the APIs they call (`deploy/apis/index.ts`). A stack enables workflows by name
 * (`workflows: [order, comments]`) and configures each API they use under a key of the API's name;
 * nothing else in config, validation or composition names a workflow or an API. Adding a workflow is
 * its folder, an entry in `MODULES` and its component in `deploy/components/workflows.ts`.
 */
import { APIS, ApiName } from "../apis";
import { collectModule } from "./collect";
import { commentsModule } from "./comments";
import type { FailTag, WorkflowModule } from "./module";
import { orderModule } from "./order";

export type { FailTag, WorkflowModule } from "./module";

/** Every workflow's module, by the name a stack enables it with. */
export const MODULES = { order: orderModule, comments: commentsModule, collect: collectModule } as const satisfies Record<string, WorkflowModule>;

/** What config and monitoring need to know of a workflow. */
export interface WorkflowSpec {
    readonly description: string;
    /** The APIs it always calls; each is a top-level config key of the same name (`collect`'s come from its sources). */
    readonly apis: readonly ApiName[];
    /** The error names it ends with by design (business outcomes): counted on its dashboard, never paging. */
    readonly outcomes: readonly string[];
    /** Its own error names that page (besides `States.*`, which always do): a person must look. */
    readonly incidents: readonly string[];
}

/** One of the workflows' names. */
export type WorkflowName = keyof typeof MODULES;

const tagged = (module: WorkflowModule, tag: FailTag) => Object.keys(module.errors).filter((error) => module.errors[error] === tag);

/** Every workflow, by name: its module with its errors split into outcomes and incidents. */
export const WORKFLOWS: Readonly<Record<WorkflowName, WorkflowSpec>> = Object.fromEntries(
    Object.entries(MODULES).map(([name, m]: [string, WorkflowModule]) => [
        name,
        { description: m.description, apis: m.apis, outcomes: tagged(m, "outcome"), incidents: tagged(m, "incident") },
    ]),
) as unknown as Record<WorkflowName, WorkflowSpec>;

/** Every workflow's name. */
export const WORKFLOW_NAMES = Object.keys(MODULES) as WorkflowName[];
/** The workflows a stack runs when it does not say. */
export const DEFAULT_WORKFLOWS: readonly WorkflowName[] = ["order"];

// The API registry is found on disk (`deploy/apis/index.ts`), so a name it lacks is caught here, when the program loads.
for (const m of Object.values(MODULES) as WorkflowModule[])
    for (const api of m.apis)
        if (!Object.hasOwn(APIS, api))
            throw new Error(
                `Workflow \`${m.name}\` calls \`${api}\`, which has no folder \`deploy/apis/${api}/\`: add it, or remove the name from its \`apis\`.`,
            );

/** Every API some workflow calls, in catalogue order. */
export const API_NAMES: readonly ApiName[] = [...new Set(Object.values(WORKFLOWS).flatMap((w) => w.apis))];

/** Base URLs an API may leave out of config (public demo APIs), from the API registry. */
export const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = Object.fromEntries(
    Object.values(APIS).flatMap((api) => (api.defaultBaseUrl !== undefined ? [[api.name, api.defaultBaseUrl]] : [])),
);

/** The APIs the given workflows call. */
export function apisOf(workflows: readonly WorkflowName[]): ApiName[] {
    return API_NAMES.filter((api) => workflows.some((w) => WORKFLOWS[w].apis.includes(api)));
}
