/**
 * The page fetch of a source's loop: one JSONata HTTP Task whose `Arguments` build the request and
 * whose `Output` keeps the configured fields and works out the next request (`collect-page.ts`), so
 * no Pass state is spent reshaping the answer (issue 18: one transition less per page).
 *
 * Whether a Task's own `Catch` catches a failure of its own `Output` (`States.QueryEvaluationError`)
 * is UNKNOWN on AWS (docs/aws-facts.md §15: no recording shows it). Both readings are safe here:
 * `Output` is total (whatever the API answered, it evaluates and names the problem in `problem`,
 * which the next Choice reads), and `Arguments` read only fields the loop itself wrote
 * (`request.query`, and for a fan-out source the `item` already checked against `ITEM_ID_PATTERN`).
 */
import { assertBaseUrl, joinUrl } from "../../asl/endpoint";
import { HTTP_INVOKE } from "../../asl/http-task";
import { Catcher, Retrier, TaskState } from "../../asl/types";
import { SourceSettings } from "../../stack-config/types";
import { jsonataField, jsonataString, pageTransformExpression } from "./page";

/** What the page fetch of one source needs. */
export interface PageFetchProps {
    readonly source: SourceSettings;
    readonly baseUrl: string;
    readonly connectionArn: string;
    /** The placeholder that a fan-out source's path holds (the item id goes there); undefined for a paged source. */
    readonly itemPlaceholder?: string;
    /** Undefined in an Express child: its budget retries instead (`collect-express.ts`). */
    readonly retry?: readonly Retrier[];
    /** Each attempt's limit (Express children). */
    readonly timeoutSeconds?: number;
    /** Where each error goes; the state's input is kept, with the error under `error`. */
    readonly catchTo: readonly { readonly errors: readonly string[]; readonly next: string }[];
    readonly next: string;
}

/**
 * A JSONata catcher that keeps the state's input and adds the error under `error`, as JSONPath's
 * `ResultPath: "$.error"` did (JSONata catchers have `Output` instead, default `$states.errorOutput`,
 * docs/aws-facts.md §15). Total: the input is always the loop's own object.
 */
export function keepInputCatcher(errors: readonly string[], next: string): Catcher {
    return { ErrorEquals: errors, Next: next, Output: jsonataField(`$merge([$states.input, {"error": $states.errorOutput}])`) };
}

/**
 * The endpoint as `Arguments.ApiEndpoint` has it: the literal URL, or for a fan-out source
 * `{% "https://host/path/" & $states.input.item & "/rest" %}`, whose literal head `deploy/asl/endpoint.ts`
 * turns into the IAM endpoint pattern. Also returned as the JSONata expression the `Output` compares a
 * `Link` target with.
 */
export function pageEndpoint(source: SourceSettings, baseUrl: string, itemPlaceholder?: string): { field: string; expression: string } {
    if (itemPlaceholder === undefined || !source.path.includes(itemPlaceholder)) {
        const url = joinUrl(baseUrl, source.path);
        return { field: url, expression: jsonataString(url) };
    }
    const [before, after] = source.path.split(itemPlaceholder);
    const of = (item: string) => [jsonataString(joinUrl(baseUrl, before)), item, ...(after ? [jsonataString(after)] : [])].join(" & ");
    return { field: jsonataField(of("$states.input.item")), expression: of("$in.item") };
}

/** The JSONata HTTP Task that fetches one page of `source` and reshapes it in its own `Output`. */
export function pageFetchTask(props: PageFetchProps): TaskState {
    assertBaseUrl(props.baseUrl);
    const { source } = props;
    const endpoint = pageEndpoint(source, props.baseUrl, props.itemPlaceholder);
    return {
        Type: "Task",
        Resource: HTTP_INVOKE,
        QueryLanguage: "JSONata",
        Comment: `GET one page of ${source.name} (${source.pagination.style} pagination); keeps ${source.fields.join(", ")} of each item and works out the next page.`,
        Arguments: {
            ApiEndpoint: endpoint.field,
            Method: "GET",
            // AWS recommends `InvocationConfig` (docs/aws-facts.md §17).
            InvocationConfig: { ConnectionArn: props.connectionArn },
            QueryParameters: jsonataField("$states.input.request.query"),
        },
        Output: pageTransformExpression(source, endpoint.expression, new URL(props.baseUrl).origin),
        ...(props.timeoutSeconds !== undefined ? { TimeoutSeconds: props.timeoutSeconds } : {}),
        ...(props.retry ? { Retry: props.retry } : {}),
        Catch: props.catchTo.map((c) => keepInputCatcher(c.errors, c.next)),
        Next: props.next,
    } as TaskState;
}
