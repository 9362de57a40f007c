/**
 * Own properties computed on first read: a proxier's per-port descriptions carry their
 * endpoints this way (for the Trace; most syncs never read them).
 *
 * A property added with Object.defineProperty and a fresh getter per object, or an
 * existing data property turned into an accessor, puts the object into dictionary mode
 * (~1 KB a description, 10,000 of them at the scale explorer's 10k point, all surviving
 * to the old generation). Here every object shares one getter and setter per key, kept
 * on the object in a non-enumerable slot, so descriptions keep one hidden class.
 */

const accessors = new Map<string, PropertyDescriptor>();
const slots = new Map<string, symbol>();

function slotOf(key: string): symbol {
  let s = slots.get(key);
  if (s === undefined) slots.set(key, (s = Symbol(`lazy ${key}`)));
  return s;
}

function accessorOf(key: string): PropertyDescriptor {
  let d = accessors.get(key);
  if (d === undefined) {
    const slot = slotOf(key);
    const settle = (obj: object, value: unknown): void => {
      Object.defineProperty(obj, key, { value, configurable: true, enumerable: true, writable: true });
    };
    d = {
      configurable: true,
      enumerable: true,
      get(this: Record<symbol, () => unknown>) {
        const value = this[slot]!();
        settle(this, value);
        return value;
      },
      set(this: object, value: unknown) {
        settle(this, value);
      },
    };
    accessors.set(key, d);
  }
  return d;
}

/**
 * Add `key` to `obj` (which must not have it yet: call in the order the keys should
 * enumerate): computed by `compute` on first read, then a plain writable value; an
 * assignment first replaces it. With `compute` null it is simply `value`.
 */
export function addLazy<O extends object, K extends keyof O & string>(obj: O, key: K, compute: (() => O[K]) | null, value: O[K]): void {
  if (compute === null) {
    obj[key] = value;
    return;
  }
  Object.defineProperty(obj, slotOf(key), { value: compute, configurable: true, enumerable: false, writable: true });
  Object.defineProperty(obj, key, accessorOf(key));
}
