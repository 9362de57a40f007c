// kubectl edit with an editor attached (the lab page's): the texts are editoptions.go's
// (k8s.io/kubectl/pkg/cmd/util/editor): the header, "Edit cancelled, no changes made.", the
// "<resource> "<name>" was not valid" reasons and the reopen-or-give-up loop.
import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../engine';
import { createSession } from '../../session';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`;

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** A session whose editor answers with each function in turn and records what it was shown. */
function withEditor(...answers: ((text: string) => string | null)[]) {
  const cluster = createCluster({ seed: 1, manifests: SERVICE });
  const shown: { path: string; text: string }[] = [];
  const session = createSession({
    cluster,
    editor: async (file) => {
      shown.push(file);
      const answer = answers.shift();
      if (!answer) throw new Error('the editor was opened more often than expected');
      return answer(file.text);
    },
  });
  return { cluster, session, shown };
}

describe('kubectl edit with an editor', () => {
  it('opens the live object under kubectl header; closing unsaved cancels', async () => {
    const { session, shown } = withEditor(() => null);
    const r = await session.run('kubectl edit svc web');
    expect(shown).toHaveLength(1);
    expect(shown[0]!.path).toMatch(/^\/tmp\/kubectl-edit-\d{10}\.yaml$/);
    expect(shown[0]!.text.startsWith(HEADER + 'apiVersion: v1\nkind: Service\nmetadata:\n')).toBe(true);
    expect(shown[0]!.text).toMatch(/^  clusterIP: 10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/m);
    expect(r).toEqual({ stdout: '', stderr: 'Edit cancelled, no changes made.\n', exitCode: 0 });
    // Saving the file as it was is the same as not saving.
    const again = withEditor((t) => t);
    expect((await again.session.run('kubectl edit service/web')).stderr).toBe('Edit cancelled, no changes made.\n');
  });

  it('applies a saved change and prints "<kind>/<name> edited"', async () => {
    const { session, cluster } = withEditor((t) => t.replace('  - port: 80\n', '  - port: 8080\n'));
    const r = await session.run('kubectl edit svc web');
    expect(r).toEqual({ stdout: 'service/web edited\n', stderr: '', exitCode: 0 });
    const svc = cluster.get('Service', 'default', 'web');
    expect(svc.ok && (svc.value as unknown as { spec: { ports: { port: number }[] } }).spec.ports[0]!.port).toBe(8080);
    // The temp file goes away after a successful edit.
    expect((await session.run('ls /tmp')).stdout).toBe('');
  });

  it('reopens an invalid edit with the reasons in the header; saving it unchanged gives up', async () => {
    const { session, shown, cluster } = withEditor((t) => t.replace('  - port: 80\n', '  - port: 70000\n'), (t) => t);
    const r = await session.run('kubectl edit svc web');
    expect(shown).toHaveLength(2);
    const reopened = shown[1]!.text;
    expect(reopened.startsWith(HEADER + '# services "web" was not valid:\n# * spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n#\napiVersion: v1\n')).toBe(true);
    expect(reopened).toContain('  - port: 70000\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `error: services "web" is invalid\nA copy of your changes has been stored to "${shown[0]!.path}"\nerror: Edit cancelled, no valid changes were saved.\n`,
    );
    // The copy is really there, and the Service kept its port.
    expect((await session.run(`grep -c 'port: 70000' ${shown[0]!.path}`)).stdout).toBe('1\n');
    const svc = cluster.get('Service', 'default', 'web');
    expect(svc.ok && (svc.value as unknown as { spec: { ports: { port: number }[] } }).spec.ports[0]!.port).toBe(80);
  });

  it('a syntax error reopens the file; a fixed second save is applied', async () => {
    const { session, shown } = withEditor(
      (t) => t.replace('kind: Service\n', 'kind: Service\n oops: [\n'),
      (t) => t.replace(' oops: [\n', '').replace('  - port: 80\n', '  - port: 81\n'),
    );
    const r = await session.run('kubectl edit svc web');
    expect(shown[1]!.text).toMatch(/^# The edited file had a syntax error: error parsing edited-file: error converting YAML to JSON: yaml: line \d+: .+\n#\napiVersion: v1\n/m);
    expect(r).toEqual({ stdout: 'service/web edited\n', stderr: '', exitCode: 0 });
  });

  it('refuses a changed name, keeping a copy', async () => {
    const { session, shown } = withEditor((t) => t.replace('  name: web\n', '  name: web2\n'));
    const r = await session.run('kubectl edit svc web');
    expect(r.stderr).toBe(`A copy of your changes has been stored to "${shown[0]!.path}"\nerror: At least one of apiVersion, kind and name was changed\n`);
    expect(r.exitCode).toBe(1);
  });

  it('an emptied file cancels the edit', async () => {
    const { session } = withEditor(() => '# nothing\n');
    expect(await session.run('kubectl edit svc web')).toEqual({ stdout: '', stderr: 'Edit cancelled, saved file was empty.\n', exitCode: 0 });
  });

  it('an editor that cannot open fails like kubectl without an editor', async () => {
    const cluster = createCluster({ seed: 1, manifests: SERVICE });
    const session = createSession({ cluster, editor: () => Promise.reject(new Error('no editor on this page')) });
    expect(await session.run('kubectl edit svc web')).toEqual({ stdout: '', stderr: 'error: unable to launch the editor "vi"\n', exitCode: 1 });
    expect(session.bugs).toEqual([]);
  });

  it('a missing object fails before any editor opens', async () => {
    const { session, shown } = withEditor();
    const r = await session.run('kubectl edit svc nope');
    expect(r).toEqual({ stdout: '', stderr: 'Error from server (NotFound): services "nope" not found\n', exitCode: 1 });
    expect(shown).toHaveLength(0);
  });
});
