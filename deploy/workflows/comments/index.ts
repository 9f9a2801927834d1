/** The walkthrough's comments lookup: one call to a public demo API. */
import type { WorkflowModule } from "../module";

/** The `comments` workflow. */
export const commentsModule = {
    name: "comments",
    description: "the walkthrough's comments lookup (a public demo API)",
    apis: ["comments"],
    errors: { InvalidInput: "outcome" },
} as const satisfies WorkflowModule;
