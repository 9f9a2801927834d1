/**
 * `npm run local -- --definition <asl.json> --input <input.json> --connections <connections.json>
 * [--region us-east-1] [--sandbox <stack>] [--quiet] [--real-retry-waits]`: runs any JSONPath
 * definition offline, HTTP Tasks through the emulator and `sns:publish` into an outbox. With
 * `--sandbox <stack>`, calls to that stack's API URLs go to the local sandbox APIs instead.
 *
 * Contract: the last stdout line is `{"status","output","error","cause"}`; exit 0 when SUCCEEDED,
 * 1 when FAILED, 2 for bad usage or unreadable/invalid files (with a one-line reason on stderr).
 */
import "./polyfills";
import * as fs from "fs";
import { parseArgs } from "util";
import { attachSandbox, AttachedSandbox } from "./cli-sandbox";
import { ConnectionsError, parseConnections } from "./emulator/connections";
import { definitionProblems, statesOf } from "./emulator/definition";
import { HttpTaskEmulator } from "./emulator/http-invoke";
import { Outbox } from "./emulator/sns";
import { LocalRunner } from "./runner";
import { formatTrace, useColour } from "./trace";

/** Usage text (printed with every usage error). */
export const USAGE =
    "usage: npm run local -- --definition <asl.json> --input <input.json> --connections <connections.json> [--region us-east-1] [--sandbox <stack>] [--quiet] [--real-retry-waits]";

/** Where the CLI writes; tests pass collectors. */
export interface CliIo {
    out(line: string): void;
    err(line: string): void;
    colour: boolean;
}

class UsageError extends Error {}

function readJson(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new UsageError(`Cannot read the ${what} file \`${file}\`: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UsageError(`The ${what} file \`${file}\` is not valid JSON: ${(e as Error).message}.`);
    }
}

function connectionArnsUsed(definition: unknown): string[] {
    const arns = statesOf(definition).flatMap(({ state }) => {
        const p = state.Parameters as Record<string, { ConnectionArn?: unknown } | undefined> | undefined;
        return [p?.Authentication?.ConnectionArn, p?.InvocationConfig?.ConnectionArn].filter((a): a is string => typeof a === "string");
    });
    return [...new Set(arns)];
}

interface Prepared {
    readonly runner: LocalRunner;
    readonly input: unknown;
    readonly quiet: boolean;
    readonly notes: string[];
    readonly sandbox?: AttachedSandbox;
}

async function prepare(argv: readonly string[]): Promise<Prepared> {
    let values;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                definition: { type: "string" },
                input: { type: "string" },
                connections: { type: "string" },
                region: { type: "string", default: "us-east-1" },
                sandbox: { type: "string" },
                quiet: { type: "boolean", default: false },
                "real-retry-waits": { type: "boolean", default: false },
            },
        }));
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    const missing = (["definition", "input", "connections"] as const).filter((k) => !values[k]);
    if (missing.length > 0) throw new UsageError(`Missing ${missing.map((k) => `\`--${k}\``).join(", ")}.`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region!))
        throw new UsageError(`\`--region\` \`${values.region}\` is not an AWS Region name such as \`us-east-1\`.`);
    const definition = readJson(values.definition!, "definition");
    const input = readJson(values.input!, "input");
    let connections;
    try {
        connections = parseConnections(readJson(values.connections!, "connections"));
    } catch (e) {
        if (e instanceof ConnectionsError) throw new UsageError(e.message);
        throw e;
    }
    const problems = definitionProblems(definition);
    if (problems.length > 0) throw new UsageError(`The definition \`${values.definition}\` is not valid: ${problems.join("; ")}.`);
    const notes = connectionArnsUsed(definition)
        .filter((arn) => !connections.has(arn))
        .map(
            (arn) =>
                `warning: connection ${arn} is used by the definition but missing from \`${values.connections}\`; its tasks will fail with Events.ConnectionResource.ResourceNotFound.`,
        );
    let sandbox: AttachedSandbox | undefined;
    if (values.sandbox !== undefined) {
        try {
            sandbox = await attachSandbox(values.sandbox, definition, connections);
        } catch (e) {
            throw new UsageError(`\`--sandbox ${values.sandbox}\`: ${(e as Error).message}`);
        }
        notes.push(...sandbox.routes.map((r) => `sandbox: ${r}`));
    }
    const http = new HttpTaskEmulator({ connections: sandbox?.connections ?? connections, region: values.region!, rewriteUrl: sandbox?.rewriteUrl });
    try {
        const runner = new LocalRunner(definition, { http, outbox: new Outbox(), trace: !values.quiet, shortenRetryWaits: !values["real-retry-waits"] });
        return { runner, input, quiet: values.quiet!, notes, sandbox };
    } catch (e) {
        await sandbox?.sandbox.close();
        throw new UsageError(`The definition \`${values.definition}\` is not valid: ${(e as Error).message.replace(/\s+/g, " ").trim()}`);
    }
}

/** Runs the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
    let prepared: Prepared;
    try {
        prepared = await prepare(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.err(e.message);
        io.err(USAGE);
        return 2;
    }
    prepared.notes.forEach((note) => io.err(note));
    let result;
    try {
        result = await prepared.runner.run(prepared.input);
    } finally {
        await prepared.sandbox?.sandbox.close();
    }
    if (!prepared.quiet) formatTrace(result, { colour: io.colour, waitsShortened: prepared.runner.retryWaitsShortened }).forEach((line) => io.out(line));
    io.out(JSON.stringify({ status: result.status, output: result.output ?? null, error: result.error ?? null, cause: result.cause ?? null }));
    return result.status === "SUCCEEDED" ? 0 : 1;
}

if (require.main === module) {
    const io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), colour: useColour() };
    runCli(process.argv.slice(2), io).then(
        (code) => {
            process.exitCode = code;
        },
        (e: Error) => {
            io.err(`local run failed: ${e.message}`);
            process.exitCode = 2;
        },
    );
}
