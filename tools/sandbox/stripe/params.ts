/**
 * Parameters as Stripe's API definition says: `api-params.json` is generated from stripe-node's types
 * (`tools/commands/stripe-params.ts`), and every request is checked against it before a route looks at it.
 * A name the definition does not have is 400 `parameter_unknown`; a missing required one is
 * `parameter_missing`; an integer, boolean or enum that does not parse is refused on its `param`.
 */
import * as fs from "fs";
import * as path from "path";
import * as qs from "qs";
import { SandboxRequest } from "../http-server";
import { invalid } from "./errors";

/** Parsed form (or query) parameters. */
export type Params = Record<string, unknown>;

type Spec = { type: string; required?: boolean; emptyable?: boolean; values?: string[]; fields?: Record<string, Spec>; orBoolean?: boolean };

// Read rather than imported: the file is large, and typing it would only slow the compiler down.
const ENDPOINTS = (JSON.parse(fs.readFileSync(path.join(__dirname, "api-params.json"), "utf8")) as { endpoints: Record<string, Record<string, Spec>> })
    .endpoints;

const FORM_ONLY =
    "Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.";

/** The endpoint names `api-params.json` knows, e.g. `"POST /payment_intents"`. */
export const STRIPE_ENDPOINTS: readonly string[] = Object.keys(ENDPOINTS);

/**
 * The parameters of `req` for `endpoint`: the form body of a POST (a JSON body is refused as Stripe
 * refuses it) or the query of a GET, checked against Stripe's definition of that endpoint.
 */
export function paramsOf(req: SandboxRequest, endpoint: string): Params {
    const spec = ENDPOINTS[endpoint];
    if (!spec) throw new Error(`\`${endpoint}\` is not in api-params.json; add it to tools/commands/stripe-params.ts.`);
    let params: Params;
    if (req.method === "GET") params = qs.parse(req.query.toString()) as Params;
    else {
        if (req.body !== undefined && !String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) invalid(FORM_ONLY);
        params = (typeof req.body === "object" && req.body !== null ? req.body : {}) as Params;
    }
    check(params, spec, "");
    return params;
}

const name = (prefix: string, key: string) => (prefix === "" ? key : `${prefix}[${key}]`);

function check(params: Params, fields: Record<string, Spec>, prefix: string): void {
    for (const key of Object.keys(params)) {
        const param = name(prefix, key);
        // Stripe answers with the full bracketed name, e.g. `automatic_payment_methods[foo]`.
        if (!Object.hasOwn(fields, key)) invalid(`Received unknown parameter: ${param}`, { code: "parameter_unknown", param });
        value(params[key], fields[key], param);
    }
    for (const [key, spec] of Object.entries(fields))
        if (spec.required && params[key] === undefined)
            invalid(`Missing required param: ${name(prefix, key)}.`, { code: "parameter_missing", param: name(prefix, key) });
}

function value(v: unknown, spec: Spec, param: string): void {
    if (v === "" && (spec.emptyable || spec.type === "string" || spec.type === "metadata")) return;
    if (spec.orBoolean && (v === "true" || v === "false")) return;
    switch (spec.type) {
        case "integer":
            if (typeof v !== "string" || !/^-?\d+$/.test(v)) invalid(`Invalid integer: ${String(v)}`, { code: "parameter_invalid_integer", param });
            return;
        case "boolean":
            if (v !== "true" && v !== "false") invalid(`Invalid boolean: ${String(v)}`, { param });
            return;
        case "enum":
            // stripe-node admits any string for forward compatibility; the server knows only its own values.
            if (typeof v !== "string" || !spec.values!.includes(v)) invalid(`Invalid ${param}: must be one of ${spec.values!.join(", ")}`, { param });
            return;
        case "string":
            if (typeof v !== "string") invalid("Invalid string", { param });
            return;
        case "metadata":
            if (typeof v !== "object" || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string"))
                invalid("Invalid hash", { param });
            return;
        case "hash":
            if (typeof v !== "object" || v === null || Array.isArray(v)) invalid("Invalid hash", { param });
            if (spec.fields) check(v as Params, spec.fields, param);
            return;
        case "array": {
            // qs turns `a[0]=x` into an array and `a[5]=x` (a sparse index) into an object of indices.
            const items = Array.isArray(v) ? v : typeof v === "object" && v !== null ? Object.values(v) : invalid("Invalid array", { param });
            if (spec.fields) items.forEach((item, i) => check(item as Params, spec.fields!, `${param}[${i}]`));
            return;
        }
    }
}

/** A parameter the definition says is an integer, as a number (`undefined` when absent). */
export const integerOf = (params: Params, param: string): number | undefined => (params[param] === undefined ? undefined : Number(params[param]));

/** A boolean parameter (`undefined` when absent). */
export const boolOf = (params: Params, param: string): boolean | undefined => (params[param] === undefined ? undefined : params[param] === "true");

/** A string parameter (`undefined` when absent or empty). */
export const stringOf = (params: Params, param: string): string | undefined =>
    typeof params[param] === "string" && params[param] !== "" ? (params[param] as string) : undefined;

/** Metadata after an update: Stripe merges keys, and an empty value (or `metadata=""`) deletes. */
export function metadataOf(value: unknown, current: Record<string, string> = {}): Record<string, string> {
    if (value === undefined) return current;
    if (value === "") return {};
    const merged = { ...current, ...(value as Record<string, string>) };
    return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ""));
}
