import { describe, expect, it } from 'vitest';
import { tabwrite } from './tabwriter';

const describeOpts = { minwidth: 0, padding: 2 };

describe('tabwrite (Go text/tabwriter)', () => {
  it('aligns a column over the lines that have it and leaves the last cell unpadded', () => {
    const text = 'Name:\tweb\nLabels:\tapp=web\n\ttier=db\nPort:\t<unset>\t80/TCP\nInternal Traffic Policy:\tCluster\n';
    expect(tabwrite(text, describeOpts)).toBe(
      'Name:                     web\n' +
        'Labels:                   app=web\n' +
        '                          tier=db\n' +
        'Port:                     <unset>  80/TCP\n' +
        'Internal Traffic Policy:  Cluster\n',
    );
  });
  it('a line without tabs ends a column block', () => {
    expect(tabwrite('a:\t1\nIPs:\n  IP:\t10.0.0.1\nlonger key:\t2\n', describeOpts)).toBe('a:  1\nIPs:\n  IP:        10.0.0.1\nlonger key:  2\n');
  });
});
