/**
 * Reads a `Pulumi.<stack>.yaml` without the Pulumi CLI, for the offline synth, the tests and the
 * local runner. Stack files in this repository hold no secret values (nothing here can encrypt
 * them), so every secret a stack needs is filled with a recognisable placeholder.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { isObject } from "../deploy/asl/json";
import { PROJECT, StackSettings } from "../deploy/stack-config/types";
import { StackContext } from "../deploy/stack-config/stack-rules";
import { credentialPaths, RawConfig, secretPathsOf, validateStackConfig } from "../deploy/stack-config/validate";

/** The placeholder that stands for the secret at `secrets.<path>` offline. */
export function placeholderSecret(secretPath: string): string {
    return `placeholder-secret:${secretPath}`;
}

/** A stack file, parsed. */
export interface StackFile {
    readonly stack: string;
    /** `aws:region`, or `us-east-1` when the stack does not set it (validation requires it). */
    readonly region: string;
    /** `aws:region` as the file holds it (undefined when missing). */
    readonly awsRegion: unknown;
    /** The project's keys, namespace stripped, as the YAML holds them (`secure:` values replaced). */
    readonly raw: RawConfig;
    /** Secrets for offline use: the stack's `secrets` with a placeholder for each needed value. */
    readonly secrets: Record<string, unknown>;
    /** Every config key with its namespace, as Pulumi's string map (for `pulumi.runtime.setAllConfig`). */
    readonly pulumiConfig: Record<string, string>;
    /** Pulumi ESC environments the stack imports (`environment:`), which nothing offline can resolve. */
    readonly environments: readonly string[];
    /** What validation checks beyond the project's keys: other namespaces, plaintext secrets. */
    readonly context: StackContext;
}

/** Paths of the stacks in `dir` (`Pulumi.<stack>.yaml`), sorted by stack name. */
export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function replaceSecure(value: unknown, at: string): unknown {
    if (isObject(value)) {
        if (Object.keys(value).length === 1 && typeof value.secure === "string") return placeholderSecret(at);
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v, at === "" ? k : `${at}.${k}`)]));
    }
    return Array.isArray(value) ? value.map((v, i) => replaceSecure(v, `${at}[${i}]`)) : value;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
    const keys = dotted.split(".");
    let node = target;
    for (const key of keys.slice(0, -1)) node = (node[key] = isObject(node[key]) ? node[key] : {}) as Record<string, unknown>;
    if (node[keys[keys.length - 1]] === undefined) node[keys[keys.length - 1]] = value;
}

const isSecure = (value: unknown) => isObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";

/** Paths of the leaves under `secrets` that the file holds in plain text (not `secure:`). */
function plaintextLeaves(value: unknown, at = ""): string[] {
    if (isSecure(value) || value === undefined || value === null || value === "") return [];
    if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => plaintextLeaves(v, at === "" ? k : `${at}.${k}`));
    return at === "" ? [] : [at];
}

/** Reads `Pulumi.<stack>.yaml` from `dir`. */
export function readStackFile(stack: string, dir: string): StackFile {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`No stack file \`${file}\`; stacks here: ${listStacks(dir).join(", ") || "none"}.`);
    const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown>; environment?: unknown };
    const environments = (Array.isArray(doc.environment) ? doc.environment : doc.environment === undefined ? [] : [doc.environment]).map(String);
    const prefix = `${PROJECT}:`;
    // Placeholders are named by the path a user sets (`secrets.payment.apiKey`), without the namespace.
    const config = Object.fromEntries(
        Object.entries(doc.config ?? {}).map(([key, value]) => [key, replaceSecure(value, key.startsWith(prefix) ? key.slice(prefix.length) : key)]),
    );
    // Every key of the namespace, unknown ones too: validation reports them.
    const raw: RawConfig = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
    }
    const secrets = (isObject(raw.secrets) ? structuredClone(raw.secrets) : {}) as Record<string, unknown>;
    for (const needed of credentialPaths(raw)) setPath(secrets, needed, placeholderSecret(`secrets.${needed}`));
    delete raw.secrets;

    const original = doc.config ?? {};
    const otherConfig = Object.fromEntries(Object.entries(original).filter(([key]) => !key.startsWith(prefix)));
    const context: StackContext = { otherConfig, plaintextSecrets: plaintextLeaves(original[`${prefix}secrets`]) };

    const pulumiConfig: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...config, [`${prefix}secrets`]: secrets })) {
        pulumiConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const region = typeof config["aws:region"] === "string" ? (config["aws:region"] as string) : "us-east-1";
    return { stack, region, awsRegion: config["aws:region"], raw, secrets, pulumiConfig, environments, context };
}

/** The validated plain settings of a stack file (placeholders satisfy its secrets). */
export function stackSettings(stackFile: StackFile): StackSettings {
    return validateStackConfig(stackFile.raw, secretPathsOf(stackFile.secrets), stackFile.awsRegion, stackFile.context);
}
