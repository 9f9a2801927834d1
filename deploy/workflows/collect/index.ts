/** The scheduled data collection: its sources, and the APIs they call, are set under `collect` in config. */
import type { WorkflowModule } from "../module";

/** The `collect` workflow. */
export const collectModule = {
    name: "collect",
    description: "the scheduled data collection (its sources, and the APIs they call, are set under `collect`)",
    apis: [],
    // A source that failed, or a summary that was not published, needs a person: data is missing. A page
    // loop's child that cannot route its source is a bug: that child fails (docs/aws-facts.md §20: its
    // Map Run's alarms page too); whether its log reaches the parent's filter is UNKNOWN, so it pages there as well.
    errors: { CollectionIncomplete: "incident", SummaryNotPublished: "incident", UnknownSource: "incident" },
} as const satisfies WorkflowModule;
