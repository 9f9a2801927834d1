/**
 * Just enough JSON5 for LocalStack's state machine templates (comments, trailing commas, unquoted
 * keys, single-quoted strings), so the import needs no extra dependency. Anything else makes
 * `JSON.parse` throw, and the import reports the template instead of guessing.
 */

/** Parses a JSON5 text into a value. */
export function parseJson5(text: string): unknown {
    let out = "";
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === '"' || c === "'") {
            const [literal, end] = readString(text, i);
            out += JSON.stringify(literal);
            i = end;
        } else if (c === "/" && text[i + 1] === "/") {
            while (i < text.length && text[i] !== "\n") i++;
        } else if (c === "/" && text[i + 1] === "*") {
            const end = text.indexOf("*/", i + 2);
            i = end < 0 ? text.length : end + 2;
        } else if (/[A-Za-z_$]/.test(c) && /[{,]\s*$/.test(out)) {
            // An unquoted key: an identifier right after `{` or `,` and before `:` (after `,` in a list, `null`/`true`/`false` are values).
            let j = i;
            while (j < text.length && /[\w$]/.test(text[j])) j++;
            const word = text.slice(i, j);
            out += /^\s*:/.test(text.slice(j)) ? JSON.stringify(word) : word;
            i = j;
        } else {
            out += c;
            i++;
        }
    }
    return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

/** Reads a quoted string starting at `start`; returns its value and the index after it. */
function readString(text: string, start: number): [string, number] {
    const quote = text[start];
    let value = "";
    let i = start + 1;
    while (i < text.length && text[i] !== quote) {
        if (text[i] === "\\") {
            const next = text[i + 1];
            if (next === "\n") i += 2;
            else if (next === "'" || next === '"') {
                value += next;
                i += 2;
            } else if (next === "u") {
                value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
                i += 6;
            } else {
                value += JSON.parse(`"\\${next}"`);
                i += 2;
            }
        } else value += text[i++];
    }
    return [value, i + 1];
}
