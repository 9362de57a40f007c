import { describe, expect, it } from 'vitest';
import { applyCompletion, commonPrefix, formatMatches, parseLine } from './completion';

describe('parseLine', () => {
  it('splits the current simple command, honouring quotes, escapes and |;&', () => {
    expect(parseLine('kubectl get po', 14)).toMatchObject({ words: ['kubectl', 'get'], current: 'po', start: 12 });
    expect(parseLine('kubectl get pods | grep w', 25)).toMatchObject({ words: ['grep'], current: 'w' });
    expect(parseLine('echo "a b" c\\ d ', 16)).toMatchObject({ words: ['echo', 'a b', 'c d'], current: '', start: 16 });
    expect(parseLine("cat 'my fi", 10)).toMatchObject({ words: ['cat'], current: 'my fi', quote: "'" });
    expect(parseLine('x=$(kubectl g', 13)).toMatchObject({ words: ['kubectl'], current: 'g' });
    expect(parseLine('kubectl get pods > out', 22)).toMatchObject({ words: ['kubectl', 'get', 'pods'], current: 'out', redirect: true });
  });
});

describe('applyCompletion', () => {
  const at = (line: string) => [line, line.length, parseLine(line, line.length)] as const;
  it('completes a single match and adds a space, or the common prefix of several', () => {
    expect(applyCompletion(...at('kubectl get po'), ['pods', 'services'])).toMatchObject({ line: 'kubectl get pods ', matches: [] });
    expect(applyCompletion(...at('kubectl get pods w'), ['web-1', 'web-2', 'client'])).toMatchObject({ line: 'kubectl get pods web-', matches: ['web-1', 'web-2'] });
    expect(applyCompletion(...at('cat man'), ['manifests/'])).toMatchObject({ line: 'cat manifests/' });
    expect(applyCompletion(...at('kubectl get -o j'), ['json', 'jsonpath='])).toMatchObject({ line: 'kubectl get -o json' });
    expect(applyCompletion(...at('nothing'), ['other']).matches).toEqual([]);
  });
  it('escapes or closes quotes the way bash does', () => {
    expect(applyCompletion(...at('cat my'), ['my file.yaml']).line).toBe('cat my\\ file.yaml ');
    expect(applyCompletion(...at("cat 'my"), ['my file.yaml']).line).toBe("cat 'my file.yaml' ");
  });
});

describe('helpers', () => {
  it('commonPrefix and a bash-like column listing', () => {
    expect(commonPrefix(['web-1', 'web-2', 'web'])).toBe('web');
    expect(formatMatches(['a', 'bb', 'ccc', 'd'], 12)).toBe('a    ccc\nbb   d\n');
    expect(formatMatches(['manifests/web.yaml', 'manifests/db/'], 80, true)).toBe('web.yaml  db/\n');
  });
});
