/**
 * `ssh NODE` opens a root shell on a node (prompt `root@worker:~#`); `ssh NODE CMD…` runs one
 * command there. kind nodes have no sshd; we offer ssh because that is how a learner reaches a
 * node on a kubeadm cluster. Node names resolve like the lab's /etc/hosts would (node name or
 * InternalIP), optionally as `root@NODE`.
 */
import type { Node } from '../../../engine';
import type { CommandModule, CommandContext } from '../../types';

const USAGE = `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]
           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]
           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]
           [-J destination] [-L address] [-l login_name] [-m mac_spec]
           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]
           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]
           destination [command [argument ...]]
`;
const NO_VALUE = new Set('46AaCfGgKkMNnqsTtVvXxYy'.split(''));
const WITH_VALUE = new Set('BbcDEeFIiJLlmOoPpRSWw'.split(''));

function findNode(ctx: CommandContext, host: string): string | undefined {
  const nodes = ctx.cluster.list<Node>('Node');
  if (!nodes.ok) return undefined;
  const n = nodes.value.find((x) => x.metadata.name === host || (x.status?.addresses ?? []).some((a) => a.address === host));
  return n?.metadata.name;
}

export const ssh: CommandModule = {
  name: 'ssh',
  help: USAGE,
  async execute(argv, ctx) {
    let i = 0;
    /** -t asks for a pseudo-terminal (-tt even without a local one); -T for none. */
    let ttyAsked = 0;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (!a.startsWith('-') || a === '-') break;
      if (a === '--') { i++; break; }
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 't') ttyAsked++;
        else if (c === 'T') ttyAsked = -1;
        if (NO_VALUE.has(c)) continue;
        if (WITH_VALUE.has(c)) { if (j === a.length - 1) i++; break; }
        return { stdout: '', stderr: `ssh: illegal option -- ${c}\n${USAGE}`, exitCode: 255 };
      }
    }
    const dest = argv[i];
    if (!dest) return { stdout: '', stderr: USAGE, exitCode: 255 };
    const host = dest.includes('@') ? dest.slice(dest.indexOf('@') + 1) : dest;
    const node = findNode(ctx, host);
    if (!node) {
      return { stdout: '', stderr: `ssh: Could not resolve hostname ${host}: Name or service not known\n`, exitCode: 255 };
    }
    const command = argv.slice(i + 1);
    if (command.length === 0) {
      ctx.session.enter({ kind: 'node', node });
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    // A remote pty (-t on a terminal, or -tt): ssh says the connection closed when it ends.
    const tty = ttyAsked > 1 || (ttyAsked === 1 && ctx.session.tty);
    const warning = ttyAsked === 1 && !ctx.session.tty ? 'Pseudo-terminal will not be allocated because stdin is not a terminal.\n' : '';
    // ssh joins the remote words with spaces and hands them to the remote shell.
    const r = await ctx.session.runIn({ kind: 'node', node }, command.join(' '), ctx.stdin, undefined, { tty });
    return { ...r, stderr: warning + r.stderr + (tty ? `Connection to ${host} closed.\n` : '') };
  },
};
