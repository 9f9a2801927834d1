/**
 * The command-line contract every command here shares: `--help` prints the usage on stdout and
 * exits 0; bad usage (an unknown option, a missing or malformed value, an unknown stack) prints
 * one line and the usage on stderr and exits 2; any other failure exits 1 with one line.
 */
import * as fs from "fs";
import { parseArgs, ParseArgsConfig } from "util";
import { configNumber } from "../../deploy/stack-config/api-rules";
import { JsonDepthError, scanJson } from "../local/strict-json";

/** Bad usage: exit 2 with the message and the usage. */
export class UsageError extends Error {}

/**
 * Nesting allowed in a JSON file. Whether Step Functions limits the depth of an input is UNKNOWN;
 * the limit keeps every recursive walk of the engine and the trace far from the stack's end, and
 * is far deeper than any definition or input here needs.
 */
export const MAX_JSON_DEPTH = 128;

/** A state machine definition's size limit (docs/aws-facts.md §9.3), the most any file here is read up to. */
export const MAX_FILE_BYTES = 1_048_576;

/**
 * The JSON in `file`; unreadable or invalid JSON, a file over `maxBytes` (checked before it is read)
 * and nesting deeper than `MAX_JSON_DEPTH` are bad usage, each named.
 */
export function readJsonFile(file: string, what: string, maxBytes = MAX_FILE_BYTES): unknown {
    let text: string;
    try {
        const size = fs.statSync(file).size;
        if (size > maxBytes) throw new UsageError(`The ${what} file \`${file}\` is ${size} bytes; at most ${maxBytes} are allowed.`);
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`Cannot read the ${what} file \`${file}\`: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
    try {
        scanJson(text, MAX_JSON_DEPTH);
    } catch (e) {
        if (e instanceof JsonDepthError) throw new UsageError(`The ${what} file \`${file}\` is refused: ${e.message}`);
        throw e;
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UsageError(`The ${what} file \`${file}\` is not valid JSON: ${(e as Error).message}.`);
    }
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; args: string[]; strict: true }>>["values"];

/** The options of `argv`, or `"help"` when `--help` (or `-h`) was given. Throws `UsageError`. */
export function parseCommandLine<O extends Options>(argv: readonly string[], options: O): Values<O> | "help" {
    if (argv.includes("--help") || argv.includes("-h")) return "help";
    try {
        return parseArgs({ args: [...argv], options, strict: true }).values as Values<O>;
    } catch (e) {
        // Node explains some mistakes over several lines; the contract is one line.
        throw new UsageError((e as Error).message.split("\n").join(" "));
    }
}

/** A number option checked by `check`; `rule` says what it must be. Throws `UsageError`. */
export function numberOption(value: string | undefined, name: string, check: (n: number) => boolean, rule: string): number {
    // Plain decimals only: `Number` would also take `0x10`, `1e3` and `Infinity`.
    const n = configNumber(value);
    if (value === undefined || !Number.isFinite(n) || !check(n))
        throw new UsageError(`\`--${name}\` must be ${rule}; got ${value === undefined ? "nothing" : `\`${value}\``}.`);
    return n;
}

/** A stack name that has a `Pulumi.<stack>.yaml` among `stacks`. Throws `UsageError`. */
export function stackOption(value: string | undefined, stacks: readonly string[]): string {
    if (value === undefined || !stacks.includes(value))
        throw new UsageError(`${value === undefined ? "`--stack` is required" : `No stack \`${value}\``} (stacks: ${stacks.join(", ") || "none"}).`);
    return value;
}

/** A command as `runCommand` knows it: its main function, its usage and what to call it in a failure. */
export interface Command {
    readonly main: (argv: readonly string[]) => Promise<number>;
    readonly usage: string;
    readonly what: string;
}

/**
 * Every command whose module has loaded, by the module's file name: tests run them in-process
 * (`tests/helpers/command.ts`) instead of starting a ts-node process per call.
 */
export const commands = new Map<string, Command>();

/** Runs `command` with `argv` and resolves to its exit code by the contract above (never rejects). */
export async function executeCommand(command: Command, argv: readonly string[]): Promise<number> {
    try {
        return await command.main(argv);
    } catch (e) {
        if (e instanceof UsageError) {
            console.error(`${e.message}\n${command.usage}`);
            return 2;
        }
        console.error(`${command.what} failed: ${(e as Error).message}`);
        return 1;
    }
}

/**
 * Registers the command of `entry` (the calling module) and, when that module is the process's
 * entry point, runs it with the process's arguments and sets the exit code. Loading the module
 * from a test therefore registers the command without running it.
 */
export function runCommand(main: (argv: readonly string[]) => Promise<number>, usage: string, what: string, entry: NodeModule): void {
    const command: Command = { main, usage, what };
    commands.set(entry.filename, command);
    if (require.main !== entry) return;
    void executeCommand(command, process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}

/** Prints `usage` on stdout for `--help`; returns the exit code 0. */
export function printUsage(usage: string): number {
    console.log(usage);
    return 0;
}
