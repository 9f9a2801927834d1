/**
 * Keeps the collect bench's shared costs steady and equal for the engine and the direct fetch: where
 * the pages are stored, and no garbage or unwritten pages carried from one measured window into the next.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as v8 from "v8";
import * as vm from "vm";

/** A full garbage collection, without `node --expose-gc` (the flag only takes effect for functions made after it is set). */
export function fullGc(): () => void {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
}

/**
 * Leaves no debt from one measured window to the next: the garbage the previous side made is collected and the
 * pages it wrote are flushed to disk (`sync`, where there is one), outside both windows. Otherwise each side pays
 * part of the other's collection and writeback, and which side pays how much varies from run to run.
 */
export function settle(gc: () => void): void {
    gc();
    try {
        execFileSync("sync", { stdio: "ignore" });
    } catch {
        // No `sync` (not POSIX): the writeback then falls wherever the OS puts it, as before.
    }
}

/**
 * Where the bench's store goes: a memory file system (`/dev/shm`, Linux) when there is one, else the temp folder.
 * Both sides write every page through the same `writeFile` of `LocalObjectStore` (`putObject`, `write`); on a disk those synchronous writes
 * were the largest single cost in a CPU profile of the bench (2.5 s of 4 runs a side, 0.4–0.65 ms a write, journal
 * and writeback shared with every other process) and varied from run to run; in memory they are small and steady. Pages are still stored, one file each.
 */
export function storeParent(): string {
    const shm = "/dev/shm";
    try {
        fs.accessSync(shm, fs.constants.W_OK);
        return fs.statSync(shm).isDirectory() ? shm : os.tmpdir();
    } catch {
        return os.tmpdir();
    }
}
