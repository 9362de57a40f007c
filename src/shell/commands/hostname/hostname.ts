/**
 * `hostname`: the workstation, the node name, or the pod's: `spec.hostname` when set, else the
 * pod's name; a hostNetwork pod shares the node's UTS namespace, so it prints the node name.
 */
import type { Pod } from '../../../engine';
import type { CommandModule } from '../../types';

export const hostname: CommandModule = {
  name: 'hostname',
  help: 'Usage: hostname [-s]\n\nShow the system\'s host name.\n',
  async execute(argv, ctx) {
    if (argv.includes('--help')) return { stdout: this.help, stderr: '', exitCode: 0 };
    const p = ctx.place;
    let name = p.kind === 'workstation' ? 'workstation' : p.kind === 'node' ? p.node : p.pod;
    if (p.kind === 'pod') {
      const got = ctx.cluster.get<Pod>('Pod', p.namespace, p.pod);
      const spec = got.ok ? got.value.spec : undefined;
      if (spec?.hostNetwork && spec.nodeName) name = spec.nodeName;
      else if (spec?.hostname) name = spec.hostname;
    }
    return { stdout: `${name}\n`, stderr: '', exitCode: 0 };
  },
};
