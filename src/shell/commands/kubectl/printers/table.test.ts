import { describe, expect, it } from 'vitest';
import { formatTable } from './table';

describe('formatTable (tabwriter, padding 3)', () => {
  it('pads every column but the last to the widest cell plus 3', () => {
    const out = formatTable([
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '4d21h'],
    ]);
    expect(out).toBe(
      'NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n' +
        'kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   4d21h\n',
    );
  });
  it('honours the minimum cell width of 6', () => {
    expect(formatTable([['A', 'B'], ['x', 'y']])).toBe('A     B\nx     y\n');
  });
});
