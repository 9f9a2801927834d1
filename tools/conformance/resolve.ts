/**
 * Finds the definition a recorded LocalStack test ran: the template constant it loads (directly or
 * through `@pytest.mark.parametrize` with ids), then the plain patches its body applies
 * (`template["States"]["S"]["F"] = value` or `.update(value)` with a literal or parametrized
 * value). A body that changes the template any other way is not guessed at: the case is skipped.
 */
import { CheckoutReader } from "./checkout";
import { parseJson5 } from "./json5";
import { PLACEHOLDERS, TEMPLATE_CONSTANTS } from "./constants";
import { importAliases, parametrizes, PyTest, pythonLiteral, splitTopLevel } from "./python";

/** A resolved definition, or why there is none. */
export type Resolved = { definition: Record<string, unknown>; template: string } | { skip: string; definition?: Record<string, unknown> };

/** Everything resolution needs about one test file. */
export interface TestFile {
    readonly text: string;
    readonly aliases: Map<string, string>;
    readonly registry: Map<string, string>;
    readonly reader: CheckoutReader;
}

/** Builds the `TestFile` of a `.py`. */
export function testFile(reader: CheckoutReader, file: string, registry: Map<string, string>): TestFile {
    const text = reader.read(file);
    return { text, aliases: importAliases(text), registry, reader };
}

function templateOf(file: TestFile, source: string): string | undefined {
    const refs = new Set<string>();
    for (const m of source.matchAll(/\b(\w+)\.([A-Z][A-Z0-9_]*)\b/g)) {
        const key = `${file.aliases.get(m[1]) ?? m[1]}.${m[2]}`;
        if (file.registry.has(key)) refs.add(file.registry.get(key) as string);
    }
    return refs.size === 1 ? [...refs][0] : undefined;
}

/** Resolves the definition of `test` for the parameter ids in a snapshot key (`a-b` for two). */
export function resolveDefinition(file: TestFile, test: PyTest, paramId: string | undefined): Resolved {
    const params = new Map<string, string>();
    const idParts = paramId === undefined ? [] : [paramId, ...paramId.split("-")];
    for (const p of parametrizes(test.decorators)) {
        const at = p.values.findIndex((_, i) => idParts.includes(p.ids[i] ?? automaticId(p.names, p.values[i], i)));
        if (at < 0) continue;
        if (p.names.length === 1) params.set(p.names[0], p.values[at]);
        else splitTopLevel(p.values[at].replace(/^\(|\)$/g, "")).forEach((v, i) => params.set(p.names[i], v));
    }
    const body = test.body;
    const loaded = /(\w+)\s*=\s*\w+\.load_sfn_template\(\s*(\w+(?:\.\w+)?)\s*\)/.exec(body);
    let template: string | undefined;
    if (loaded && params.has(loaded[2])) template = templateOf(file, params.get(loaded[2]) as string);
    else if (loaded) template = templateOf(file, loaded[2]);
    else {
        const direct = [...params.entries()].find(([, v]) => templateOf(file, v));
        template = direct ? templateOf(file, direct[1]) : templateOf(file, body);
    }
    if (!template) return { skip: "no single state machine template found in the test" };
    const definition = parseJson5(file.reader.read(template)) as Record<string, unknown>;
    const patched = applyPatches(structuredClone(definition), body, params, file.aliases);
    return typeof patched === "string" ? { skip: patched, definition } : { definition: patched, template };
}

/** pytest's id for a value without an explicit id: the value itself for plain scalars, else `<name><index>`. */
function automaticId(names: string[], value: string, index: number): string {
    const scalar = pythonLiteral(value, parseJson5);
    const v = scalar?.value;
    if (names.length === 1 && (typeof v === "number" || typeof v === "boolean" || v === null || typeof v === "string"))
        return v === null ? "None" : typeof v === "boolean" ? (v ? "True" : "False") : String(v);
    return `${names.join("-")}${index}`;
}

