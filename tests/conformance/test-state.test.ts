/**
 * The TestState family of the AWS-recorded conformance suite: every vendored request
 * (`tests/conformance/data/test_state.json`, made by `tools/conformance/test-state.ts`) run by
 * the local TestState and compared with what AWS answered: status, nextState, output, error,
 * cause and every inspectionData field, or the refusal's code and message. Values the snapshot
 * transformers replaced (`<resource:1>`, `date`, the account) match anything. What this cannot
 * prove: what AWS answers for requests nobody recorded.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestStateCommandInput } from "@aws-sdk/client-sfn";
import { TestStateRefusal } from "../../tools/test-state/api";
import { RecordingEmulator, RecordingOutbox, TaskRecorder } from "../../tools/test-state/record";
import { runTestState } from "../../tools/test-state/run";

interface Case {
    readonly id: string;
    readonly request: TestStateCommandInput;
    readonly response?: Record<string, unknown>;
    readonly refusal?: Record<string, unknown>;
}

const DATA = JSON.parse(fs.readFileSync(path.join(__dirname, "data", "test_state.json"), "utf8")) as { cases: Case[] };

/** Cases the local TestState still answers differently, each with the reason (none today: the context object is TestState's own, see tools/test-state/run.ts). */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {};

/** The snapshot library's view of an answer: JSON texts that start with `{` are parsed, others stay text. */
function asRecorded(value: unknown): unknown {
    if (typeof value === "string" && value.startsWith("{")) {
        try {
            return asRecorded(JSON.parse(value));
        } catch {
            return value;
        }
    }
    if (Array.isArray(value)) return value.map(asRecorded);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asRecorded(v)]));
    return value;
}

const PLACEHOLDER = /<[\w:-]+>|\b111111111111\b/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function sameText(recorded: string, actual: string): boolean {
    if (recorded === actual || ((recorded === "date" || recorded === "start-date") && actual !== "")) return true;
    const parts = recorded.split(PLACEHOLDER);
    if (parts.length > 1 && new RegExp(`^${parts.map(escape).join(".+")}$`).test(actual)) return true;
    // AWS echoes a mock's own JSON text (its spacing); the local answer re-serialises it.
    try {
        return JSON.stringify(JSON.parse(recorded)) === JSON.stringify(JSON.parse(actual));
    } catch {
        return false;
    }
}

/** The differences between the recorded `expected` and `actual`, as `path: recorded ≠ local` lines. */
export function differences(expected: unknown, actual: unknown, at = "$"): string[] {
    if (typeof expected === "string" && typeof actual === "string") return sameText(expected, actual) ? [] : [`${at}: ${expected} ≠ ${actual}`];
    if (
        typeof expected === "object" &&
        expected !== null &&
        typeof actual === "object" &&
        actual !== null &&
        Array.isArray(expected) === Array.isArray(actual)
    ) {
        const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
        return [...keys].flatMap((k) => differences((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${at}.${k}`));
    }
    return expected === actual ? [] : [`${at}: ${JSON.stringify(expected)} ≠ ${JSON.stringify(actual)}`];
}

/** What the local TestState answers `request` with, as the snapshot recorded AWS's answers. */
async function answer(request: TestStateCommandInput): Promise<{ response?: unknown; refusal?: { code: string; message: string } }> {
    const recorder = new TaskRecorder();
    const http = new RecordingEmulator({ connections: new Map(), region: "us-east-1" }, recorder);
    try {
        return { response: asRecorded(await runTestState(request, { http, outbox: new RecordingOutbox(recorder) }, recorder)) };
    } catch (e) {
        if (e instanceof TestStateRefusal) return { refusal: { code: e.code, message: e.message } };
        throw e;
    }
}

/** The recorded refusal as code and message (two snapshot shapes: the response, or the exception's text). */
function refusalOf(recorded: Record<string, unknown>): { code: string; message: string } {
    if ("Error" in recorded) {
        const error = recorded.Error as { Code: string; Message: string };
        return { code: error.Code, message: error.Message };
    }
    const text = String(recorded.exception_value);
    return { code: String(recorded.exception_typename), message: text.slice(text.indexOf(": ") + 2) };
}

async function differencesOf(c: Case): Promise<string[]> {
    const local = await answer(c.request);
    return c.refusal ? differences(refusalOf(c.refusal), local.refusal ?? local.response) : differences(c.response, local.response ?? local.refusal);
}

describe("conformance: TestState answers as AWS recorded them (test_state)", () => {
    it("has the vendored cases, each with a recorded answer", () => {
        assert.ok(DATA.cases.length >= 100, `only ${DATA.cases.length} cases`);
        for (const c of DATA.cases) assert.ok(c.response ?? c.refusal, c.id);
        for (const id of Object.keys(KNOWN_DIFFERENCES))
            assert.ok(
                DATA.cases.some((c) => c.id === id),
                `no vendored case \`${id}\``,
            );
    });

    it("ignores only what the snapshot replaced", () => {
        assert.deepEqual(
            differences(
                { Id: "arn:<partition>:states:<region>:111111111111:express:<resource:3>:<resource:1>" },
                { Id: "arn:aws:states:us-east-1:123456789012:express:m:e" },
            ),
            [],
        );
        assert.equal(differences({ a: "x" }, { a: "y" }).length, 1);
        assert.equal(differences({ a: 1 }, {}).length, 1);
        assert.equal(differences({}, { extra: "field" }).length, 1);
    });

    for (const c of DATA.cases) {
        const known = KNOWN_DIFFERENCES[c.id];
        it(`${known ? "(known difference) " : ""}${c.id}`, async () => {
            const found = await differencesOf(c);
            if (known) assert.ok(found.length > 0, `now answers as AWS recorded: remove it from KNOWN_DIFFERENCES (${known})`);
            else assert.deepEqual(found, []);
        });
    }
});
