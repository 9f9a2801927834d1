/**
 * Reading a LocalStack checkout: a work tree on disk, or a bare git directory read with `git show`
 * (so the import needs no checkout of a 1 GB repository). Both answer with paths relative to the
 * repository root, `/`-separated.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The files of a LocalStack checkout, read-only. */
export interface CheckoutReader {
    /** The files under `dir` (recursively), as repository-relative paths, sorted. */
    list(dir: string): string[];
    /** The text of one file; throws when it does not exist. */
    read(file: string): string;
}

/** A checkout on disk (`git clone https://github.com/localstack/localstack`). */
export function workTreeReader(root: string): CheckoutReader {
    const walk = (dir: string): string[] =>
        fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
            const rel = `${dir}/${entry.name}`;
            return entry.isDirectory() ? walk(rel) : [rel];
        });
    return {
        list: (dir) => walk(dir.replace(/\/$/, "")).sort(),
        read: (file) => fs.readFileSync(path.join(root, file), "utf8"),
    };
}

/** A bare git directory (or any git directory), read at `commit` without a work tree. */
export function gitReader(gitDir: string, commit = "HEAD"): CheckoutReader {
    const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return {
        list: (dir) => git("ls-tree", "-r", "--name-only", commit, "--", dir.replace(/\/$/, "")).split("\n").filter(Boolean).sort(),
        read: (file) => git("show", `${commit}:${file}`),
    };
}

/** The commit a git directory is at, so the NOTICE and the data name what they were made from. */
export function gitCommit(gitDir: string, commit = "HEAD"): string {
    return execFileSync("git", ["--git-dir", gitDir, "rev-parse", commit], { encoding: "utf8" }).trim();
}
