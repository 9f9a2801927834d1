/**
 * A tiny IAM evaluator for the statements `derivePolicy` emits (Allow only; `StringEquals` and
 * `StringLike` on `states:HTTPMethod` / `states:HTTPEndpoint`). Test tooling: it lets tests ask
 * "is this call allowed?" instead of restating the policy.
 */
import { IamPolicyDocument } from "../../deploy/asl/policy";

/** A request as IAM sees it. */
export interface IamRequest {
    readonly action: string;
    readonly resource: string;
    readonly context?: Readonly<Record<string, string>>;
}

/** IAM `StringLike`: `*` any run, `?` one character; `${*}`, `${?}`, `${$}` are literals. */
export function stringLike(pattern: string, value: string): boolean {
    let regex = "";
    for (let i = 0; i < pattern.length; i++) {
        const literal = /^\$\{([*?$])\}/.exec(pattern.slice(i));
        if (literal) {
            regex += `\\${literal[1]}`;
            i += 3;
        } else if (pattern[i] === "*") regex += ".*";
        else if (pattern[i] === "?") regex += ".";
        else regex += pattern[i].replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(`^${regex}$`, "s").test(value);
}

const operators: Record<string, (expected: string, actual: string) => boolean> = {
    StringEquals: (e, a) => e.replace(/\$\{\$\}/g, "$") === a,
    StringLike: stringLike,
};

/** True when some statement of `policy` allows `request`. */
export function isAllowed(policy: IamPolicyDocument, request: IamRequest): boolean {
    return policy.Statement.some(
        (s) =>
            s.Action.some((a) => stringLike(a, request.action)) &&
            s.Resource.some((r) => stringLike(r, request.resource)) &&
            Object.entries(s.Condition ?? {}).every(([op, keys]) =>
                Object.entries(keys).every(([key, expected]) => {
                    const actual = request.context?.[key];
                    return actual !== undefined && [expected].flat().some((e) => operators[op](e, actual));
                }),
            ),
    );
}
