/**
 * The vendored conformance data (see NOTICE) and the runner they run on: a LocalRunner with an
 * HTTP Task emulator that knows no connection and an empty outbox, since no vendored case calls a
 * service (cases that need one were left out by the import), and Wait states that take 0 ms.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FAMILIES } from "../../tools/conformance/families";
import type { FamilyData } from "../../tools/conformance/import";
import { HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { Outbox } from "../../tools/emulator/sns";
import { ExecutionResult, LocalRunner } from "../../tools/local/runner";

/** The data directory of the suite. */
export const DATA_DIR = path.join(__dirname, "data");

/** Every execution family's data, in the import's order (test_state.json is the TestState suite's own). */
export function families(): FamilyData[] {
    return Object.keys(FAMILIES).map((family) => JSON.parse(fs.readFileSync(path.join(DATA_DIR, `${family}.json`), "utf8")) as FamilyData);
}

/** The cases listed as failing today, id → one-line reason. */
export function expectedFailures(): Record<string, string> {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "expected-failures.json"), "utf8")) as Record<string, string>;
}

/** Runs one definition to its end; a definition the runner refuses (or a run that throws) is reported as refused. */
export async function runCase(definition: unknown, input: unknown): Promise<ExecutionResult | { refused: string }> {
    try {
        const runner = new LocalRunner(definition, {
            http: new HttpTaskEmulator({ connections: new Map(), region: "us-east-1" }),
            outbox: new Outbox(),
            trace: true,
            waitMs: () => 0,
        });
        return await runner.run(input);
    } catch (e) {
        return { refused: (e as Error).message };
    }
}
