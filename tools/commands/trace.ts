/**
 * Readable traces of local executions: one line per state visit with its duration, every HTTP call
 * (method, URL, status) and every retry; and a summary table. Colour only when asked (on a TTY).
 */
import { maskText } from "../emulator/redact";
import { ExecutionResult, TraceStep } from "../local/runner";

/** ANSI colouring that turns into plain text when `enabled` is false. */
export function palette(enabled: boolean) {
    const wrap = (code: number) => (text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
    return { green: wrap(32), red: wrap(31), yellow: wrap(33), dim: wrap(2), bold: wrap(1), cyan: wrap(36) };
}

/** True when stdout is a terminal and `NO_COLOR` is not set (https://no-color.org). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
    return stream.isTTY === true && !process.env.NO_COLOR;
}

const ms = (value: number | undefined) => `${Math.round(value ?? 0)} ms`;

function stepLines(step: TraceStep, c: ReturnType<typeof palette>, waitsShortened: boolean): string[] {
    const head = `  ${step.state.padEnd(22)} ${c.dim(step.type.padEnd(7))} ${ms(step.durationMs).padStart(6)}`;
    const indent = " ".repeat(41);
    const lines: string[] = [];
    const calls = step.http.map((call) => {
        const outcome =
            call.status === undefined ? c.red(call.error ?? "no answer") : call.status < 300 ? c.green(String(call.status)) : c.red(String(call.status));
        return `${call.method} ${call.url} → ${outcome} ${c.dim(`(${ms(call.durationMs)})`)}`;
    });
    // A 429 may wait its Retry-After locally (the collection sandbox refuses earlier retries); the rest 0 ms.
    const retry = (i: number) =>
        c.yellow(`↻ retry ${i + 1} after ${step.retries[i]}${waitsShortened ? ` (wait shortened${step.retries[i].endsWith(".429") ? "" : " to 0 ms"})` : ""}`);
    const detail: string[] = [];
    const rounds = Math.max(calls.length, step.retries.length);
    for (let i = 0; i < rounds; i++) {
        if (calls[i]) detail.push(calls[i]);
        if (i < step.retries.length) detail.push(retry(i));
    }
    if (step.caught) detail.push(c.yellow(`✗ ${step.caught.error} caught → ${step.caught.next}`));
    if (step.failed) detail.push(c.red(`✗ ${step.failed.error}: ${step.failed.cause}`));
    lines.push(detail.length > 0 ? `${head}  ${detail[0]}` : head);
    for (const more of detail.slice(1)) lines.push(`${indent}${more}`);
    return lines;
}

/**
 * The trace of one execution, as lines, each masked by the one rule (`emulator/redact.ts`): a
 * cause or error that quotes an echoed credential shows `***`.
 */
export function formatTrace(result: ExecutionResult, options: { colour: boolean; waitsShortened: boolean; secrets?: readonly string[] }): string[] {
    const c = palette(options.colour);
    const lines = (result.trace ?? []).flatMap((step) => stepLines(step, c, options.waitsShortened));
    const end =
        result.status === "SUCCEEDED" ? c.green(`✓ SUCCEEDED in ${ms(result.durationMs)}`) : c.red(`✗ FAILED ${result.error} in ${ms(result.durationMs)}`);
    return [...lines, `  ${end}`].map((line) => maskText(line, options.secrets ?? []));
}

/** Counts of HTTP calls and retries in a trace. */
export function traceCounts(result: ExecutionResult): { calls: number; retries: number } {
    const steps = result.trace ?? [];
    return { calls: steps.reduce((n, s) => n + s.http.length, 0), retries: steps.reduce((n, s) => n + s.retries.length, 0) };
}

/** A plain text table; `rows[0]` is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
    // eslint-disable-next-line no-control-regex
    const visible = (s: string) => s.replace(/\u001b\[\d+m/g, "").length;
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? ""))));
    const line = (r: readonly string[]) =>
        r
            .map((cell, i) => cell + " ".repeat(widths[i] - visible(cell)))
            .join("  ")
            .trimEnd();
    return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}
