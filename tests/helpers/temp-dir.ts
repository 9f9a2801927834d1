import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A folder of scratch files for one `describe`: made before its tests, removed after them. */
export interface TempDir {
    /** The folder's path (set once the `before` hook has run). */
    readonly dir: string;
    /** Writes `content` (a string as it is, anything else as JSON) to `name` in the folder; returns its path. */
    write(name: string, content: unknown): string;
}

/** Registers the hooks of a `TempDir` named `<prefix>…`; call it inside a `describe`, before hooks that write to it. */
export function useTempDir(prefix: string): TempDir {
    let dir = "";
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    return {
        get dir() {
            return dir;
        },
        write(name, content) {
            const file = path.join(dir, name);
            fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
            return file;
        },
    };
}
