/**
 * The command-line contract every command here shares: `--help` prints the usage on stdout and
 * exits 0; bad usage (an unknown option, a missing or malformed value, an unknown stack) prints
 * one line and the usage on stderr and exits 2; any other failure exits 1 with one line.
 */
import * as fs from "fs";
import { parseArgs, ParseArgsConfig } from "util";
import { configNumber } from "../stack-config/api-rules";

/** Bad usage: exit 2 with the message and the usage. */
export class UsageError extends Error {}

/** The JSON in `file`; unreadable or invalid JSON is bad usage. */
export function readJsonFile(file: string, what: string): unknown {
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

/** Runs `main` with the process's arguments and sets the exit code by the contract above. */
export function runCommand(main: (argv: readonly string[]) => Promise<number>, usage: string, what: string): void {
    const argv = process.argv.slice(2);
    main(argv).then(
        (code) => {
            process.exitCode = code;
        },
        (e: Error) => {
            if (e instanceof UsageError) {
                console.error(`${e.message}\n${usage}`);
                process.exitCode = 2;
            } else {
                console.error(`${what} failed: ${e.message}`);
                process.exitCode = 1;
            }
        },
    );
}

/** Prints `usage` on stdout for `--help`; returns the exit code 0. */
export function printUsage(usage: string): number {
    console.log(usage);
    return 0;
}
