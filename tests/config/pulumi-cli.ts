/**
 * What the Pulumi CLI does to `Pulumi.<stack>.yaml` for the commands validation suggests, so a
 * test can apply a suggested fix and validate again. The mapping follows Pulumi's own code
 * (docs/aws-facts.md §22): `pulumi/pulumi` `sdk/go/common/resource/config/map.go` (`Map.Set`,
 * `Map.Remove`, `adjustObjectValue`) and `sdk/go/common/resource/properties_path.go`
 * (`ParsePropertyPath`):
 *
 * - `config set <key> <value>` and `--path` with one segment: the key holds the value as a string.
 * - `config set --path a.b[0].c <value>`: missing maps and lists are created along the way; an index
 *   may be at most the list's length (that appends); the value becomes `true`/`false` or an integer
 *   when it reads as one (not with a leading `0`), else stays a string.
 * - `--secret`: the leaf is `{ secure: <ciphertext> }` (here a readable test ciphertext).
 * - `config rm --path`: one segment removes the key; deeper ones remove the entry (a list closes
 *   up); a missing path is no error; an emptied map stays.
 * - `config get --path <key>` prints the value (a secret decrypted): used inside `"$(…)"`.
 * - A key `ns:name…` is in namespace `ns`; without `ns:` it is the project's.
 */
import { isObject } from "../../deploy/asl/json";

/** The ciphertext this helper writes for `value` (readable, so a test can check what was encrypted). */
export const testCiphertext = (value: string) => `test-ciphertext:${Buffer.from(value).toString("base64")}`;

type Segment = string | number;

