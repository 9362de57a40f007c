import { describe, expect, it } from 'vitest';
import { groupLines, needsMoreInput } from './continuation';

describe('needsMoreInput (bash PS2)', () => {
  it.each([
    ["cat > web.yaml <<'EOF'", true],
    ["cat > web.yaml <<'EOF'\napiVersion: v1", true],
    ["cat > web.yaml <<'EOF'\napiVersion: v1\nEOF", false],
    ['cat <<-END\n\tx\n\tEND', false],
    ["echo 'unclosed", true],
    ['echo "unclosed', true],
    ['for i in 1 2; do', true],
    ['for i in 1 2; do\necho $i\ndone', false],
    ['if true; then', true],
    ['kubectl get pods \\', true],
    ['kubectl get pods', false],
    ['echo "<<EOF"', false],
    ['cat <<< "here-string"', false],
    ['echo )', false],
  ])('%j → %s', (text, more) => {
    expect(needsMoreInput(text)).toBe(more);
  });
});

describe('groupLines', () => {
  it('keeps a here-document with its body and leaves other lines alone', () => {
    expect(groupLines(['kubectl get pods', "cat > a.yaml <<'EOF'", 'kind: Pod', 'EOF', 'cat a.yaml'])).toEqual([
      'kubectl get pods',
      "cat > a.yaml <<'EOF'\nkind: Pod\nEOF",
      'cat a.yaml',
    ]);
  });
  it('hands over an input that never completes as it is (bash reports the error)', () => {
    expect(groupLines(["echo 'x"])).toEqual(["echo 'x"]);
  });
});
