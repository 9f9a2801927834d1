/**
 * The workflows this program can deploy and the APIs each one calls. A stack enables workflows by
 * name (`workflows: [order, comments]`) and configures each API they use under a key of the API's
 * name; nothing else in config, validation or composition names a workflow or an API. Adding an
 * API to a workflow, or a workflow to the program, is an entry here (and its component in
 * `deploy/components/workflows.ts`).
 */
import { COMMENTS_API_BASE_URL } from "./comments/definition";

/** What config needs to know of a workflow. */
export interface WorkflowSpec {
    readonly description: string;
    /** The APIs it always calls; each is a top-level config key of the same name (`collect`'s come from its sources). */
    readonly apis: readonly string[];
    /** The error names it ends with by design (business outcomes): counted on its dashboard, never paging. */
    readonly outcomes: readonly string[];
    /** Its own error names that page (besides `States.*`, which always do): a person must look. */
    readonly incidents: readonly string[];
}

/** Every workflow, by the name a stack enables it with. */
export const WORKFLOWS = {
    order: {
        description: "the e-commerce order saga (Stripe, inventory, shipping)",
        apis: ["payment", "inventory", "shipping"],
        outcomes: ["InvalidOrder", "PaymentDeclined", "PaymentAuthenticationRequired", "OrderCancelled"],
        // A person must act: money or goods may be in the wrong place, or Stripe refuses our requests (docs/saga.md: saga outcomes).
        incidents: ["CompensationFailed", "PaymentRequestFailed", "PaymentUnavailable", "PaymentStateUnknown", "PaymentMismatch", "PaymentNotCapturable"],
    },
    comments: { description: "the walkthrough's comments lookup (a public demo API)", apis: ["comments"], outcomes: ["InvalidInput"], incidents: [] },
    collect: {
        description: "the scheduled data collection (its sources, and the APIs they call, are set under `collect`)",
        apis: [],
        outcomes: [],
        // A source that failed, or a summary that was not published, needs a person: data is missing.
        incidents: ["CollectionIncomplete", "SummaryNotPublished"],
    },
} as const satisfies Record<string, WorkflowSpec>;

/** One of the workflows' names. */
export type WorkflowName = keyof typeof WORKFLOWS;
/** Every workflow's name. */
export const WORKFLOW_NAMES = Object.keys(WORKFLOWS) as WorkflowName[];
/** The workflows a stack runs when it does not say. */
export const DEFAULT_WORKFLOWS: readonly WorkflowName[] = ["order"];

/** Every API some workflow calls, in catalogue order. */
export const API_NAMES: readonly string[] = [...new Set(Object.values(WORKFLOWS).flatMap((w) => w.apis))];

/** Base URLs an API may leave out of config (public demo APIs). */
export const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = { comments: COMMENTS_API_BASE_URL };

/** The APIs the given workflows call. */
export function apisOf(workflows: readonly WorkflowName[]): string[] {
    return API_NAMES.filter((api) => workflows.some((w) => (WORKFLOWS[w].apis as readonly string[]).includes(api)));
}
