/**
 * Reading just enough of LocalStack's pytest files to find each test's state machine template: the
 * template constants of the `*_templates.py` classes, the import aliases, each `def test_*` with its
 * decorators and body, and `@pytest.mark.parametrize` lists. It does not execute or fully parse
 * Python; anything it cannot read plainly is reported, and the import skips the case with a reason.
 */
import * as path from "node:path/posix";
import { CheckoutReader } from "./checkout";

/** One `def test_*` of a test file. */
export interface PyTest {
    readonly name: string;
    /** The decorator lines above the `def`. */
    readonly decorators: string;
    /** The function's text after the `def` line. */
    readonly body: string;
}

/** A parametrize decorator: argument names, the source text of each value, and the ids. */
export interface Parametrize {
    readonly names: string[];
    readonly values: string[];
    readonly ids: (string | undefined)[];
}

/** `Class.CONSTANT` → repository path of the `.json5` template, from every `*_templates.py` under `dir`. */
export function templateRegistry(reader: CheckoutReader, dir: string): Map<string, string> {
    const registry = new Map<string, string>();
    for (const file of reader.list(dir).filter((f) => /_templates?\.py$/.test(f))) {
        let cls = "";
        const text = reader.read(file);
        const re = /^class (\w+)|^\s+(\w+)(?::[^=\n]+)?\s*=\s*os\.path\.join\(\s*_THIS_FOLDER,\s*"([^"]+)"\s*,?\s*\)/gm;
        for (const m of text.matchAll(re)) {
            if (m[1]) cls = m[1];
            else registry.set(`${cls}.${m[2]}`, path.normalize(path.join(path.dirname(file), m[3])));
        }
    }
    return registry;
}

/** Alias → imported name, from a Python file's `from … import …` lines. */
export function importAliases(text: string): Map<string, string> {
    const aliases = new Map<string, string>();
    for (const m of text.matchAll(/^from [\w.]+ import (?:\(([^)]*)\)|([^\n]+))/gm)) {
        for (const item of (m[1] ?? m[2]).split(",")) {
            const [name, alias] = item.trim().split(/\s+as\s+/);
            if (name) aliases.set(alias ?? name, name);
        }
    }
    return aliases;
}

/** The `def test_*` functions of a file (methods of test classes included). */
export function testFunctions(text: string): PyTest[] {
    const lines = text.split("\n");
    const tests: PyTest[] = [];
    let blockStart = 0;
    for (let i = 0; i < lines.length; i++) {
        const def = /^(\s*)def (\w+)\(/.exec(lines[i]);
        if (!def) {
            if (/^\s*(class |def )/.test(lines[i])) blockStart = i + 1;
            continue;
        }
        const indent = def[1].length;
        let end = i + 1;
        // The signature may span lines; the body ends at the next line indented no deeper than `def`.
        while (end < lines.length && !/\)\s*(->[^:]*)?:\s*$/.test(lines[end - 1])) end++;
        while (end < lines.length && (lines[end].trim() === "" || lines[end].search(/\S/) > indent)) end++;
        const decoratorStart = lines.slice(blockStart, i).findIndex((l) => l.trim().startsWith("@"));
        const decorators = decoratorStart < 0 ? "" : lines.slice(blockStart + decoratorStart, i).join("\n");
        if (def[2].startsWith("test_")) tests.push({ name: def[2], decorators, body: lines.slice(i + 1, end).join("\n") });
        blockStart = end;
        i = end - 1;
    }
    return tests;
}

/** Every `@pytest.mark.parametrize(...)` of a decorator block. */
export function parametrizes(decorators: string): Parametrize[] {
    const out: Parametrize[] = [];
    for (let at = decorators.indexOf("parametrize("); at >= 0; at = decorators.indexOf("parametrize(", at + 1)) {
        const open = at + "parametrize".length;
        const args = splitTopLevel(decorators.slice(open + 1, matching(decorators, open)));
        const names = pythonString(args[0] ?? "")
            ?.split(",")
            .map((n) => n.trim());
        const list = args[1]?.trim() ?? "";
        if (!names || !list.startsWith("[")) continue;
        const raw = splitTopLevel(list.slice(1, -1));
        const idsArg = args.find((a) => /^\s*ids\s*=/.test(a));
        const ids = idsArg ? splitTopLevel(idsArg.replace(/^\s*ids\s*=\s*\[/, "").replace(/\]\s*$/, "")).map((s) => pythonString(s)) : [];
        const values = raw.map((v, i) => {
            const param = /^pytest\.param\(([\s\S]*)\)$/.exec(v);
            if (!param) return v;
            const parts = splitTopLevel(param[1]);
            const id = parts.find((p) => /^\s*id\s*=/.test(p));
            if (id) ids[i] = pythonString(id.replace(/^\s*id\s*=\s*/, ""));
            return parts.filter((p) => !/^\s*\w+\s*=/.test(p)).join(",");
        });
        out.push({ names, values, ids: values.map((_, i) => ids[i]) });
    }
    return out;
}

/** The index of the bracket closing the one at `open`, skipping strings. */
function matching(text: string, open: number): number {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") i = stringEnd(text, i);
        else if ("([{".includes(c)) depth++;
        else if (")]}".includes(c) && --depth === 0) return i;
    }
    return text.length;
}

function stringEnd(text: string, start: number): number {
    const quote = text.startsWith(text[start].repeat(3), start) ? text[start].repeat(3) : text[start];
    let i = start + quote.length;
    while (i < text.length && !text.startsWith(quote, i)) i += text[i] === "\\" ? 2 : 1;
    return i + quote.length - 1;
}

/** Splits at commas outside brackets and strings; drops comments and empty trailing items. */
export function splitTopLevel(text: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let current = "";
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") {
            const end = stringEnd(text, i);
            current += text.slice(i, end + 1);
            i = end;
        } else if (c === "#") {
            while (i < text.length && text[i] !== "\n") i++;
        } else if (c === "," && depth === 0) {
            parts.push(current);
            current = "";
        } else {
            if ("([{".includes(c)) depth++;
            if (")]}".includes(c)) depth--;
            current += c;
        }
    }
    parts.push(current);
    return parts.map((p) => p.trim()).filter(Boolean);
}

/** The value of a plain Python string literal (implicit concatenation included), or undefined. */
export function pythonString(text: string): string | undefined {
    const parts = text.trim().match(/^(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')(?:\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))*$/);
    if (!parts) return undefined;
    return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)].map((m) => (m[1] ?? m[2]).replace(/\\(["'\\])/g, "$1")).join("");
}

/** The value of a Python literal (dicts, lists, strings, numbers, `None`/`True`/`False`), or undefined. */
export function pythonLiteral(text: string, parse: (json5: string) => unknown): { value: unknown } | undefined {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        if (text[i] === '"' || text[i] === "'") {
            const end = stringEnd(text, i);
            if (end - i >= 5 && text.startsWith(text[i].repeat(3), i)) return undefined;
            out += text.slice(i, end + 1);
            i = end;
        } else out += text[i];
    }
    const json = out.replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\b(None|True|False)\b/g, (m, str: string | undefined, word: string) =>
        str ? m : { None: "null", True: "true", False: "false" }[word as "None"],
    );
    if (/^\s*\(/.test(json) || /\b[A-Za-z_]\w*\s*[.(]/.test(json.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'))) return undefined;
    try {
        return { value: parse(json) };
    } catch {
        return undefined;
    }
}
