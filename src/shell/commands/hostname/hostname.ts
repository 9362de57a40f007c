/** `hostname`: the workstation, the node name, or the pod name (a pod's hostname is its name). */
import type { CommandModule } from '../../types';

export const hostname: CommandModule = {
  name: 'hostname',
  help: 'Usage: hostname [-s]\n\nShow the system\'s host name.\n',
  async execute(argv, ctx) {
    if (argv.includes('--help')) return { stdout: this.help, stderr: '', exitCode: 0 };
    const p = ctx.place;
    const name = p.kind === 'workstation' ? 'workstation' : p.kind === 'node' ? p.node : p.pod;
    return { stdout: `${name}\n`, stderr: '', exitCode: 0 };
  },
};
