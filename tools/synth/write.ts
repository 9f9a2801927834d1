/**
 * Writes a synth result as the files a pull-request reviewer reads: `resources.json`,
 * `outputs.json` and, per workflow, `<wf>.asl.json`, `<wf>.policy.json` and `<wf>.mmd`; plus
 * any extra files the caller adds (`connections.local.json`).
 */
import * as fs from "fs";
import * as path from "path";
import { toMermaid } from "./mermaid";
import { mask } from "../emulator/redact";
import { maskSecrets, RecordedResource, revealSecrets, SECRET_MARKER } from "./mocks";
import { SynthResult } from "./run-program";

/**
 * Every leaf of a secrets object as text (numbers and booleans too: a numeric secret is still a
 * secret), the values synth must mask in the files it writes.
 */
export function secretLeaves(value: unknown): string[] {
    if (typeof value === "string") return value === "" ? [] : [value];
    if (typeof value === "number" || typeof value === "boolean") return [String(value)];
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(secretLeaves);
    return [];
}

/**
 * The one masking rule (`tools/emulator/redact.ts`), with synth's marker: a value that is or holds a
 * secret shows `[secret]` (defence in depth behind Pulumi's own secret marking).
 */
function scrub(value: unknown, secrets: readonly string[]): unknown {
    return mask(
        value,
        [...secrets].sort((a, b) => b.length - a.length),
        SECRET_MARKER,
    );
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * A resource's inputs for review. A connection's `authParameters` is one secret to Pulumi, which
 * would hide header names, token URL, client id and which parameters are secret: it is shown with
 * only its secret values masked.
 */
function reviewInputs(r: RecordedResource, secretValues: readonly string[]): unknown {
    const inputs =
        r.type === "aws:cloudwatch/eventConnection:EventConnection" ? { ...r.inputs, authParameters: revealSecrets(r.inputs.authParameters) } : r.inputs;
    return scrub(maskSecrets(inputs), secretValues);
}

/** Writes the files into `outDir` and returns their paths. `secretValues` are masked wherever they appear. */
export function writeSynthOutput(
    result: SynthResult,
    outDir: string,
    secretValues: readonly string[],
    extra: Readonly<Record<string, unknown>> = {},
): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    const files: [string, string][] = [
        ["resources.json", json(result.resources.map((r) => ({ type: r.type, name: r.name, inputs: reviewInputs(r, secretValues) })))],
        ["outputs.json", json(scrub(maskSecrets(result.outputs), secretValues))],
        ...Object.entries(extra).map(([name, value]): [string, string] => [name, json(scrub(value, secretValues))]),
    ];
    for (const wf of result.workflows) {
        files.push([`${wf.name}.asl.json`, json(wf.definition)]);
        files.push([`${wf.name}.policy.json`, json(wf.policy)]);
        files.push([`${wf.name}.mmd`, toMermaid(wf.definition)]);
    }
    return files.map(([name, text]) => {
        const file = path.join(outDir, name);
        fs.writeFileSync(file, text);
        return file;
    });
}