/** Pulumi's property path grammar: `a.b`, `a["b.c"]`, `a[0]`. */
export function parsePath(path: string): Segment[] {
    const out: Segment[] = [];
    let rest = path;
    while (rest.length > 0) {
        if (rest[0] === ".") rest = rest.slice(1);
        else if (rest.startsWith('["')) {
            let i = 2;
            let key = "";
            while (rest[i] !== '"') {
                if (i >= rest.length) throw new Error(`missing closing quote in ${path}`);
                if (rest[i] === "\\" && rest[i + 1] === '"') {
                    key += '"';
                    i += 2;
                } else key += rest[i++];
            }
            if (rest[i + 1] !== "]") throw new Error(`missing closing bracket in ${path}`);
            out.push(key);
            rest = rest.slice(i + 2);
        } else if (rest[0] === "[") {
            const end = rest.indexOf("]");
            const index = Number(rest.slice(1, end));
            if (end < 0 || !Number.isInteger(index)) throw new Error(`invalid array index in ${path}`);
            out.push(index);
            rest = rest.slice(end + 1);
        } else {
            const end = rest.search(/[.[]/);
            out.push(end < 0 ? rest : rest.slice(0, end));
            rest = end < 0 ? "" : rest.slice(end);
        }
    }
    return out;
}

/** `ns:path` → the full config key of the first segment, and the path. */
function splitKey(key: string, project: string): { full: string; path: Segment[] } {
    const head = key.split(/[.[]/)[0];
    const colon = head.indexOf(":");
    const namespace = colon < 0 ? project : head.slice(0, colon);
    const path = parsePath(colon < 0 ? key : key.slice(colon + 1));
    return { full: `${namespace}:${String(path[0])}`, path };
}

function adjust(value: string): unknown {
    if (value === "true" || value === "false") return value === "true";
    if (/^-?\d+$/.test(value) && !(value.length > 1 && value[0] === "0")) return Number(value);
    return value;
}

function decrypt(value: unknown): string {
    if (isObject(value) && typeof value.secure === "string") {
        const m = /^test-ciphertext:(.*)$/.exec(value.secure);
        if (!m) throw new Error("cannot decrypt a ciphertext this helper did not write");
        return Buffer.from(m[1], "base64").toString("utf8");
    }
    return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

type Container = Record<string, unknown> | unknown[];
const child = (c: Container, k: Segment) => (c as Record<string, unknown>)[k as string];

function get(config: Record<string, unknown>, key: string, project: string): string {
    const { full, path } = splitKey(key, project);
    let node: unknown = config[full];
    for (const k of path.slice(1)) node = isObject(node) || Array.isArray(node) ? child(node, k) : undefined;
    if (node === undefined) throw new Error(`config get: \`${key}\` is not set`);
    return decrypt(node);
}

function set(config: Record<string, unknown>, key: string, value: string, secret: boolean, path: boolean, project: string): void {
    const { full, path: segments } = path ? splitKey(key, project) : { full: key.includes(":") ? key : `${project}:${key}`, path: [key] };
    const leaf = secret ? { secure: testCiphertext(value) } : value;
    if (segments.length === 1) {
        config[full] = leaf;
        return;
    }
    const rootValue = typeof config[full] === "string" ? undefined : config[full];
    const root: Record<string, unknown> = { top: rootValue === undefined ? undefined : structuredClone(rootValue) };
    let cursor: Container = root;
    let cursorKey: Segment = "top";
    for (const next of segments.slice(1)) {
        let value = child(cursor, cursorKey);
        if (value === undefined) {
            value = typeof next === "number" ? [] : {};
            setIn(cursor, cursorKey, value);
        } else if (typeof next === "number" ? !Array.isArray(value) : !isObject(value)) throw new Error(`type mismatch at ${String(next)} in ${key}`);
        cursor = value as Container;
        cursorKey = next;
    }
    setIn(cursor, cursorKey, secret ? leaf : adjust(value));
    config[full] = root.top;
}

function setIn(container: Container, key: Segment, value: unknown): void {
    if (Array.isArray(container)) {
        if (typeof key !== "number" || key < 0 || key > container.length) throw new Error("array index out of range");
        container[key] = value;
    } else container[key as string] = value;
}

function remove(config: Record<string, unknown>, key: string, path: boolean, project: string): void {
    const { full, path: segments } = path ? splitKey(key, project) : { full: key.includes(":") ? key : `${project}:${key}`, path: [key] };
    if (segments.length === 1) {
        delete config[full];
        return;
    }
    let node: unknown = config[full];
    for (const k of segments.slice(1, -1)) node = isObject(node) || Array.isArray(node) ? child(node, k) : undefined;
    const last = segments[segments.length - 1];
    if (Array.isArray(node) && typeof last === "number") node.splice(last, 1);
    else if (isObject(node) && typeof last === "string") delete node[last];
}

/** Shell words of `command`: quotes removed, `"$(…)"` replaced by what `substitute` returns for the inner command. */
export function shellWords(command: string, substitute: (inner: string) => string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    let i = 0;
    const add = (text: string) => (word = (word ?? "") + text);
    while (i < command.length) {
        const c = command[i];
        if (c === " ") {
            if (word !== undefined) words.push(word);
            word = undefined;
            i++;
        } else if (c === "'") {
            const end = command.indexOf("'", i + 1);
            add(command.slice(i + 1, end));
            i = end + 1;
        } else if (c === "\\") {
            add(command[i + 1]);
            i += 2;
        } else if (c === '"') {
            let text = "";
            i++;
            while (command[i] !== '"') {
                if (command.startsWith("$(", i)) {
                    const end = command.indexOf(")", command.indexOf("'", command.indexOf("'", i) + 1));
                    text += substitute(command.slice(i + 2, end));
                    i = end + 1;
                } else text += command[i++];
            }
            add(text);
            i++;
        } else {
            add(c);
            i++;
        }
    }
    if (word !== undefined) words.push(word);
    return words;
}

/**
 * Applies one `pulumi config set|rm` command to `config` (the `config:` map of a stack file) as the
 * Pulumi CLI would. Throws on anything else, so a suggested command the CLI would refuse fails the test.
 */
export function applyConfigCommand(config: Record<string, unknown>, command: string, project: string): void {
    const words = shellWords(command, (inner) => {
        const w = shellWords(inner, () => {
            throw new Error("nested substitution");
        });
        if (w.slice(0, 3).join(" ") !== "pulumi config get") throw new Error(`unexpected substitution \`${inner}\``);
        return get(config, w[w.length - 1], project);
    });
    if (words[0] !== "pulumi" || words[1] !== "config") throw new Error(`not a pulumi config command: ${command}`);
    const flags = new Set(words.filter((w) => w.startsWith("--")));
    const args = words.slice(3).filter((w) => !w.startsWith("--"));
    for (const flag of flags) if (!["--path", "--secret"].includes(flag)) throw new Error(`unexpected flag ${flag}`);
    if (args.some((a) => /^<.*>$/.test(a))) throw new Error(`placeholder left in ${command}`);
    if (words[2] === "set" && args.length === 2) set(config, args[0], args[1], flags.has("--secret"), flags.has("--path"), project);
    else if (words[2] === "rm" && args.length === 1 && !flags.has("--secret")) remove(config, args[0], flags.has("--path"), project);
    else throw new Error(`unexpected command ${command}`);
}

/**
 * The `pulumi config …` commands a problem message suggests, in order; a message that offers
 * alternatives ("run `A`, or … `B`") gives those of alternative `which`.
 */
export function suggestedCommands(problem: string, which = 0): string[] {
    const part = problem.split(/(?<=`), or /)[which] ?? "";
    return [...part.matchAll(/`(pulumi config [^`]+)`/g)].map((m) => m[1]);
}
