/**
 * The command line of `npm run test-state`, read into one request that both paths (local and
 * `--aws`) serve. Every problem with it is a `UsageError` (exit 2).
 */
import { listStacks } from "../stack-file";
import { WORKFLOW_NAMES } from "../../deploy/workflows/catalogue";
import { numberOption, parseCommandLine, readJsonFile, stackOption, UsageError } from "../commands/command-line";

/** Usage text (printed with every usage error and for `--help`). */
/** TestState's `retrierRetryCount` range, which is also the most a retrier's `MaxAttempts` may say. */
const MAX_RETRY_COUNT = 99_999_999;

export const USAGE =
    "usage: npm run test-state -- --stack <s> --state <Name> --input <file> [--workflow order] [--inspection-level INFO|DEBUG|TRACE] [--reveal-secrets] [--mock-result <file> | --mock-error <Error>[:<Cause>]] [--retry-count N] [--aws] [--outputs <file>]";

/** TestState's inspection levels. */
export const INSPECTION_LEVELS = ["INFO", "DEBUG", "TRACE"] as const;
/** One of `INSPECTION_LEVELS`. */
export type InspectionLevel = (typeof INSPECTION_LEVELS)[number];

/** The workflows whose definition the local runner can build. */
export const LOCAL_WORKFLOWS: readonly string[] = ["order", "collect"];

/** What the tested Task returns instead of being called: a result, or an error and its cause. */
export type Mock = { readonly result: unknown } | { readonly error: string; readonly cause?: string };

/** A test-state run, validated. */
export interface TestStateRequest {
    readonly stack: string;
    readonly workflow: string;
    readonly state: string;
    readonly input: unknown;
    readonly inspectionLevel: InspectionLevel;
    readonly revealSecrets: boolean;
    readonly mock?: Mock;
    /** `stateConfiguration.retrierRetryCount`; absent means 0. */
    readonly retryCount?: number;
    readonly aws: boolean;
    /** A `pulumi stack output --json` dump (`--aws` only). */
    readonly outputsFile?: string;
}

function mockOf(resultFile: string | undefined, errorText: string | undefined): Mock | undefined {
    if (resultFile !== undefined && errorText !== undefined) throw new UsageError("Only one of `--mock-result` or `--mock-error` can be provided.");
    if (resultFile !== undefined) return { result: readJsonFile(resultFile, "mock result") };
    if (errorText === undefined) return undefined;
    const at = errorText.indexOf(":");
    const error = at < 0 ? errorText : errorText.slice(0, at);
    if (error.trim() === "") throw new UsageError("`--mock-error` needs an error name, e.g. `--mock-error States.Http.StatusCode.503:Service Unavailable`.");
    return at < 0 ? { error } : { error, cause: errorText.slice(at + 1) };
}

/** The request `argv` asks for, or `"help"`. `rootDir` holds the `Pulumi.<stack>.yaml` files. */
export function parseRequest(argv: readonly string[], rootDir: string): TestStateRequest | "help" {
    const values = parseCommandLine(argv, {
        stack: { type: "string" },
        state: { type: "string" },
        input: { type: "string" },
        workflow: { type: "string", default: "order" },
        "inspection-level": { type: "string", default: "INFO" },
        "reveal-secrets": { type: "boolean", default: false },
        "mock-result": { type: "string" },
        "mock-error": { type: "string" },
        "retry-count": { type: "string" },
        aws: { type: "boolean", default: false },
        outputs: { type: "string" },
    });
    if (values === "help") return "help";
    const missing = (["stack", "state", "input"] as const).filter((k) => !values[k]);
    if (missing.length > 0) throw new UsageError(`Missing ${missing.map((k) => `\`--${k}\``).join(", ")}.`);
    const stack = stackOption(values.stack, listStacks(rootDir));
    const level = values["inspection-level"]!;
    if (!(INSPECTION_LEVELS as readonly string[]).includes(level))
        throw new UsageError(`\`--inspection-level\` must be one of ${INSPECTION_LEVELS.join(", ")}; got \`${level}\`.`);
    const aws = values.aws!;
    const workflow = values.workflow!;
    if (!(WORKFLOW_NAMES as readonly string[]).includes(workflow))
        throw new UsageError(`No workflow \`${workflow}\` (workflows: ${WORKFLOW_NAMES.join(", ")}).`);
    if (!aws && !LOCAL_WORKFLOWS.includes(workflow))
        throw new UsageError(
            `\`--workflow ${workflow}\` cannot run locally; workflows that can: ${LOCAL_WORKFLOWS.join(", ")} (use \`--aws\` for a deployed one).`,
        );
    if (!aws && values.outputs !== undefined) throw new UsageError("`--outputs` is only read with `--aws`.");
    const retryCount =
        values["retry-count"] === undefined
            ? undefined
            : numberOption(
                  values["retry-count"],
                  "retry-count",
                  (n) => Number.isInteger(n) && n >= 0 && n <= MAX_RETRY_COUNT,
                  `a whole number from 0 to ${MAX_RETRY_COUNT}`,
              );
    const mock = mockOf(values["mock-result"], values["mock-error"]);
    // TestState answers a mock combined with revealSecrets with a validation error (docs/aws-facts.md §6.2).
    if (mock && values["reveal-secrets"]) throw new UsageError("`--reveal-secrets` cannot be combined with a mock: a mocked task sends no secret.");
    return {
        stack,
        workflow,
        state: values.state!,
        input: readJsonFile(values.input!, "input"),
        inspectionLevel: level as InspectionLevel,
        revealSecrets: values["reveal-secrets"]!,
        ...(mock ? { mock } : {}),
        ...(retryCount !== undefined ? { retryCount } : {}),
        aws,
        ...(values.outputs !== undefined ? { outputsFile: values.outputs } : {}),
    };
}