/** `source` with every `Alias.CONSTANT` of the hand-kept table (constants.ts) written as JSON. */
function withConstants(source: string, aliases: Map<string, string>): string {
    return source.replace(/\b(\w+)\.([A-Z][A-Z0-9_]*)\b/g, (m, alias: string, name: string) => {
        const key = `${aliases.get(alias) ?? alias}.${name}`;
        return key in TEMPLATE_CONSTANTS ? JSON.stringify(TEMPLATE_CONSTANTS[key]) : m;
    });
}

/** The body's lines, with a value spread over lines as `= (`, the value, `)` joined into one, and the `definition.replace(` calls of one line. */
function logicalLines(body: string): string[] {
    const lines: string[] = [];
    let open = false;
    for (const line of body.split("\n")) {
        if (open) {
            if (/^\s*\)\s*$/.test(line)) open = false;
            else lines[lines.length - 1] += line.trim();
            continue;
        }
        const parenthesised = /=\s*\($/.exec(line.trimEnd());
        lines.push(parenthesised ? line.trimEnd().slice(0, -1) : line);
        open = parenthesised !== null;
    }
    return lines;
}

/** True when a `definition = definition.replace(` call cannot change the definition: the placeholder it replaces is not in it. */
function replacesNothing(line: string, definition: Record<string, unknown>, aliases: Map<string, string>): boolean {
    if (!/^\s*definition\s*=\s*definition\.replace\(\s*$/.test(line)) return false;
    const placeholders = Object.entries(PLACEHOLDERS).filter(([key]) => [...aliases.values()].includes(key.split(".")[0]));
    const text = JSON.stringify(definition);
    return placeholders.length > 0 && placeholders.every(([, value]) => !text.includes(value));
}

/** Applies the body's plain patches; returns a reason when the body changes the template otherwise. */
function applyPatches(
    definition: Record<string, unknown>,
    body: string,
    params: Map<string, string>,
    aliases: Map<string, string>,
): Record<string, unknown> | string {
    const valueOf = (source: string) => pythonLiteral(withConstants(params.get(source.trim()) ?? source, aliases), parseJson5);
    // A key may be a parametrized name (`template["States"]["Start"][field]`): its value is a string literal.
    const keyOf = (name: string) => {
        const value = params.has(name) ? valueOf(name)?.value : undefined;
        return typeof value === "string" ? value : undefined;
    };
    for (const line of logicalLines(body)) {
        const assign = /^\s*template((?:\[\s*(?:"[^"]+"|\w+)\s*\])+)\s*=\s*(.+)$/.exec(line);
        const update = /^\s*template((?:\[\s*(?:"[^"]+"|\w+)\s*\])+)\.update\((.+)\)\s*$/.exec(line);
        const patch = assign ?? update;
        if (!patch && replacesNothing(line, definition, aliases)) continue;
        if (!patch) {
            if (/template\[|\.replace\(|^\s*definition\s+=\s+(?!json\.dumps\(template\)\s*$)/.test(line) && !/^\s*#/.test(line))
                return `the test changes the template in a way the import does not read: \`${line.trim()}\``;
            continue;
        }
        const keys = [...patch[1].matchAll(/\[\s*(?:"([^"]+)"|(\w+))\s*\]/g)].map((m) => m[1] ?? keyOf(m[2]));
        if (keys.some((k) => k === undefined)) return `the test patches the template at a key the import cannot read: \`${line.trim()}\``;
        const value = valueOf(patch[2]);
        if (!value) return `the test patches the template with a value the import cannot read: \`${line.trim()}\``;
        let target: Record<string, unknown> = definition;
        for (const key of keys.slice(0, assign ? -1 : undefined) as string[]) target = (target[key] ?? (target[key] = {})) as Record<string, unknown>;
        if (assign) target[keys[keys.length - 1] as string] = value.value;
        else Object.assign(target, value.value);
    }
    return definition;
}
