/**
 * Validation rules for one API's config object (any API of `deploy/apis/index.ts` or a collection source's) and for the
 * secrets it needs. Pure: each rule adds one sentence per problem to `problems`.
 */
import { apiSpecOf } from "../apis";
import { baseUrlProblems } from "../asl/endpoint";
import { currentValueOf, pathOf, rmCommand, run, setCommand, setSecretCommand, shellQuote, unknownKeyProblem } from "./fixes";
import { shownUrl, withoutUserInfo } from "./stack-rules";
import { privateConnectivity } from "./private-rules";
import { ApiSettings, AuthSettings, AUTH_TYPES, PARAMETER_SECTIONS, ParameterSet } from "./types";
import { isObject } from "../asl/json";

export { setCommand, setSecretCommand } from "./fixes";

/** Collects problems; each names the key and the way out. */
export type Problems = string[];

/** A credential-looking parameter name: such values must be secret (see `secrets.<api>`). */
export const CREDENTIAL_NAME = /authorization|api[-_]?key|token|secret|password|credential/i;

/** EventBridge's pattern for connection header keys (docs/aws-facts.md §3.2). */
const HEADER_KEY = /^[!#$%&'*+\-.^_`|~0-9a-zA-Z]+$/;

/** A value as Pulumi may store it: objects and lists set with `--path` arrive as JSON strings. */
export function parseJsonString(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/**
 * A number as config may hold it: a YAML number or, set with `--path`, a plain decimal string.
 * Anything else is `NaN`, so the caller's check names it (`Number` alone takes `true`, `[5]`, `0x1e`).
 */
export function configNumber(value: unknown): number {
    if (typeof value === "number") return value;
    return typeof value === "string" && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim()) ? Number(value) : NaN;
}

/** Reports keys of `value` that are not in `known` (typos would otherwise be ignored silently). */
export function unknownKeys(value: Record<string, unknown>, known: readonly string[], at: string, problems: Problems): void {
    for (const key of Object.keys(value)) {
        if (!known.includes(key)) problems.push(unknownKeyProblem(`${at}.${key}`, key, known));
    }
}

function requiredString(value: Record<string, unknown>, key: string, at: string, why: string, problems: Problems): string {
    const v = value[key];
    if (typeof v === "string" && v.trim() !== "") return v;
    problems.push(`\`${at}.${key}\` is required${why === "" ? "" : ` ${why}`}: run \`${setCommand(`${at}.${key}`)}\`.`);
    return "";
}

/**
 * Validates a `{ headers, queryStrings, bodies }` map of plain parameters at `at`. `secretAt` is where
 * the same map's secret values live (`secrets.shipping.tokenParameters` for `shipping.auth.tokenParameters`).
 */
export function parameterSet(value: unknown, at: string, problems: Problems, secretAt = `secrets.${at}`): ParameterSet {
    const empty = { headers: {}, queryStrings: {}, bodies: {} };
    if (value === undefined) return empty;
    if (!isObject(value)) {
        problems.push(
            `\`${at}\` must be an object with \`headers\`, \`queryStrings\` and/or \`bodies\`${run(rmCommand(at), setCommand(`${at}.headers.<name>`))}`,
        );
        return empty;
    }
    unknownKeys(value, PARAMETER_SECTIONS, at, problems);
    const out: Record<string, Record<string, string>> = { headers: {}, queryStrings: {}, bodies: {} };
    for (const section of PARAMETER_SECTIONS) {
        const entries = value[section];
        if (entries === undefined) continue;
        if (!isObject(entries)) {
            problems.push(`\`${at}.${section}\` must map names to string values${run(rmCommand(`${at}.${section}`), setCommand(`${at}.${section}.<name>`))}`);
            continue;
        }
        for (const [name, v] of Object.entries(entries)) {
            const key = `${at}.${section}.${name}`;
            const path = `${at}.${pathOf(section, name)}`;
            // A credential is moved, never echoed (not even a number): the value goes through `pulumi config get`.
            if (CREDENTIAL_NAME.test(name))
                problems.push(
                    `\`${key}\` looks like a credential and must be secret${run(setSecretCommand(`${secretAt}.${pathOf(section, name)}`, currentValueOf(path)), rmCommand(path))}`,
                );
            // `pulumi config set --path` stores `3` and `true` as a number and a boolean (docs/aws-facts.md §22):
            // they are taken as their text, which is what EventBridge sends.
            else if (typeof v === "number" || typeof v === "boolean") out[section][name] = String(v);
            else if (typeof v !== "string") problems.push(`\`${key}\` must be a string${run(rmCommand(path), setCommand(path))}`);
            else out[section][name] = v;
            if (section === "headers" && !HEADER_KEY.test(name)) problems.push(`\`${key}\`: \`${name}\` is not a valid header name${run(rmCommand(key))}`);
        }
    }
    return out as unknown as ParameterSet;
}

function authSettings(value: unknown, at: string, problems: Problems): AuthSettings | undefined {
    if (!isObject(value)) {
        problems.push(`\`${at}\` is required: run \`${setCommand(`${at}.type`, "basic")}\` (or \`apiKey\`, \`oauth\`, \`none\`) and set its fields.`);
        return undefined;
    }
    const type = value.type as AuthSettings["type"];
    if (!AUTH_TYPES.includes(type)) {
        const types = AUTH_TYPES.map((t) => `\`${t}\``).join(", ");
        problems.push(
            type === undefined
                ? `\`${at}.type\` is required (one of ${types})${run(setCommand(`${at}.type`, "basic"))}`
                : `\`${at}.type\` must be one of ${types} (got \`${String(type)}\`)${run(setCommand(`${at}.type`, "basic"))}`,
        );
        return undefined;
    }
    const why = `when \`${at}.type\` is \`${type as string}\``;
    if (type === "none") {
        unknownKeys(value, ["type"], at, problems);
        return { type };
    }
    if (type === "basic") {
        unknownKeys(value, ["type", "username"], at, problems);
        return { type, username: requiredString(value, "username", at, why, problems) };
    }
    if (type === "apiKey") {
        unknownKeys(value, ["type", "headerName"], at, problems);
        const headerName = requiredString(value, "headerName", at, why, problems);
        if (headerName !== "" && !HEADER_KEY.test(headerName))
            problems.push(`\`${at}.headerName\`: \`${headerName}\` is not a valid header name${run(setCommand(`${at}.headerName`, "X-Api-Key"))}`);
        return { type, headerName };
    }
    unknownKeys(value, ["type", "tokenUrl", "httpMethod", "clientId", "tokenParameters"], at, problems);
    const tokenUrl = requiredString(value, "tokenUrl", at, why, problems);
    if (tokenUrl !== "" && !tokenUrl.startsWith("https://"))
        problems.push(
            `\`${at}.tokenUrl\` must use \`https://\` (got \`${shownUrl(tokenUrl)}\`)${run(setCommand(`${at}.tokenUrl`, shellQuote(withoutUserInfo(tokenUrl).replace(/^[a-z]+:\/\//i, "https://"))))}`,
        );
    const httpMethod = value.httpMethod ?? "POST";
    if (!["GET", "POST", "PUT"].includes(httpMethod as string)) {
        // The token request accepts only these three (docs/aws-facts.md §1.4).
        problems.push(
            `\`${at}.httpMethod\` must be one of \`GET\`, \`POST\`, \`PUT\` (got \`${String(httpMethod)}\`)${run(setCommand(`${at}.httpMethod`, "POST"))}`,
        );
    }
    return {
        type,
        tokenUrl,
        httpMethod: httpMethod as "GET" | "POST" | "PUT",
        clientId: requiredString(value, "clientId", at, why, problems),
        // The secret token parameters sit at `secrets.<api>.tokenParameters`, without `auth`.
        tokenParameters: parameterSet(value.tokenParameters, `${at}.tokenParameters`, problems, `secrets.${at.replace(/\.auth$/, "")}.tokenParameters`),
    };
}

/** `url` made usable as a base URL (https, no query, fragment or credentials), for the fix command. */
function usableBaseUrl(url: string): string {
    try {
        const u = new URL(url.replace(/^http:/i, "https:"));
        u.search = "";
        u.hash = "";
        u.username = "";
        u.password = "";
        return u.toString().replace(/\/$/, "");
    } catch {
        return "https://api.example.com/v1";
    }
}

/** Validates one API's plain settings at config key `at` (e.g. `payment`). */
export function apiSettings(value: unknown, at: string, problems: Problems, extraKeys: readonly string[] = []): ApiSettings | undefined {
    if (!isObject(value)) {
        problems.push(`\`${at}\` is required: run \`${setCommand(`${at}.baseUrl`, "https://api.example.com")}\` and set \`${at}.auth\`.`);
        return undefined;
    }
    unknownKeys(value, ["baseUrl", "auth", "invocationParameters", "kmsKeyId", "private", ...extraKeys], at, problems);
    const baseUrl = requiredString(value, "baseUrl", at, "", problems);
    if (baseUrl !== "") {
        // Credentials in the URL are reported by `userInfoProblems`, which never echoes them.
        for (const problem of baseUrlProblems(withoutUserInfo(baseUrl)))
            problems.push(`\`${at}.baseUrl\` ${problem} (got \`${shownUrl(baseUrl)}\`)${run(setCommand(`${at}.baseUrl`, shellQuote(usableBaseUrl(baseUrl))))}`);
    }
    const kmsKeyId = value.kmsKeyId;
    if (kmsKeyId !== undefined && (typeof kmsKeyId !== "string" || kmsKeyId === ""))
        problems.push(`\`${at}.kmsKeyId\` must be a KMS key ARN, key id, alias or alias ARN${run(setCommand(`${at}.kmsKeyId`, "alias/<name>"))}`);
    const auth = authSettings(value.auth, `${at}.auth`, problems);
    const invocationParameters = parameterSet(value.invocationParameters, `${at}.invocationParameters`, problems);
    const reach = privateConnectivity(value.private, `${at}.private`, problems);
    if (!auth) return undefined;
    return {
        baseUrl,
        auth,
        invocationParameters,
        ...(typeof kmsKeyId === "string" && kmsKeyId !== "" ? { kmsKeyId } : {}),
        ...(reach ? { private: reach } : {}),
    };
}

/**
 * The API's own rules on its validated settings (`deploy/apis/<api>/index.ts`): its `authRule`, or
 * else the auth types it accepts. An API only config names (a collection source's) accepts every type.
 */
export function apiRuleProblems(api: string, settings: ApiSettings, problems: Problems): void {
    const spec = apiSpecOf(api);
    if (spec?.authRule) return spec.authRule(settings, problems);
    if (spec && !spec.authTypes.includes(settings.auth.type)) {
        const types = spec.authTypes.map((t) => `\`${t}\``).join(", ");
        problems.push(
            `\`${api}.auth.type\` must be one of ${types} for \`${api}\` (got \`${settings.auth.type}\`)${run(setCommand(`${api}.auth.type`, spec.authTypes[0]))}`,
        );
    }
}

/** The secret each auth type needs, under `secrets.<api>` (none for `none`). */
export function credentialKey(auth: AuthSettings): "password" | "apiKey" | "clientSecret" | undefined {
    return auth.type === "basic" ? "password" : auth.type === "apiKey" ? "apiKey" : auth.type === "oauth" ? "clientSecret" : undefined;
}

/**
 * Checks the secrets of one API against the set of secret paths the stack has. `secretPaths` holds
 * paths such as `payment.apiKey`, never values.
 */
export function apiSecretProblems(api: string, settings: ApiSettings, secretPaths: ReadonlySet<string>, problems: Problems): void {
    const credential = credentialKey(settings.auth);
    if (credential !== undefined && !secretPaths.has(`${api}.${credential}`)) {
        problems.push(
            `\`secrets.${api}.${credential}\` is missing for \`${api}.auth.type\` \`${settings.auth.type}\`: run \`${setSecretCommand(`secrets.${api}.${credential}`)}\`.`,
        );
    }
    const allowed = new Set([...(credential ? [credential] : []), "invocationParameters", ...(settings.auth.type === "oauth" ? ["tokenParameters"] : [])]);
    for (const p of secretPaths) {
        const [owner, field, section] = p.split(".");
        if (owner !== api) continue;
        if (!allowed.has(field))
            problems.push(
                `\`secrets.${api}.${field}\` is not used by \`${api}.auth.type\` \`${settings.auth.type}\`: remove it with \`pulumi config rm --path 'secrets.${api}.${field}'\`.`,
            );
        else if ((field === "invocationParameters" || field === "tokenParameters") && !PARAMETER_SECTIONS.includes(section as never)) {
            problems.push(
                `\`secrets.${api}.${field}.${section}\` must be one of \`headers\`, \`queryStrings\`, \`bodies\`${run(rmCommand(`secrets.${api}.${field}.${section}`))}`,
            );
        }
    }
}
