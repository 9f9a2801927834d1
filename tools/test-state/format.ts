/**
 * TestState's TRACE view of an HTTP exchange and the masking of what is printed
 * (docs/aws-facts.md §4.4, §6.2): request and response are strings, headers a bracketed
 * `name: value, …` list; connection-injected secrets read `***` unless secrets are revealed.
 */
import type { InspectionDataRequest, InspectionDataResponse } from "@aws-sdk/client-sfn";
import { MASK, mask } from "../emulator/redact";
import { HttpRequest } from "../emulator/request";
import { HttpResult } from "../emulator/transport";

/** Headers as TestState prints them: `[Name: value, Name: value]`. */
export function headerList(headers: readonly (readonly [string, string])[]): string {
    return `[${headers.map(([name, value]) => `${name}: ${value}`).join(", ")}]`;
}

const protocolOf = (url: string): string => new URL(url).protocol.replace(/:$/, "");

/**
 * The request as sent: the task's headers first, then the connection's credential header, then
 * the rest, as in AWS's TRACE output (§4.4). `taskHeaders` is how many headers the task set.
 */
export function traceRequest(request: HttpRequest, taskHeaders: number, auth: readonly [string, string] | undefined): InspectionDataRequest {
    const headers = Object.entries(request.headers);
    if (auth) headers.splice(Math.min(taskHeaders, headers.length), 0, [auth[0], auth[1]]);
    return { protocol: protocolOf(request.url), method: request.method, url: request.url, headers: headerList(headers), body: request.body ?? "" };
}

/** The answer as received (bodies that parsed as JSON are printed as JSON). */
export function traceResponse(result: HttpResult, url: string): InspectionDataResponse {
    const headers = Object.entries(result.Headers).flatMap(([name, values]) => values.map((v): [string, string] => [name, v]));
    const body = typeof result.ResponseBody === "string" ? result.ResponseBody : JSON.stringify(result.ResponseBody);
    return { protocol: protocolOf(url), statusCode: String(result.StatusCode), statusMessage: result.StatusText, headers: headerList(headers), body };
}

/** `value` masked by the one rule of every command (`emulator/redact.ts` `mask`; `secrets` longest first). */
export function maskDeep<T>(value: T, secrets: readonly string[]): T {
    return mask(value, secrets);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A TRACE header list with the values of the headers `names` (any case) replaced by `***`. */
export function maskHeaderValues(list: string, names: readonly string[]): string {
    if (names.length === 0) return list;
    // A value runs to the next `, Name: ` or the closing bracket; values may contain commas.
    const pattern = new RegExp(`(^\\[|, )(${names.map(escape).join("|")}): .*?(?=, [!#$%&'*+.^\`|~\\w-]+: |\\]$)`, "gi");
    return list.replace(pattern, `$1$2: ${MASK}`);
}
