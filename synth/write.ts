/**
 * Writes a synth result as the files a pull-request reviewer reads: `resources.json`,
 * `outputs.json` and, per workflow, `<wf>.asl.json`, `<wf>.policy.json` and `<wf>.mmd`; plus
 * any extra files the caller adds (`connections.local.json`).
 */
import * as fs from "fs";
import * as path from "path";
import { toMermaid } from "../asl/mermaid";
import { maskSecrets, RecordedResource, revealSecrets } from "./mocks";
import { SynthResult } from "./run-program";

/** Replaces every occurrence of the given secret values by `"[secret]"` (defence in depth). */
function scrub(value: unknown, secrets: readonly string[]): unknown {
    if (typeof value === "string") return secrets.some((s) => value.includes(s)) ? "[secret]" : value;
    if (Array.isArray(value)) return value.map((v) => scrub(v, secrets));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secrets)]));
    return value;
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
        ...Object.entries(extra).map(([name, value]): [string, string] => [name, json(value)]),
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
