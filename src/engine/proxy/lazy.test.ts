import { describe, expect, it } from 'vitest';
import { addLazy } from './lazy';

interface D {
  name: string;
  eps: number[];
  other: number[];
  last: boolean;
}

function make(compute: (() => number[]) | null): D {
  const d = { name: 'x' } as D;
  addLazy(d, 'eps', compute, []);
  addLazy(d, 'other', null, [9]);
  d.last = true;
  return d;
}

describe('addLazy', () => {
  it('computes once, on first read, then keeps a plain value', () => {
    let calls = 0;
    const d = make(() => {
      calls++;
      return [1, 2];
    });
    expect(calls).toBe(0);
    expect(d.eps).toEqual([1, 2]);
    expect(d.eps).toBe(d.eps);
    expect(calls).toBe(1);
    expect(Object.getOwnPropertyDescriptor(d, 'eps')).toMatchObject({ value: [1, 2], writable: true, enumerable: true });
  });
  it('enumerates like a plain object with the keys in order, the slot hidden', () => {
    const d = make(() => [3]);
    expect(Object.keys(d)).toEqual(['name', 'eps', 'other', 'last']);
    expect(JSON.stringify(d)).toBe('{"name":"x","eps":[3],"other":[9],"last":true}');
    expect(d).toEqual({ name: 'x', eps: [3], other: [9], last: true });
    expect({ ...make(() => [4]) }).toEqual({ name: 'x', eps: [4], other: [9], last: true });
  });
  it('null compute is the plain value', () => {
    expect(make(null).eps).toEqual([]);
  });
  it('an assignment before any read replaces the computation', () => {
    let calls = 0;
    const d = make(() => {
      calls++;
      return [1];
    });
    d.eps = [7];
    expect(d.eps).toEqual([7]);
    expect(calls).toBe(0);
  });
  it('each object computes its own value (the accessor is shared)', () => {
    const a = make(() => [1]);
    const b = make(() => [2]);
    expect([b.eps, a.eps]).toEqual([[2], [1]]);
  });
});
