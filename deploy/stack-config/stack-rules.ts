/**
 * Rules on the stack as a whole rather than one setting: credentials in URLs, config under a
 * misspelt project namespace, and secrets stored in plain text. Pure, like the other rules; every
 * message names the key and never the secret, and every fix is a runnable `pulumi config` command.
 */
import { isObject } from "../asl/json";
import { currentValueOf, distance, pathOf, rmCommand, run, setCommand, setSecretCommand, shellQuote } from "./fixes";
import { PROJECT } from "./types";

/** What the validation knows of a stack beyond the project's own keys. */
export interface StackContext {
    /**
     * Keys outside the project's namespace (`aws:region`, `sfn-http-workflow:tags`), full, with their
     * values (a `secure:` leaf as `{ secure }`, or `true` where only secretness is known).
     */
    readonly otherConfig?: Readonly<Record<string, unknown>>;
    /** Keys of `otherConfig` that Pulumi holds as secret (their leaves are moved with `--secret`). */
    readonly secretKeys?: readonly string[];
    /** Paths under `secrets` (`payment.apiKey`) whose value the stack file holds in plain text. */
    readonly plaintextSecrets?: readonly string[];
}

// `scheme://user:pass@host` or `//user@host`: user info runs from `//` to the last `@` before the path.
const USER_INFO = /((?:[a-z][a-z0-9+.-]*:)?\/\/)[^/?#\s`'"]*@/gi;

/** True when `text` holds a URL with user info (`https://user:pass@host`). */
function hasUserInfo(text: string): boolean {
    return new RegExp(USER_INFO.source, "i").test(text.replace(/\\/g, "/"));
}

/** `text` with the user info of every URL in it removed (for a fix command). */
export function withoutUserInfo(text: string): string {
    return text.replace(/\\/g, "/").replace(USER_INFO, "$1");
}

/** `text` with the user info of every URL in it masked as `***@`. */
export function maskUserInfo(text: string): string {
    return text.replace(USER_INFO, "$1***@");
}

/** `url` as a message may show it: no user info, and a query or fragment (which may carry a key) as `…`. */
export function shownUrl(url: string): string {
    return maskUserInfo(url).replace(/[?#].*$/s, (rest) => `${rest[0]}…`);
}

function stringLeaves(value: unknown, at: readonly (string | number)[]): [readonly (string | number)[], string][] {
    if (typeof value === "string") return [[at, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...at, i]));
    if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
    return [];
}

/**
 * Any URL of the project's config with user info (`baseUrl`, `tokenUrl`, or any other value) is
 * refused without being echoed: the fix sets the same value without it. Credentials belong in
 * `secrets.<api>`, which EventBridge keeps in Secrets Manager.
 */
export function userInfoProblems(raw: Readonly<Record<string, unknown>>, problems: string[]): void {
    for (const [key, value] of Object.entries(raw)) {
        for (const [at, text] of stringLeaves(value, [key])) {
            if (!hasUserInfo(text)) continue;
            const name = pathOf(...at);
            problems.push(
                `\`${name}\` holds credentials in a URL (not shown; they belong in \`secrets.<api>\`)${run(setCommand(name, shellQuote(withoutUserInfo(text))))}`,
            );
        }
    }
}

function leafPaths(value: unknown, at: readonly (string | number)[]): (readonly (string | number)[])[] {
    if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...at, i]));
    if (isObject(value) && !(Object.keys(value).length === 1 && "secure" in value)) return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...at, k]));
    return [at];
}

const isSecureLeaf = (value: unknown, at: readonly (string | number)[]): boolean => {
    const leaf = at.slice(1).reduce<unknown>((node, k) => (isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[k] : undefined), value);
    return isObject(leaf) && "secure" in leaf;
};

/**
 * A key under a namespace one or two edits from the project's (`sfn-http-workflow:tags`) is read by
 * nothing, so its settings are silently dropped: refused, with commands that move each value to the
 * project's namespace (through `pulumi config get`, so no value is printed), then remove the old key.
 */
export function namespaceProblems(context: StackContext, problems: string[]): void {
    for (const [full, value] of Object.entries(context.otherConfig ?? {})) {
        const at = full.indexOf(":");
        const namespace = at < 0 ? "" : full.slice(0, at);
        if (namespace === "" || namespace === PROJECT || distance(namespace, PROJECT) > 2) continue;
        const name = full.slice(at + 1);
        const secret = context.secretKeys?.includes(full) === true;
        const moves = leafPaths(value, [name]).map((leaf) => {
            const from = `${namespace}:${pathOf(...leaf)}`;
            const to = pathOf(...leaf);
            return secret || isSecureLeaf(value, leaf) ? setSecretCommand(to, currentValueOf(from)) : setCommand(to, currentValueOf(from));
        });
        problems.push(
            `\`${full}\`: \`${namespace}\` is not this project's namespace, so nothing reads it; did you mean \`${PROJECT}:${name}\`? Run ${[...moves, rmCommand(full)].map((c) => `\`${c}\``).join(", then ")}.`,
        );
    }
}

/** A secret the stack file holds in plain text is refused; the fix encrypts the same value in place. */
export function plaintextSecretProblems(context: StackContext, problems: string[]): void {
    for (const secretPath of context.plaintextSecrets ?? []) {
        const key = `secrets.${secretPath}`;
        problems.push(
            `\`${key}\` is stored in plain text in the stack file; a secret must be a \`secure:\` value${run(setSecretCommand(key, currentValueOf(key)))} Then rotate it: the plain text stays in the file's history.`,
        );
    }
}
