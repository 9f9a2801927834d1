/**
 * The registry of APIs: every API a workflow of `deploy/workflows/catalogue.ts` calls or a collection
 * source reads, by name. Config validation (accepted auth types, extra keys, default base URLs), the
 * catalogue (a workflow's APIs are names of this record) and the local sandbox's set of APIs derive
 * from it. Adding an API is a folder `deploy/apis/<api>/` with its `index.ts` (exporting its `ApiSpec`)
 * and contract: the registry finds the folder, so no list here has to name it.
 *
 * Why discovered rather than listed: a list made adding an API touch one more file (issue 17's
 * recipe budget), and the literal union of names it gave only typed what `tests/registry.test.ts`
 * and `deploy/workflows/catalogue.ts` check anyway when the program loads (a workflow calling an API
 * with no folder throws there, before any resource is declared).
 */
import * as fs from "fs";
import * as path from "path";
import type { ApiSpec } from "./spec";

export type { ApiProblems, ApiSpec } from "./spec";

/** One of the registry's API names (a folder of `deploy/apis/`). */
export type ApiName = string;

const isSpec = (value: unknown): value is ApiSpec =>
    typeof value === "object" && value !== null && typeof (value as ApiSpec).name === "string" && Array.isArray((value as ApiSpec).authTypes);

/** The spec each folder of `dir` exports: the one export whose `name` is the folder's. */
function discover(dir: string): Record<ApiName, ApiSpec> {
    const folders = fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    return Object.fromEntries(
        folders.map((name) => {
            if (!["index.ts", "index.js"].some((file) => fs.existsSync(path.join(dir, name, file))))
                throw new Error(`\`deploy/apis/${name}/\` has no \`index.ts\`: export the API's \`ApiSpec\` from it (see \`deploy/apis/inventory/index.ts\`).`);
            // A folder is an API: loaded by name, so adding one edits no list.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exported = Object.values(require(path.join(dir, name)) as Record<string, unknown>).filter((v) => isSpec(v) && v.name === name);
            if (exported.length !== 1)
                throw new Error(
                    `\`deploy/apis/${name}/index.ts\` must export exactly one \`ApiSpec\` with \`name: "${name}"\` (it exports ${exported.length}).`,
                );
            return [name, exported[0] as ApiSpec];
        }),
    );
}

/** Every API, by name (the folders of `deploy/apis/`, sorted). */
export const APIS: Readonly<Record<ApiName, ApiSpec>> = discover(__dirname);

/** The registry's entry for `name`; `undefined` for an API only config names (a collection source's own). */
export function apiSpecOf(name: string): ApiSpec | undefined {
    return Object.hasOwn(APIS, name) ? APIS[name] : undefined;
}
