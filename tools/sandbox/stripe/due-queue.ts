/**
 * A min-heap of things that fall due at a time (an authorization's `capture_before`, a refund's
 * settlement), so that "what is due now?" costs O(log n) per due item instead of a walk over every
 * object the account holds: the sandbox asks before every request, and a bench makes thousands.
 */

interface Entry<T> {
    readonly at: number;
    /** Insertion order: due items come out in the order they were added, as a walk over a `Map` would visit them. */
    readonly seq: number;
    readonly item: T;
}

/** Items ordered by the time they fall due. */
export class DueQueue<T> {
    private readonly heap: Entry<T>[] = [];
    private added = 0;

    /** The number of items not yet taken. */
    get size(): number {
        return this.heap.length;
    }

    /** Adds `item`, due at `at`; `seq` is its place among items due at once (default: the order of adding). */
    add(at: number, item: T, seq = this.added): void {
        this.added++;
        this.heap.push({ at, seq, item });
        this.up(this.heap.length - 1);
    }

    /** Takes every item due at or before `now`, ordered by `seq` (not by due time), so callers act in the order a full walk would. */
    takeDue(now: number): T[] {
        const due: Entry<T>[] = [];
        while (this.heap.length > 0 && this.heap[0].at <= now) due.push(this.pop());
        return due.sort((a, b) => a.seq - b.seq).map((e) => e.item);
    }

    private before(a: Entry<T>, b: Entry<T>): boolean {
        return a.at < b.at || (a.at === b.at && a.seq < b.seq);
    }

    private pop(): Entry<T> {
        const top = this.heap[0];
        const last = this.heap.pop()!;
        if (this.heap.length > 0) {
            this.heap[0] = last;
            this.down(0);
        }
        return top;
    }

    private up(i: number): void {
        const h = this.heap;
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (!this.before(h[i], h[parent])) return;
            [h[i], h[parent]] = [h[parent], h[i]];
            i = parent;
        }
    }

    private down(i: number): void {
        const h = this.heap;
        for (;;) {
            const [l, r] = [2 * i + 1, 2 * i + 2];
            let least = i;
            if (l < h.length && this.before(h[l], h[least])) least = l;
            if (r < h.length && this.before(h[r], h[least])) least = r;
            if (least === i) return;
            [h[i], h[least]] = [h[least], h[i]];
            i = least;
        }
    }
}
