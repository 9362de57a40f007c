// Patches checked against the RFCs' own examples (RFC 7386 appendix A, RFC 6902 appendix A)
// and strategic-merge list semantics (k8s.io/apimachinery/pkg/util/strategicpatch).
import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, PatchError, strategicMerge, threeWayMerge } from './patch';

describe('JSON merge patch (RFC 7386 appendix A)', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('%j + %j', (target, patch, result) => expect(mergePatch(target, patch)).toEqual(result));
});

describe('JSON patch (RFC 6902 appendix A)', () => {
  it('A.1 add an object member', () => expect(jsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ baz: 'qux', foo: 'bar' }));
  it('A.2 add an array element', () => expect(jsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] }));
  it('A.3 remove an object member', () => expect(jsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' }));
  it('A.4 remove an array element', () => expect(jsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] }));
  it('A.5 replace a value', () => expect(jsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({ baz: 'boo', foo: 'bar' }));
  it('A.6 move a value', () =>
    expect(jsonPatch({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({ foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }));
  it('A.7 move an array element', () => expect(jsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({ foo: ['all', 'cows', 'eat', 'grass'] }));
  it('A.8/A.9 test', () => {
    expect(jsonPatch({ baz: 'qux', foo: ['a', 2, 'c'] }, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }])).toEqual({ baz: 'qux', foo: ['a', 2, 'c'] });
    expect(() => jsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }])).toThrow(PatchError);
  });
  it('A.10 add a nested member object', () => expect(jsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }])).toEqual({ foo: 'bar', child: { grandchild: {} } }));
  it('A.12 adding to a nonexistent target fails', () => expect(() => jsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }])).toThrow(PatchError));
  it('A.14 ~ escaping', () => expect(jsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }])).toEqual({ '/': 9, '~1': 10 }));
  it('A.16 add an array value with -', () => expect(jsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }])).toEqual({ foo: ['bar', ['abc', 'def']] }));
  it('does not change its input', () => {
    const doc = { a: [1] };
    jsonPatch(doc, [{ op: 'add', path: '/a/-', value: 2 }]);
    expect(doc).toEqual({ a: [1] });
  });
});

describe('strategic merge patch', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'nginx:1.27', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'busybox' }] } };
  it('merges containers by name (kubectl set image / patch)', () => {
    expect(strategicMerge(pod, { spec: { containers: [{ name: 'a', image: 'nginx:1.28' }] } })).toEqual({
      spec: { containers: [{ name: 'a', image: 'nginx:1.28', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'busybox' }] },
    });
  });
  it('appends a container with a new name and deletes one with $patch: delete', () => {
    const out = strategicMerge(pod, { spec: { containers: [{ name: 'c', image: 'x' }, { name: 'b', $patch: 'delete' }] } }) as typeof pod;
    expect(out.spec.containers.map((c) => c.name)).toEqual(['a', 'c']);
  });
  it('merges Service ports by port and container ports by containerPort', () => {
    expect(strategicMerge({ spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } }, { spec: { ports: [{ port: 80, targetPort: 9090 }] } })).toEqual({ spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } });
  });
  it('replaces lists without a merge key (args) and removes keys set to null', () => {
    expect(strategicMerge({ args: ['a', 'b'], x: 1 }, { args: ['c'], x: null })).toEqual({ args: ['c'] });
  });
});

describe('kubectl apply three-way merge', () => {
  it('drops what the last apply set and this one omits, keeps what others added', () => {
    const live = { metadata: { labels: { app: 'web', team: 'a', added: 'by-kubectl-label' } }, spec: { replicas: 5 } };
    const last = { metadata: { labels: { app: 'web', team: 'a' } }, spec: { replicas: 3 } };
    const next = { metadata: { labels: { app: 'web' } }, spec: { replicas: 3 } };
    expect(threeWayMerge(live, last, next)).toEqual({ metadata: { labels: { app: 'web', added: 'by-kubectl-label' } }, spec: { replicas: 3 } });
  });
});
