/**
 * What every workflow's folder says about itself (`deploy/workflows/<name>/index.ts`): its name, the
 * APIs it calls, and the error of each of its Fail states tagged as a customer outcome or an incident.
 * `deploy/workflows/catalogue.ts` builds the registry from these modules.
 */
import type { ApiName } from "../apis";

/**
 * `outcome`: the workflow ends so by design (a declined card): counted on its dashboard, never paging.
 * `incident`: a person must look (a failed compensation): it pages, like every `States.*` error.
 */
export type FailTag = "outcome" | "incident";

/** One workflow's module. */
export interface WorkflowModule {
    /** The name a stack enables it with (`workflows: [<name>]`). */
    readonly name: string;
    readonly description: string;
    /** The APIs it always calls; each is a top-level config key of the same name (`collect`'s come from its sources). */
    readonly apis: readonly ApiName[];
    /** The `Error` of every Fail state of its definition, tagged (`tests/registry.test.ts` holds the two equal). */
    readonly errors: Readonly<Record<string, FailTag>>;
}
